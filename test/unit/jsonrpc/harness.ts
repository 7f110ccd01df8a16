import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransportError, type CallResult, type JsonRpcArgType, type UbusBackend } from '../../stand-ins/rpcd-uhttpd/objects.js';
import { startRpcdUhttpd, type RpcdUhttpd } from '../../stand-ins/rpcd-uhttpd/server.js';
import { conformancePath } from '../../helpers/conformance.js';

export const CAPTURES = conformancePath('jsonrpc');
const here = new URL('.', import.meta.url).pathname;

export interface HttpStep {
  kind: 'http';
  request: { method: string; url: string; headers: [string, string][]; body?: string; body_json?: unknown; body_length?: number; body_head?: string };
  response: { status: number; content_type: string | null; headers: [string, string][]; body: string; body_json?: unknown };
}
export type Step = HttpStep | { kind: 'file'; path: string; label: string; content: string } | { kind: 'wait'; seconds: number } | { kind: 'delta' | 'sse' };

export function capture(name: string): { scenario: string; steps: Step[] } {
  return JSON.parse(readFileSync(join(CAPTURES, `${name}.json`), 'utf8'));
}

export const BOARD = (JSON.parse((capture('batch').steps[0] as HttpStep).response.body) as { result: unknown[] }[])[0]!.result[1] as Record<string, unknown>;

/** What the capture's ubusd had besides rpcd: `system` and the `conf.test` C publisher. */
export function captureBackend(): UbusBackend {
  const objects = new Map<string, Record<string, Record<string, JsonRpcArgType>>>([
    ['conf.test', { echo: {}, types: {}, fail: { code: 'number' }, fail_with_data: {}, slow: { seconds: 'number' }, notify: {}, remove: {} }],
    ['system', { board: {}, info: {}, reboot: {} }],
  ]);
  return {
    list: async () => objects,
    call: async (object, method, args): Promise<CallResult> => {
      if (!objects.has(object)) throw new TransportError('not-found', object);
      if (object === 'system') return method === 'board' ? { status: 0, data: BOARD } : { status: 3 };
      switch (method) {
        case 'types': return { status: 0, data: { str: 'hello', flag: true, dbl: 3.14, arr: [1, 'two', false, -0.5, {}], nul: null } };
        case 'echo': return { status: 0, data: { received: args } };
        case 'fail': return { status: Number(args.code ?? 0) };
        case 'fail_with_data': return { status: 9, data: { error: 'partial data before failure' } };
        case 'slow': return new Promise((resolve) => setTimeout(() => resolve({ status: 0 }), Number(args.seconds) * 1000).unref());
        default: return { status: 3 };
      }
    },
  };
}

export interface Bed {
  server: RpcdUhttpd;
  configDir: string;
  close(): Promise<void>;
}

export async function startBed(initialConftest: string, callTimeoutMs = 60_000): Promise<Bed> {
  const configDir = mkdtempSync(join(tmpdir(), 'jsonrpc-conf-'));
  writeFileSync(join(configDir, 'conftest'), initialConftest);
  const server = await startRpcdUhttpd({
    configDir,
    luciObject: false, // the captures' rpcd had no rpcd-mod-luci
    users: [
      { username: 'root', password: 'admin', read: ['*'], write: ['*'] },
      { username: 'reader', password: 'reader', read: ['conftest', 'conftest-ubus-set'], write: [] },
    ],
    aclDirs: [join(here, 'fixtures')],
    backend: captureBackend(),
    callTimeoutMs,
  });
  return { server, configDir, close: async () => { await server.close(); rmSync(configDir, { recursive: true, force: true }); } };
}

export interface RawResponse { status: number; headers: Record<string, string | string[] | undefined>; body: string }

export function send(base: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Replaces every captured session id by the live one (and back), so bodies compare as text. */
export class SidMap {
  private readonly map = new Map<string, string>();
  set(captured: string, live: string): void { this.map.set(captured, live); }
  toLive(text: string): string { let out = text; for (const [c, l] of this.map) out = out.split(c).join(l); return out; }
  toCaptured(text: string): string { let out = text; for (const [c, l] of this.map) out = out.split(l).join(c); return out; }
}

export function httpSteps(name: string): HttpStep[] {
  return capture(name).steps.filter((step): step is HttpStep => step.kind === 'http');
}

export function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

export function initialConftest(): string {
  const step = capture('uci_get').steps.find((candidate) => candidate.kind === 'file') as { content: string };
  return step.content;
}
