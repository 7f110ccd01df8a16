import { useEffect, useState } from 'preact/hooks';
import type { Rpc } from '../lib/rpc.js';
import { Alert, Badge, Button, Section, Table, ValueRow, type Tone } from './cbi.js';
import { bytes, pick, since, text } from '../lib/format.js';
import { _ } from '../lib/i18n.js';

type Status = Record<string, unknown> | undefined;

const PRESENCE: Record<string, { tone: Tone; label: () => string }> = {
  present: { tone: 'ok', label: () => _('present') },
  late: { tone: 'warn', label: () => _('late') },
  missing: { tone: 'bad', label: () => _('missing') },
  'never-seen': { tone: 'off', label: () => _('never seen') },
};

export function PresenceBadge(props: { presence: unknown }) {
  const entry = PRESENCE[String(props.presence)];
  return entry ? <Badge tone={entry.tone}>{entry.label()}</Badge> : <Badge tone="off">{text(props.presence)}</Badge>;
}

export function SignalBadge(props: { signal: unknown; signalClass: unknown; weak: unknown }) {
  if (typeof props.signal !== 'number') return <span>{text(undefined)}</span>;
  const tone: Tone = props.weak === true ? 'bad' : props.signalClass === 'good' ? 'ok' : 'warn';
  return <Badge tone={tone} title={props.weak === true ? _('weak-signal alarm') : undefined}>{`${props.signal} dBm`}</Badge>;
}

export function PlanSection(props: { status: Status }) {
  const plan = pick(props.status, 'plan');
  const issues = (pick(props.status, 'plan_issues') ?? []) as Array<{ option: string; message: string }>;
  const last = pick(props.status, 'last_apply');
  return (
    <Section title={_('Radio plan')} id="sg-halow-plan">
      {issues.map((issue) => <Alert kind="error">{`${issue.option}: ${issue.message}`}</Alert>)}
      <ValueRow title={_('Mode')} id="sg-halow-mode">{text(pick(props.status, 'mode'))}</ValueRow>
      <ValueRow title={_('Country')} id="sg-halow-country">{text(pick(plan, 'country'))}</ValueRow>
      <ValueRow title={_('Channel')} id="sg-halow-channel">{plan ? _('%s (%s MHz wide) at %s MHz, 5 GHz channel %s', text(pick(plan, 'channel')), text(pick(plan, 'bandwidth')), text(pick(plan, 'centre_mhz')), text(pick(plan, 'shim_channel'))) : text(undefined)}</ValueRow>
      <ValueRow title={_('Operating class')}>{plan ? _('S1G %s, global %s', text(pick(plan, 's1g_op_class')), text(pick(plan, 'global_op_class'))) : text(undefined)}</ValueRow>
      <ValueRow title={_('EIRP')}>{plan ? _('%s of at most %s dBm', text(pick(plan, 'eirp_dbm')), text(pick(plan, 'eirp_max_dbm'))) : text(undefined)}</ValueRow>
      <ValueRow title={_('Duty cycle')}>{plan ? _('AP %s %, station %s %', text(pick(plan, 'duty_cycle_ap')), text(pick(plan, 'duty_cycle_sta'))) : text(undefined)}</ValueRow>
      <ValueRow title={_('Regulatory table')}>{`${text(pick(props.status, 'regdb.source'))} (${text(pick(props.status, 'regdb.countries'))}), ${_('%s differences', text(pick(props.status, 'regdb.mismatches')))}`}</ValueRow>
      <ValueRow title={_('Last apply')} id="sg-halow-last-apply">{last ? `${text(pick(last, 'result'))} ${since(pick(last, 'at'))} — ${_('%s changes', text((pick(last, 'changes') as unknown[] | undefined)?.length))}${pick(last, 'error') ? ` — ${text(pick(last, 'error'))}` : ''}` : text(undefined)}</ValueRow>
    </Section>
  );
}

