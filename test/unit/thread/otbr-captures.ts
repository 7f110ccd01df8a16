// The otbr-agent captures the topology tests read (../shared/conformance/otbr), typed.
import { readFileSync } from 'node:fs';
import { conformancePath } from '../../helpers/conformance.js';
import type { CliCapture } from '../../stand-ins/otbr/captures.js';

export interface RestExchange { label?: string; t_ms?: number; request: { method: string; path: string }; response: { status: number; body?: string; body_json?: unknown } }
export interface NodeCli { node: number; command?: string; output?: string; t_ms: number }
export interface UbusCapture { argv: string[]; exit_code: number; stdout: string; reply_json?: Record<string, unknown>; t_ms: number }

export interface NetworkCapture {
  phases: [number, string][];
  border_router_ot_ctl_session: CliCapture[];
  rest: RestExchange[];
  ubus: UbusCapture[];
  nodes_cli: Record<string, NodeCli[]>;
}

export interface OtCtlCapture { session1: CliCapture[]; session2: CliCapture[]; modes: Record<string, CliCapture | string> }

export interface CoapCapture { node_to_gateway_received: { t_ms: number; src_addr: string; dst_addr: string }[] }

const load = <T>(file: string): T => JSON.parse(readFileSync(conformancePath('otbr', file), 'utf8')) as T;

export const network = load<NetworkCapture>('network.json');
export const otCtl = load<OtCtlCapture>('ot-ctl.json');
export const rest = load<{ session1: RestExchange[] }>('rest.json');
export const coap = load<CoapCapture>('coap.json');

/** The border router's ot-ctl outputs of one command, in capture order. */
export function brOutputs(command: string): CliCapture[] {
  return network.border_router_ot_ctl_session.filter((entry) => entry.command === command && entry.stdout !== undefined);
}

/** A simulated node's CLI output of one command without its echo and `> ` prompt. */
export function nodeOutputs(node: number, command: string): string[] {
  return (network.nodes_cli[String(node)] ?? []).filter((entry) => entry.command === command && entry.output !== undefined)
    .map((entry) => entry.output!.split('\r\n').filter((line) => line !== `> ${command}` && line !== command).join('\r\n'));
}

export function capturedDiagnostics(): RestExchange {
  return network.rest.find((e) => e.request.method === 'GET' && e.request.path === '/diagnostics')!;
}
