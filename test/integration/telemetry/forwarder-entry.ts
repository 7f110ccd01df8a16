// A process running the telemetry service without ubus/UCI, for fault tests (kill -9) and the bench.
// argv[2]: JSON file with a full TelemetryConfig. Prints `READY` once both brokers are connected.
import { readFileSync } from 'node:fs';
import { createLogger } from '../../../src/lib/log.js';
import { MetricsRegistry } from '../../../src/lib/metrics.js';
import type { TelemetryConfig } from '../../../src/telemetry/config.js';
import { openDiskQueue } from '../../../src/telemetry/open-queue.js';
import { TelemetryService } from '../../../src/telemetry/service.js';
import { nullUbus } from './null-ubus.js';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8')) as TelemetryConfig;
const log = createLogger({ name: 'smartgrid-telemetry', level: config.log_level, sink: (line) => { process.stderr.write(`${line}\n`); } });
const context = { log, metrics: new MetricsRegistry(), ubus: nullUbus(), config, emit: () => undefined };
const service = new TelemetryService(context, openDiskQueue);
await service.start();
const ready = setInterval(() => {
  const status = service.status();
  if (status.local_broker === 'connected' && status.connection === 'connected') {
    process.stdout.write('READY\n');
    clearInterval(ready);
  }
}, 20);
process.on('SIGTERM', () => { void service.stop().then(() => process.exit(0)); });
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.(); process.stdout.write(`STATUS ${JSON.stringify({ ...service.status(), memory: process.memoryUsage() })}\n`); });
