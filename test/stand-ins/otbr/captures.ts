// What the otbr-agent stand-in replays about the Thread network, read from the captures of the real
// agent at start-up so it cannot drift from them: `alone` is the single-node leader of rest.json and
// ot-ctl.json, `4-node` the leader with routers 2, 3 and child 4 of network.json. Per network: the
// attached GET /node values, the GET /diagnostics body (byte for byte) and the ot-ctl outputs.
import { readFileSync } from 'node:fs';
import { conformancePath } from '../../helpers/conformance.js';

export type StandInNetworkName = 'alone' | '4-node';

export interface CliCapture { command: string; argv?: string[]; exit_code?: number; stdout?: string; stderr?: string; t_ms: number }
interface RestCapture { label?: string; t_ms?: number; request: { method: string; path: string }; response?: { status: number; body?: string; body_json?: unknown } }

export interface NodeValues {
  NumOfRouter: number;
  RlocAddress: string;
  ExtAddress: string;
  Rloc16: number;
  LeaderData: { PartitionId: number; Weighting: number; DataVersion: number; StableDataVersion: number; LeaderRouterId: number };
}

export interface ReplayedNetwork {
  name: StandInNetworkName;
  /** GET /node while attached (State, NetworkName, BaId and ExtPanId come from the node's own state). */
  node: NodeValues;
  diagnosticsBody: string;
  /** ot-ctl command -> stdout, while attached. */
  attachedCli: Map<string, string>;
}

/** ot-ctl outputs of a node that is not attached (ot-ctl.json before forming), and of no agent at all. */
export interface DetachedCli { byCommand: Map<string, string>; unknownCommand: string; agentGone: CliCapture }

function json<T>(file: string): T {
  return JSON.parse(readFileSync(conformancePath('otbr', file), 'utf8')) as T;
}

/** The last output of each command in `entries` (a later one replaces an earlier one). */
function lastOutputs(entries: CliCapture[]): Map<string, string> {
  const outputs = new Map<string, string>();
  for (const entry of entries) if (entry.argv && entry.exit_code === 0 && entry.stdout !== undefined) outputs.set(entry.command, entry.stdout);
  return outputs;
}

function restBody(exchanges: RestCapture[], path: string, label?: string): RestCapture['response'] & object {
  const found = exchanges.find((e) => e.request?.method === 'GET' && e.request.path === path && e.response?.status === 200 && (label === undefined || e.label === label));
  if (!found?.response) throw new Error(`no captured 200 answer to GET ${path}${label ? ` (${label})` : ''}`);
  return found.response;
}

function nodeValues(body: unknown): NodeValues {
  const node = body as NodeValues;
  return { NumOfRouter: node.NumOfRouter, RlocAddress: node.RlocAddress, ExtAddress: node.ExtAddress, Rloc16: node.Rloc16, LeaderData: node.LeaderData };
}

interface OtCtlFile { session1: CliCapture[]; session2: CliCapture[] }
interface NetworkFile { phases: [number, string][]; border_router_ot_ctl_session: CliCapture[]; rest: RestCapture[] }
interface RestFile { session1: RestCapture[] }

function aloneNetwork(): ReplayedNetwork {
  const otCtl = json<OtCtlFile>('ot-ctl.json').session1;
  const leaderAt = otCtl.find((e) => e.command === 'state' && e.stdout?.startsWith('leader'))!.t_ms;
  const disabledAgain = otCtl.find((e) => e.t_ms > leaderAt && e.command === 'state' && e.stdout?.startsWith('disabled'))!.t_ms;
  const rest = json<RestFile>('rest.json').session1;
  return {
    name: 'alone',
    node: nodeValues(JSON.parse(restBody(rest, '/node', 'after_form').body!)),
    diagnosticsBody: restBody(rest, '/diagnostics', 'after_form').body!,
    attachedCli: lastOutputs(otCtl.filter((e) => e.t_ms >= leaderAt && e.t_ms < disabledAgain)),
  };
}

function fourNodeNetwork(): ReplayedNetwork {
  const network = json<NetworkFile>('network.json');
  const killedAt = network.phases.find(([, phase]) => phase === 'rcp_kill')![0];
  const rest = network.rest.filter((e) => e.request.method === 'GET');
  return {
    name: '4-node',
    node: nodeValues(restBody(rest, '/node').body_json),
    diagnosticsBody: restBody(rest, '/diagnostics').body!,
    attachedCli: lastOutputs(network.border_router_ot_ctl_session.filter((e) => e.t_ms < killedAt)),
  };
}

/** Read from the captures at each call: the stand-in calls it once at start-up. */
export function replayedNetwork(name: StandInNetworkName): ReplayedNetwork {
  return name === '4-node' ? fourNodeNetwork() : aloneNetwork();
}

export function detachedCli(): DetachedCli {
  const file = json<OtCtlFile>('ot-ctl.json');
  const leaderAt = file.session1.find((e) => e.command === 'state' && e.stdout?.startsWith('leader'))!.t_ms;
  return {
    byCommand: lastOutputs(file.session1.filter((e) => e.t_ms < leaderAt)),
    unknownCommand: file.session2.find((e) => e.command === 'bogus')!.stdout!,
    agentGone: file.session1.find((e) => e.exit_code === 1 && e.command === 'state')!,
  };
}
