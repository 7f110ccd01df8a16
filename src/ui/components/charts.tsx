import { DASH } from '../lib/format.js';

export interface Series {
  name: string;
  /** [x (ms), y] */
  points: [number, number][];
  colour: string;
}

const W = 600;
const H = 160;
const PAD = { left: 48, right: 8, top: 8, bottom: 20 };

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

/** A small inline-SVG time chart: no library, scales to its container. */
export function LineChart(props: { series: Series[]; unit?: string; label: string; windowMs?: number; now?: number; id?: string }) {
  const now = props.now ?? Date.now();
  const start = now - (props.windowMs ?? 3600_000);
  const all = props.series.flatMap((series) => series.points.filter(([x]) => x >= start));
  const max = niceMax(Math.max(0, ...all.map(([, y]) => y)));
  const x = (t: number) => PAD.left + ((t - start) / (now - start)) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
  return (
    <figure class="sg-chart" aria-label={props.label} id={props.id}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" preserveAspectRatio="none">
        <title>{props.label}</title>
        {[0, 0.5, 1].map((f) => (
          <g>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(max * f)} y2={y(max * f)} class="sg-grid" />
            <text x={PAD.left - 4} y={y(max * f) + 4} text-anchor="end" class="sg-axis">{`${+(max * f).toPrecision(3)}${props.unit ? ` ${props.unit}` : ''}`}</text>
          </g>
        ))}
        <text x={PAD.left} y={H - 4} class="sg-axis">{new Date(start).toLocaleTimeString()}</text>
        <text x={W - PAD.right} y={H - 4} text-anchor="end" class="sg-axis">{new Date(now).toLocaleTimeString()}</text>
        {props.series.map((series) => {
          const visible = series.points.filter(([t]) => t >= start);
          if (!visible.length) return null;
          return <polyline data-series={series.name} data-count={visible.length} fill="none" stroke={series.colour} stroke-width="2" points={visible.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')} />;
        })}
      </svg>
      <figcaption>
        {props.series.map((series) => {
          const last = series.points[series.points.length - 1];
          return <span class="sg-legend"><i style={{ background: series.colour }} />{series.name}: {last ? `${+last[1].toFixed(2)}${props.unit ? ` ${props.unit}` : ''}` : DASH}</span>;
        })}
      </figcaption>
    </figure>
  );
}

/** Bars per day with an optional limit line (data usage against quota). */
export function BarChart(props: { bars: { label: string; value: number }[]; limit?: number; unit?: string; label: string }) {
  const max = niceMax(Math.max(props.limit ?? 0, ...props.bars.map((bar) => bar.value)));
  const width = (W - PAD.left - PAD.right) / Math.max(1, props.bars.length);
  const y = (v: number) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
  return (
    <figure class="sg-chart" aria-label={props.label}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" preserveAspectRatio="none">
        <title>{props.label}</title>
        <text x={PAD.left - 4} y={y(max) + 4} text-anchor="end" class="sg-axis">{`${+max.toPrecision(3)} ${props.unit ?? ''}`}</text>
        <text x={PAD.left - 4} y={y(0) + 4} text-anchor="end" class="sg-axis">0</text>
        {props.bars.map((bar, index) => (
          <rect x={PAD.left + index * width + 1} width={Math.max(1, width - 2)} y={y(bar.value)} height={Math.max(0, y(0) - y(bar.value))} class="sg-bar">
            <title>{`${bar.label}: ${+bar.value.toFixed(2)} ${props.unit ?? ''}`}</title>
          </rect>
        ))}
        {props.limit !== undefined && <line x1={PAD.left} x2={W - PAD.right} y1={y(props.limit)} y2={y(props.limit)} class="sg-limit" />}
        {props.bars.length > 0 && <text x={PAD.left} y={H - 4} class="sg-axis">{props.bars[0]!.label}</text>}
        {props.bars.length > 1 && <text x={W - PAD.right} y={H - 4} text-anchor="end" class="sg-axis">{props.bars[props.bars.length - 1]!.label}</text>}
      </svg>
    </figure>
  );
}
