import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { SECTION_SCHEMAS } from '../../../src/lib/config/schemas/index.js';
import { validateSection } from '../../../src/lib/config/validate.js';
import type { UciValue } from '../../../src/lib/uci/types.js';
import type { SectionValidator } from '../../../src/ui/lib/schema-form-model.js';

const root = new URL('../../..', import.meta.url).pathname;

/** Bundles the page validator the way the page build does (ajv standalone) and loads it here. */
async function browserValidator(): Promise<SectionValidator> {
  const { pagePlugins } = await import(join(root, 'src/ui/build-plugins.mjs'));
  const names = Object.keys(SECTION_SCHEMAS);
  const entry = `import { makeValidator } from './src/ui/lib/validate-browser.ts';\n${names.map((name) => `import v_${name} from 'smartgrid:validator/${name}';`).join('\n')}\n`
    + `export default makeValidator({ ${names.map((name) => `'smartgrid.${name}': v_${name}`).join(', ')} });`;
  const result = await build({ stdin: { contents: entry, resolveDir: root, loader: 'ts' }, bundle: true, write: false, format: 'cjs', platform: 'neutral', plugins: pagePlugins(root), logLevel: 'silent', mainFields: ['main', 'module'] });
  const module = { exports: {} as { default?: SectionValidator } };
  new Function('module', 'exports', 'require', result.outputFiles[0]!.text)(module, module.exports, () => { throw new Error('no require in the browser bundle'); });
  return module.exports.default!;
}

const CASES: [string, Record<string, UciValue>][] = [
  ['telemetry', { batch_max_readings: '99999', broker_port: '0', mode: 'fast', topic_pattern: ['no-meter', 'ok/{meter}'], zscore_threshold: 'x' }],
  ['telemetry', { upstream_tls: 'maybe', broker_password: 'hunter2', broker_client_id: 'bad id!' }],
  ['telemetry', { broker_host: '<img src=x onerror=alert(1)>', queue_dir: 'queue', upstream_ca_file: '/srv/../etc/shadow', command_topic: 'cmd/#', dead_letter_topic: 'dl/+' }],
  ['lte', { probe_interval: 'ten', mmcli_timeout: '999', probe_method: 'smoke', probe_targets: [] }],
  ['lte', { quota_mb: '-1', ladder_step: ['reconnect:spacing=30'], reboot_enabled: 'yes' }],
  ['lte', { interface: '-a', probe_targets: ['-f', '<img src=x onerror=alert(1)>'], state_dir: 'queue', probe_dns_name: 'a..b', power_cycle_target: '/etc/passwd' }],
  ['thread', {}],
  ['halow', {}],
];

describe('the page validator (ajv standalone, built like the pages)', () => {
  it('gives exactly the issues the daemon gives for the same UCI values', async () => {
    const validate = await browserValidator();
    for (const [section, raw] of CASES) {
      const schema = SECTION_SCHEMAS[section]!;
      const map = new Map(Object.entries(raw));
      const daemon = validateSection(schema, map);
      expect(validate(schema, map), `${section} ${JSON.stringify(raw)}`).toEqual(daemon.ok ? [] : daemon.issues);
    }
  });

  it('has a schema validator for every section schema file', () => {
    const files = readdirSync(join(root, 'src/lib/config/schemas')).filter((name) => name.endsWith('.schema.json'));
    expect(files.map((file) => JSON.parse(readFileSync(join(root, 'src/lib/config/schemas', file), 'utf8')).$id).sort())
      .toEqual(Object.keys(SECTION_SCHEMAS).map((name) => `smartgrid.${name}`).sort());
  });
});
