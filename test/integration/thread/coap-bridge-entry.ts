// The CoAP bridge alone in a process (bundled like the shipped services), for tests that run it in a
// network namespace. argv[2]: a JSON ThreadConfig (partial, over the schema defaults). Prints `READY`
// once listening and connected; a `nodes` line on stdin prints the ubus `nodes` reply as one JSON line.
import { createInterface } from 'node:readline';
import { threadSchema } from '../../../src/lib/config/schemas/index.js';
import { schemaDefaults } from '../../../src/lib/config/validate.js';
import { createLogger } from '../../../src/lib/log.js';
import { CoapBridge } from '../../../src/thread/coap/bridge.js';
import { bridgeSettings } from '../../../src/thread/coap/settings.js';
import type { ThreadConfig } from '../../../src/thread/config.js';

const config: ThreadConfig = { ...schemaDefaults<ThreadConfig>(threadSchema), ...JSON.parse(process.argv[2] ?? '{}') };
const bridge = new CoapBridge({
  settings: bridgeSettings(config), log: createLogger({ name: 'smartgrid-thread', level: 'debug' }), addressPollMs: 200,
  emit: (what, data) => process.stdout.write(`EVENT ${JSON.stringify({ what, data })}\n`),
});
await bridge.start();
const ready = setInterval(() => {
  if (!bridge.brokerConnected || !bridge.nodesReply().listening.length) return;
  clearInterval(ready);
  process.stdout.write(`READY ${process.version}\n`);
}, 50);
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'nodes') process.stdout.write(`NODES ${JSON.stringify(bridge.nodesReply())}\n`);
});
process.on('SIGTERM', () => { void bridge.stop().then(() => process.exit(0)); });
