// otbr-agent stand-in: `otbr-agent -I wpan0 -B eth0 [-d N] [-v] [-s] [--rest-listen-port P] spinel+hdlc+uart://<tty>?uart-baudrate=N`
// (also the openthread netifd proto's form: `--auto-attach=0 -Iwpan0 -Bbr-lan <radio url> trel://br-lan`; the
// first radio URL is the RCP, `trel://` is ignored)
// It drives the RCP over the tty as the real agent does (RESET + handshake through our Spinel client)
// and exits as the captures show: 5 when the tty is missing or vanishes, 1 when nothing answers for
// 8 s, 4 when the RCP reboots under it, 6 when the RCP stops answering (5 s), 0 on SIGTERM, 2 with
// no arguments. The default build never restores the RCP. Thread state, dataset and REST as rest.json.
// Environment: OTBR_STANDIN_SETTINGS (settings file), OTBR_STANDIN_CASING (pascal|camel),
// OTBR_STANDIN_PEERS=1 (routers around: attached again 0.3 s after enable), OTBR_STANDIN_NETWORK=4-node
// (the network around it is network.json's: /node, /diagnostics and the ot-ctl tables replay it;
// otherwise the lone leader of rest.json and ot-ctl.json),
// OTBR_STANDIN_RUN_DIR (where the daemon socket for ot-ctl goes; without it there is none).
import { openSerialPort, SerialOpenError } from '../../../src/thread/rcp/serial-port.js';
import { SpinelClient, SpinelStatusError, SpinelTimeoutError } from '../../../src/thread/spinel/client.js';
import { SPINEL_PROPERTIES as P } from '../../../src/thread/spinel/constants.js';
import { decodeCapabilities, decodeUtf8 } from '../../../src/thread/spinel/values.js';
import { replayedNetwork } from './captures.js';
import { cliSocketPath, startCliSocket } from './cli.js';
import { loadSettings, StandInNode } from './node.js';
import { startRest } from './rest.js';

const VERSION = '0.3.0-thread-reference-20250612-67-g72bd9dcd';
const log = (line: string): void => { process.stdout.write(`${line}\n`); };
const otLog = (level: string, module: string, text: string): void => log(`00:00:00.000 [${level}] ${module.padEnd(14, '-')}: ${text}`);

function exit(code: number, critical?: string): never {
  if (critical) otLog('C', 'Platform', critical);
  process.exit(code);
}

interface Args { url: string; restPort: number; restHost: string; threadInterface: string }

function parseArguments(argv: string[]): Args {
  if (argv.length === 0) exit(2);
  let url = '';
  let restPort = 8081;
  let restHost = '127.0.0.1';
  let threadInterface = 'wpan0';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-I') threadInterface = argv[++i]!;
    else if (arg === '-B' || arg === '-d') i++;
    else if (arg.startsWith('-I') && arg.length > 2) threadInterface = arg.slice(2);
    else if (/^-[Bd]./.test(arg) || /^--auto-attach(=[01])?$/.test(arg)) continue;
    else if (arg === '--rest-listen-port') restPort = Number(argv[++i]);
    else if (arg === '--rest-listen-address') restHost = argv[++i]!;
    else if (arg === '-v' || arg === '-s') continue;
    else if (arg.startsWith('-')) { process.stderr.write(`otbr-agent: unrecognized option '${arg}'\n`); exit(1); }
    else if (!arg.startsWith('trel://')) url ||= arg;
  }
  return { url, restPort, restHost, threadInterface };
}

function parseRadioUrl(url: string): { path: string; baud: number } {
  const match = /^spinel\+hdlc\+uart:\/\/([^?]+)(?:\?(.*))?$/.exec(url);
  if (!match) exit(1, `Init() at radio_url.cpp: InvalidArgs (unsupported radio URL ${url})`);
  const baud = new URLSearchParams(match[2] ?? '').get('uart-baudrate');
  return { path: match[1]!, baud: baud ? Number(baud) : 115200 };
}

