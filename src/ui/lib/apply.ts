import { Rpc, RpcError } from './rpc.js';
import type { UciValue } from '../../lib/uci/types.js';
import type { UciChanges } from './schema-form-model.js';

/** LuCI's apply timings (`L.env.apply_*`, seconds). */
export interface ApplyTimings {
  apply_rollback: number;
  apply_holdoff: number;
}

export type ApplyOutcome = 'applied' | 'rolled-back' | 'unchanged';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stages the changes of one section with `uci set`/`uci delete`; adds the named section when missing. */
export async function stageSection(rpc: Rpc, config: string, section: string, type: string, changes: UciChanges): Promise<boolean> {
  const staged = Object.keys(changes.set).length > 0 || changes.remove.length > 0;
  if (!staged) return false;
  const [status] = await rpc.callRaw('uci', 'get', { config, section });
  if (status === 4) await rpc.call('uci', 'add', { config, type, name: section });
  if (Object.keys(changes.set).length) await rpc.call('uci', 'set', { config, section, values: changes.set });
  if (changes.remove.length) await rpc.call('uci', 'delete', { config, section, options: changes.remove });
  return true;
}

/**
 * Stages secret values into the write-only secrets config: `uci set`, and when the section does not
 * exist yet (`NOT_FOUND`) `uci add` it first. Never reads the config (the session may not).
 */
export async function stageSecrets(rpc: Rpc, config: string, section: string, type: string, values: Record<string, UciValue>): Promise<boolean> {
  if (!Object.keys(values).length) return false;
  const [status] = await rpc.callRaw('uci', 'set', { config, section, values });
  if (status === 4) {
    await rpc.call('uci', 'add', { config, type, name: section });
    await rpc.call('uci', 'set', { config, section, values });
  } else if (status !== 0) {
    throw new RpcError(`uci set ${config}.${section} failed (status ${status})`, undefined, status);
  }
  return true;
}

/**
 * LuCI's "Save & Apply": `uci apply {rollback:true}`, then `uci confirm` as soon as the page can
 * reach the device again. If no confirm gets through before the rollback timeout, rpcd restores the
 * old files and the change is staged again.
 */
export async function applyWithRollback(rpc: Rpc, timings: ApplyTimings, onProgress?: (secondsLeft: number) => void): Promise<ApplyOutcome> {
  const [status] = await rpc.callRaw('uci', 'apply', { rollback: true, timeout: timings.apply_rollback });
  if (status === 6) throw new RpcError('Another apply with rollback is pending; wait for it to finish.', undefined, 6);
  if (status !== 0) throw new RpcError(`uci apply failed (status ${status})`, undefined, status);
  const deadline = Date.now() + timings.apply_rollback * 1000;
  await sleep(timings.apply_holdoff * 1000);
  while (Date.now() < deadline) {
    onProgress?.(Math.max(0, Math.round((deadline - Date.now()) / 1000)));
    try {
      const [confirmed] = await rpc.callRaw('uci', 'confirm', {});
      if (confirmed === 0) return 'applied';
      if (confirmed === 5) return 'rolled-back';
    } catch {
      // The device is not reachable (yet): keep trying until the rollback deadline.
    }
    await sleep(1000);
  }
  return 'rolled-back';
}

/** Drops the session's staged changes of a config (after a rollback put them back). */
export async function revertConfig(rpc: Rpc, config: string): Promise<void> {
  await rpc.call('uci', 'revert', { config });
}
