import { UbusError } from './ubus/types.js';

/**
 * What every action method of a `smartgrid.<service>` object (probe, reset, flush, set_mode, ...)
 * replies, besides its own fields: ubus carries only a status number, so the reason travels here.
 * A refused or failed action replies the same object with a non-zero ubus status.
 */
export type ActionResult = {
  /** The action did what was asked and the outcome is good. */
  ok: boolean;
  /** One word for what happened: `probed`, `step-run`, `no-device`, `invalid-argument`, `busy`, ... */
  code: string;
  /** What happened and why, one sentence for the admin (shown by the page as it is). */
  message: string;
};

/** A completed action: its own fields plus the result words. */
export function actionResult(ok: boolean, code: string, message: string, fields: object = {}): Record<string, unknown> & ActionResult {
  return { ...fields, ok, code, message };
}

/** A refused or failed action: throw it from a ubus handler to reply `[status, {ok:false, code, message}]`. */
export function actionError(status: number, code: string, message: string): UbusError {
  return new UbusError(status, message, { ok: false, code, message });
}

/** Reads an action result out of a reply whose shape is not guaranteed (undefined when it is none). */
export function asActionResult(value: unknown): ActionResult | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { ok, code, message } = value as Record<string, unknown>;
  return typeof ok === 'boolean' && typeof code === 'string' && typeof message === 'string' ? { ok, code, message } : undefined;
}
