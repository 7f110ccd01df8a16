// A telemetry publisher for the failover test: QoS 1 readings at a fixed rate; mqtt.js keeps every
// unacknowledged reading (and those published while offline) and resends them after reconnecting.
import mqtt from 'mqtt';

const url = process.env.BROKER_URL ?? 'mqtt://10.99.0.1:1883';
const intervalMs = Number(process.env.PUBLISH_INTERVAL_MS ?? 50);
const out = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ at: Date.now(), ...line })}\n`);
const client = mqtt.connect(url, { clientId: `sg-failover-${process.pid}`, clean: false, keepalive: 1, reconnectPeriod: 250, connectTimeout: 2000 });
const pending = new Set<number>();
let next = 0;
let stopping = false;

client.on('connect', () => out({ type: 'connect' }));
client.on('offline', () => out({ type: 'offline' }));
client.on('error', (error) => out({ type: 'error', message: error.message }));

const timer = setInterval(() => {
  if (stopping) return;
  const id = next++;
  pending.add(id);
  const payload = JSON.stringify({ id, ts: Date.now(), values: { 'energy_import_kwh': 1234.5 + id / 1000 } });
  client.publish(`telemetry/eu/dcu1/meter${id % 10}`, payload, { qos: 1 }, (error) => {
    if (error) return out({ type: 'publish-error', id, message: error.message });
    pending.delete(id);
    out({ type: 'ack', id });
    if (stopping && pending.size === 0) finish();
  });
}, intervalMs);

function finish(): void {
  out({ type: 'done', sent: next, pending: pending.size });
  client.end(false, {}, () => process.exit(0));
}

process.stdin.on('data', (chunk) => {
  if (!chunk.toString().includes('stop')) return;
  stopping = true;
  clearInterval(timer);
  if (pending.size === 0) finish();
});
