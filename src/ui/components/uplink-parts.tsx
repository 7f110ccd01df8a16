import { Section, Table, ValueRow } from './cbi.js';
import { StateBadge } from './service-state.js';
import { DASH, pick, since, text } from '../lib/format.js';
import { _ } from '../lib/i18n.js';

type Status = Record<string, unknown> | undefined;

const UPLINKS = ['wan', 'lte'] as const;
const UPLINK_TITLES: Record<(typeof UPLINKS)[number], string> = { wan: 'Ethernet (WAN)', lte: 'LTE' }; // i18n

export function uplinkTitle(uplink: unknown): string {
  return uplink === 'wan' || uplink === 'lte' ? _(UPLINK_TITLES[uplink]) : text(uplink);
}

/** The last probe rounds as a strip of marks, newest last: ✓ passed, ✗ failed. */
function roundsStrip(rounds: unknown): string {
  if (!Array.isArray(rounds) || !rounds.length) return DASH;
  return rounds.map((round) => (pick(round, 'ok') === true ? '✓' : '✗')).join('');
}

function dnsText(dns: unknown): string {
  if (!dns) return DASH;
  return pick(dns, 'ok') === true ? `${_('ok')} (${text(pick(dns, 'servers'))})` : `${_('failing')}: ${text(pick(dns, 'error'))} (${text(pick(dns, 'servers'))})`;
}

/** Every uplink's health, which one carries the traffic and why, and the switches with their causes. */
export function UplinksSection(props: { status: Status }) {
  const uplink = pick(props.status, 'uplink');
  const active = pick(uplink, 'active');
  const switches = (pick(uplink, 'switches') ?? []) as unknown[];
  return (
    <Section title={_('Uplinks')}>
      <ValueRow title={_('Traffic on')} id="sg-uplink-active">{uplinkTitle(active)} — {text(pick(uplink, 'reason'))}</ValueRow>
      <ValueRow title={_('Routes owned by')} id="sg-uplink-control">{pick(uplink, 'control') === 'mwan3' ? 'mwan3' : pick(uplink, 'control') === 'ip' ? _('this watchdog (policy routes)') : text(pick(uplink, 'control'))}</ValueRow>
      <Table id="sg-uplinks" headers={[_('Uplink'), _('Device'), _('State'), _('Loss'), _('Latency'), _('Last rounds'), _('DNS'), _('Cause')]}
        rows={UPLINKS.map((role) => {
          const item = pick(uplink, `uplinks.${role}`);
          return [
            `${uplinkTitle(role)}${role === active ? ' ★' : ''}`, `${text(pick(item, 'interface'))} / ${text(pick(item, 'device'))}`,
            <StateBadge state={pick(item, 'state')} />, text(pick(item, 'loss') ?? pick(item, 'mwan3.loss'), '%'),
            text(pick(item, 'latency_ms') ?? pick(item, 'mwan3.latencyMs'), 'ms'), roundsStrip(pick(item, 'rounds')), dnsText(pick(item, 'dns')),
            `${text(pick(item, 'cause'))} (${since(pick(item, 'since'))})`,
          ];
        })} />
      <Table id="sg-uplink-switches" headers={[_('Time'), _('From'), _('To'), _('Cause')]} empty={_('No switch yet')}
        rows={[...switches].reverse().slice(0, 20).map((record) => [since(pick(record, 'at')), uplinkTitle(pick(record, 'from')), uplinkTitle(pick(record, 'to')), text(pick(record, 'cause'))])} />
    </Section>
  );
}

/** The Overview's uplink rows: WAN beside LTE, as mwan3's status page shows its interfaces. */
export function UplinkSummaryRows(props: { status: Status }) {
  const uplink = pick(props.status, 'uplink');
  return (
    <>
      {UPLINKS.map((role) => {
        const item = pick(uplink, `uplinks.${role}`);
        return (
          <ValueRow title={uplinkTitle(role)} id={`sg-overview-${role}`}>
            <StateBadge state={pick(item, 'state')} /> {role === pick(uplink, 'active') ? _('carries the traffic') : ''}{' '}
            {_('loss')} {text(pick(item, 'loss'), '%')}, {_('latency')} {text(pick(item, 'latency_ms'), 'ms')}
          </ValueRow>
        );
      })}
    </>
  );
}
