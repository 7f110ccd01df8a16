// Cuts the WAN uplink under MQTT load and restores it; shared by the failover test and bench/lte.
import { build } from 'esbuild';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { UplinkTopology } from '../../helpers/netns.js';

type Line = Record<string, unknown> & { at: number; type: string };

export interface FailoverReading {
  /** Cut -> the watchdog reports the failover. */
  detectionMs: number;
  /** Cut -> first reading acknowledged over LTE. */
  trafficOnLteMs: number;
  /** Restore -> the watchdog reports the failback. */
  failbackMs: number;
  /** The watchdog's own numbers. */
  failoverEvent: Line;
  failbackEvent: Line;
  sent: number;
  received: number;
  lost: number[];
  modes: string[];
}

export async function bundleFailoverTools(): Promise<{ dir: string; agent: string; publisher: string; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'sg-lte-bundle-'));
  // Bundled into build/bench by `make bench`, this file no longer sits beside its sources.
  const beside = new URL('.', import.meta.url).pathname;
  const here = existsSync(join(beside, 'netns-agent.ts')) ? beside : join(process.cwd(), 'test/integration/lte');
  const make = async (name: string) => {
    const outfile = join(dir, `${name}.cjs`);
    await build({ entryPoints: [join(here, `${name}.ts`)], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'error' });
    return outfile;
  };
  return { dir, agent: await make('netns-agent'), publisher: await make('publisher'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

class LineWatcher {
  readonly lines: Line[] = [];
  private waiters: Array<{ match: (line: Line) => boolean; resolve: (line: Line) => void }> = [];

  constructor(child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (text) => {
      let line: Line;
      try { line = JSON.parse(text) as Line; } catch { return; }
      this.lines.push(line);
      this.waiters = this.waiters.filter((waiter) => (waiter.match(line) ? (waiter.resolve(line), false) : true));
    });
  }

  wait(match: (line: Line) => boolean, timeoutMs: number, what: string): Promise<Line> {
    const found = this.lines.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({ match, resolve: (line) => { clearTimeout(timer); resolve(line); } });
    });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runFailoverScenario(topology: UplinkTopology, tools: { dir: string; agent: string; publisher: string }, onLteMs = 3000): Promise<FailoverReading> {
  const conf = join(tools.dir, `mosquitto-${Date.now()}.conf`);
  writeFileSync(conf, 'listener 1883 0.0.0.0\nallow_anonymous true\npersistence false\nuser root\n');
  const broker = topology.spawn(topology.cloud, ['mosquitto', '-c', conf]);
  try {
    await waitForPort(topology, 1883);
    const received = new Set<number>();
    const subscriber = topology.spawn(topology.cloud, ['mosquitto_sub', '-h', topology.serviceAddress, '-p', '1883', '-t', 'telemetry/#', '-q', '1', '-i', `sub${process.pid}`, '-c']);
    createInterface({ input: subscriber.stdout! }).on('line', (text) => {
      try { received.add((JSON.parse(text) as { id: number }).id); } catch { /* not a reading */ }
    });
    await sleep(300);
    const agent = new LineWatcher(topology.spawn(topology.gw, [process.execPath, tools.agent], { PROBE_TARGET: topology.serviceAddress }));
    await agent.wait((line) => line.type === 'look' && line.active === 'wan', 10_000, 'the agent to see the WAN');
    const publisherProcess = topology.spawn(topology.gw, [process.execPath, tools.publisher], { BROKER_URL: `mqtt://${topology.serviceAddress}:1883` });
    const publisher = new LineWatcher(publisherProcess);
    await publisher.wait((line) => line.type === 'ack', 10_000, 'the first acknowledged reading');
    await sleep(1500);

    const cutAt = Date.now();
    topology.cutWan();
    const failoverEvent = await agent.wait((line) => line.type === 'failover', 20_000, 'the failover event');
    const reconnect = await publisher.wait((line) => line.type === 'connect' && line.at > cutAt, 30_000, 'the publisher to reconnect over LTE');
    const firstLteAck = await publisher.wait((line) => line.type === 'ack' && line.at >= reconnect.at, 30_000, 'a reading acknowledged over LTE');
    await sleep(onLteMs);

    const restoreAt = Date.now();
    topology.restoreWan();
    const failbackEvent = await agent.wait((line) => line.type === 'failback', 20_000, 'the failback event');
    await sleep(1500);

    publisherProcess.stdin!.write('stop\n');
    const done = await publisher.wait((line) => line.type === 'done', 30_000, 'the publisher to drain');
    const sent = Number(done.sent);
    const deadline = Date.now() + 10_000;
    while (received.size < sent && Date.now() < deadline) await sleep(100);
    const lost: number[] = [];
    for (let id = 0; id < sent; id++) if (!received.has(id)) lost.push(id);
    subscriber.kill('SIGTERM');
    return {
      detectionMs: failoverEvent.at - cutAt,
      trafficOnLteMs: firstLteAck.at - cutAt,
      failbackMs: failbackEvent.at - restoreAt,
      failoverEvent, failbackEvent, sent, received: received.size, lost,
      modes: agent.lines.filter((line) => line.type === 'ubus').map((line) => String((line.args as { mode?: string }).mode)),
    };
  } finally {
    broker.kill('SIGTERM');
  }
}

async function waitForPort(topology: UplinkTopology, port: number): Promise<void> {
  for (let i = 0; i < 50; i++) {
    try {
      if (topology.exec(topology.cloud, ['ss', '-ltn']).includes(`:${port} `)) return;
    } catch { /* not yet */ }
    await sleep(100);
  }
  throw new Error(`broker did not listen on ${port}`);
}
