/** ubus status codes (libubus `enum ubus_msg_status`). */
export const UBUS_STATUS = {
  OK: 0,
  INVALID_COMMAND: 1,
  INVALID_ARGUMENT: 2,
  METHOD_NOT_FOUND: 3,
  NOT_FOUND: 4,
  NO_DATA: 5,
  PERMISSION_DENIED: 6,
  TIMEOUT: 7,
  NOT_SUPPORTED: 8,
  UNKNOWN_ERROR: 9,
  CONNECTION_FAILED: 10,
  NO_MEMORY: 11,
  PARSE_ERROR: 12,
  SYSTEM_ERROR: 13,
} as const;

export type UbusStatusName = keyof typeof UBUS_STATUS;

export function ubusStatusName(code: number): UbusStatusName | 'UNKNOWN' {
  for (const [name, value] of Object.entries(UBUS_STATUS)) if (value === code) return name as UbusStatusName;
  return 'UNKNOWN';
}

/** An error answered by ubus (or by us on its behalf); `status` is the ubus status name. */
export class UbusError extends Error {
  readonly status: UbusStatusName | 'UNKNOWN';

  constructor(readonly code: number, context: string, readonly data?: Record<string, unknown>) {
    super(`${context}: ${ubusStatusName(code)} (${code})`);
    this.name = 'UbusError';
    this.status = ubusStatusName(code);
  }
}

/** Argument types of a published method signature (blobmsg types). */
export type UbusArgType = 'string' | 'boolean' | 'int32' | 'int64' | 'double' | 'table' | 'array' | 'int16' | 'int8';

export type UbusArgs = Record<string, unknown>;

export interface UbusRequestContext {
  /** Calling client's user and group as ubusd reports them (USER/GROUP attributes). */
  user?: string;
  group?: string;
  method: string;
}

/** A handler returns the reply data, or throws UbusError to answer with a status. */
export type UbusMethodHandler = (args: UbusArgs, context: UbusRequestContext) => Promise<UbusArgs | void> | UbusArgs | void;

export interface UbusMethod {
  signature?: Record<string, UbusArgType>;
  handler: UbusMethodHandler;
}

export interface PublishedObject {
  readonly path: string;
  readonly id: number | undefined;
  /** Sends a ubus notification to subscribers of this object. */
  notify(type: string, data?: UbusArgs): Promise<void>;
  remove(): Promise<void>;
}

export interface CallOptions {
  timeoutMs?: number;
}

export interface ObjectInfo {
  path: string;
  id: number;
  type: number;
  signature: Record<string, Record<string, UbusArgType | 'unknown'>>;
}

export type EventHandler = (event: string, data: UbusArgs) => void;
export type NotifyHandler = (type: string, data: UbusArgs) => void;

export interface Subscription {
  unsubscribe(): Promise<void>;
}

/** The API every service uses; the wire implementation lives beside this file. */
export interface Ubus {
  call(path: string, method: string, args?: UbusArgs, options?: CallOptions): Promise<UbusArgs>;
  lookup(pattern?: string): Promise<ObjectInfo[]>;
  listen(pattern: string, handler: EventHandler): Promise<Subscription>;
  send(event: string, data?: UbusArgs): Promise<void>;
  subscribe(path: string, handler: NotifyHandler): Promise<Subscription>;
  publish(path: string, methods: Record<string, UbusMethod>): Promise<PublishedObject>;
  close(): Promise<void>;
}
