/**
 * A minimal `ubus` CLI stand-in: `ubus [-s socket] [-t timeout] [-S] [-v] list|call|send|listen|wait_for ...`, with
 * the stdout, stderr and exit codes of the real CLI as recorded in `conformance/ubus/cli-outputs.json`. As ubus's
 * cli.c, a command with too few or too many arguments prints the usage and exits with -2 (254).
 */
import { createLogger } from '../../../src/lib/log.js';
import { formatBlobmsgJson } from '../../../src/lib/ubus/blobmsg-format.js';
import { blobmsgFieldsToObject } from '../../../src/lib/ubus/blobmsg-js.js';
import { UbusClient } from '../../../src/lib/ubus/client.js';
import { jsToBlobmsgField } from '../../../src/lib/ubus/blobmsg-js.js';
import { UBUS_STATUS, UbusError } from '../../../src/lib/ubus/types.js';
import { JsonParseError, parseJsonObjectToBlobmsg } from './json-c-parse.js';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** `listen` runs until this is aborted (SIGINT for the real CLI). */
  signal?: AbortSignal;
}

const STATUS_TEXT = ['Success', 'Invalid command', 'Invalid argument', 'Method not found', 'Not found', 'No response', 'Permission denied',
  'Request timed out', 'Operation not supported', 'Unknown error', 'Connection failed', 'Out of memory', 'Parsing message data failed', 'System error'];

export function ubusStrerror(status: number): string {
  return STATUS_TEXT[status] ?? 'Unknown error';
}

const USAGE = `Usage: /usr/bin/ubus [<options>] <command> [arguments...]
Options:
 -s <socket>:\t\tSet the unix domain socket to connect to
 -t <timeout>:\t\tSet the timeout (in seconds) for a command to complete
 -S:\t\t\tUse simplified output (for scripts)
 -v:\t\t\tMore verbose output
 -m <type>:\t\t(for monitor): include a specific message type
\t\t\t(can be used more than once)
 -M <r|t>\t\t(for monitor): only capture received or transmitted traffic

Commands:
 - list [<path>]\t\t\tList objects
 - call <path> <method> [<message>]\tCall an object method
 - subscribe <path> [<path>...]\tSubscribe to object(s) notifications
 - listen [<path>...]\t\t\tListen for events
 - send <type> [<message>]\t\tSend an event
 - wait_for <object> [<object>...]\tWait for multiple objects to appear on ubus
 - monitor\t\t\t\tMonitor ubus traffic

`;

/** cli.c returns -2 for a usage error; the process exit status is its low byte. */
const USAGE_EXIT = 254;

/** The argument counts (after the command) each command accepts, as cli.c checks them. */
const ARITY: Record<string, [number, number]> = { list: [0, 1], call: [2, 3], send: [1, 2], listen: [0, Infinity], wait_for: [1, Infinity] };

const TYPE_LABEL: Record<string, string> = { boolean: '"Boolean"', int32: '"Integer"', string: '"String"', array: '"Array"', table: '"Table"' };

interface Options {
  socket?: string;
  timeoutS: number;
  simple: boolean;
  verbose: boolean;
  args: string[];
}

function parseOptions(argv: string[]): Options {
  const options: Options = { timeoutS: 30, simple: false, verbose: false, args: [] };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '-s') options.socket = argv[++index];
    else if (arg === '-t') options.timeoutS = Number(argv[++index]);
    else if (arg === '-S') options.simple = true;
    else if (arg === '-v') options.verbose = true;
    else options.args.push(arg);
  }
  return options;
}

async function list(client: UbusClient, options: Options, io: CliIo): Promise<number> {
  const objects = await client.lookup(options.args[1]);
  if (objects.length === 0 && options.args[1] !== undefined) {
    io.stderr(`Command failed: ${ubusStrerror(UBUS_STATUS.NOT_FOUND)}\n`);
    return UBUS_STATUS.NOT_FOUND;
  }
  for (const object of objects) {
    if (!options.verbose) {
      io.stdout(`${object.path}\n`);
      continue;
    }
    io.stdout(`'${object.path}' @${object.id.toString(16).padStart(8, '0')}\n`);
    for (const [method, args] of Object.entries(object.signature)) {
      const entries = Object.entries(args).map(([name, type]) => `"${name}":${TYPE_LABEL[type] ?? '"(unknown)"'}`);
      io.stdout(`\t"${method}":{${entries.join(',')}}\n`);
    }
  }
  return 0;
}

