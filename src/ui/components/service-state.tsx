import { _ } from '../lib/i18n.js';
import { num, since, text } from '../lib/format.js';
import { configErrors } from '../lib/services.js';
import { Alert, Badge, type Tone } from './cbi.js';

const GOOD = new Set(['running', 'connected', 'up', 'ok', 'registered', 'home', 'wan', 'idle', 'normal']);
const WARN = new Set(['starting', 'connecting', 'degraded', 'data-saving', 'roaming', 'searching', 'backoff', 'lte', 'queue-full', 'not-implemented', 'disabled', 'upstream down']);

export function toneOf(state: unknown): Tone {
  const value = String(state ?? '').toLowerCase();
  if (!value || value === 'not running' || value === 'unknown') return 'off';
  if (GOOD.has(value)) return 'ok';
  if (WARN.has(value)) return 'warn';
  return 'bad';
}

/** A state word as a coloured badge; the word itself is device text, rendered as text. */
export function StateBadge(props: { state: unknown }) {
  const shown = props.state === undefined || props.state === null || props.state === '' ? _('not running') : text(props.state);
  return <Badge tone={toneOf(props.state)}>{_(shown)}</Badge>;
}

/** Marks a value read before its source stopped answering, with when it was read and how long ago. */
export function StaleMark(props: { at: unknown }) {
  if (num(props.at) === undefined) return null;
  return <span class="sg-stale-mark">{_('stale, read %s', since(props.at))}</span>;
}

/** The configuration the daemon rejected (`config_errors`), on the service's own page. */
export function ConfigErrorsAlert(props: { status: Record<string, unknown> | undefined }) {
  const rejected = configErrors(props.status);
  if (!rejected.length) return null;
  const keeps = props.status?.state === 'running';
  return (
    <Alert kind="error" id="sg-config-errors">
      <strong>{keeps ? _('The service rejected its configuration and keeps running with the last good one:') : _('The service cannot start with this configuration:')}</strong>
      <ul>{rejected.map((message) => <li>{message}</li>)}</ul>
    </Alert>
  );
}