async function handshake(client: SpinelClient): Promise<string> {
  await client.reset().catch(() => undefined);
  for (let attempt = 0; ; attempt++) {
    try {
      await client.get(P.PROTOCOL_VERSION);
      break;
    } catch {
      if (attempt === 2) exit(1, 'Init() at spinel_driver.cpp:87: Failure');
    }
  }
  const version = decodeUtf8(await client.get(P.NCP_VERSION));
  const caps = decodeCapabilities(await client.get(P.CAPS));
  if (!caps.includes('CONFIG_RADIO') || !caps.includes('MAC_RAW')) exit(3, 'CheckRadioCapabilities() at radio_spinel.cpp: RadioSpinelIncompatible');
  for (const property of [P.HWADDR, P.RCP_API_VERSION, P.RCP_MIN_HOST_API_VERSION, P.RADIO_CAPS]) await client.get(property);
  await client.set(P.PHY_ENABLED, Uint8Array.of(1));
  return version;
}

function watchRcp(client: SpinelClient): void {
  client.on('reset', (status: { name: string }) => {
    otLog('C', 'P-RadioSpinel-', `Unexpected RCP reset: ${status.name}`);
    setTimeout(() => exit(4, 'HandleRcpUnexpectedReset() at radio_spinel.cpp:1997: RadioSpinelReset'), 25);
  });
  const poll = setInterval(() => {
    client.get(P.RCP_TIMESTAMP, 5000).catch((error: Error) => {
      if (error instanceof SpinelStatusError) return;
      clearInterval(poll);
      if (!(error instanceof SpinelTimeoutError)) exit(5, 'Write() at hdlc_interface.cpp:255: Input/output error');
      otLog('W', 'P-RadioSpinel-', 'radio tx timeout');
      for (let i = 0; i < 4; i++) otLog('W', 'P-RadioSpinel-', 'Failed to communicate with RCP - no response from RCP during initialization');
      exit(6, 'HandleRcpTimeout() at radio_spinel.cpp:2013: RadioSpinelNoResponse');
    });
  }, 1000);
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  log(`Running ${VERSION}`);
  log('Thread version: 1.4.0');
  log('Thread interface: wpan0');
  log(`Radio URL: ${args.url}`);
  const { path, baud } = parseRadioUrl(args.url);
  let port;
  try {
    port = await openSerialPort(path, baud);
  } catch (error) {
    if (error instanceof SerialOpenError && error.failure === 'no-device') exit(5, 'Init() at hdlc_interface.cpp:153: No such file or directory');
    exit(5, `Init() at hdlc_interface.cpp:153: ${(error as Error).message}`);
  }
  const client = new SpinelClient(port.stream);
  const rcpVersion = await handshake(client);
  log(`[INFO]-APP-----: Co-processor version: ${rcpVersion}`);
  port.stream.on('close', () => exit(5, 'Read() at hdlc_interface.cpp:206: Input/output error'));
  const settingsPath = process.env.OTBR_STANDIN_SETTINGS;
  const settings = loadSettings(settingsPath);
  const node = new StandInNode(process.env.OTBR_STANDIN_CASING === 'camel' ? 'camel' : 'pascal', rcpVersion, settingsPath, settings);
  const network = replayedNetwork(process.env.OTBR_STANDIN_NETWORK === '4-node' ? '4-node' : 'alone');
  node.useNetwork(network);
  await startRest(node, args.restHost, args.restPort);
  log(`[INFO]-REST----: RestWebServer listening on ${args.restHost}:${args.restPort}`);
  const runDir = process.env.OTBR_STANDIN_RUN_DIR;
  if (runDir) await startCliSocket(node, network, cliSocketPath(runDir, args.threadInterface));
  if (settings.enabled) node.enable();
  watchRcp(client);
}

process.on('SIGTERM', () => process.exit(0));
void main();
