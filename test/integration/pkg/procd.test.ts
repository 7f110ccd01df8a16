// The generated init scripts, run under the rc.common/procd.sh stand-in, must send procd the same
// kind of `service set` message as the captured conformance script (procd/service-set.json).
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageSpec, SERVICES } from '../../../tools/feed/catalog.js';
import { renderInitScript } from '../../../tools/feed/scripts.js';
import { defaultSections, renderUciCommit } from '../../../tools/feed/uci-render.js';
import { runInitScript, type Json } from '../../stand-ins/procd/procd.js';

const sample = JSON.parse(readFileSync(join(__dirname, '../../../../shared/conformance/procd/service-set.json'), 'utf8')) as {
  message: { instances: { main: Record<string, Json> }; triggers: Json[] };
};
const work = mkdtempSync(join(tmpdir(), 'sg-procd-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function writeConfig(dir: string, enabled: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  const sections = defaultSections(SERVICES, new Map()).map((section) => ({
    ...section,
    options: section.options.map(([k, v]) => (k === 'enabled' && enabled[section.name] ? [k, enabled[section.name]!] : [k, v]) as [string, string]),
  }));
  writeFileSync(join(dir, 'smartgrid'), renderUciCommit(sections));
}

function jsonKind(value: Json): string {
  if (Array.isArray(value)) return `array<${[...new Set(value.map(jsonKind))].join('|')}>`;
  if (value !== null && typeof value === 'object') return 'object';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'number';
  return typeof value;
}

for (const service of SERVICES) {
  describe(`/etc/init.d/smartgrid-${service} under procd`, () => {
    const spec = packageSpec(`smartgrid-${service}`);
    const script = join(work, `smartgrid-${service}`);
    writeFileSync(script, renderInitScript(spec));
    const enabledDir = join(work, `uci-on-${service}`);
    const disabledDir = join(work, `uci-off-${service}`);
    writeConfig(enabledDir, {});
    writeConfig(disabledDir, { [service]: '0' });

    it('start sends a service set shaped like the captured one', () => {
      const run = runInitScript({ script, action: 'start', uciDir: enabledDir });
      expect(run.status).toBe(0);
      expect(run.messages).toHaveLength(1);
      const { method, body } = run.messages[0]!;
      expect(method).toBe('set');
      expect(Object.keys(body)).toEqual(['name', 'script', 'instances', 'triggers', 'data']);
      expect(body.name).toBe(`smartgrid-${service}`);
      expect(body.script).toBe(script);
      expect(body.data).toEqual({});
      const instance = (body.instances as Record<string, Record<string, Json>>).instance1!;
      expect(instance.command).toEqual(['/usr/bin/node', ...packageSpec(`smartgrid-${service}`).service!.nodeFlags, `/usr/lib/smartgrid/smartgrid-${service}.js`]);
      expect(instance.respawn).toEqual(['3600', '5', '5']);
      expect(instance.stdout).toBe(true);
      expect(instance.stderr).toBe(true);
      expect(instance.file).toEqual(['/etc/config/smartgrid']);
      expect(instance.term_timeout).toBe(spec.service!.termTimeout);
      for (const [key, value] of Object.entries(instance)) {
        expect(jsonKind(value), key).toBe(jsonKind(sample.message.instances.main[key]!));
      }
      const expectedTrigger = JSON.parse(
        JSON.stringify(sample.message.triggers[0]).replace('"conftest"', '"smartgrid"').replace('/etc/init.d/conftest-svc', `/etc/init.d/smartgrid-${service}`),
      ) as Json;
      expect(body.triggers).toEqual([expectedTrigger]);
    });

    it('reload of a running, enabled service sends SIGHUP and no new service set', () => {
      const run = runInitScript({ script, action: 'reload', uciDir: enabledDir, running: true });
      expect(run.messages).toEqual([{ method: 'signal', body: { name: `smartgrid-${service}`, signal: 1 } }]);
    });

    it('reload of an enabled service that is not running starts it', () => {
      const run = runInitScript({ script, action: 'reload', uciDir: enabledDir, running: false });
      expect(run.messages.map((m) => m.method)).toEqual(['set']);
      expect(Object.keys(run.messages[0]!.body.instances as object)).toEqual(['instance1']);
    });

    it(`honours smartgrid.${service}.enabled=0: no instance (procd stops it), triggers kept, reason logged`, () => {
      for (const action of ['start', 'reload']) {
        const run = runInitScript({ script, action, uciDir: disabledDir, running: true });
        expect(run.messages).toHaveLength(1);
        expect(run.messages[0]!.body.instances).toEqual({});
        expect((run.messages[0]!.body.triggers as Json[]).length).toBe(1);
        expect(run.logger.flat().join(' ')).toContain(`smartgrid.${service}.enabled is 0`);
      }
    });

    it('stop deletes the service; enable/disable manage the rc.d links', () => {
      const rcDir = join(work, `rc.d-${service}`);
      mkdirSync(rcDir, { recursive: true });
      expect(runInitScript({ script, action: 'stop', uciDir: enabledDir }).messages).toEqual([
        { method: 'delete', body: { name: `smartgrid-${service}` } },
      ]);
      runInitScript({ script, action: 'enable', uciDir: enabledDir, rcDir });
      expect(readdirSync(rcDir).sort()).toEqual([`K10smartgrid-${service}`, `S95smartgrid-${service}`]);
      expect(runInitScript({ script, action: 'enabled', uciDir: enabledDir, rcDir }).status).toBe(0);
      runInitScript({ script, action: 'disable', uciDir: enabledDir, rcDir });
      expect(readdirSync(rcDir)).toEqual([]);
      expect(runInitScript({ script, action: 'enabled', uciDir: enabledDir, rcDir }).status).not.toBe(0);
    });
  });
}
