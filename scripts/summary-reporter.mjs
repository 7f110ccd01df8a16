// Vitest reporter behind the closing line "N passed, N failed[, N skipped]" of `make test` and CI.
// Counted as failed: a failed test; a suite or file whose own code failed (a throwing beforeAll, a file
// that does not load), whose tests vitest then marks skipped; an error outside any test; an
// interrupted run; and a skipped test that does not say why (skip with ctx.skip('why') or test/helpers/skip.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';

function taskPath(task) {
  const names = [];
  for (let t = task; t && t.type !== undefined && t.filepath === undefined; t = t.suite) names.unshift(t.name);
  return names.join(' > ');
}

function firstMessage(errors) {
  const error = errors?.[0];
  return error ? String(error.message ?? error).split('\n')[0] : '';
}

function walk(task, file, inFailedSuite, out) {
  if (task.type === 'test') {
    const state = task.result?.state;
    const where = `${file} > ${taskPath(task)}`;
    if (state === 'pass') out.passed += 1;
    else if (state === 'fail') out.failures.push(`FAILED: ${where}: ${firstMessage(task.result.errors)}`);
    else if (inFailedSuite) out.suppressed += 1;
    else if (task.result?.note) out.skips.push(`SKIPPED: ${where} (${task.result.note})`);
    else if (task.mode === 'todo') out.failures.push(`FAILED: ${where}: a todo test, not a test`);
    else out.failures.push(`FAILED: ${where}: skipped without a reason (use ctx.skip('why') or test/helpers/skip.ts)`);
    return;
  }
  const ownErrors = task.result?.errors ?? [];
  const failedHere = task.result?.state === 'fail' && ownErrors.length > 0;
  if (failedHere) {
    const what = task.type === 'suite' && task.filepath === undefined ? `FAILED SUITE: ${file} > ${taskPath(task)}` : `FAILED FILE: ${file}`;
    out.failures.push(`${what}: ${firstMessage(ownErrors)}`);
  }
  for (const child of task.tasks ?? []) walk(child, file, inFailedSuite || failedHere, out);
}

/** Counts a finished run: files are vitest's file tasks, errors the unhandled ones. */
export function summarize(files, unhandledErrors = [], reason = 'passed', root = process.cwd()) {
  const out = { passed: 0, failures: [], skips: [], suppressed: 0 };
  for (const file of files) walk(file, relative(root, file.filepath), false, out);
  for (const error of unhandledErrors) out.failures.push(`ERROR OUTSIDE TESTS: ${firstMessage([error])}`);
  if (reason === 'interrupted') out.failures.push('FAILED: the run was interrupted');
  if (files.length === 0) out.failures.push('FAILED: no test file ran');
  const line = `${out.passed} passed, ${out.failures.length} failed${out.skips.length ? `, ${out.skips.length} skipped` : ''}`;
  return { ...out, line };
}

export default class SummaryReporter {
  constructor(options = {}) {
    this.outputFile = options.outputFile ?? process.env.SMARTGRID_SUMMARY_FILE ?? 'build/test-summary.txt';
  }

  onInit(vitest) {
    this.root = vitest.config.root;
  }

  onTestRunEnd(testModules, unhandledErrors, reason) {
    const summary = summarize(testModules.map((module) => module.task), unhandledErrors, reason, this.root);
    const lines = [...summary.skips, ...summary.failures, summary.line];
    mkdirSync(dirname(this.outputFile), { recursive: true });
    writeFileSync(this.outputFile, `${lines.join('\n')}\n`);
    process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}
