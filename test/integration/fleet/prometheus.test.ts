// The smartgrid collector of prometheus-node-exporter-lua, run by Debian's lua5.1 against the shipped
// service bundles (through the libubus-lua and ubus CLI stand-ins), linted by promtool and scraped by
// a real Prometheus server on loopback that then answers a query for the series.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUbusd, type RunningUbusd } from '../../stand-ins/ubusd/server.js';
import { bundleUbusStandIn, waitUntil } from '../../helpers/ubus.js';
import { freePort } from '../../helpers/mosquitto.js';
import { SHIPPED_SERVICES, startShippedServices, writeTestConfig, type ShippedServices } from '../../helpers/shipped-services.js';
import { requireTool } from '../../helpers/tools.js';
import { closedPort } from '../foundation/device.js';

const REPO = new URL('../../../', import.meta.url).pathname;
const COLLECTORS = join(REPO, 'package/prometheus-node-exporter-lua-smartgrid/files/usr/lib/lua');
const STAND_INS = join(REPO, 'test/stand-ins');
const work = mkdtempSync(join(tmpdir(), 'sg-prom-'));
const socket = join(work, 'ubus.sock');
let ubusd: RunningUbusd;
let services: ShippedServices;
let cli = '';

/** One run of the collector (asynchronous: the ubusd stand-in answers from this same process). */
async function scrapeOnce(): Promise<{ stdout: string; stderr: string; status: number | null }> {
  requireTool('lua5.1');
  const child = spawn('lua5.1', [join(STAND_INS, 'prometheus-node-exporter-lua/exporter.lua'), 'smartgrid'], {
    env: {
      ...process.env, SMARTGRID_UBUS_SOCKET: socket, SMARTGRID_UBUS_CLI: `${process.execPath} ${cli}`,
      LUA_PATH: `${COLLECTORS}/?.lua;${STAND_INS}/libubus-lua/?.lua;;`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { stdout, stderr, status };
}

const sample = (text: string, series: string) => text.split('\n').find((line) => line.startsWith(`${series} `))?.split(' ')[1];

beforeAll(async () => {
  cli = await bundleUbusStandIn('ubus-cli', work);
  ubusd = await startUbusd({ socketPath: socket });
  const port = String(await closedPort());
  services = startShippedServices({ socket, uciDir: writeTestConfig(work, { telemetry: [['broker_port', port], ['upstream_port', port]] }) });
  let last = await scrapeOnce();
  await waitUntil(async () => /smartgrid_service_up\{service="lte"\} 1/.test((last = await scrapeOnce()).stdout), 30_000, 'the services answering the collector').catch((error: Error) => {
    throw new Error(`${error.message}: ${last.stdout}${last.stderr} services: ${[...services.stderr.values()].join(" / ").slice(0, 800)}`);
  });
}, 60_000);

afterAll(async () => {
  await services?.stop();
  await ubusd?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('prometheus-node-exporter-lua smartgrid collector', () => {
  it('exports the services\' health with Prometheus names', async () => {
    const { stdout, stderr, status } = await scrapeOnce();
    expect(status, stderr).toBe(0);
    expect(sample(stdout, 'node_scrape_collector_success{collector="smartgrid"}')).toBe('1');
    for (const service of ['telemetry', 'lte']) expect(sample(stdout, `smartgrid_service_up{service="${service}"}`)).toBe('1');
    expect(stdout).toContain('# TYPE smartgrid_telemetry_readings_total counter');
    expect(sample(stdout, 'smartgrid_telemetry_readings_total{direction="in"}')).toBe('0');
    expect(sample(stdout, 'smartgrid_telemetry_queue_readings{class="telemetry"}')).toBe('0');
    expect(sample(stdout, 'smartgrid_telemetry_local_broker_connected')).toBe('0');
    expect(sample(stdout, 'smartgrid_telemetry_queue_oldest_age_seconds')).toBe('0');
  });

  it('covers every service the feed ships, sep2 with its own series', async () => {
    await waitUntil(async () => /smartgrid_service_up\{service="sep2"\} 1/.test((await scrapeOnce()).stdout), 30_000, 'sep2 answering the collector');
    const { stdout } = await scrapeOnce();
    for (const { name } of SHIPPED_SERVICES) expect(sample(stdout, `smartgrid_service_up{service="${name}"}`), name).toMatch(/^[01]$/);
    // The test config gives sep2 no server certificate: it runs, answers, and is not listening.
    expect(sample(stdout, 'smartgrid_service_state{service="sep2",state="start-failed"}')).toBe('1');
    expect(sample(stdout, 'smartgrid_sep2_listening')).toBe('0');
    expect(sample(stdout, 'smartgrid_sep2_local_broker_connected')).toBe('0');
  });

  it('promtool finds nothing wrong but the HELP lines the exporter never writes', async () => {
    requireTool('promtool');
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: (await scrapeOnce()).stdout, encoding: 'utf8' });
    const problems = `${lint.stdout}${lint.stderr}`.split('\n').map((line) => line.trim()).filter(Boolean)
      .filter((line) => !line.endsWith('no help text') && !line.startsWith('Pass Prometheus metrics'));
    expect(problems).toEqual([]);
  });

  it('a service that does not answer is smartgrid_service_up 0, not a failed scrape', async () => {
    const halow = services.children.get('halow')!;
    const exited = new Promise((resolve) => halow.once('exit', resolve));
    halow.kill('SIGKILL');
    await exited;
    const { stdout, stderr, status } = await scrapeOnce();
    expect(status, stderr).toBe(0);
    expect(sample(stdout, 'smartgrid_service_up{service="halow"}')).toBe('0');
  });
});

describe('a real Prometheus server scraping the collector', () => {
  let exporter: Server;
  let prometheus: ChildProcess;
  let webPort = 0;
  let prometheusLog = '';

  beforeAll(async () => {
    requireTool('prometheus');
    exporter = createServer(async (request, response) => {
      const { stdout } = await scrapeOnce();
      response.writeHead(request.url === '/metrics' ? 200 : 404, { 'Content-Type': 'text/plain; version=0.0.4' });
      response.end(request.url === '/metrics' ? stdout : 'ERROR: File Not Found.');
    });
    await new Promise<void>((resolve) => exporter.listen(0, '127.0.0.1', resolve));
    const target = `127.0.0.1:${(exporter.address() as AddressInfo).port}`;
    webPort = await freePort();
    writeFileSync(join(work, 'prometheus.yml'), `global:\n  scrape_interval: 10s\n  scrape_timeout: 10s\nscrape_configs:\n  - job_name: gateway\n    static_configs:\n      - targets: ['${target}']\n`);
    prometheus = spawn('prometheus', [`--config.file=${join(work, 'prometheus.yml')}`, `--storage.tsdb.path=${join(work, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${webPort}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    prometheus.stderr!.on('data', (chunk: Buffer) => { prometheusLog += chunk.toString(); });
    prometheus.stdout!.on('data', (chunk: Buffer) => { prometheusLog += chunk.toString(); });
    prometheus.once('exit', (code, signal) => { prometheusLog += `\n[prometheus exited: ${code ?? signal}]`; });
    prometheus.once('error', (error) => { prometheusLog += `\n[prometheus did not start: ${error.message}]`; });
  }, 30_000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await new Promise((resolve) => exporter?.close(resolve));
  });

  it('answers a query for the series it scraped', async () => {
    let result: Array<{ metric: Record<string, string>; value: [number, string] }> = [];
    await waitUntil(async () => {
      try {
        // Each scrape runs lua and one ubus CLI process per call: slow on a loaded machine, hence the
        // 10 s scrape timeout (the real exporter calls libubus in-process).
        const reply = await fetch(`http://127.0.0.1:${webPort}/api/v1/query?query=smartgrid_service_up`);
        result = ((await reply.json()) as { data: { result: typeof result } }).data.result;
      } catch { return false; }
      return result.length > 0;
    }, 100_000, 'prometheus to scrape the collector').catch((error: Error) => { throw new Error(`${error.message}; prometheus log: ${prometheusLog.slice(-800)}`); });
    expect(result.find((series) => series.metric.service === 'lte')).toMatchObject({ metric: { job: 'gateway', service: 'lte' }, value: [expect.any(Number), '1'] });
  }, 120_000);
});
