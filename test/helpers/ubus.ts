/**
 * Test helpers for anything that talks ubus: a ubusd stand-in on a temp socket and connected clients.
 *
 *   const bus = await startTestUbus();          // stand-in + one connected client
 *   await bus.client.call('smartgrid.lte', 'status');
 *   await bus.stop();                           // closes every client it made, stops the stand-in
 *
 * With SMARTGRID_UBUS_SOCKET set, `startTestUbus({ allowExternal: true })` uses that (real) ubusd instead.
 */
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, memorySink, type Logger, type LogLevel } from '../../src/lib/log.js';
import { UbusClient, type UbusClientOptions } from '../../src/lib/ubus/client.js';
import { startUbusd, type RunningUbusd } from '../stand-ins/ubusd/server.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface TestUbus {
  socketPath: string;
  /** undefined when running against an external ubusd (SMARTGRID_UBUS_SOCKET). */
  ubusd: RunningUbusd | undefined;
  client: UbusClient;
  /** Log lines of every client created through `newClient`. */
  logLines: string[];
  newClient(options?: Partial<UbusClientOptions>): Promise<UbusClient>;
  /** Stops the stand-in and starts a fresh one on the same socket (a ubusd restart). */
  restartUbusd(): Promise<void>;
  stop(): Promise<void>;
}

export function testLogger(name = 'ubus-test', lines: string[] = [], level: LogLevel = 'debug'): Logger {
  return createLogger({ name, level, sink: memorySink(lines) });
}

export async function startTestUbus(options: { allowExternal?: boolean; clientOptions?: Partial<UbusClientOptions> } = {}): Promise<TestUbus> {
  const external = options.allowExternal ? process.env.SMARTGRID_UBUS_SOCKET : undefined;
  const dir = external ? undefined : mkdtempSync(join(tmpdir(), 'smartgrid-ubus-'));
  const socketPath = external ?? join(dir!, 'ubus.sock');
  let ubusd = external ? undefined : await startUbusd({ socketPath });
  const logLines: string[] = [];
  const clients: UbusClient[] = [];

  const newClient = async (clientOptions: Partial<UbusClientOptions> = {}): Promise<UbusClient> => {
    const client = new UbusClient({ socketPath, log: testLogger('ubus-test', logLines), reconnectDelayMs: 50, maxReconnectDelayMs: 500, ...options.clientOptions, ...clientOptions });
    clients.push(client);
    await client.connect();
    return client;
  };

  const client = await newClient();
  return {
    socketPath,
    get ubusd() {
      return ubusd;
    },
    client,
    logLines,
    newClient,
    async restartUbusd() {
      if (!ubusd) throw new Error('cannot restart an external ubusd');
      await ubusd.stop();
      ubusd = await startUbusd({ socketPath });
    },
    async stop() {
      await Promise.all(clients.map((item) => item.close()));
      await ubusd?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until `condition()` is true (polling), or throws after `timeoutMs`. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Bundles a stand-in entry (`ubusd` or `ubus-cli`) into a runnable node script and returns its path,
 * for tests and demos that need it as a separate process: `node <path> --socket S` / `node <path> -s S call ...`.
 */
export async function bundleUbusStandIn(name: 'ubusd' | 'ubus-cli', outDir = mkdtempSync(join(tmpdir(), 'smartgrid-standin-'))): Promise<string> {
  const outfile = join(outDir, `${name}.mjs`);
  await build({
    entryPoints: [join(repoRoot, 'test', 'stand-ins', name, 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'esm',
    logLevel: 'warning',
  });
  return outfile;
}
