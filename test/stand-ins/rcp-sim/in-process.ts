import { Duplex } from 'node:stream';
import { SimulatedRcp, type SimulatedRcpOptions } from './simulator.js';

/** A simulated RCP behind an in-memory port: what the host writes reaches the RCP, its bytes come back. */
export function inProcessRcp(options: Omit<SimulatedRcpOptions, 'output'> = {}): { port: Duplex; rcp: SimulatedRcp; written: Buffer[] } {
  const written: Buffer[] = [];
  let rcp: SimulatedRcp | undefined;
  const port = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk);
      rcp!.receive(chunk);
      done();
    },
  });
  rcp = new SimulatedRcp({ ...options, output: (bytes) => port.push(bytes) });
  return { port, rcp, written };
}