/** The country's channels: legal ones, and why the others cannot be used. */
export function ChannelsSection(props: { rpc: Rpc; country: string | undefined }) {
  const [reply, setReply] = useState<Record<string, unknown> | undefined>();
  useEffect(() => {
    if (props.country) void props.rpc.call('smartgrid.halow', 'channels', { country: props.country }).then((data) => setReply(data as Record<string, unknown>)).catch(() => setReply(undefined));
  }, [props.country]);
  const channels = (pick(reply, 'channels') ?? []) as Array<Record<string, unknown>>;
  const refused = (pick(reply, 'refused_bandwidths') ?? []) as Array<{ bandwidth: number; reason: string }>;
  return (
    <Section title={_('Legal channels')} id="sg-halow-channels" description={reply ? _('%s; default channel %s', text(pick(reply, 'country_name')), text(pick(reply, 'default_channel'))) : undefined}>
      <Table headers={[_('Channel'), _('Width'), _('Centre'), _('5 GHz channel'), _('Operating class'), _('EIRP'), _('Duty cycle AP / station'), _('Usable')]}
        rows={channels.map((row) => [text(row.channel), text(row.bandwidth, 'MHz'), text(row.centre_mhz, 'MHz'), text(row.shim_channel), `${text(row.s1g_op_class)} / ${text(row.global_op_class)}`, text(row.eirp_max_dbm, 'dBm'), `${text(row.duty_cycle_ap)} / ${text(row.duty_cycle_sta)} %`,
          row.usable === true ? <Badge tone="ok">{_('yes')}</Badge> : <Badge tone="bad" title={text(row.reason)}>{_('no: the MM6108 radio cannot tune this channel')}</Badge>])} />
      {refused.map((entry) => <p class="cbi-section-descr">{_('%s MHz: not allowed in this country', String(entry.bandwidth))}</p>)}
    </Section>
  );
}

/** Seconds the service waits for this page's confirm before restoring the previous configs. */
const APPLY_ROLLBACK_S = 30;

export function DryRunSection(props: { rpc: Rpc; canApply: boolean; onDone(): void }) {
  const [changes, setChanges] = useState<string[] | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  const run = async (dryRun: boolean) => {
    try {
      // Like LuCI's apply: the service rolls back unless this page can still confirm afterwards.
      const reply = await props.rpc.call('smartgrid.halow', dryRun ? 'plan' : 'apply', dryRun ? { dry_run: true } : { rollback: APPLY_ROLLBACK_S });
      if (!dryRun && pick(reply, 'apply.result') === 'applied') await props.rpc.call('smartgrid.halow', 'confirm', {});
      const issues = (pick(reply, 'issues') ?? []) as Array<{ option: string; message: string }>;
      setChanges((pick(reply, 'changes') ?? []) as string[]);
      setMessage(issues.length ? issues.map((issue) => `${issue.option}: ${issue.message}`).join('; ') : dryRun ? undefined : _('Applied: %s', text(pick(reply, 'apply.result'))));
      props.onDone();
    } catch (error) {
      setMessage((error as Error).message);
    }
  };
  return (
    <Section title={_('Apply the profile')} id="sg-halow-apply">
      <Button kind="action" id="sg-halow-dry-run" onClick={() => void run(true)}>{_('Show the changes (dry run)')}</Button>{' '}
      <Button kind="apply" id="sg-halow-apply-now" disabled={!props.canApply} onClick={() => void run(false)}>{_('Apply now')}</Button>
      {message && <Alert kind="notice">{message}</Alert>}
      {changes && (changes.length ? <pre id="sg-halow-diff">{changes.join('\n')}</pre> : <p id="sg-halow-diff">{_('UCI already holds this profile: nothing to change.')}</p>)}
    </Section>
  );
}

export function StationsSection(props: { stations: Array<Record<string, unknown>> }) {
  return (
    <Section title={_('Stations')} id="sg-halow-stations">
      <Table headers={[_('MAC'), _('DCU'), _('Signal'), _('Rate rx / tx'), _('Received / sent'), _('PMF')]} empty={_('No station associated')}
        rows={props.stations.map((row) => [text(row.mac), row.known === true ? text(row.dcu) : <Badge tone="bad">{_('unknown')}</Badge>, text(row.signal, 'dBm'),
          `${text(row.rx_rate_kbps)} / ${text(row.tx_rate_kbps)} kbit/s`, `${bytes(row.rx_bytes)} / ${bytes(row.tx_bytes)}`, row.pmf === true ? _('yes') : _('no')])} />
    </Section>
  );
}

export function DcuSection(props: { dcus: Array<Record<string, unknown>>; unknown: string[]; summary: unknown }) {
  return (
    <Section title={_('DCU inventory')} id="sg-halow-dcus" description={_('%s present, %s missing, %s weak, %s unknown stations', text(pick(props.summary, 'present')), text(pick(props.summary, 'missing')), text(pick(props.summary, 'weak')), text(pick(props.summary, 'unknown')))}>
      <Table headers={[_('DCU'), _('MAC'), _('Site'), _('Meters'), _('Presence'), _('Signal'), _('Last heard')]} empty={_('No DCU listed (option dcus)')}
        rows={props.dcus.map((row) => [text(row.name), text(row.mac), text(row.site), text(row.meters), <PresenceBadge presence={row.presence} />,
          <SignalBadge signal={row.signal} signalClass={row.signal_class} weak={row.weak_signal} />, since(row.last_heard)])} />
      {props.unknown.length > 0 && <Alert kind="warning">{_('Unknown stations on the BSS: %s', props.unknown.join(', '))}</Alert>}
    </Section>
  );
}
