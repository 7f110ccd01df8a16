// The rc.common/functions.sh stand-in reads UCI like OpenWrt's config_load: lists, and a default
// that also replaces an empty value (functions.sh uses ${CONFIG_<section>_<option>:-<default>}).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInitScript } from '../../stand-ins/procd/procd.js';

const work = mkdtempSync(join(tmpdir(), 'sg-rc-common-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const SCRIPT = `#!/bin/sh /etc/rc.common
show() {
	config_load smartgrid
	config_get targets lte probe_targets
	config_get count lte probe_targets_LENGTH
	config_get device lte device wwan0
	config_get unset lte nothing fallback
	config_get kept lte interface wan
	logger "targets=$targets" "count=$count" "device=$device" "unset=$unset" "kept=$kept"
	config_list_foreach lte probe_targets each
}
each() { logger "item=$1"; }
`;

describe('rc.common stand-in config_* helpers', () => {
  it('reads list options into the joined value, _LENGTH, _ITEMn and config_list_foreach, and defaults empty values', () => {
    const uciDir = join(work, 'config');
    writeFileSync(join(work, 'show.init'), SCRIPT);
    mkdirSync(uciDir, { recursive: true });
    writeFileSync(join(uciDir, 'smartgrid'), "config lte 'lte'\n\tlist probe_targets '1.1.1.1'\n\tlist probe_targets '9.9.9.9#53'\n\toption device ''\n\toption interface 'wwan'\n");
    const run = runInitScript({ script: join(work, 'show.init'), action: 'show', uciDir });
    expect(run.stderr).toBe('');
    expect(run.logger).toEqual([
      ['targets=1.1.1.1 9.9.9.9#53', 'count=2', 'device=wwan0', 'unset=fallback', 'kept=wwan'],
      ['item=1.1.1.1'], ['item=9.9.9.9#53'],
    ]);
  });
});
