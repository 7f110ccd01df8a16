// otbr-agent's REST API (cpp-httplib on 127.0.0.1:8081) as rest.json pins it down: status codes,
// empty bodies, cJSON layout, 204 for no dataset, 201 for the first one, 409 while Thread is up.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { replayedNetwork, type ReplayedNetwork } from './captures.js';
import { cjsonPrint, errorBody } from './cjson.js';
import { BadRequest, datasetJson, mergeDataset, randomDataset, recase, type Casing, type Dataset } from './dataset.js';

export interface ThreadNode {
  casing: Casing;
  role: string;
  active?: Dataset;
  pending?: { dataset: Dataset; delayMs: number; since: number };
  rcpVersion: string;
  extAddress: string;
  /** The network around the node while attached (network.json's 4 nodes); absent: alone, as rest.json. */
  network?: ReplayedNetwork;
  enable(): void;
  disable(): void;
  applyActive(dataset: Dataset): void;
  schedulePending(dataset: Dataset, delayMs: number): void;
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 409: 'Conflict', 500: 'Internal Server Error' };

function send(res: ServerResponse, status: number, body = '', type?: string): void {
  const headers: Record<string, string | number> = { 'Content-Length': Buffer.byteLength(body) };
  if (type) headers['Content-Type'] = type;
  res.writeHead(status, headers).end(body);
}

const sendJson = (res: ServerResponse, value: unknown): void => send(res, 200, cjsonPrint(value), 'application/json');
const sendError = (res: ServerResponse, status: number): void => send(res, status, errorBody(status, REASONS[status]!), 'application/json');

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => { body += chunk; });
    req.on('end', () => resolve(body));
  });
}

const isAttached = (node: ThreadNode): boolean => node.role !== 'disabled' && node.role !== 'detached';

/** How long GET /diagnostics collects answers (2.0 s captured). */
const DIAGNOSTICS_MS = 2000;

function nodeJson(node: ThreadNode): unknown {
  const attached = isAttached(node);
  if (attached && node.network) {
    const { NumOfRouter, RlocAddress, Rloc16, LeaderData } = node.network.node;
    return recase({ BaId: 'BB425AEEA425045A38D491D77A9F3819', State: node.role, NumOfRouter, RlocAddress, ExtAddress: node.extAddress, NetworkName: node.active?.NetworkName ?? 'OpenThread', Rloc16, LeaderData, ExtPanId: node.active?.ExtPanId ?? 'DEAD00BEEF00CAFE' }, node.casing);
  }
  return recase({
    BaId: 'BB425AEEA425045A38D491D77A9F3819', State: node.role, NumOfRouter: attached ? 1 : 0,
    RlocAddress: attached ? 'fd11:22::ff:fe00:4800' : 'fdde:ad00:beef::ff:fe00:0', ExtAddress: node.extAddress,
    NetworkName: node.active?.NetworkName ?? 'OpenThread', Rloc16: attached ? 18432 : 65534,
    LeaderData: { PartitionId: attached ? 1622717361 : 0, Weighting: attached ? 65 : 0, DataVersion: 0, StableDataVersion: 0, LeaderRouterId: attached ? 18 : 0 },
    ExtPanId: node.active?.ExtPanId ?? 'DEAD00BEEF00CAFE',
  }, node.casing);
}

/** The captured body, after the capture's collection time; 500 while not attached (rest.json). */
async function diagnostics(node: ThreadNode, res: ServerResponse): Promise<void> {
  if (!isAttached(node)) return sendError(res, 500);
  await new Promise((resolve) => setTimeout(resolve, DIAGNOSTICS_MS));
  send(res, 200, (node.network ?? replayedNetwork('alone')).diagnosticsBody, 'application/json');
}

async function putActive(node: ThreadNode, body: string, res: ServerResponse): Promise<void> {
  if (node.role !== 'disabled') return sendError(res, 409);
  const created = !node.active;
  node.applyActive(mergeDataset(node.active ?? randomDataset(), JSON.parse(body) as Record<string, unknown>, node.casing));
  send(res, created ? 201 : 200);
}

async function putPending(node: ThreadNode, body: string, res: ServerResponse): Promise<void> {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  const key = (k: string): string => (node.casing === 'pascal' ? k : k[0]!.toLowerCase() + k.slice(1));
  const delay = parsed[key('Delay')];
  const inner = parsed[key('ActiveDataset')];
  if (typeof delay !== 'number' || typeof inner !== 'object' || inner === null || !node.active) return sendError(res, 400);
  const created = !node.pending;
  node.schedulePending(mergeDataset(node.active, inner as Record<string, unknown>, node.casing), delay);
  send(res, created ? 201 : 200);
}

async function route(node: ThreadNode, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const key = `${req.method} ${req.url}`;
  switch (key) {
    case 'GET /node': return sendJson(res, nodeJson(node));
    case 'GET /node/state': return sendJson(res, node.role);
    case 'GET /node/coprocessor/version': return sendJson(res, node.rcpVersion);
    case 'GET /node/ext-address': return sendJson(res, node.extAddress);
    case 'GET /diagnostics': return diagnostics(node, res);
    case 'GET /node/dataset/active': return node.active ? sendJson(res, datasetJson(node.active, node.casing)) : send(res, 204);
    case 'GET /node/dataset/pending': return node.pending ? sendJson(res, recase({ ActiveDataset: datasetJson(node.pending.dataset, 'pascal'), Delay: Math.max(0, node.pending.delayMs - (Date.now() - node.pending.since)) }, node.casing)) : send(res, 204);
    case 'PUT /node/dataset/active': return putActive(node, body, res);
    case 'PUT /node/dataset/pending': return putPending(node, body, res);
    case 'PUT /node/state': {
      const wanted = JSON.parse(body) as unknown;
      if (wanted === 'enable') node.enable();
      else if (wanted === 'disable') node.disable();
      else return sendError(res, 400);
      return send(res, 200);
    }
    default: return send(res, 404);
  }
}

export function startRest(node: ThreadNode, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    route(node, req, res).catch((error: unknown) => sendError(res, error instanceof BadRequest || error instanceof SyntaxError ? 400 : 500));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
