/** `ubus` CLI stand-in entry: bundle with `bundleUbusStandIn('ubus-cli')` (test/helpers/ubus.ts) and run with node. */
import { runUbusCli } from './cli.js';

const controller = new AbortController();
process.on('SIGINT', () => controller.abort());
process.on('SIGTERM', () => controller.abort());

const code = await runUbusCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  signal: controller.signal,
});
process.exitCode = code;
