// otbr-agent's REST API on loopback. Key casing differs by version (PascalCase in the captured
// ot-br-posix, camelCase in newer ones; each ignores the other's keys): detected from GET /node,
// read in both, written in the detected one, and every write is verified by reading back.
import { Agent, request } from 'node:http';

export type KeyCasing = 'pascal' | 'camel';

export interface RestReply { status: number; body: string }

export interface ThreadNodeView {
  role: string;
  routerCount?: number;
  partitionId?: number;
  leaderRouterId?: number;
  rloc16?: number;
  extAddress?: string;
  networkName?: string;
}

/** `status`: the agent answered with an HTTP error; `timeout`: no answer in time; `connection`: no agent listening. */
export type RestFailure = 'status' | 'timeout' | 'connection';

export class RestError extends Error {
  constructor(message: string, readonly status?: number, readonly failure: RestFailure = status === undefined ? 'connection' : 'status') {
    super(message);
    this.name = 'RestError';
  }
}

/** `keepAlive: false` for rare queries: a socket idle past the server's 5 s keep-alive may be reset when reused. */
export interface OtbrRestOptions { host?: string; port?: number; timeoutMs?: number; keepAlive?: boolean }

export function keyIn(casing: KeyCasing, pascal: string): string {
  if (casing === 'pascal') return pascal;
  if (pascal === 'PSKc') return 'pskc';
  return pascal[0]!.toLowerCase() + pascal.slice(1);
}

/** A value by its PascalCase name, whichever casing the agent used. */
export function readKey(object: Record<string, unknown>, pascal: string): unknown {
  return object[pascal] ?? object[keyIn('camel', pascal)];
}

export class OtbrRest {
  readonly host: string;
  readonly port: number;
  private readonly timeoutMs: number;
  casing: KeyCasing = 'pascal';
  /** One kept-alive connection: the liveness query every few seconds costs no TCP set-up. */
  private readonly agent: Agent;

  constructor(options: OtbrRestOptions = {}) {
    this.agent = new Agent({ keepAlive: options.keepAlive ?? true, maxSockets: 1 });
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 8081;
    this.timeoutMs = options.timeoutMs ?? 3000;
  }

  call(method: string, path: string, body?: unknown): Promise<RestReply> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request({ host: this.host, port: this.port, method, path, agent: this.agent, timeout: this.timeoutMs, headers: { Accept: 'application/json', ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => { text += chunk; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('timeout', () => req.destroy(new RestError(`otbr-agent REST ${method} ${path}: no answer within ${this.timeoutMs} ms`, undefined, 'timeout')));
      req.on('error', (error) => reject(error instanceof RestError ? error : new RestError(`otbr-agent REST ${method} ${path}: ${error.message}`)));
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }

  async getJson(path: string): Promise<unknown> {
    const reply = await this.call('GET', path);
    if (reply.status === 204) return undefined;
    if (reply.status !== 200) throw new RestError(`otbr-agent REST GET ${path}: HTTP ${reply.status}`, reply.status);
    return JSON.parse(reply.body) as unknown;
  }

  /** GET /node: role, router count, leader data, addresses in one query (no secret in it). */
  async node(): Promise<ThreadNodeView> {
    const node = (await this.getJson('/node')) as Record<string, unknown>;
    const leader = (readKey(node, 'LeaderData') ?? {}) as Record<string, unknown>;
    const number = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
    return {
      role: String(readKey(node, 'State') ?? 'unknown'),
      routerCount: number(readKey(node, 'NumOfRouter')),
      partitionId: number(readKey(leader, 'PartitionId')),
      leaderRouterId: number(readKey(leader, 'LeaderRouterId')),
      rloc16: number(readKey(node, 'Rloc16')),
      extAddress: typeof readKey(node, 'ExtAddress') === 'string' ? String(readKey(node, 'ExtAddress')).toLowerCase() : undefined,
      networkName: typeof readKey(node, 'NetworkName') === 'string' ? String(readKey(node, 'NetworkName')) : undefined,
    };
  }

  async state(): Promise<string> {
    return String(await this.getJson('/node/state'));
  }

  /** PascalCase when GET /node has `State`, camelCase when it has `state`. */
  async detectCasing(): Promise<KeyCasing> {
    const node = (await this.getJson('/node')) as Record<string, unknown>;
    this.casing = 'State' in node ? 'pascal' : 'state' in node ? 'camel' : this.casing;
    return this.casing;
  }

  async setState(wanted: 'enable' | 'disable'): Promise<void> {
    const reply = await this.call('PUT', '/node/state', wanted);
    if (reply.status !== 200) throw new RestError(`otbr-agent REST PUT /node/state ${wanted}: HTTP ${reply.status}`, reply.status);
  }
}
