import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECTION_SCHEMAS } from '../../../src/lib/config/schemas/index.js';
import { secretOptions } from '../../../src/lib/config/schema-types.js';
import { validateSection } from '../../../src/lib/config/validate.js';
import { checkTemplate, renderTemplate } from '../../../tools/fleet/check.js';
import { evaluateVars, renderCustomPackages } from '../../../tools/fleet/netjson.js';
import { fleetTemplates } from '../../../tools/fleet/templates.js';
import { FLEET_VARIABLES } from '../../../tools/fleet/variables.js';
import { variablesMarkdown } from '../../../tools/fleet/variables-doc.js';

const REPO = new URL('../../../', import.meta.url).pathname;
const templates = fleetTemplates(SECTION_SCHEMAS);
const examples = Object.fromEntries(FLEET_VARIABLES.map((v) => [v.name, v.example]));

describe('netjsonconfig rendering of a custom package', () => {
  it('renders blocks as netjsonconfig does: sorted keys, lists, booleans, empty values left out, names cleaned', () => {
    const files = renderCustomPackages({
      smartgrid: [{ config_name: 'telemetry', config_value: 'tele-metry.x', upstream_tls: false, zz: 'last', aa: 5, empty: '', none: null, rule_range: ['a=1:2', 'b=:3'] }],
      interfaces: 'not a package', other: [{ notABlock: true } as never],
    });
    expect([...files.keys()]).toEqual(['smartgrid']);
    expect(files.get('smartgrid')).toBe("config telemetry 'tele_metry_x'\n\toption aa '5'\n\tlist rule_range 'a=1:2'\n\tlist rule_range 'b=:3'\n\toption upstream_tls '0'\n\toption zz 'last'\n\n");
  });

  it('evaluates {{ name }} variables and leaves unknown ones verbatim', () => {
    expect(evaluateVars({ a: ['{{ x }}-{{y}}', '{{ unknown }}'], b: 3 }, { x: '1', y: '2' })).toEqual({ a: ['1-2', '{{ unknown }}'], b: 3 });
  });
});

