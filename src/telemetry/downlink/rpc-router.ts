import type { Logger } from '../../lib/log.js';
import { compileTopicPattern, type TopicPattern, type TopicVars } from '../ingest/topic.js';

export interface RpcRouterOptions {
  commandTopic: string;
  replyTopic: string;
  timeoutMs: number;
  log: Logger;
  /** Where the meter's region/dcu came from: learned from its ingest topic. */
  lookup(meter: string): TopicVars | undefined;
  publishLocal(topic: string, payload: string): boolean;
  publishUpstream(payload: string): Promise<void>;
}

interface PendingCall { meter: string; id: number | string; timer: NodeJS.Timeout }

/**
 * ThingsBoard gateway RPC: `v1/gateway/rpc` `{"device":m,"data":{"id":n,"method":..,"params":..}}`
 * goes to the local command topic as `{"id":n,"method":..,"params":..}`; the device answers on the
 * reply topic with `{"id":n,"data":..}` or `{"id":n,"error":".."}` and that goes back upstream as
 * `{"device":m,"id":n,"data":..}`. No answer within the timeout -> `{"data":{"error":"timeout..."}}`.
 */
export class RpcRouter {
  readonly replyPattern: TopicPattern;
  private readonly commandPattern: TopicPattern;
  private readonly pending = new Map<string, PendingCall>();
  calls = 0;
  timeouts = 0;

  constructor(private readonly options: RpcRouterOptions) {
    this.commandPattern = compileTopicPattern(options.commandTopic);
    this.replyPattern = compileTopicPattern(options.replyTopic);
  }

  isCommandTopic(topic: string): boolean {
    return this.commandPattern.match(topic) !== undefined;
  }

  handleRequest(payload: Buffer): void {
    let request: { device?: unknown; data?: { id?: unknown; method?: unknown; params?: unknown } };
    try { request = JSON.parse(payload.toString('utf8')); } catch { this.options.log.warn('ignoring RPC that is not JSON'); return; }
    const meter = typeof request.device === 'string' ? request.device : undefined;
    const id = request.data?.id;
    if (!meter || (typeof id !== 'number' && typeof id !== 'string') || typeof request.data?.method !== 'string') {
      this.options.log.warn('ignoring malformed RPC', { payload: payload.toString('utf8').slice(0, 200) });
      return;
    }
    this.calls++;
    const vars = this.options.lookup(meter);
    const topic = vars && this.commandPattern.render({ ...vars, meter });
    if (!topic) { this.answer(meter, id, { error: `unknown device ${meter}: no reading seen yet, so its command topic is unknown` }); return; }
    const message = JSON.stringify({ id, method: request.data.method, params: request.data.params ?? {} });
    if (!this.options.publishLocal(topic, message)) { this.answer(meter, id, { error: 'local broker unavailable' }); return; }
    const key = `${meter}\u0000${id}`;
    clearTimeout(this.pending.get(key)?.timer);
    const timer = setTimeout(() => {
      this.pending.delete(key);
      this.timeouts++;
      this.answer(meter, id, { error: `timeout: no answer from ${meter} within ${this.options.timeoutMs} ms` });
    }, this.options.timeoutMs);
    this.pending.set(key, { meter, id, timer });
  }

  /** A message on the local reply topic. Returns false if the topic is not a reply topic. */
  handleReply(topic: string, payload: Buffer): boolean {
    const vars = this.replyPattern.match(topic);
    if (!vars?.meter) return false;
    let reply: { id?: unknown; data?: unknown; error?: unknown };
    try { reply = JSON.parse(payload.toString('utf8')); } catch { this.options.log.warn('ignoring command reply that is not JSON', { topic }); return true; }
    if (typeof reply.id !== 'number' && typeof reply.id !== 'string') return true;
    const key = `${vars.meter}\u0000${reply.id}`;
    const call = this.pending.get(key);
    if (!call) { this.options.log.info('late or unknown command reply dropped', { topic, id: reply.id }); return true; }
    clearTimeout(call.timer);
    this.pending.delete(key);
    this.answer(call.meter, call.id, reply.error !== undefined ? { error: String(reply.error) } : reply.data ?? {});
    return true;
  }

  get inFlight(): number { return this.pending.size; }

  stop(): void {
    for (const call of this.pending.values()) clearTimeout(call.timer);
    this.pending.clear();
  }

  private answer(meter: string, id: number | string, data: unknown): void {
    this.options.publishUpstream(JSON.stringify({ device: meter, id, data })).catch((error: Error) => {
      this.options.log.warn('could not deliver RPC answer upstream', { device: meter, id, error: error.message });
    });
  }
}
