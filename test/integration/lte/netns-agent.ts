// The watchdog's failover half, run inside the gateway namespace: route monitor, LTE probe and the
// telemetry mode switch with the schema defaults. Prints one JSON line per event on stdout.
import { lteSchema } from '../../../src/lib/config/schemas/index.js';
import { createLogger } from '../../../src/lib/log.js';
import type { Ubus, UbusArgs } from '../../../src/lib/ubus/types.js';
import { systemClock } from '../../../src/lte/clock.js';
import { ProcessRunner } from '../../../src/lte/command.js';
import { defaultLteConfig } from '../../../src/lte/config.js';
import { FailoverMonitor } from '../../../src/lte/failover/monitor.js';
import { TelemetryModeSwitch } from '../../../src/lte/failover/telemetry-mode.js';
import { Prober } from '../../../src/lte/probe/prober.js';

const config = defaultLteConfig(lteSchema as never);
const target = process.env.PROBE_TARGET ?? '10.99.0.1';
const out = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ at: Date.now(), ...line })}\n`);
const log = createLogger({ name: 'smartgrid-lte', level: 'warn', sink: (line) => process.stderr.write(`${line}\n`) });
const runner = new ProcessRunner();
const ubus = {
  call: async (path: string, method: string, args?: UbusArgs) => { out({ type: 'ubus', path, method, args }); return {}; },
} as unknown as Ubus;
const modes = new TelemetryModeSwitch(ubus, log);
const monitor = new FailoverMonitor({
  source: 'ip', names: { wanInterface: 'wan', lteInterface: 'wwan', wanDevice: 'wan', lteDevice: 'lte' },
  runner, ubus, clock: systemClock, log,
  onEvent: (event) => {
    out({ type: event.kind, ...event });
    modes.want(event.to === 'lte' ? 'data-saving' : 'normal');
    void modes.sync();
  },
});
const prober = new Prober({
  targets: [{ method: 'icmp', target }], reliability: config.probe_reliability, down: config.probe_down, up: config.probe_up,
  context: { device: 'lte', timeoutMs: config.probe_timeout, dnsName: config.probe_dns_name, runner },
});

async function routes(): Promise<void> {
  const active = await monitor.look();
  out({ type: 'look', active });
  setTimeout(() => void routes(), config.route_poll_interval);
}
async function probe(): Promise<void> {
  const round = await prober.round();
  if (round.changed) out({ type: 'probe', verdict: round.verdict });
  setTimeout(() => void probe(), config.probe_interval * 1000);
}
out({ type: 'ready', route_poll_interval: config.route_poll_interval });
void routes();
void probe();
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
