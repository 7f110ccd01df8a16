// What the Thread page polls: `status`, then `topology` and `nodes` side by side, each read through
// the contract's reply types. A failed `topology` or `nodes` call is kept as its error, so the page
// says it in that section and shows the rest.
import type { ThreadNodesReply, ThreadStatusReply, ThreadTopologyReply } from '../../thread/contract.js';
import type { Rpc } from './rpc.js';
import { serviceStatus } from './services.js';

export const THREAD_OBJECT = 'smartgrid.thread';

/** `smartgrid.thread status`: the service's reply merged into the daemon's (`state`, `enabled`). */
export type ThreadStatus = ThreadStatusReply & { state?: string; enabled?: boolean };

/** A reply, or why the call failed (the page shows the rest either way). */
export interface Optional<T> { reply?: T; error?: string }

export async function optional<T>(call: () => Promise<unknown>): Promise<Optional<T>> {
  try {
    return { reply: (await call()) as T };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

export interface ThreadPageData { status?: ThreadStatus; error?: string; topology: Optional<ThreadTopologyReply>; nodes: Optional<ThreadNodesReply> }

export async function loadThreadPage(rpc: Rpc): Promise<ThreadPageData> {
  const { status, error } = await serviceStatus(rpc, 'thread');
  if (!status) return { error, topology: {}, nodes: {} };
  const [topology, nodes] = await Promise.all([
    optional<ThreadTopologyReply>(() => rpc.call(THREAD_OBJECT, 'topology', {})),
    optional<ThreadNodesReply>(() => rpc.call(THREAD_OBJECT, 'nodes', {})),
  ]);
  return { status: status as unknown as ThreadStatus, topology, nodes };
}

