import { _ } from '../lib/i18n.js';
import { text } from '../lib/format.js';
import { Badge, type Tone } from './cbi.js';

const GOOD = new Set(['running', 'connected', 'up', 'ok', 'registered', 'home', 'wan', 'idle', 'normal']);
const WARN = new Set(['starting', 'connecting', 'degraded', 'data-saving', 'roaming', 'searching', 'backoff', 'lte', 'queue-full', 'not-implemented', 'disabled']);

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
