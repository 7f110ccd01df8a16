// The fleet alerting rules, checked and unit-tested by Debian's promtool.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../../helpers/tools.js';

const HERE = new URL('.', import.meta.url).pathname;
const RULES = join(HERE, '../../../tools/fleet/prometheus/smartgrid-alerts.yml');

describe('smartgrid alerting rules', () => {
  it('are valid Prometheus rules', () => {
    requireTool('promtool');
    const check = spawnSync('promtool', ['check', 'rules', RULES], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('SUCCESS: 6 rules found');
  });

  it('fire when the field documents say and not before (promtool test rules)', () => {
    const test = spawnSync('promtool', ['test', 'rules', 'alerts.promtest.yml'], { cwd: HERE, encoding: 'utf8' });
    expect(test.status, test.stdout + test.stderr).toBe(0);
  });
});
