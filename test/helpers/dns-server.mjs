// A DNS resolver the test controls (UDP, A records only): answers the names it is given, or NXDOMAIN
// for every name, or nothing at all. Usage: node dns-server.mjs <listen-ip> <name>=<ipv4> ...
// stdin lines: `mode answer|nxdomain|silent`; prints `ready` and `mode <mode>`, and `query <name>` per query.
import { createSocket } from 'node:dgram';
import { createInterface } from 'node:readline';

const [listenIp, ...entries] = process.argv.slice(2);
if (!listenIp) { console.error('usage: dns-server.mjs <listen-ip> <name>=<ipv4> ...'); process.exit(2); }
const records = new Map(entries.map((entry) => entry.split('=')).map(([name, address]) => [name.toLowerCase(), address]));
let mode = 'answer';

function questionEnd(message) {
  let offset = 12;
  const labels = [];
  while (offset < message.length && message[offset] !== 0) {
    labels.push(message.subarray(offset + 1, offset + 1 + message[offset]).toString('ascii'));
    offset += message[offset] + 1;
  }
  return { name: labels.join('.').toLowerCase(), end: offset + 5 };
}

function answer(query) {
  const { name, end } = questionEnd(query);
  const type = query.readUInt16BE(end - 4);
  const address = mode === 'answer' && type === 1 ? records.get(name) : undefined;
  const rcode = mode === 'nxdomain' || (mode === 'answer' && !records.has(name)) ? 3 : 0;
  const header = Buffer.from([query[0], query[1], 0x81, 0x80 | rcode, 0, 1, 0, address ? 1 : 0, 0, 0, 0, 0]);
  const parts = [header, query.subarray(12, end)];
  if (address) parts.push(Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4, ...address.split('.').map(Number)]));
  console.log(`query ${name}`);
  return Buffer.concat(parts);
}

const socket = createSocket('udp4');
socket.on('message', (query, peer) => {
  if (query.length < 17 || mode === 'silent') return;
  socket.send(answer(query), peer.port, peer.address);
});
socket.on('error', (error) => { console.error(`dns-server: ${error.message}`); process.exit(1); });
socket.bind(53, listenIp, () => console.log('ready'));
createInterface({ input: process.stdin }).on('line', (line) => {
  const match = /^mode (answer|nxdomain|silent)$/.exec(line.trim());
  if (match) { mode = match[1]; console.log(`mode ${mode}`); }
});
process.stdin.on('end', () => process.exit(0));
