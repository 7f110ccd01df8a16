import { Section, Table, ValueRow } from './cbi.js';
import { BarChart } from './charts.js';
import { StaleMark, StateBadge } from './service-state.js';
import { SignalTriple } from './signal.js';
import { modemStaleAt } from '../lib/services.js';
import { bytes, DASH, duration, num, pick, since, text } from '../lib/format.js';
import { _ } from '../lib/i18n.js';

type Status = Record<string, unknown> | undefined;

export function ModemSection(props: { status: Status }) {
  const modem = pick(props.status, 'modem');
  const retries = pick(modem, 'unlock_retries');
  const staleAt = modemStaleAt(props.status);
  return (
    <Section title={_('Modem')}>
      <ValueRow title={_('Health')} id="sg-lte-health">
        <StateBadge state={pick(props.status, 'health.status')} /> {text(pick(props.status, 'health.cause') ?? pick(props.status, 'health.reason'))}
        {pick(props.status, 'health.detail') ? ` — ${text(pick(props.status, 'health.detail'))}` : ''}
      </ValueRow>
      <ValueRow title={_('Modem')} id="sg-lte-modem">{[pick(modem, 'manufacturer'), pick(modem, 'model'), pick(modem, 'revision')].map((part) => text(part)).filter((part) => part !== DASH).join(' ') || DASH}</ValueRow>
      <ValueRow title={_('State')} id="sg-lte-state"><StateBadge state={pick(modem, 'state')} /> {pick(modem, 'failed_reason') && pick(modem, 'failed_reason') !== '--' ? text(pick(modem, 'failed_reason')) : ''} <StaleMark at={staleAt} /></ValueRow>
      {Boolean(pick(props.status, 'modem_error')) && <ValueRow title={_('Modem error')} id="sg-lte-modem-error">{text(pick(props.status, 'modem_error.kind'))}: {text(pick(props.status, 'modem_error.message'))}</ValueRow>}
      <ValueRow title={_('Power')}>{text(pick(modem, 'power_state'))}</ValueRow>
      <ValueRow title={_('SIM')} id="sg-lte-sim">
        {pick(modem, 'sim.present') === false ? _('missing') : text(pick(modem, 'sim.iccid'))}{' '}
        {pick(modem, 'lock') && pick(modem, 'lock') !== 'sim-pin2' && pick(modem, 'lock') !== 'none' ? <StateBadge state={pick(modem, 'lock')} /> : null}
        {retries && typeof retries === 'object' && Object.keys(retries).length ? ` ${_('unlock retries')}: ${Object.entries(retries as Record<string, unknown>).map(([k, v]) => `${k} ${text(v)}`).join(', ')}` : ''}
      </ValueRow>
      <ValueRow title={_('Registration')} id="sg-lte-registration"><StaleMark at={staleAt} /> <StateBadge state={pick(modem, 'registration')} /> {text(pick(modem, 'operator_name') ?? pick(modem, 'sim.operator_name'))} {pick(modem, 'operator_code') ? `(${text(pick(modem, 'operator_code'))})` : ''}</ValueRow>
      <ValueRow title={_('Access technology')}>{text(pick(modem, 'access_technologies'))}</ValueRow>
      <ValueRow title={_('Signal quality')}>{text(pick(modem, 'signal_quality'), '%')}</ValueRow>
      <ValueRow title={_('Signal')} id="sg-lte-signal"><SignalTriple signal={pick(modem, 'signal')} /> RSSI {text(pick(modem, 'signal.lte_rssi'), 'dBm')}</ValueRow>
    </Section>
  );
}

export function BearerSection(props: { status: Status }) {
  const bearers = (pick(props.status, 'modem.bearers') ?? []) as unknown[];
  const staleAt = modemStaleAt(props.status);
  return (
    <Section title={_('Bearer')}>
      <Table id="sg-lte-bearers" headers={[_('Connected'), _('APN'), _('Interface'), _('IPv4'), _('Duration'), _('Received / sent'), _('Error')]} empty={_('No bearer')}
        rows={bearers.map((bearer) => [
          <><StateBadge state={pick(bearer, 'connected') === true ? 'connected' : pick(bearer, 'connected') === false ? 'disconnected' : undefined} /> <StaleMark at={staleAt} /></>,
          text(pick(bearer, 'apn')), text(pick(bearer, 'interface')),
          text(pick(bearer, 'ipv4.address')), duration(pick(bearer, 'stats.duration')),
          `${bytes(pick(bearer, 'stats.bytes_rx'))} / ${bytes(pick(bearer, 'stats.bytes_tx'))}`,
          text(pick(bearer, 'connection_error')),
        ])} />
    </Section>
  );
}

