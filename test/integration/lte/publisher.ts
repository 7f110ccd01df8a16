// Meters for the failover test: QoS 1 readings at a fixed rate to the gateway's local broker, ten
// meters in turn. Reading `id` carries ts = START_TS + id, so the upstream side can name every reading.
// Prints JSON lines: `connect`, and on `stop` (stdin) `done` with the ids the broker acknowledged.
import mqtt from 'mqtt';
import { readingValues } from './delivery.js';

const url = process.env.BROKER_URL ?? 'mqtt://127.0.0.1:1883';
const intervalMs = Number(process.env.PUBLISH_INTERVAL_MS ?? 20);
const startTs = Number(process.env.START_TS ?? Date.now());
const meters = Number(process.env.METERS ?? 10);
const out = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ at: Date.now(), ...line })}\n`);
const client = mqtt.connect(url, { clientId: `sg-meters-${process.pid}`, clean: false, keepalive: 10, reconnectPeriod: 250, protocolVersion: 4 });
const acked: number[] = [];
const pending = new Set<number>();
let next = 0;
let stopping = false;

client.on('connect', () => out({ type: 'connect' }));
client.on('error', (error) => out({ type: 'error', message: error.message }));

const timer = setInterval(() => {
  if (stopping) return;
  const id = next++;
  pending.add(id);
  const payload = JSON.stringify({ ts: startTs + id, seq: id, values: readingValues(id) });
  client.publish(`telemetry/eu/dcu1/meter${id % meters}`, payload, { qos: 1 }, (error) => {
    pending.delete(id);
    if (error) out({ type: 'publish-error', id, message: error.message });
    else acked.push(id);
    if (id === 0) out({ type: 'first-ack' });
    if (stopping && pending.size === 0) finish();
  });
}, intervalMs);

function finish(): void {
  out({ type: 'done', sent: next, acked: acked.sort((a, b) => a - b) });
  client.end(false, {}, () => process.exit(0));
}

process.stdin.on('data', (chunk) => {
  if (!chunk.toString().includes('stop')) return;
  stopping = true;
  clearInterval(timer);
  if (pending.size === 0) finish();
});
