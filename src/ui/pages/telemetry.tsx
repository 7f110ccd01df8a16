import schemaJson from '../../lib/config/schemas/telemetry.schema.json';
import type { SectionSchema } from '../../lib/config/schema-types.js';
import validateTelemetry from 'smartgrid:validator/telemetry';
import { registerPage, useAccess, type PageProps } from '../components/app.js';
import { Alert, Button, Section, Table, ValueRow } from '../components/cbi.js';
import { LineChart } from '../components/charts.js';
import { SchemaForm } from '../components/schema-form.js';
import { ConfigErrorsAlert, StateBadge } from '../components/service-state.js';
import { useTelemetryHistory } from '../components/telemetry-history.js';
import { useAction } from '../components/use-action.js';
import { usePoll } from '../components/use-poll.js';
import { bytes, DASH, duration, num, pick, since, text } from '../lib/format.js';
import { _ } from '../lib/i18n.js';
import { serviceStatus, queueDepth, telemetryHealth } from '../lib/services.js';
import { makeValidator } from '../lib/validate-browser.js';

const schema = schemaJson as SectionSchema;

/** The modes of ubus `set_mode` (the schema's `mode` enum), each with its button. */
const MODES = [
  { mode: 'normal', label: () => _('Switch to normal mode'), help: () => _('Forward readings as they arrive.') },
  { mode: 'data-saving', label: () => _('Switch to data-saving mode'), help: () => _('Send fewer, fuller batches; alarms are never delayed.') },
  { mode: 'critical-only', label: () => _('Switch to critical-only mode'), help: () => _('Send only alarms and events; telemetry stays queued on disk.') },
] as const;
const validate = makeValidator({ [schema.$id]: validateTelemetry });

async function load(props: PageProps, history: ReturnType<typeof useTelemetryHistory>) {
  const [status] = await Promise.all([serviceStatus(props.rpc, 'telemetry'), history.fetch(props.rpc)]);
  const stats = status.status ? await props.rpc.call('smartgrid.telemetry', 'stats').catch(() => undefined) : undefined;
  return { ...status, stats };
}

