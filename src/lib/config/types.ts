/** One rejected value: names `smartgrid.<section>.<option>`, the value and the rule it broke. */
export interface ConfigIssue {
  /** e.g. `smartgrid.telemetry.batch_size` */
  path: string;
  value: unknown;
  /** e.g. `maximum 5000`, `type integer`, `enum normal|data-saving` */
  rule: string;
  message: string;
}

export type ConfigResult<T> = { ok: true; config: T } | { ok: false; issues: ConfigIssue[] };

/** Where a service reads its section from (UCI files on the device, a memory store in tests). */
export interface ConfigSource<T> {
  /** Reads, coerces and validates the section; never throws for bad values. */
  load(): Promise<ConfigResult<T>>;
}
