import { describe, expect, it } from 'vitest';
import { createLogger, memorySink, SecretRegistry } from '../../../src/lib/log.js';
import { validateSection } from '../../../src/lib/config/validate.js';
import type { SectionSchema } from '../../../src/lib/config/validate.js';

const schema: SectionSchema = {
  $id: 'smartgrid.sample',
  type: 'object',
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean', default: true },
    log_level: { type: 'string', enum: ['debug', 'info', 'notice', 'warn', 'error'], default: 'info' },
    batch_size: { type: 'integer', minimum: 1, maximum: 5000, default: 100 },
    ratio: { type: 'number', default: 0.5 },
    servers: { type: 'array', items: { type: 'string' }, default: [] },
    ports: { type: 'array', items: { type: 'integer' }, default: [] },
    password: { type: 'string', pattern: '^(.{8,})?$', default: '', 'x-secret': true },
  },
};

const run = (entries: Record<string, string | string[]>) => validateSection<Record<string, unknown>>(schema, new Map(Object.entries(entries)));

describe('validateSection', () => {
  it('applies defaults to a missing section', () => {
    expect(run({})).toEqual({ ok: true, config: { enabled: true, log_level: 'info', batch_size: 100, ratio: 0.5, servers: [], ports: [], password: '' } });
  });

  it.each([['1', true], ['yes', true], ['on', true], ['enabled', true], ['TRUE', true], ['0', false], ['no', false], ['off', false], ['disabled', false], ['false', false]])(
    'reads boolean %s like OpenWrt', (text, expected) => {
      const result = run({ enabled: text });
      expect(result.ok && result.config.enabled).toBe(expected);
    });

  it('rejects a non-boolean', () => {
    const result = run({ enabled: 'maybe' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]).toMatchObject({ path: 'smartgrid.sample.enabled', value: 'maybe', rule: 'type boolean' });
  });

  it('is strict about integers and numbers', () => {
    const result = run({ batch_size: '12abc', ratio: '1.5x' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((issue) => issue.rule)).toEqual(['type integer', 'type number']);
    const good = run({ batch_size: '12', ratio: '-1.5e2' });
    expect(good.ok && [good.config.batch_size, good.config.ratio]).toEqual([12, -150]);
  });

  it('names option, value and rule for a range violation, and reports every problem at once', () => {
    const result = run({ batch_size: '99999', log_level: 'loud' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toContainEqual({
      path: 'smartgrid.sample.batch_size', value: 99999, rule: 'maximum 5000',
      message: "smartgrid.sample.batch_size: value '99999' is above the maximum 5000",
    });
    expect(result.issues.find((issue) => issue.path === 'smartgrid.sample.log_level')?.message)
      .toBe("smartgrid.sample.log_level: value 'loud' is not one of debug|info|notice|warn|error");
  });

  it('turns a scalar into a one-item list and types list items', () => {
    const result = run({ servers: 'a.example', ports: ['1', '2'] });
    expect(result.ok && [result.config.servers, result.config.ports]).toEqual([['a.example'], [1, 2]]);
    const bad = run({ ports: ['1', 'x'] });
    expect(!bad.ok && bad.issues[0]).toMatchObject({ path: 'smartgrid.sample.ports', value: 'x', rule: 'type integer' });
  });

  it('rejects a list where a single value is expected', () => {
    const result = run({ batch_size: ['1', '2'] });
    expect(!result.ok && result.issues[0].rule).toBe('type integer');
  });

  it('names unknown options', () => {
    const result = run({ bogus: '1' });
    expect(!result.ok && result.issues[0]).toMatchObject({ path: 'smartgrid.sample.bogus', rule: 'known option', message: "smartgrid.sample.bogus: unknown option 'bogus'" });
  });

  it('never shows a secret, in issues or in log lines', () => {
    const secrets = new SecretRegistry();
    const sink = memorySink();
    const log = createLogger({ name: 'smartgrid-sample', sink, secrets });
    const result = validateSection(schema, new Map([['password', 'hunter2x'.slice(0, 7)]]), { secrets });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ path: 'smartgrid.sample.password', value: '***', rule: 'pattern ^(.{8,})?$' });
    expect(JSON.stringify(result.issues)).not.toContain('hunter2');
    for (const issue of result.issues) log.error(`invalid config: ${issue.message}`, { issue });
    log.info('the password is hunter2 and nothing else');
    expect(sink.lines.join('\n')).not.toContain('hunter2');
    expect(sink.lines.join('\n')).toContain('***');
  });
});
