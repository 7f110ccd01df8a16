import { _ } from '../lib/i18n.js';
import { DASH, num } from '../lib/format.js';
import { Badge, type Tone } from './cbi.js';

/** Usual LTE quality bands (operators' field guides): RSRP dBm, RSRQ dB, SINR dB. */
const BANDS: Record<'rsrp' | 'rsrq' | 'sinr', [good: number, fair: number]> = {
  rsrp: [-90, -105],
  rsrq: [-10, -15],
  sinr: [13, 0],
};

export function signalTone(kind: keyof typeof BANDS, value: unknown): Tone {
  const n = num(value);
  if (n === undefined) return 'off';
  const [good, fair] = BANDS[kind];
  return n >= good ? 'ok' : n >= fair ? 'warn' : 'bad';
}

const LABEL: Record<Tone, string> = { ok: 'good', warn: 'fair', bad: 'poor', off: 'unknown' };

export function SignalValue(props: { kind: keyof typeof BANDS; value: unknown; unit: string }) {
  const n = num(props.value);
  const tone = signalTone(props.kind, props.value);
  return (
    <span class={`sg-signal sg-signal-${props.kind}`} data-tone={tone}>
      <Badge tone={tone} title={_(LABEL[tone])}>{n === undefined ? DASH : `${n} ${props.unit}`}</Badge>
      {n !== undefined && <small> {_(LABEL[tone])}</small>}
    </span>
  );
}

/** RSRP / RSRQ / SINR side by side, from an `lte.status` modem signal block. */
export function SignalTriple(props: { signal: unknown }) {
  const signal = (props.signal ?? {}) as Record<string, unknown>;
  return (
    <span class="sg-signal-triple">
      RSRP <SignalValue kind="rsrp" value={signal.lte_rsrp ?? signal.rsrp} unit="dBm" />{' '}
      RSRQ <SignalValue kind="rsrq" value={signal.lte_rsrq ?? signal.rsrq} unit="dB" />{' '}
      SINR <SignalValue kind="sinr" value={signal.lte_snr ?? signal.sinr ?? signal.snr} unit="dB" />
    </span>
  );
}
