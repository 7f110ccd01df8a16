// A userspace delay element (this kernel has no netem): relays UDP datagrams, here the VXLAN underlay
// of the ISP's link to the cloud, holding each one for the current delay before passing it on.
// Usage: node udp-delay-relay.mjs <listen-ip> <listen-port> <to-ip> <to-port>
// stdin lines: `delay <ms>` sets the delay for datagrams received from then on. Prints `ready`.
import { createSocket } from 'node:dgram';
import { createInterface } from 'node:readline';

const [listenIp, listenPort, toIp, toPort] = process.argv.slice(2);
if (!listenIp || !listenPort || !toIp || !toPort) {
  console.error('usage: udp-delay-relay.mjs <listen-ip> <listen-port> <to-ip> <to-port>');
  process.exit(2);
}
let delayMs = 0;
const inbound = createSocket('udp4');
const outbound = createSocket('udp4');
const forward = (message) => outbound.send(message, Number(toPort), toIp);
inbound.on('message', (message) => (delayMs > 0 ? setTimeout(forward, delayMs, message) : forward(message)));
inbound.on('error', (error) => { console.error(`relay: ${error.message}`); process.exit(1); });
inbound.bind(Number(listenPort), listenIp, () => console.log('ready'));
createInterface({ input: process.stdin }).on('line', (line) => {
  const match = /^delay (\d+)$/.exec(line.trim());
  if (match) { delayMs = Number(match[1]); console.log(`delay ${delayMs}`); }
});
process.stdin.on('end', () => process.exit(0));
