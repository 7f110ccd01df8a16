// The closing count of `make test` cannot be green when something failed: runs vitest over broken
// fixture suites with the project's summary reporter and reads what it wrote.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = new URL('../../../', import.meta.url).pathname;
const temp = mkdtempSync(join(tmpdir(), 'sg-summary-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function runFixture(fixture: string): { lines: string[]; status: number | null } {
  const summaryFile = join(temp, `${fixture}.txt`);
  const run = spawnSync(process.execPath, [join(REPO, 'node_modules/vitest/vitest.mjs'), 'run',
    '--config', join(REPO, 'test/unit/setup/fixtures/vitest.fixture.config.ts'),
    '--reporter', join(REPO, 'scripts/summary-reporter.mjs')], {
    cwd: REPO, encoding: 'utf8', env: { ...process.env, FIXTURE: `${fixture}.fixture.ts`, SMARTGRID_SUMMARY_FILE: summaryFile },
  });
  const lines = readFileSync(summaryFile, 'utf8').trim().split('\n');
  expect(run.stdout.trim().split('\n').at(-1)).toBe(lines.at(-1));
  return { lines, status: run.status };
}

describe('the test summary', () => {
  it('counts a suite whose beforeAll threw as failed, not as skipped', () => {
    const { lines, status } = runFixture('before-all-throws');
    expect(lines.at(-1)).toBe('1 passed, 1 failed');
    expect(lines).toContain('FAILED SUITE: before-all-throws.fixture.ts > a suite whose beforeAll throws: broker did not start');
    expect(status).not.toBe(0);
  });

  it('counts a file that fails to load as failed', () => {
    const { lines } = runFixture('does-not-load');
    expect(lines.at(-1)).toBe('0 passed, 1 failed');
    expect(lines.some((line) => line.startsWith('FAILED FILE: does-not-load.fixture.ts: ') && line.includes('no-such-module'))).toBe(true);
  });

  it('counts an error outside any test as failed', () => {
    const { lines } = runFixture('error-outside-tests');
    expect(lines.at(-1)).toBe('2 passed, 1 failed');
    expect(lines).toContain('ERROR OUTSIDE TESTS: late failure outside any test');
  });

  it('shows why a test was skipped, and fails a skip without a reason', () => {
    const { lines } = runFixture('skips');
    expect(lines.at(-1)).toBe('1 passed, 1 failed, 1 skipped');
    expect(lines).toContain('SKIPPED: skips.fixture.ts > a skip that says why (needs root for network namespaces)');
    expect(lines.some((line) => line.startsWith('FAILED: skips.fixture.ts > a skip that does not say why: skipped without a reason'))).toBe(true);
  });
});