function Telemetry(props: PageProps) {
  const history = useTelemetryHistory();
  const poll = usePoll(() => load(props, history), props.pollS);
  const access = useAccess(props.rpc, {
    config: ['uci', 'smartgrid', 'write'],
    flush: ['ubus', 'smartgrid.telemetry', 'flush'],
    mode: ['ubus', 'smartgrid.telemetry', 'set_mode'],
  });
  const status = poll.data?.status;
  const stats = poll.data?.stats;
  history.add(poll.at, {
    in: num(pick(status, 'rate_in')), out: num(pick(status, 'rate_out')), queue: queueDepth(pick(status, 'queue.depth')),
  });
  const action = useAction(props.rpc, 'smartgrid.telemetry', poll.refresh);
  const act = (method: string, args: Record<string, unknown>, done: string) => void action.run(method, args, done);
  const rejects = Object.entries((pick(status, 'rejects') ?? pick(stats, 'rejects') ?? {}) as Record<string, unknown>);
  // Newest first (ubus status); meter ids and topics are device-provided: only ever text nodes.
  const anomalies = pick(status, 'recent_anomalies');
  const recentRejects = pick(status, 'recent_rejects');
  const depth = pick(status, 'queue.depth');
  const mode = pick(status, 'mode');
  return (
    <div id="sg-telemetry">
      {poll.error && <Alert kind="error">{_('Could not load the status: %s', poll.error)}</Alert>}
      {poll.data && !status && !poll.data.error && <Alert kind="warning">{_('The telemetry service is not running.')}</Alert>}
      <ConfigErrorsAlert status={status} />
      <Section title={_('Status')}>
        <ValueRow title={_('Service')} id="sg-telemetry-state"><StateBadge state={pick(status, 'state')} /></ValueRow>
        <ValueRow title={_('Health')} id="sg-telemetry-health"><StateBadge state={telemetryHealth(status)} /></ValueRow>
        <ValueRow title={_('Upstream')}><StateBadge state={pick(status, 'connection')} /> {text(pick(status, 'upstream'))}</ValueRow>
        <ValueRow title={_('Connected since')}>{since(pick(status, 'connected_since'))}</ValueRow>
        <ValueRow title={_('Local broker')}><StateBadge state={pick(status, 'local_broker')} /></ValueRow>
        <ValueRow title={_('Mode')} id="sg-telemetry-mode">{_(text(mode))}</ValueRow>
        <ValueRow title={_('Queue')} id="sg-telemetry-queue">
          <StateBadge state={pick(status, 'queue.state')} /> {text(queueDepth(depth))}
          {depth && typeof depth === 'object' ? ` (${Object.entries(depth as Record<string, unknown>).map(([k, v]) => `${_(k)} ${text(v)}`).join(', ')})` : ''}
        </ValueRow>
        <ValueRow title={_('Oldest undelivered reading')}>{pick(status, 'queue.oldest_age_s') ? duration(pick(status, 'queue.oldest_age_s')) : DASH}</ValueRow>
        <ValueRow title={_('Disk use')}>{bytes(pick(status, 'queue.disk_bytes'))}</ValueRow>
        <ValueRow title={_('Readings/s in / out')}>{text(pick(status, 'rate_in'))} / {text(pick(status, 'rate_out'))}</ValueRow>
        <ValueRow title={_('Totals in / out')}>{text(pick(stats, 'readings_in'))} / {text(pick(stats, 'readings_out'))}</ValueRow>
        <ValueRow title={_('Duplicates')}>{text(pick(status, 'duplicates'))}</ValueRow>
        <ValueRow title={_('Last error')} id="sg-telemetry-error">{text(pick(status, 'last_error') || pick(status, 'ingest_blocked'))}</ValueRow>
      </Section>
      <Section title={_('Last hour')}>
        <LineChart id="sg-chart-rates" label={_('Readings per second')} unit="/s" series={[
          { name: _('in'), points: history.get('in'), colour: '#0069d6' },
          { name: _('out'), points: history.get('out'), colour: '#46a546' },
          { name: _('rejected'), points: history.get('rejects'), colour: '#c43c35' },
        ]} />
        <LineChart id="sg-chart-queue" label={_('Queue depth')} series={[{ name: _('queued'), points: history.get('queue'), colour: '#f89406' }]} />
      </Section>
      <Section title={_('Rejected readings by reason')}>
        <Table id="sg-rejects" headers={[_('Reason'), _('Count')]} rows={rejects.map(([reason, count]) => [reason, text(count)])} empty={_('No rejected readings')} />
      </Section>
      <Section title={_('Recent anomalies')}>
        {Array.isArray(anomalies)
          ? <Table id="sg-anomalies" headers={[_('Time'), _('Meter'), _('Rule'), _('Value'), _('Detail')]} empty={_('No anomalies')}
              rows={anomalies.map((a) => [since(pick(a, 'ts')), text(pick(a, 'meter')), text(pick(a, 'rule')), `${text(pick(a, 'key'))} = ${text(pick(a, 'value'))}`, text(pick(a, 'reason'))])} />
          : <ValueRow title={_('Anomalies detected')}>{text(pick(stats, 'anomalies'))}</ValueRow>}
      </Section>
      {Array.isArray(recentRejects) && (
        <Section title={_('Recently rejected messages')}>
          <Table id="sg-recent-rejects" headers={[_('Time'), _('Topic'), _('Reason'), _('Detail')]} empty={_('No rejected readings')}
            rows={recentRejects.map((r) => [since(pick(r, 'ts')), text(pick(r, 'topic')), text(pick(r, 'reason')), text(pick(r, 'detail'))])} />
        </Section>
      )}
      <Section title={_('Actions')}>
        {action.notice && <Alert kind={action.notice.kind} id="sg-action-notice">{action.notice.text}</Alert>}
        {access && (access.flush || access.mode) ? (
          <div class="cbi-page-actions sg-actions">
            {access.flush && <Button kind="action" id="sg-flush" onClick={() => act('flush', {}, _('Flush requested'))}>{_('Flush queue now')}</Button>}{' '}
            {access.mode && (
              <span id="sg-mode">
                {MODES.filter((m) => m.mode !== mode).flatMap((m) => [
                  <Button kind="save" id={`sg-mode-${m.mode}`} title={m.help()} onClick={() => act('set_mode', { mode: m.mode }, _('Mode set to %s', _(m.mode)))}>{m.label()}</Button>, ' ',
                ])}
              </span>
            )}
          </div>
        ) : <em>{access ? _('You have read-only access: actions are not available.') : DASH}</em>}
      </Section>
      {access && <SchemaForm rpc={props.rpc} schema={schema} section="telemetry" readonly={!access.config} validate={validate} timings={props.timings} />}
    </div>
  );
}

registerPage('telemetry', Telemetry);
