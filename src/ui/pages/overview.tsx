import { Alert, Section, Table, ValueRow } from '../components/cbi.js';
import { registerPage, type PageProps } from '../components/app.js';
import { StaleMark, StateBadge } from '../components/service-state.js';
import { SignalTriple } from '../components/signal.js';
import { UplinkSummaryRows, uplinkTitle } from '../components/uplink-parts.js';
import { usePoll } from '../components/use-poll.js';
import { DASH, duration, pick, since, text } from '../lib/format.js';
import { _ } from '../lib/i18n.js';
import { allStatuses, configErrors, modemStaleAt, pageUrl, queueDepth, SERVICES, telemetryHealth, type ServiceName, type ServiceStatus } from '../lib/services.js';

const TITLES: Record<ServiceName, string> = { telemetry: 'Telemetry', lte: 'LTE', thread: 'Thread', halow: 'HaLow' }; // i18n
const PAGES: Partial<Record<ServiceName, string>> = { telemetry: 'telemetry', lte: 'lte' };

/** One word for a service row: a status that could not be read is "unknown", never "not running". */
function stateOf(name: ServiceName, entry: ServiceStatus | undefined): unknown {
  if (!entry) return undefined;
  if (entry.error) return 'unknown';
  const status = entry.status;
  if (!status) return undefined;
  if (name === 'telemetry') return telemetryHealth(status);
  if (configErrors(status).length) return 'config-error';
  return status.state === 'running' && typeof status.connection === 'string' ? status.connection : status.state;
}

/** The default routes the LTE watchdog sees (as mwan3's status lists its interfaces). */
function WanRows(props: { lte: Record<string, unknown> | undefined }) {
  const routes = (pick(props.lte, 'failover.routes') ?? []) as unknown[];
  return (
    <ValueRow title={_('Default routes')} id="sg-wan">
      {routes.length === 0 ? DASH : routes.map((route) => (
        <div>
          <StateBadge state={pick(route, 'usable') === true ? 'up' : 'down'} /> {text(pick(route, 'interface') ?? pick(route, 'device'))}
          {' '}({text(pick(route, 'device'))}, {_('metric %s', text(pick(route, 'metric')))})
        </div>
      ))}
    </ValueRow>
  );
}

function lastError(entry: ServiceStatus | undefined): string {
  if (!entry) return DASH;
  if (entry.error) return entry.error;
  const rejected = configErrors(entry.status);
  if (rejected.length) return rejected.join('; ');
  return text(pick(entry.status, 'last_error') ?? pick(entry.status, 'modem_error.message') ?? pick(entry.status, 'failover.error'));
}

function Link(props: { page: string | undefined; children: string }) {
  return props.page ? <a href={pageUrl(props.page)}>{props.children}</a> : <span>{props.children}</span>;
}

function Overview(props: PageProps) {
  const poll = usePoll(() => allStatuses(props.rpc), props.pollS);
  const data = poll.data;
  const telemetry = data?.telemetry.status;
  const lte = data?.lte.status;
  const uplink = pick(lte, 'uplink.active') ?? pick(lte, 'failover.active_uplink');
  const onLteSince = pick(lte, 'failover.on_lte_since');
  return (
    <div id="sg-overview">
      {poll.error && <Alert kind="error">{_('Could not load the status: %s', poll.error)}</Alert>}
      <Section title={_('Services')}>
        <Table id="sg-services" headers={[_('Service'), _('State'), _('Uptime'), _('Last error')]} rows={SERVICES.map((name) => [
          <Link page={PAGES[name]}>{_(TITLES[name])}</Link>,
          <StateBadge state={stateOf(name, data?.[name])} />,
          duration(pick(data?.[name]?.status, 'uptime')),
          lastError(data?.[name]),
        ])} />
      </Section>
      <Section title={_('Uplink')}>
        <ValueRow title={_('Uplink in use')} id="sg-uplink"><Link page="lte">{uplinkTitle(uplink)}</Link> {text(pick(lte, 'uplink.reason'))}</ValueRow>
        <ValueRow title={_('Since')}>{uplink === 'lte' ? since(onLteSince) : text(pick(lte, 'failover.last_failback.at') ? since(pick(lte, 'failover.last_failback.at')) : undefined)}</ValueRow>
        <UplinkSummaryRows status={lte} />
        <ValueRow title={_('LTE state')} id="sg-lte-state"><StateBadge state={pick(lte, 'modem.state') ?? pick(lte, 'health.status')} /> {text(pick(lte, 'modem.operator_name'))} <StaleMark at={modemStaleAt(lte)} /></ValueRow>
        <ValueRow title={_('LTE health')}><StateBadge state={pick(lte, 'health.status')} /></ValueRow>
        <ValueRow title={_('LTE signal')}><SignalTriple signal={pick(lte, 'modem.signal')} /></ValueRow>
        <WanRows lte={lte} />
      </Section>
      <Section title={_('Telemetry')}>
        <ValueRow title={_('Health')} id="sg-telemetry-health"><StateBadge state={telemetryHealth(telemetry)} /></ValueRow>
        <ValueRow title={_('Local broker')}><StateBadge state={pick(telemetry, 'local_broker')} /></ValueRow>
        <ValueRow title={_('Upstream')}><Link page="telemetry">{_(text(pick(telemetry, 'connection')))}</Link> {text(pick(telemetry, 'upstream'))}</ValueRow>
        <ValueRow title={_('Queue depth')} id="sg-queue-depth">{text(queueDepth(pick(telemetry, 'queue.depth')))}</ValueRow>
        <ValueRow title={_('Oldest undelivered reading')}>{pick(telemetry, 'queue.oldest_age_s') ? duration(pick(telemetry, 'queue.oldest_age_s')) : DASH}</ValueRow>
        <ValueRow title={_('Readings/s in / out')} id="sg-rates">{text(pick(telemetry, 'rate_in'))} / {text(pick(telemetry, 'rate_out'))}</ValueRow>
        <ValueRow title={_('Mode')}>{_(text(pick(telemetry, 'mode')))}</ValueRow>
      </Section>
    </div>
  );
}

registerPage('overview', Overview);
