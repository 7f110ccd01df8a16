// Commands to nodes: `{"id":..,"method":..,"params":..}` on the command topic (what the telemetry
// forwarder publishes for a ThingsBoard RPC) becomes a confirmable CoAP PUT or POST of the params
// (JSON) to the node's `command_path`; the node's answer, `timeout` or `unreachable` goes back on the
// reply topic as `{"id":..,"data":..}` / `{"id":..,"error":..}`, which the forwarder returns as the RPC reply.
import { Agent, type IncomingMessage } from 'coap';
import type { Logger } from '../../lib/log.js';
import { Waiter } from '../../lib/ubus/waiter.js';
import type { TopicPattern } from '../../telemetry/ingest/topic.js';
import type { ThreadBridgeCounters } from '../contract.js';
import type { NodeMap } from './node-map.js';
import { CONTENT_FORMAT } from './payload.js';

export interface DownlinkOptions {
  commandTopic: TopicPattern;
  replyTopic: TopicPattern;
  nodes: NodeMap;
  method: 'PUT' | 'POST';
  /** `rpc/{method}`: `{method}` is the command's method. */
  path: string;
  port: number;
  /** CoAP retransmissions of the confirmable request (after the first transmission). */
  retries: number;
  /** The whole exchange; beyond it the answer is `timeout`. */
  timeoutMs: number;
  counters: ThreadBridgeCounters;
  publish(topic: string, payload: string): Promise<void>;
  log: Logger;
}

interface Command { id: number | string; method: string; params: unknown }

/** What went wrong: `unreachable` (no address, no route), or a reason from the node. */
class CommandError extends Error {}

const UNREACHABLE_CODES = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL', 'EINVAL', 'EAFNOSUPPORT', 'ECONNREFUSED']);
const METHOD_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function parseCommand(payload: Buffer): Command | string {
  let body: { id?: unknown; method?: unknown; params?: unknown };
  try { body = JSON.parse(payload.toString('utf8')); } catch { return 'not JSON'; }
  if (typeof body?.id !== 'number' && typeof body?.id !== 'string') return 'no id';
  if (typeof body.method !== 'string' || !METHOD_NAME.test(body.method)) return 'method must be 1-64 letters, digits, _ . -';
  return { id: body.id, method: body.method, params: body.params ?? {} };
}

function answerOf(response: IncomingMessage): { data?: unknown; error?: string } {
  const text = response.payload.toString('utf8');
  if (!response.code.startsWith('2.')) return { error: `${response.code}${text ? ` ${text}` : ''}` };
  let payload: unknown = text;
  if (text) { try { payload = JSON.parse(text); } catch { /* text stays text */ } }
  return { data: { code: response.code, ...(text ? { payload } : {}) } };
}

export class Downlink {
  private readonly agent = new Agent({ type: 'udp6' });
  private readonly waiter = new Waiter<IncomingMessage>();
  private sequence = 0;

  constructor(private readonly options: DownlinkOptions) {
    this.agent.on('error', (error: Error) => options.log.warn('CoAP client socket error', { error: error.message }));
  }

  /** Handles a message if it is a command for a node of ours; false otherwise. */
  take(topic: string, payload: Buffer): boolean {
    const vars = this.options.commandTopic.match(topic);
    const node = vars?.meter ? this.options.nodes.byMeterId(vars.meter) : undefined;
    if (!vars || !node) return false;
    const replyTopic = this.options.replyTopic.render(vars);
    const command = parseCommand(payload);
    if (typeof command === 'string') {
      this.options.log.warn('ignoring malformed command', { topic, problem: command });
      return true;
    }
    void this.run(node.meter, command).then((answer) => {
      if (!replyTopic) return;
      this.options.publish(replyTopic, JSON.stringify({ id: command.id, ...answer })).catch((error: Error) => {
        this.options.log.warn('command answer not published', { meter: node.meter, id: command.id, error: error.message });
      });
    });
    return true;
  }

  async stop(): Promise<void> {
    this.waiter.rejectAll(new CommandError('unreachable: the bridge is stopping'));
    await new Promise<void>((resolve) => { this.agent.close(() => resolve()); setTimeout(resolve, 200).unref(); });
  }

  private async run(meter: string, command: Command): Promise<{ data?: unknown; error?: string }> {
    const address = this.options.nodes.byMeterId(meter)?.address;
    try {
      if (!address) throw new CommandError(`unreachable: no address known for meter ${meter} (no reading yet, none in smartgrid.thread.nodes)`);
      const answer = answerOf(await this.exchange(address, command));
      this.options.counters.downlink_ok++;
      return answer;
    } catch (error) {
      const message = (error as Error).message;
      if (message.startsWith('timeout')) this.options.counters.downlink_timeout++;
      else this.options.counters.downlink_unreachable++;
      this.options.log.info('command to node failed', { meter, id: command.id, method: command.method, error: message });
      return { error: message };
    }
  }

  private exchange(address: string, command: Command): Promise<IncomingMessage> {
    const { retries, timeoutMs, port } = this.options;
    const key = String(++this.sequence);
    const request = this.agent.request({
      host: address, port, method: this.options.method, pathname: `/${this.options.path.replaceAll('{method}', command.method)}`,
      confirmable: true, retrySend: retries, contentFormat: CONTENT_FORMAT.json,
    });
    const waiting = this.waiter.wait(key, {
      timeoutMs,
      timeoutError: () => new CommandError(`timeout: no CoAP answer from [${address}]:${port} to ${retries + 1} transmissions within ${timeoutMs} ms`),
      onSettle: () => this.agent.abort(request),
    });
    request.on('response', (response: IncomingMessage) => this.waiter.resolve(key, response));
    request.on('error', (error: NodeJS.ErrnoException) => {
      const unreachable = error.code && UNREACHABLE_CODES.has(error.code);
      this.waiter.reject(key, new CommandError(unreachable ? `unreachable: [${address}]:${port}: ${error.code}` : `unreachable: ${error.message}`));
    });
    request.on('timeout', () => this.waiter.reject(key, new CommandError(`timeout: no CoAP answer from [${address}]:${port}`)));
    request.end(Buffer.from(JSON.stringify(command.params)));
    return waiting;
  }
}
