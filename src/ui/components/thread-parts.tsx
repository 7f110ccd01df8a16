import { useState } from 'preact/hooks';
import { Alert, Badge, Button, Section, Table, ValueRow, type Tone } from './cbi.js';
import { DASH, pick, text, timestamp } from '../lib/format.js';
import { _ } from '../lib/i18n.js';
import type { Rpc } from '../lib/rpc.js';

type Status = Record<string, unknown> | undefined;

const THREAD_TONES: Record<string, Tone> = {
  running: 'ok', leader: 'ok', router: 'ok', child: 'ok', ok: 'ok',
  probing: 'warn', starting: 'warn', attaching: 'warn', recovering: 'warn', detached: 'warn', idle: 'off', disabled: 'off', 'not-run': 'off',
};

/** Radio states and Thread roles: attached is good, on the way is a warning, the rest (failed, probe causes) bad. */
function ThreadBadge(props: { state: unknown }) {
  const state = String(props.state ?? '');
  return <Badge tone={THREAD_TONES[state] ?? (state ? 'bad' : 'off')}>{state || DASH}</Badge>;
}

export function RcpSection(props: { status: Status }) {
  const rcp = pick(props.status, 'rcp');
  const api = pick(rcp, 'rcp_api_version');
  return (
    <Section title={_('Radio co-processor (RCP)')}>
      <ValueRow title={_('Probe')} id="sg-thread-probe"><ThreadBadge state={pick(rcp, 'probe')} /> {text(pick(rcp, 'probe_message'))}</ValueRow>
      <ValueRow title={_('Port')} id="sg-thread-port">{text(pick(rcp, 'path'))}{pick(rcp, 'baud') ? ` @ ${text(pick(rcp, 'baud'))} baud` : ''}</ValueRow>
      <ValueRow title={_('Chosen because')}>{text(pick(rcp, 'selected_because'))}</ValueRow>
      <ValueRow title={_('Identity')} id="sg-thread-identity">{_('EUI-64')} {text(pick(rcp, 'hwaddr'))}, {_('USB serial')} {text(pick(rcp, 'usb_serial'))}</ValueRow>
      <ValueRow title={_('Firmware')} id="sg-thread-firmware">{text(pick(rcp, 'firmware'))}</ValueRow>
      <ValueRow title={_('Spinel / RCP API')}>{text(pick(rcp, 'protocol'))} / {api === undefined ? DASH : `${text(api)} (${_('needs host API')} ≥ ${text(pick(rcp, 'min_host_api_version'))})`}</ValueRow>
    </Section>
  );
}

export function BorderRouterSection(props: { status: Status }) {
  const agent = pick(props.status, 'otbr_agent');
  return (
    <Section title={_('Border router')}>
      <ValueRow title={_('Radio')} id="sg-thread-radio"><ThreadBadge state={pick(props.status, 'radio_state')} /> {text(pick(props.status, 'radio_cause'))}</ValueRow>
      <ValueRow title={_('Thread role')} id="sg-thread-role"><ThreadBadge state={pick(props.status, 'thread.role')} /></ValueRow>
      <ValueRow title={_('Network')} id="sg-thread-network">
        {text(pick(props.status, 'thread.network_name'))}; {_('partition %s, leader router %s, %s routers, RLOC16 %s', text(pick(props.status, 'thread.partition_id')), text(pick(props.status, 'thread.leader_router_id')), text(pick(props.status, 'thread.router_count')), text(pick(props.status, 'thread.rloc16')))}
      </ValueRow>
      <ValueRow title={_('otbr-agent')} id="sg-thread-agent">{pick(agent, 'running') ? _('running, pid %s', text(pick(agent, 'pid'))) : _('not running')}; {_('started %s times', text(pick(agent, 'starts')))}</ValueRow>
      <ValueRow title={_('Last exit')}>{pick(agent, 'last_exit') ? `${text(pick(agent, 'last_exit_code'))}: ${text(pick(agent, 'last_exit'))}` : DASH}</ValueRow>
    </Section>
  );
}

