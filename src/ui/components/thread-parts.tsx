import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { ThreadProbeReply } from '../../thread/contract.js';
import { Alert, Badge, Button, Table, Section, ValueRow, type Tone } from './cbi.js';
import { DASH, text, timestamp } from '../lib/format.js';
import { _ } from '../lib/i18n.js';
import type { ThreadStatus } from '../lib/thread-data.js';
import type { Rpc } from '../lib/rpc.js';


const THREAD_TONES: Record<string, Tone> = {
  running: 'ok', leader: 'ok', router: 'ok', child: 'ok', ok: 'ok',
  probing: 'warn', starting: 'warn', attaching: 'warn', recovering: 'warn', detached: 'warn', idle: 'off', disabled: 'off', 'not-run': 'off',
};

/** Radio states and Thread roles: attached is good, on the way is a warning, the rest (failed, probe causes) bad. */
function ThreadBadge(props: { state: string | undefined }) {
  const state = props.state ?? '';
  return <Badge tone={THREAD_TONES[state] ?? (state ? 'bad' : 'off')}>{state || DASH}</Badge>;
}

const LAST_FAULTS = 3;

/** The RCP card: health, probe, identity, firmware, API, its last faults and (children) the actions. */
export function RcpSection(props: { status?: ThreadStatus; children?: ComponentChildren }) {
  const rcp = props.status?.rcp;
  const lastFaults = (props.status?.faults ?? []).slice(-LAST_FAULTS).reverse();
  return (
    <Section title={_('Radio co-processor (RCP)')} id="sg-thread-rcp">
      <ValueRow title={_('Health')} id="sg-thread-health"><ThreadBadge state={rcp?.health} /></ValueRow>
      <ValueRow title={_('Probe')} id="sg-thread-probe"><ThreadBadge state={rcp?.probe} /> {text(rcp?.probe_message)}</ValueRow>
      <ValueRow title={_('Port')} id="sg-thread-port">{text(rcp?.path)}{rcp?.baud ? ` @ ${text(rcp.baud)} baud` : ''}</ValueRow>
      <ValueRow title={_('Chosen because')}>{text(rcp?.selected_because)}</ValueRow>
      <ValueRow title={_('Identity')} id="sg-thread-identity">{_('EUI-64')} {text(rcp?.hwaddr)}, {_('USB serial')} {text(rcp?.usb_serial)}</ValueRow>
      <ValueRow title={_('Firmware')} id="sg-thread-firmware">{text(rcp?.firmware)}</ValueRow>
      <ValueRow title={_('Spinel / RCP API')}>{text(rcp?.protocol)} / {rcp?.rcp_api_version === undefined ? DASH : `${text(rcp.rcp_api_version)} (${_('needs host API')} ≥ ${text(rcp.min_host_api_version)})`}</ValueRow>
      <ValueRow title={_('Last faults')} id="sg-thread-last-faults">
        {lastFaults.length === 0 ? _('No fault') : <ul>{lastFaults.map((fault) => <li>{timestamp(fault.at)}: {fault.kind} — {fault.message}</li>)}</ul>}
      </ValueRow>
      {props.children}
    </Section>
  );
}

/** Who runs otbr-agent: this service, or netifd's `openthread` proto (which this service then only watches). */
function supervisorText(agent: ThreadStatus['otbr_agent'] | undefined): string {
  if (agent?.supervisor === 'netifd') {
    const state = agent.interface_up ? _('up') : _('down');
    return _('netifd (interface %s, %s): smartgrid watches it and recovers through the interface', text(agent.interface), state);
  }
  return agent ? _('smartgrid-thread (it runs otbr-agent itself)') : DASH;
}

