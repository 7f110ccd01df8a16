/**
 * A syslog stand-in for the procd supervisor: what `logread` would show. procd's instance_stdio reads
 * an instance's stdout/stderr line by line and logs each line with ulog(LOG_INFO / LOG_ERR) under the
 * ident `<basename of command[0]>[<pid>]`, facility daemon; procd's own messages use the ident `procd`.
 */
import type { Readable } from 'node:stream';

export type SyslogPriority = 'emerg' | 'alert' | 'crit' | 'err' | 'warn' | 'notice' | 'info' | 'debug';

export interface SyslogEntry {
  time: Date;
  facility: 'daemon';
  priority: SyslogPriority;
  ident: string;
  message: string;
}

export class SyslogBuffer {
  readonly entries: SyslogEntry[] = [];

  log(priority: SyslogPriority, ident: string, message: string): void {
    this.entries.push({ time: new Date(), facility: 'daemon', priority, ident, message: message.replace(/\n$/, '') });
  }

  /** `logread`-style lines: `Sat Nov 21 08:17:03 2026 daemon.err node[1234]: message`. */
  lines(filter?: (entry: SyslogEntry) => boolean): string[] {
    return this.entries.filter(filter ?? (() => true)).map((entry) => `${entry.time.toUTCString()} ${entry.facility}.${entry.priority} ${entry.ident}: ${entry.message}`);
  }

  text(): string {
    return this.lines().join('\n');
  }
}

/**
 * Logs every complete line of `stream` at `priority`; a last line without a newline is logged when the
 * stream ends. `ident()` is asked per line, as procd formats the ident each time it reads.
 */
export function pipeLinesToSyslog(stream: Readable, syslog: SyslogBuffer, priority: SyslogPriority, ident: () => string): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      syslog.log(priority, ident(), pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
  });
  stream.on('end', () => {
    if (pending) syslog.log(priority, ident(), pending);
    pending = '';
  });
}
