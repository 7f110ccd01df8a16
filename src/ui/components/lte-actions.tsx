import { useState } from 'preact/hooks';
import { Alert, Button, Section, ValueRow } from './cbi.js';
import { _ } from '../lib/i18n.js';
import type { Rpc } from '../lib/rpc.js';
import { useAction } from './use-action.js';

export const LADDER_STEPS = ['reconnect', 'interface_restart', 'modem_reset', 'mm_restart', 'power_cycle', 'reboot'];
const STEP_TITLES: Record<string, string> = {
  reconnect: 'Reconnect the bearer', interface_restart: 'Restart the network interface', modem_reset: 'Reset the modem', // i18n
  mm_restart: 'Restart ModemManager', power_cycle: 'Power-cycle the modem', reboot: 'Reboot the gateway', // i18n
};

/** Manual ladder step with an explicit confirmation, and "probe now". */
export function LteActions(props: { rpc: Rpc; canReset: boolean; canProbe: boolean; onDone(): void }) {
  const [step, setStep] = useState('reconnect');
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const action = useAction(props.rpc, 'smartgrid.lte', props.onDone);
  const run = (method: string, args: Record<string, unknown>) => {
    setConfirming(false);
    void action.run(method, args, _('Done'));
  };
  if (!props.canReset && !props.canProbe) {
    return <Section title={_('Actions')}><em>{_('You have read-only access: actions are not available.')}</em></Section>;
  }
  return (
    <Section title={_('Actions')}>
      {action.notice && <Alert kind={action.notice.kind} id="sg-lte-notice">{action.notice.text}</Alert>}
      {props.canReset && (
        <div>
          <ValueRow title={_('Recovery step')} htmlFor="sg-reset-step">
            <select class="cbi-input-select" id="sg-reset-step" value={step} onChange={(event) => setStep(event.currentTarget.value)}>
              {LADDER_STEPS.map((name) => <option value={name}>{_(STEP_TITLES[name]!)}</option>)}
            </select>
          </ValueRow>
          <ValueRow title={_('Reason')} htmlFor="sg-reset-reason">
            <input type="text" class="cbi-input-text" id="sg-reset-reason" value={reason} placeholder={_('Why (kept in the history)')} onInput={(event) => setReason(event.currentTarget.value)} />
          </ValueRow>
          {!confirming && <div class="cbi-page-actions"><Button kind="negative" id="sg-reset" disabled={!reason.trim()} onClick={() => setConfirming(true)}>{_('Run recovery step…')}</Button></div>}
          {confirming && (
            <div class="alert-message warning" id="sg-reset-confirm">
              <p>{_('Really run "%s" now? The LTE uplink will be interrupted.', _(STEP_TITLES[step]!))}</p>
              <Button kind="negative" id="sg-reset-yes" onClick={() => run('reset', { step, reason: reason.trim() })}>{_('Run it')}</Button>{' '}
              <Button kind="reset" id="sg-reset-no" onClick={() => setConfirming(false)}>{_('Cancel')}</Button>
            </div>
          )}
        </div>
      )}
      {props.canProbe && <div class="cbi-page-actions"><Button kind="action" id="sg-probe" onClick={() => run('probe', {})}>{_('Probe now')}</Button></div>}
    </Section>
  );
}

/** Present only in the demo (`smartgrid.sim` on the bus): break the simulated modem on purpose. */
export function SimulatorPanel(props: { rpc: Rpc; onDone(): void }) {
  const [notice, setNotice] = useState<string | undefined>();
  const trigger = async (fault: string) => {
    try {
      await props.rpc.call('smartgrid.sim', 'modem_fault', { fault });
      setNotice(_('Simulated modem: %s', fault));
      props.onDone();
    } catch (error) {
      setNotice((error as Error).message);
    }
  };
  return (
    <Section title={_('Simulator (demo only)')} id="sg-sim">
      {notice && <Alert kind="notice">{notice}</Alert>}
      <div class="cbi-page-actions">
        {['hang', 'bearer-drop', 'sim-missing', 'weak-signal', 'recover'].map((fault) => (
          <><Button kind={fault === 'recover' ? 'apply' : 'negative'} id={`sg-sim-${fault}`} onClick={() => void trigger(fault)}>{fault}</Button>{' '}</>
        ))}
      </div>
    </Section>
  );
}