export function BorderRouterSection(props: { status?: ThreadStatus }) {
  const agent = props.status?.otbr_agent;
  const thread = props.status?.thread;
  return (
    <Section title={_('Border router')}>
      <ValueRow title={_('Radio')} id="sg-thread-radio"><ThreadBadge state={props.status?.radio_state} /> {text(props.status?.radio_cause)}</ValueRow>
      <ValueRow title={_('Thread role')} id="sg-thread-role"><ThreadBadge state={thread?.role} /></ValueRow>
      <ValueRow title={_('Network')} id="sg-thread-network">
        {text(thread?.network_name)}; {_('partition %s, leader router %s, %s routers, %s children, RLOC16 %s', text(thread?.partition_id), text(thread?.leader_router_id), text(thread?.router_count), text(thread?.child_count), text(thread?.rloc16))}
      </ValueRow>
      <ValueRow title={_('Supervised by')} id="sg-thread-supervisor">{supervisorText(agent)}</ValueRow>
      {agent?.dataset_note ? <ValueRow title={_('Dataset')} id="sg-thread-dataset-note">{agent.dataset_note}</ValueRow> : null}
      <ValueRow title={_('otbr-agent')} id="sg-thread-agent">{agent?.running ? _('running, pid %s', text(agent.pid)) : _('not running')}; {_('started %s times', text(agent?.starts))}</ValueRow>
      <ValueRow title={_('Last exit')}>{agent?.last_exit ? `${text(agent.last_exit_code)}: ${text(agent.last_exit)}` : DASH}</ValueRow>
    </Section>
  );
}

export function FaultsSection(props: { status?: ThreadStatus }) {
  const faults = (props.status?.faults ?? []).slice().reverse();
  const counters = props.status?.counters;
  return (
    <Section title={_('Faults and recoveries')}>
      <ValueRow title={_('Counters')} id="sg-thread-counters">
        {_('%s faults, %s recoveries, last recovery %s ms, %s dataset writes', text(counters?.faults), text(counters?.recoveries), text(counters?.last_recovery_ms), text(counters?.dataset_writes))}
      </ValueRow>
      <Table id="sg-thread-faults" headers={[_('Time'), _('Fault'), _('What happened'), _('Next step')]} empty={_('No fault')}
        rows={faults.map((fault) => [timestamp(fault.at), fault.kind, fault.message, text(fault.step)])} />
    </Section>
  );
}

/**
 * In the RCP card: "Probe report" (read: the last probe and the serial ports found; a new probe needs
 * the port, which otbr-agent holds) and "Restart radio" with a confirmation (write ACL), which stops
 * otbr-agent and starts over from a fresh probe.
 */
export function ThreadActions(props: { rpc: Rpc; canRestart: boolean; canProbe: boolean; onDone(): void }) {
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'error' | 'notice'; text: string } | undefined>();
  const [report, setReport] = useState<ThreadProbeReply | undefined>();
  const probe = async () => {
    try {
      setReport(await props.rpc.call('smartgrid.thread', 'probe', {}) as unknown as ThreadProbeReply);
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
    <div class="sg-actions" id="sg-thread-actions">
      {notice && <Alert kind={notice.kind} id="sg-thread-notice">{notice.text}</Alert>}
      <div class="cbi-page-actions">
        {props.canProbe && <Button kind="action" id="sg-thread-ports" onClick={() => void probe()}>{_('Probe report and serial ports')}</Button>}{' '}
        {props.canRestart && !confirming && <Button kind="negative" id="sg-thread-restart" onClick={() => setConfirming(true)}>{_('Restart radio…')}</Button>}
      </div>
      {confirming && (
        <div class="alert-message warning" id="sg-thread-restart-confirm">
          <p>{_('Really restart the radio? otbr-agent is stopped, the RCP is probed again and the Thread network is down for a few seconds.')}</p>
          <Button kind="negative" id="sg-thread-restart-yes" onClick={() => void restart()}>{_('Restart it')}</Button>{' '}
          <Button kind="reset" id="sg-thread-restart-no" onClick={() => setConfirming(false)}>{_('Cancel')}</Button>
        </div>
      )}
      {report && <ProbeReport report={report} />}
      {!props.canRestart && <em>{_('You have read-only access: restarting the radio is not available.')}</em>}
    </div>
  );
}

function ProbeReport(props: { report: ThreadProbeReply }) {
  const probe = props.report.probe as { cause?: string; message?: string; ms?: number } | undefined;
  return (
    <div id="sg-thread-probe-report">
      <p>{probe ? `${text(probe.cause)}: ${text(probe.message)}` : _('No probe has run yet.')}</p>
      <Table id="sg-thread-candidates" headers={[_('Device'), _('By id'), _('USB'), _('Known dongle')]} empty={_('No USB serial port found')}
        rows={props.report.candidates.map((c) => [c.device, text(c.by_id), text(c.usb), text(c.dongle)])} />
    </div>
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