export function FaultsSection(props: { status: Status }) {
  const faults = ((pick(props.status, 'faults') ?? []) as unknown[]).slice().reverse();
  const counters = pick(props.status, 'counters');
  return (
    <Section title={_('Faults and recoveries')}>
      <ValueRow title={_('Counters')} id="sg-thread-counters">
        {_('%s faults, %s recoveries, last recovery %s ms, %s dataset writes', text(pick(counters, 'faults')), text(pick(counters, 'recoveries')), text(pick(counters, 'last_recovery_ms')), text(pick(counters, 'dataset_writes')))}
      </ValueRow>
      <Table id="sg-thread-faults" headers={[_('Time'), _('Fault'), _('What happened'), _('Next step')]} empty={_('No fault')}
        rows={faults.map((fault) => [timestamp(pick(fault, 'at')), text(pick(fault, 'kind')), text(pick(fault, 'message')), text(pick(fault, 'step'))])} />
    </Section>
  );
}

/** "Probe results" (read) and "Restart radio" with a confirmation (write ACL). */
export function ThreadActions(props: { rpc: Rpc; canRestart: boolean; canProbe: boolean; onDone(): void }) {
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'error' | 'notice'; text: string } | undefined>();
  const [candidates, setCandidates] = useState<unknown[] | undefined>();
  const probe = async () => {
    try {
      const reply = await props.rpc.call('smartgrid.thread', 'probe', {});
      setCandidates((pick(reply, 'candidates') ?? []) as unknown[]);
    } catch (error) {
      setNotice({ kind: 'error', text: (error as Error).message });
    }
  };
  const restart = async () => {
    setConfirming(false);
    try {
      await props.rpc.call('smartgrid.thread', 'restart_radio', {});
      setNotice({ kind: 'notice', text: _('The radio is being restarted from a fresh probe.') });
      props.onDone();
    } catch (error) {
      setNotice({ kind: 'error', text: (error as Error).message });
    }
  };
  return (
    <Section title={_('Actions')}>
      {notice && <Alert kind={notice.kind} id="sg-thread-notice">{notice.text}</Alert>}
      <div class="cbi-page-actions">
        {props.canProbe && <Button kind="action" id="sg-thread-ports" onClick={() => void probe()}>{_('Serial ports found')}</Button>}{' '}
        {props.canRestart && !confirming && <Button kind="negative" id="sg-thread-restart" onClick={() => setConfirming(true)}>{_('Restart radio…')}</Button>}
      </div>
      {confirming && (
        <div class="alert-message warning" id="sg-thread-restart-confirm">
          <p>{_('Really restart the radio? otbr-agent is stopped, the RCP is probed again and the Thread network is down for a few seconds.')}</p>
          <Button kind="negative" id="sg-thread-restart-yes" onClick={() => void restart()}>{_('Restart it')}</Button>{' '}
          <Button kind="reset" id="sg-thread-restart-no" onClick={() => setConfirming(false)}>{_('Cancel')}</Button>
        </div>
      )}
      {candidates && <Table id="sg-thread-candidates" headers={[_('Device'), _('By id'), _('USB'), _('Known dongle')]} empty={_('No USB serial port found')}
        rows={candidates.map((c) => [text(pick(c, 'device')), text(pick(c, 'by_id')), text(pick(c, 'usb')), text(pick(c, 'dongle'))])} />}
      {!props.canRestart && <em>{_('You have read-only access: restarting the radio is not available.')}</em>}
    </Section>
  );
}

/** Present only in the demo (`smartgrid.sim` on the bus): break the simulated RCP on purpose. */
export function ThreadSimulatorPanel(props: { rpc: Rpc; onDone(): void }) {
  const [notice, setNotice] = useState<string | undefined>();
  const trigger = async (fault: string) => {
    try {
      await props.rpc.call('smartgrid.sim', 'thread_fault', { fault });
      setNotice(_('Simulated RCP: %s', fault));
      props.onDone();
    } catch (error) {
      setNotice((error as Error).message);
    }
  };
  return (
    <Section title={_('Simulator (demo only)')} id="sg-thread-sim">
      {notice && <Alert kind="notice">{notice}</Alert>}
      <div class="cbi-page-actions">
        {['rcp-reboot', 'rcp-unplug', 'rcp-firmware-ncp', 'rcp-firmware-rcp'].map((fault) => (
          <><Button kind={fault === 'rcp-firmware-rcp' ? 'apply' : 'negative'} id={`sg-thread-sim-${fault}`} onClick={() => void trigger(fault)}>{fault}</Button>{' '}</>
        ))}
      </div>
    </Section>
  );
}
