// The simulated RCP as a process on the far side of a socat pty pair (see pty.ts):
//   node rcp-sim.mjs --pty <its pty> [--host-link <host's pty>] [--fault F] [--baud N] [--hwaddr HEX]
// stdin takes control lines: `fault <name>`, `power-on` (a reboot: sends RESET_POWER_ON),
// `power-on next-frame [ms]` (sends it ms after the next frame, before answering it), `exit`.
// stdout says `ready` once the pty is open, then `fault <name>` for each change and `power-on armed`.
import { execFileSync } from 'node:child_process';
import { constants, openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ReadStream } from 'node:tty';
import { parseArgs } from 'node:util';
import { isRcpFault } from './faults.js';
import { SimulatedRcp } from './simulator.js';

const { values } = parseArgs({ options: { pty: { type: 'string' }, 'host-link': { type: 'string' }, fault: { type: 'string', default: 'none' }, baud: { type: 'string', default: '460800' }, hwaddr: { type: 'string' } } });
if (!values.pty || !isRcpFault(values.fault)) {
  process.stderr.write('usage: rcp-sim --pty <path> [--host-link <path>] [--fault <mode>] [--baud <n>] [--hwaddr <hex>]\n');
  process.exit(2);
}

const port = new ReadStream(openSync(values.pty, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK));
port.setRawMode(true);
const hostLink = values['host-link'];
const hostBaud = (): number => (hostLink ? Number(execFileSync('stty', ['-F', hostLink, 'speed'], { encoding: 'utf8' }).trim()) : Number(values.baud));
const rcp = new SimulatedRcp({ output: (bytes) => port.write(bytes), fault: values.fault, baud: Number(values.baud), hostBaud, hwaddr: values.hwaddr });

port.on('data', (bytes: Buffer) => rcp.receive(bytes));
port.on('error', () => process.exit(0));
rcp.powerOn();
process.stdout.write('ready\n');

createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, argument] = line.trim().split(/\s+/);
  if (command === 'fault' && argument && isRcpFault(argument)) {
    rcp.fault = argument;
    process.stdout.write(`fault ${argument}\n`);
  } else if (command === 'power-on' && argument === 'next-frame') {
    rcp.powerOnAfterNextFrameMs = Number(line.trim().split(/\s+/)[2] ?? 0);
    process.stdout.write('power-on armed\n');
  } else if (command === 'power-on') {
    rcp.powerOn();
  } else if (command === 'exit') {
    process.exit(0);
  }
}).on('close', () => process.exit(0));