export function ProbeLadderSection(props: { status: Status; history: unknown[] }) {
  const ladder = pick(props.status, 'ladder');
  const last = pick(props.status, 'probe.last');
  return (
    <Section title={_('Connectivity and recovery')}>
      <ValueRow title={_('Probe')} id="sg-lte-probe"><StateBadge state={pick(props.status, 'probe.verdict')} /> {text(pick(props.status, 'probe.method'))} {last ? `— ${_('%s of %s targets answered', text(pick(last, 'successes')), text(Array.isArray(pick(last, 'results')) ? (pick(last, 'results') as unknown[]).length : undefined))} ${since(pick(last, 'at'))}` : ''}</ValueRow>
      {Array.isArray(pick(last, 'results')) && (
        <Table id="sg-lte-probes" headers={[_('Target'), _('Method'), _('Result'), _('Round trip')]}
          rows={(pick(last, 'results') as unknown[]).map((result) => [text(pick(result, 'target')), text(pick(result, 'method')),
            <StateBadge state={pick(result, 'ok') === true ? 'ok' : text(pick(result, 'error'))} />, text(pick(result, 'rttMs') ?? pick(result, 'rtt_ms'), 'ms')])} />
      )}
      <ValueRow title={_('Ladder')} id="sg-lte-ladder"><StateBadge state={pick(ladder, 'state')} /> {text(pick(ladder, 'step'))}</ValueRow>
      <ValueRow title={_('Next action')}>{text(pick(ladder, 'next_step'))} {num(pick(ladder, 'next_action_in_s')) !== undefined ? _('in %s', duration(pick(ladder, 'next_action_in_s'))) : ''}</ValueRow>
      <ValueRow title={_('Down since')}>{since(pick(ladder, 'down_since'))}</ValueRow>
      <ValueRow title={_('Uplink in use')} id="sg-lte-uplink">{text(pick(props.status, 'failover.active_uplink'))} {_('failovers')}: {text(pick(props.status, 'failover.failovers'))}</ValueRow>
      <Table id="sg-lte-history" headers={[_('Time'), _('Event'), _('Step'), _('Reason'), _('Outcome')]} empty={_('No actions yet')}
        rows={[...props.history].reverse().slice(0, 25).map((entry) => [
          since(pick(entry, 'at')), text(pick(entry, 'kind')), text(pick(entry, 'step')), text(pick(entry, 'reason')),
          text(pick(entry, 'outcome') ?? pick(entry, 'detail')),
        ])} />
    </Section>
  );
}

export function UsageSection(props: { status: Status; days: unknown[] }) {
  const usage = pick(props.status, 'usage');
  const quota = num(pick(usage, 'quota_bytes'));
  const periodStart = num(pick(usage, 'period_start'));
  let cumulative = 0;
  const bars = props.days
    .filter((day) => periodStart === undefined || Date.parse(String(pick(day, 'day'))) >= (periodStart < 1e12 ? periodStart * 1000 : periodStart) - 86_400_000)
    .map((day) => {
      cumulative += (num(pick(day, 'rx_bytes')) ?? 0) + (num(pick(day, 'tx_bytes')) ?? 0);
      return { label: String(pick(day, 'day')), value: cumulative / 1048576 };
    });
  return (
    <Section title={_('Data usage')}>
      <ValueRow title={_('Used this period')} id="sg-lte-usage">
        {bytes(pick(usage, 'used_bytes'))} {quota ? `/ ${bytes(quota)} (${text(pick(usage, 'used_percent'))} %)` : `(${_('no quota')})`} <StateBadge state={pick(usage, 'level')} />
      </ValueRow>
      <ValueRow title={_('Period')}>{since(pick(usage, 'period_start'))} → {since(pick(usage, 'period_end'))}</ValueRow>
      <BarChart label={_('Cumulative data usage this period')} unit="MiB" bars={bars} limit={quota ? quota / 1048576 : undefined} />
    </Section>
  );
}
