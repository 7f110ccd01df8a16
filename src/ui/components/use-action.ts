import { useState } from 'preact/hooks';
import { asActionResult } from '../../lib/action-result.js';
import { _ } from '../lib/i18n.js';
import { RpcError, type Data, type Rpc } from '../lib/rpc.js';

export interface ActionNotice {
  kind: 'error' | 'warning' | 'notice';
  text: string;
  /** The result word of the reply (`probed`, `no-device`, ...), when it had one. */
  code?: string;
}

/** A reply as the admin reads it: the action's own message (warning when not ok), else `done`. */
export function noticeOfReply(reply: Data, done: string): ActionNotice {
  const result = asActionResult(reply);
  if (!result) return { kind: 'notice', text: done };
  return { kind: result.ok ? 'notice' : 'warning', text: result.message, code: result.code };
}

/** A failed call: the reason the service gave (its action result), else the transport's error. */
export function noticeOfError(error: unknown): ActionNotice {
  const result = error instanceof RpcError ? asActionResult(error.data) : undefined;
  if (result) return { kind: 'error', text: _('Not done: %s', result.message), code: result.code };
  return { kind: 'error', text: (error as Error).message };
}

/** Runs action methods of one ubus object and keeps the notice of the last one. */
export function useAction(rpc: Rpc, object: string, onDone: () => void) {
  const [notice, setNotice] = useState<ActionNotice | undefined>(undefined);
  const run = async (method: string, args: Data, done: string) => {
    try {
      setNotice(noticeOfReply(await rpc.call(object, method, args), done));
      onDone();
    } catch (error) {
      setNotice(noticeOfError(error));
    }
  };
  return { notice, run };
}
