import { DASH } from '../lib/format.js';

export interface Series {
  name: string;
  /** [x (ms), y] */
  points: [number, number][];
  colour: string;
}

const W = 600;
const H = 160;

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

/** An axis or legend value: 3 significant digits, the locale's separators, the unit. */
const label = (value: number, unit?: string) => `${(+value.toPrecision(3)).toLocaleString()}${unit ? ` ${unit}` : ''}`;

/** The y axis as text beside the plot (in the theme's font size, not scaled with the SVG). */
function YAxis(props: { max: number; unit?: string }) {
  return <div class="sg-axis sg-axis-y" aria-hidden="true">{[1, 0.5, 0].map((f) => <span>{label(props.max * f, props.unit)}</span>)}</div>;
}

/** A small time chart: SVG lines, axis labels and legend as text; no library, scales to its container. */
export function LineChart(props: { series: Series[]; unit?: string; label: string; windowMs?: number; now?: number; id?: string }) {
  const now = props.now ?? Date.now();
  const start = now - (props.windowMs ?? 3600_000);
  const all = props.series.flatMap((series) => series.points.filter(([x]) => x >= start));
  const max = niceMax(Math.max(0, ...all.map(([, y]) => y)));
  const x = (t: number) => ((t - start) / (now - start)) * W;
  const y = (v: number) => H - (v / max) * H;
  return (
    <figure class="sg-chart" aria-label={props.label} id={props.id}>
      <div class="sg-chart-plot">
        <YAxis max={max} unit={props.unit} />
        <svg viewBox={`0 0 ${W} ${H}`} role="img" preserveAspectRatio="none">
          <title>{props.label}</title>
          {[0.5, 1].map((f) => <line x1={0} x2={W} y1={y(max * f)} y2={y(max * f)} class="sg-grid" vector-effect="non-scaling-stroke" />)}
          {props.series.map((series) => {
            const visible = series.points.filter(([t]) => t >= start);
            if (!visible.length) return null;
            return <polyline data-series={series.name} data-count={visible.length} fill="none" stroke={series.colour} stroke-width="2" vector-effect="non-scaling-stroke" points={visible.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')} />;
          })}
        </svg>
      </div>
      <div class="sg-axis sg-axis-x" aria-hidden="true"><span>{new Date(start).toLocaleTimeString()}</span><span>{new Date(now).toLocaleTimeString()}</span></div>
      <figcaption class="sg-legend-list">
        {props.series.map((series) => {
          const last = series.points[series.points.length - 1];
          return <span class="sg-legend"><i style={{ background: series.colour }} />{series.name}: {last ? label(last[1], props.unit) : DASH}</span>;
        })}
      </figcaption>
    </figure>
  );
}

/** Bars per day with an optional limit line (data usage against quota). */
export function BarChart(props: { bars: { label: string; value: number }[]; limit?: number; unit?: string; label: string }) {
  const max = niceMax(Math.max(props.limit ?? 0, ...props.bars.map((bar) => bar.value)));
  const width = W / Math.max(1, props.bars.length);
  const y = (v: number) => H - (v / max) * H;
  return (
    <figure class="sg-chart" aria-label={props.label}>
      <div class="sg-chart-plot">
        <YAxis max={max} unit={props.unit} />
        <svg viewBox={`0 0 ${W} ${H}`} role="img" preserveAspectRatio="none">
          <title>{props.label}</title>
          {props.bars.map((bar, index) => (
            <rect x={index * width + 1} width={Math.max(1, width - 2)} y={y(bar.value)} height={Math.max(0, H - y(bar.value))} class="sg-bar">
              <title>{`${bar.label}: ${label(bar.value, props.unit)}`}</title>
            </rect>
          ))}
          {props.limit !== undefined && <line x1={0} x2={W} y1={y(props.limit)} y2={y(props.limit)} class="sg-limit" vector-effect="non-scaling-stroke" />}
        </svg>
      </div>
      {props.bars.length > 0 && <div class="sg-axis sg-axis-x" aria-hidden="true"><span>{props.bars[0]!.label}</span><span>{props.bars[props.bars.length - 1]!.label}</span></div>}
    </figure>
  );
}
