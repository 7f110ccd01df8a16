// The otbr-agent stand-in against what ../shared/conformance/otbr pins down: start-up exit codes and
// critical log lines (agent-startup-failures.json), and the REST API's answers (rest.json).
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { conformancePath } from '../../helpers/conformance.js';
import { freePort } from '../../helpers/mosquitto.js';
import { otbrAgentStandIn } from '../../stand-ins/otbr/build.js';
import { StandInNode } from '../../stand-ins/otbr/node.js';
import { startRest } from '../../stand-ins/otbr/rest.js';
import type { RcpFault } from '../../stand-ins/rcp-sim/faults.js';
import { startPtyRcp } from '../../stand-ins/rcp-sim/pty.js';

interface StartupCase { exit_code: number; log: [number, string][] }
const startup = JSON.parse(readFileSync(conformancePath('otbr/agent-startup-failures.json'), 'utf8')) as { cases: Record<string, StartupCase> };
const dir = mkdtempSync(join(tmpdir(), 'otbr-standin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function criticalText(line: string): string {
  return line.replace(/^.*\[C\]\s*/, '');
}

async function runAgent(tty: string): Promise<{ code: number | null; lines: string[] }> {
  const child = spawn(await otbrAgentStandIn(), ['-I', 'wpan0', '-B', 'eth0', '-d', '7', '-v', '-s', `spinel+hdlc+uart://${tty}?uart-baudrate=460800`, '--rest-listen-port', String(await freePort())], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, lines: out.trim().split('\n') };
}

describe('otbr-agent stand-in: start-up failures as captured', () => {
  it.each<[string, RcpFault | undefined]>([['tty_missing', undefined], ['pty_nothing_answers', 'silent'], ['pty_echo_loop', 'echo']])('%s', async (name, fault) => {
    const captured = startup.cases[name]!;
    const rcp = fault ? await startPtyRcp({ path: join(dir, name), fault }) : undefined;
    try {
      const { code, lines } = await runAgent(rcp?.path ?? join(dir, 'missing-tty'));
      expect(code).toBe(captured.exit_code);
      const wantCritical = captured.log.map(([, line]) => line).filter((line) => line.includes('[C]')).map(criticalText);
      expect(lines.filter((line) => line.includes('[C]')).map(criticalText)).toEqual(wantCritical.slice(-1));
      expect(lines[0]).toMatch(/^Running 0\.3\.0-thread-reference/);
    } finally {
      await rcp?.stop();
    }
  }, 60_000);
});

interface Exchange { label?: string; request: { method: string; path: string; headers?: Record<string, string>; body: string | null }; response: { status: number; body?: string } }
const rest = JSON.parse(readFileSync(conformancePath('otbr/rest.json'), 'utf8')) as { session1: Exchange[] };
/** Hex-TLV bodies (text/plain) are not implemented by the stand-in; nor are the paths it does not serve. */
const SERVED = /^\/node(\/state|\/dataset\/(active|pending))?$|^\/(api|networks|node\/bogus)|^\/$/;
const replayable = rest.session1.filter((e) => e.response && e.request.method && SERVED.test(e.request.path) && !(e.request.headers?.['Content-Type'] ?? '').includes('text/plain') && !(e.request.headers?.Accept ?? '').includes('text/plain') && !['OPTIONS', 'HEAD', 'DELETE'].includes(e.request.method) && !(e.label ?? '').startsWith('after_pending'));

/** The captured request body byte for byte (OtbrRest would re-serialise it). */
function send(port: number, method: string, path: string, body: string | null): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { Connection: 'close', ...(body === null ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

describe('otbr-agent stand-in: REST as rest.json', () => {
  it('answers the captured session with the same status codes, and the dataset with the same bytes', async () => {
    const node = new StandInNode('pascal', 'OPENTHREAD/34bb0e4ab; SIMULATION; Dec  4 2026 04:03:02', undefined, {});
    const port = await freePort();
    const server: Server = await startRest(node, '127.0.0.1', port);
    try {
      let datasetBodiesCompared = 0;
      for (const exchange of replayable) {
        const reply = await send(port, exchange.request.method, exchange.request.path, exchange.request.body);
        expect(reply.status, `${exchange.label} ${exchange.request.method} ${exchange.request.path}`).toBe(exchange.response.status);
        if (exchange.label === 'after_put_json' && exchange.request.path === '/node/dataset/active' && reply.body.startsWith('{')) {
          expect(reply.body).toBe(exchange.response.body);
          datasetBodiesCompared++;
        }
      }
      expect(datasetBodiesCompared).toBe(1);
      expect(replayable.length).toBeGreaterThan(30);
    } finally {
      server.close();
    }
  });
});
