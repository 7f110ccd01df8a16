import { describe, expect, it } from 'vitest';
import { actionError, actionResult, asActionResult } from '../../../src/lib/action-result.js';
import { noticeOfError, noticeOfReply } from '../../../src/ui/components/use-action.js';
import { RpcError } from '../../../src/ui/lib/rpc.js';

describe('action results on the page', () => {
  it('shows the message the service replied; an action that was done but not ok is a warning', () => {
    expect(noticeOfReply(actionResult(true, 'probed', '2 of 2 targets answered through wwan0; the link is up', { successes: 2 }), 'Done'))
      .toEqual({ kind: 'notice', text: '2 of 2 targets answered through wwan0; the link is up', code: 'probed' });
    expect(noticeOfReply(actionResult(false, 'probed', '0 of 2 targets answered through wwan0; the link is down'), 'Done').kind).toBe('warning');
    expect(noticeOfReply({ flushed: true }, 'Flush requested')).toEqual({ kind: 'notice', text: 'Flush requested' });
  });

  it('a refused action shows the reason it carried with its ubus status, not only the status word', () => {
    const refused = actionError(5, 'no-device', 'No probe was sent: the LTE device is unknown');
    expect(refused.data).toEqual({ ok: false, code: 'no-device', message: 'No probe was sent: the LTE device is unknown' });
    // What Rpc.call throws for the JSON-RPC reply [5, {ok: false, code, message}].
    const error = new RpcError('smartgrid.lte.probe: No data (No probe was sent: the LTE device is unknown)', undefined, 5, refused.data);
    expect(noticeOfError(error)).toEqual({ kind: 'error', text: 'Not done: No probe was sent: the LTE device is unknown', code: 'no-device' });
    expect(noticeOfError(new RpcError('smartgrid.lte.probe: connection failed'))).toEqual({ kind: 'error', text: 'smartgrid.lte.probe: connection failed' });
  });

  it('reads only well-formed results', () => {
    expect(asActionResult({ ok: 'yes', code: 'x', message: 'y' })).toBeUndefined();
    expect(asActionResult(undefined)).toBeUndefined();
    expect(asActionResult({ ok: false, code: 'busy', message: 'm', extra: 1 })).toEqual({ ok: false, code: 'busy', message: 'm' });
  });
});

describe('help texts', () => {
  it('show option names as code, never as raw Markdown backticks', async () => {
    const { withCode } = await import('../../../src/ui/components/cbi.js');
    const parts = withCode('`normal` forwards within `batch_interval_ms`.') as unknown[];
    expect(parts.length).toBe(5);
    expect(parts.filter((part) => typeof part === 'string')).toEqual(['', ' forwards within ', '.']);
    expect(parts.filter((part) => typeof part !== 'string').map((node) => (node as { type: string; props: { children: string } }).props.children)).toEqual(['normal', 'batch_interval_ms']);
    expect(JSON.stringify(parts)).not.toContain('`');
  });
});
