/** Runs the ubusd stand-in: `node --import tsx test/stand-ins/ubusd/main.ts --socket PATH` (or bundled by esbuild). */
import { startUbusd } from './server.js';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const socketPath = argument('--socket') ?? argument('-s') ?? '/var/run/ubus/ubus.sock';
const verbose = process.argv.includes('--verbose');

const ubusd = await startUbusd({
  socketPath,
  onMessage: verbose ? (direction, clientId, bytes) => process.stderr.write(`${direction} ${clientId.toString(16).padStart(8, '0')} ${bytes.toString('hex')}\n`) : undefined,
});
process.stderr.write(`ubusd stand-in listening on ${ubusd.socketPath}\n`);

const shutdown = (): void => {
  void ubusd.stop().then(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