async function call(client: UbusClient, options: Options, io: CliIo): Promise<number> {
  const [, path, method, message] = options.args as [string, string, string, string | undefined];
  const commandLine = ['ubus call', path, method, ...(message !== undefined ? [message] : [])].join(' ');
  let fields;
  try {
    fields = message !== undefined ? parseJsonObjectToBlobmsg(message) : [];
  } catch (error) {
    if (!(error instanceof JsonParseError)) throw error;
    io.stderr(`Command failed: ${commandLine} (${ubusStrerror(UBUS_STATUS.PARSE_ERROR)})\n`);
    return 256 - UBUS_STATUS.PARSE_ERROR;
  }
  if ((await client.lookup(path)).length === 0) {
    io.stderr(`Command failed: ${ubusStrerror(UBUS_STATUS.NOT_FOUND)}\n`);
    return UBUS_STATUS.NOT_FOUND;
  }
  let status: number;
  try {
    const result = await client.callFields(path, method, fields, { timeoutMs: options.timeoutS * 1000 });
    for (const data of result.data) io.stdout(`${options.simple ? formatBlobmsgJson(data) : formatBlobmsgJson(data, 0)}\n`);
    status = result.status;
  } catch (error) {
    if (!(error instanceof UbusError)) throw error;
    status = error.code;
  }
  if (status === 0) return 0;
  io.stderr(`Command failed: ${commandLine} (${ubusStrerror(status)})\n`);
  if (status === UBUS_STATUS.INVALID_ARGUMENT) io.stderr(USAGE);
  return 256 - status;
}

async function send(client: UbusClient, options: Options, io: CliIo): Promise<number> {
  const [, event, message] = options.args as [string, string, string | undefined];
  try {
    const data = message !== undefined ? blobmsgFieldsToObject(parseJsonObjectToBlobmsg(message)) : {};
    await client.send(event, data);
    return 0;
  } catch (error) {
    const status = error instanceof UbusError ? error.code : UBUS_STATUS.PARSE_ERROR;
    io.stderr(`Command failed: ${ubusStrerror(status)}\n`);
    return status;
  }
}

async function listen(client: UbusClient, options: Options, io: CliIo): Promise<number> {
  const patterns = options.args.length > 1 ? options.args.slice(1) : ['*'];
  for (const pattern of patterns) {
    try {
      await client.listen(pattern, (event, data) => {
        const field = jsToBlobmsgField('', data);
        io.stdout(`{ "${event}": ${formatBlobmsgJson(field.type === 'table' ? field.value : [])} }\n`);
      });
    } catch (error) {
      io.stderr(`Error while registering for event '${pattern}': ${ubusStrerror((error as UbusError).code)}\n`);
      return 255;
    }
  }
  await new Promise<void>((resolve) => {
    if (io.signal?.aborted) resolve();
    io.signal?.addEventListener('abort', () => resolve());
  });
  return 0;
}

/**
 * `wait_for <object>...`: done when every object is registered, watching `ubus.object.add` for the
 * missing ones; after `-t` seconds (default 30) it fails with `Request timed out` (7).
 */
async function waitFor(client: UbusClient, options: Options, io: CliIo): Promise<number> {
  const pending = new Set(options.args.slice(1));
  let done: () => void = () => undefined;
  const allThere = new Promise<void>((resolve) => { done = resolve; });
  const seen = (path: unknown) => {
    if (typeof path === 'string') pending.delete(path);
    if (!pending.size) done();
  };
  await client.listen('ubus.object.add', (_event, data) => seen(data.path));
  for (const object of await client.lookup()) seen(object.path);
  if (!pending.size) return 0;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(resolve, options.timeoutS * 1000, 'timeout'); });
  const outcome = await Promise.race([allThere, timedOut]);
  clearTimeout(timer);
  if (outcome !== 'timeout') return 0;
  io.stderr(`Command failed: ${ubusStrerror(UBUS_STATUS.TIMEOUT)}\n`);
  return UBUS_STATUS.TIMEOUT;
}

/** Runs one CLI invocation (`argv` without the program name) and resolves with its exit code. */
export async function runUbusCli(argv: string[], io: CliIo): Promise<number> {
  const options = parseOptions(argv);
  const command = options.args[0];
  const arity = command === undefined ? undefined : ARITY[command];
  if (command === undefined) {
    io.stderr(USAGE);
    return 1;
  }
  const client = new UbusClient({ socketPath: options.socket, log: createLogger({ name: 'ubus', level: 'error', sink: () => undefined }), timeoutMs: options.timeoutS * 1000 });
  try {
    await client.connect();
  } catch {
    io.stderr('Failed to connect to ubus\n');
    return 255;
  }
  try {
    const count = options.args.length - 1;
    if (!arity || count < arity[0] || count > arity[1]) {
      io.stderr(USAGE);
      return USAGE_EXIT;
    }
    switch (command) {
      case 'list': return await list(client, options, io);
      case 'call': return await call(client, options, io);
      case 'send': return await send(client, options, io);
      case 'listen': return await listen(client, options, io);
      default: return await waitFor(client, options, io);
    }
  } catch (error) {
    const status = error instanceof UbusError ? error.code : UBUS_STATUS.UNKNOWN_ERROR;
    io.stderr(`Command failed: ${ubusStrerror(status)}\n`);
    return status;
  } finally {
    await client.close();
  }
}
