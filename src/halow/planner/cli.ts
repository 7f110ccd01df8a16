// `smartgrid-halow plan --points P.csv --candidates C.csv --radius M --capacity N [--target PCT]
//  [--format json|csv] [--out FILE]`: site placement from the command line (JSON or CSV out).
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { assignmentCsv, parsePointsCsv, PlannerInputError } from './csv.js';
import { placeSites } from './placement.js';

export const PLAN_USAGE = 'usage: smartgrid-halow plan --points FILE --candidates FILE --radius METRES --capacity N [--target PERCENT] [--format json|csv] [--out FILE]';

function positive(name: string, text: string | undefined, fallback?: number): number {
  if (text === undefined && fallback !== undefined) return fallback;
  const value = Number(text);
  if (text === undefined || !Number.isFinite(value) || value <= 0) throw new PlannerInputError(`--${name} must be a positive number (got ${text ?? 'nothing'})`);
  return value;
}

function readInput(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new PlannerInputError(`${what}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** Runs the command; returns the exit code (0 ok, 1 bad input, 2 target missed). */
export function runPlanCli(argv: readonly string[], out: (text: string) => void = (text) => process.stdout.write(text), err: (text: string) => void = (text) => process.stderr.write(text)): number {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { points: { type: 'string' }, candidates: { type: 'string' }, radius: { type: 'string' }, capacity: { type: 'string' }, target: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
      strict: true,
    });
    if (!values.points || !values.candidates) throw new PlannerInputError('--points and --candidates are required');
    const format = values.format ?? 'json';
    if (format !== 'json' && format !== 'csv') throw new PlannerInputError(`--format must be json or csv (got ${format})`);
    const target = positive('target', values.target, 100);
    if (target > 100) throw new PlannerInputError(`--target is a percentage (got ${target})`);
    const result = placeSites({
      points: parsePointsCsv(readInput(values.points, 'points'), 'points'),
      candidates: parsePointsCsv(readInput(values.candidates, 'candidates'), 'candidates'),
      radiusM: positive('radius', values.radius),
      capacity: Math.floor(positive('capacity', values.capacity)),
      targetPct: target,
    });
    const text = format === 'csv' ? assignmentCsv(result) : JSON.stringify(result, null, 2) + '\n';
    if (values.out) writeFileSync(values.out, text);
    else out(text);
    err(`${result.sites.length} sites, coverage ${result.coverage_pct} % (target ${target} %${result.target_met ? '' : ', missed'}), ${result.unserved.length} unserved\n`);
    return result.target_met ? 0 : 2;
  } catch (error) {
    const known = error instanceof PlannerInputError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    err(`smartgrid-halow plan: ${(error as Error).message}\n${known ? PLAN_USAGE + '\n' : ''}`);
    return 1;
  }
}
