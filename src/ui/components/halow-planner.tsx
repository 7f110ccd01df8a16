import { useState } from 'preact/hooks';
import { parsePointsCsv } from '../../halow/planner/csv.js';
import { placeSites, type PlacementResult } from '../../halow/planner/placement.js';
import { Alert, Button, Section, Table, ValueRow } from './cbi.js';
import { _ } from '../lib/i18n.js';

/** The placement planner in the browser: the same code as `smartgrid-halow plan`. */
export function PlannerSection() {
  const [points, setPoints] = useState('id,lat,lon\n');
  const [candidates, setCandidates] = useState('id,lat,lon\n');
  const [radius, setRadius] = useState('1500');
  const [capacity, setCapacity] = useState('64');
  const [target, setTarget] = useState('95');
  const [result, setResult] = useState<PlacementResult | undefined>();
  const [error, setError] = useState<string | undefined>();
  const run = () => {
    try {
      setError(undefined);
      setResult(placeSites({ points: parsePointsCsv(points, _('Points')), candidates: parsePointsCsv(candidates, _('Candidate sites')), radiusM: Number(radius), capacity: Number(capacity), targetPct: Number(target) }));
    } catch (problem) {
      setError((problem as Error).message);
    }
  };
  const field = (title: string, value: string, set: (value: string) => void, id: string) => (
    <ValueRow title={title} htmlFor={id}><input id={id} class="cbi-input-text" value={value} onInput={(event) => set((event.target as HTMLInputElement).value)} /></ValueRow>
  );
  return (
    <Section title={_('Site planner')} id="sg-halow-planner" description={_('Greedy capacitated set cover: sites within the radius serve at most the capacity each, until the coverage target is met.')}>
      <ValueRow title={_('Points (CSV id,lat,lon)')} htmlFor="sg-halow-points"><textarea id="sg-halow-points" rows={5} class="cbi-input-textarea" value={points} onInput={(event) => setPoints((event.target as HTMLTextAreaElement).value)} /></ValueRow>
      <ValueRow title={_('Candidate sites (CSV id,lat,lon)')} htmlFor="sg-halow-candidates"><textarea id="sg-halow-candidates" rows={5} class="cbi-input-textarea" value={candidates} onInput={(event) => setCandidates((event.target as HTMLTextAreaElement).value)} /></ValueRow>
      {field(_('Radius (m)'), radius, setRadius, 'sg-halow-radius')}
      {field(_('Capacity per site'), capacity, setCapacity, 'sg-halow-capacity')}
      {field(_('Coverage target (%)'), target, setTarget, 'sg-halow-target')}
      <Button kind="action" id="sg-halow-plan-run" onClick={run}>{_('Plan sites')}</Button>
      {error && <Alert kind="error">{error}</Alert>}
      {result && (
        <div id="sg-halow-plan-result">
          <p>{_('%s sites, coverage %s % (%s), %s unserved', String(result.sites.length), String(result.coverage_pct), result.target_met ? _('target met') : _('target missed'), String(result.unserved.length))}</p>
          <Table headers={[_('Site'), _('Latitude'), _('Longitude'), _('Served')]} rows={result.sites.map((site) => [site.id, String(site.lat), String(site.lon), String(site.served)])} />
        </div>
      )}
    </Section>
  );
}
