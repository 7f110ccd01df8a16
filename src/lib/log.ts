export type LogLevel = 'debug' | 'info' | 'notice' | 'warn' | 'error';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, notice: 25, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  notice(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger for a sub-component: `smartgrid-telemetry[queue]`. Shares level and sink. */
  child(namespace: string): Logger;
  setLevel(level: LogLevel): void;
}

export interface LogRecord {
  level: LogLevel;
  namespace: string;
  message: string;
  fields?: Record<string, unknown>;
}

export type LogSink = (line: string, record: LogRecord) => void;

/** Words that mark an option or field name as holding a secret (`access_token`, `sae_password`). */
const SECRET_WORDS = new Set(['password', 'passwd', 'pass', 'passphrase', 'secret', 'token', 'psk', 'key', 'pin', 'puk', 'credential', 'credentials', 'apikey']);
/** `tls_key_file` names where a key lives, not the key itself. */
const REFERENCE_WORDS = new Set(['file', 'path', 'id', 'type', 'size', 'index']);
export const REDACTED = '***';

export function isSecretKey(key: string): boolean {
  const words = key.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  return words.some((word, i) => SECRET_WORDS.has(word) && !REFERENCE_WORDS.has(words[i + 1] ?? ''));
}

/** Registered secret values are masked wherever they appear in messages or fields. */
export class SecretRegistry {
  private readonly values = new Set<string>();

  add(value: unknown): void {
    if (typeof value === 'string' && value.length >= 4) this.values.add(value);
  }

  mask(text: string): string {
    let out = text;
    for (const secret of this.values) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }
}

export function redactFields(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactFields(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    out[key] = isSecretKey(key) && inner !== '' && inner !== undefined ? REDACTED : redactFields(inner, depth + 1);
  }
  return out;
}

function formatFields(fields: Record<string, unknown> | undefined): string {
  if (!fields) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = typeof value === 'string' ? value : value instanceof Error ? value.message : JSON.stringify(value);
    parts.push(`${key}=${/\s/.test(text) ? JSON.stringify(text) : text}`);
  }
  return parts.length ? ' ' + parts.join(' ') : '';
}

/**
 * procd forwards an instance's stdout to syslog at LOG_INFO and stderr at LOG_ERR, tagged with the
 * command's basename; warnings and errors therefore go to stderr so `logread` keeps their severity.
 * A stream whose reader went away (EPIPE when procd or a test harness closed the pipe) is dropped
 * silently: reporting that failure would write to the same dead pipe again, in a loop.
 */
export function stdioSink(streams: { out: NodeJS.WritableStream; err: NodeJS.WritableStream } = { out: process.stdout, err: process.stderr }): LogSink {
  const broken = new Set<NodeJS.WritableStream>();
  for (const stream of [streams.out, streams.err]) {
    stream.on('error', () => { broken.add(stream); });
  }
  return (line, record) => {
    const target = LEVEL_RANK[record.level] < LEVEL_RANK.warn ? streams.out : streams.err;
    if (broken.has(target)) return;
    target.write(`${line}\n`);
  };
}

export interface LoggerOptions {
  name: string;
  level?: LogLevel;
  sink?: LogSink;
  secrets?: SecretRegistry;
}

interface SharedState {
  level: LogLevel;
  sink: LogSink;
  secrets: SecretRegistry;
}

class NamespacedLogger implements Logger {
  constructor(private readonly namespace: string, private readonly shared: SharedState) {}

  private write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (LEVEL_RANK[level] < LEVEL_RANK[this.shared.level]) return;
    const safeFields = fields ? (redactFields(fields) as Record<string, unknown>) : undefined;
    const line = this.shared.secrets.mask(`${level}: [${this.namespace}] ${message}${formatFields(safeFields)}`);
    this.shared.sink(line, { level, namespace: this.namespace, message: this.shared.secrets.mask(message), fields: safeFields });
  }

  debug(message: string, fields?: Record<string, unknown>): void { this.write('debug', message, fields); }
  info(message: string, fields?: Record<string, unknown>): void { this.write('info', message, fields); }
  notice(message: string, fields?: Record<string, unknown>): void { this.write('notice', message, fields); }
  warn(message: string, fields?: Record<string, unknown>): void { this.write('warn', message, fields); }
  error(message: string, fields?: Record<string, unknown>): void { this.write('error', message, fields); }

  child(namespace: string): Logger {
    return new NamespacedLogger(`${this.namespace}.${namespace}`, this.shared);
  }

  setLevel(level: LogLevel): void {
    this.shared.level = level;
  }
}

export function createLogger(options: LoggerOptions): Logger {
  return new NamespacedLogger(options.name, {
    level: options.level ?? 'info',
    sink: options.sink ?? stdioSink(),
    secrets: options.secrets ?? new SecretRegistry(),
  });
}

/** Collects lines in memory; for tests and for the demo's log view. */
export function memorySink(lines: string[] = []): LogSink & { lines: string[] } {
  return Object.assign((line: string) => { lines.push(line); }, { lines });
}

/** Drops repeats of the same key within a window and reports how many were suppressed. */
export class RateLimitedLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(private readonly log: Logger, private readonly windowMs = 10_000, private readonly now = () => Date.now()) {}

  warn(key: string, message: string, fields?: Record<string, unknown>): void {
    const entry = this.last.get(key);
    const t = this.now();
    if (entry && t - entry.at < this.windowMs) {
      entry.suppressed++;
      return;
    }
    const suppressed = entry?.suppressed ?? 0;
    this.last.set(key, { at: t, suppressed: 0 });
    this.log.warn(message, suppressed ? { ...fields, suppressed } : fields);
  }
}
