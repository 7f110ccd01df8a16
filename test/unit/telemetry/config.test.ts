import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import schemaJson from '../../../src/lib/config/schemas/telemetry.schema.json';
import type { SectionSchema } from '../../../src/lib/config/schema-types.js';
import { UciSectionSource } from '../../../src/lib/config/uci-source.js';
import type { TelemetryConfig } from '../../../src/telemetry/config.js';

const schema = schemaJson as unknown as SectionSchema;
const dir = mkdtempSync(join(tmpdir(), 'sg-telemetry-uci-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(text: string) {
  writeFileSync(join(dir, 'smartgrid'), text);
  return new UciSectionSource<TelemetryConfig>({ section: 'telemetry', schema, configDir: dir }).load();
}

describe('telemetry.schema.json through the UCI loader', () => {
  it('documents every option and names the section', () => {
    expect(schema.$id).toBe('smartgrid.telemetry');
    for (const [name, option] of Object.entries(schema.properties)) {
      expect(option.title, name).toBeTruthy();
      expect(option.description, name).toBeTruthy();
      expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
    }
    expect(schema.properties.upstream_access_token['x-secret']).toBe(true);
    expect(schema.properties.enabled.default).toBe(true);
  });

  it('coerces UCI strings and lists and fills defaults', async () => {
    const result = await load(`config telemetry 'telemetry'
\toption upstream_host 'tb.example.com'
\toption upstream_port '8883'
\toption upstream_tls_verify '1'
\toption batch_max_bytes '32000'
\toption zscore_threshold '3.5'
\tlist obis_map '1-0:99.8.0=custom_kwh'
\tlist rule_range 'voltage_l1_v=207:253'
\tlist rule_range 'frequency_hz=49.5:'
\tlist topic_pattern 'telemetry/{region}/{dcu}/{meter}'
\tlist topic_pattern 'site/{meter}'
`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      upstream_host: 'tb.example.com', upstream_port: 8883, upstream_tls: true, upstream_tls_verify: true, batch_max_bytes: 32000,
      zscore_threshold: 3.5, obis_map: ['1-0:99.8.0=custom_kwh'], rule_range: ['voltage_l1_v=207:253', 'frequency_hz=49.5:'],
      topic_pattern: ['telemetry/{region}/{dcu}/{meter}', 'site/{meter}'], queue_max_mb: 2048, queue_max_age: 168, mode: 'normal',
    });
  });

  it('names the option and rule of a bad value', async () => {
    const result = await load(`config telemetry 'telemetry'
\toption batch_max_bytes '70000'
\toption mode 'turbo'
\tlist topic_pattern 'telemetry/#'
`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.issues.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['smartgrid.telemetry.batch_max_bytes', 'smartgrid.telemetry.mode']));
    expect(paths.some((p) => p.startsWith('smartgrid.telemetry.topic_pattern'))).toBe(true);
  });
});