describe('OpenWISP templates generated from the schemas', () => {
  it('has one template per section and one with all of them', () => {
    expect([...templates.keys()].sort()).toEqual([...Object.keys(SECTION_SCHEMAS).map((s) => `smartgrid-${s}.json`), 'smartgrid-all.json'].sort());
  });

  it('every variable names an option of its section schema, and every variable has a default', () => {
    for (const variable of FLEET_VARIABLES) expect(SECTION_SCHEMAS[variable.section]?.properties[variable.option], variable.name).toBeDefined();
    const all = templates.get('smartgrid-all.json')!;
    expect(Object.keys(all.default_values).sort()).toEqual(FLEET_VARIABLES.map((v) => v.name).sort());
  });

  it('carries no literal secret: secrets go to smartgrid_secrets only, each a variable whose default is empty', () => {
    let secretsSeen = 0;
    for (const [file, template] of templates) {
      for (const block of template.config.smartgrid) {
        const secrets = secretOptions(SECTION_SCHEMAS[block.config_name]!);
        expect(Object.keys(block).filter((option) => secrets.includes(option)), `${file} smartgrid.${block.config_name}`).toEqual([]);
      }
      for (const block of template.config.smartgrid_secrets ?? []) {
        for (const [option, value] of Object.entries(block)) {
          if (option === 'config_name' || option === 'config_value') continue;
          secretsSeen++;
          expect(SECTION_SCHEMAS[block.config_name]!.properties[option]?.['x-secret'], `${file} smartgrid_secrets.${block.config_name}.${option}`).toBe(true);
          expect(value, `${file} ${option}`).toMatch(/^\{\{ \w+ \}\}$/);
          expect(template.default_values[String(value).slice(3, -3)], `${file} ${option} default`).toBe('');
        }
      }
    }
    expect(secretsSeen).toBeGreaterThan(0);
  });

  it('a secret in the readable package, or a plain option among the secrets, fails the check', () => {
    const result = checkTemplate({ config: {
      smartgrid: [{ config_name: 'telemetry', config_value: 'telemetry', upstream_access_token: 'A1b2C3d4E5f6G7h8I9j0' }],
      smartgrid_secrets: [{ config_name: 'telemetry', config_value: 'telemetry', upstream_port: '8883' }],
    } }, {}, SECTION_SCHEMAS);
    expect(result.ok).toBe(false);
    expect(result.messages).toContain('smartgrid.telemetry.upstream_access_token: a secret in the readable package; put it in smartgrid_secrets');
    expect(result.messages).toContain('smartgrid_secrets.telemetry.upstream_port: not a secret option; it belongs in smartgrid');
  });

  it.each([...templates.keys()])('%s renders with its defaults and with realistic per-site values into a config the daemons accept', (file) => {
    const template = templates.get(file)!;
    expect(checkTemplate(template, {}, SECTION_SCHEMAS)).toMatchObject({ ok: true, messages: [] });
    const site = checkTemplate(template, examples, SECTION_SCHEMAS);
    expect(site.messages).toEqual([]);
    for (const block of template.config.smartgrid) expect(site.uci).toContain(`config ${block.config_name} '${block.config_name}'`);
  });

  it('puts the per-site values into /etc/config/smartgrid and the secrets into /etc/config/smartgrid_secrets', () => {
    const { uci, secretsUci } = renderTemplate(templates.get('smartgrid-all.json'), examples);
    expect(uci).toContain("\toption upstream_host 'tb.utility.example'\n");
    expect(uci).toContain("\toption connect_settings 'apn=iot.carrier.example'\n");
    expect(uci).not.toContain('network_key');
    expect(secretsUci).toContain("config thread 'thread'\n\toption network_key '00112233445566778899aabbccddeeff'\n");
    expect(secretsUci).toContain("\toption upstream_access_token 'A1b2C3d4E5f6G7h8I9j0'\n");
    expect(renderTemplate(templates.get('smartgrid-all.json')).secretsUci).not.toContain('option');
  });

  it('a wrong value fails with the message the daemon logs for it', () => {
    const result = checkTemplate(templates.get('smartgrid-thread.json'), { thread_channel: '99' }, SECTION_SCHEMAS);
    const daemon = validateSection(SECTION_SCHEMAS.thread!, new Map([['channel', '99']]));
    expect(daemon.ok).toBe(false);
    expect(result.ok).toBe(false);
    expect(result.messages).toEqual(daemon.ok ? [] : daemon.issues.map((issue) => issue.message));
    expect(result.messages[0]).toContain('smartgrid.thread.channel');
  });

  it('reports a variable without a value and an unknown section', () => {
    const result = checkTemplate({ config: { smartgrid: [{ config_name: 'thread', config_value: 'thread', channel: '{{ nowhere }}' }, { config_name: 'weather', config_value: 'weather' }] } }, {}, SECTION_SCHEMAS);
    expect(result.messages).toContain('variable {{ nowhere }} has no value (not in the template\'s default_values nor in the variables)');
    expect(result.messages.some((m) => m.startsWith("smartgrid.weather: unknown section type 'weather'"))).toBe(true);
  });

  it('docs/fleet-variables.md is the generated variables page', () => {
    expect(readFileSync(join(REPO, 'docs/fleet-variables.md'), 'utf8')).toBe(variablesMarkdown(SECTION_SCHEMAS));
  });
});

describe('smartgrid-fleet CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sg-fleet-cli-'));
  let cli = '';
  beforeAll(async () => {
    const { buildFleetCli } = await import('../../../scripts/fleet.mjs' as string) as { buildFleetCli(out: string): Promise<string> };
    cli = await buildFleetCli(join(dir, 'smartgrid-fleet.cjs'));
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

  it('writes the templates, passes a good template and fails a bad one with the daemon message', () => {
    expect(run('templates', join(dir, 'out')).status).toBe(0);
    const template = join(dir, 'out', 'smartgrid-thread.json');
    writeFileSync(join(dir, 'good.json'), JSON.stringify({ thread_channel: '25' }));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ thread_channel: '99' }));
    expect(run('check', template, join(dir, 'good.json'))).toMatchObject({ status: 0 });
    const bad = run('check', template, join(dir, 'bad.json'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('smartgrid.thread.channel');
    expect(run('check', join(dir, 'missing.json')).stderr).toContain('missing.json');
  });
});
