import { describe, expect, it } from 'vitest';
import { lteSchema, telemetrySchema } from '../../../src/lib/config/schemas/index.js';
import { validateSection } from '../../../src/lib/config/validate.js';
import { fieldsOf, groupsOf, initialValues, issuesByOption, sectionAfter, sectionChanges } from '../../../src/ui/lib/schema-form-model.js';

const daemonValidator = (schema: typeof telemetrySchema, raw: ReadonlyMap<string, string | string[]>) => {
  const result = validateSection(schema, raw);
  return result.ok ? [] : result.issues;
};

describe('schema-generated form model', () => {
  it('makes one field per option with the widget its type needs, grouped by x-group in schema order', () => {
    const fields = fieldsOf(telemetrySchema);
    expect(fields.map((field) => field.name)).toEqual(Object.keys(telemetrySchema.properties));
    const kind = (name: string) => fields.find((field) => field.name === name)?.kind;
    expect([kind('enabled'), kind('log_level'), kind('broker_port'), kind('broker_password'), kind('topic_pattern'), kind('upstream_host')])
      .toEqual(['boolean', 'enum', 'number', 'secret', 'list', 'text']);
    expect(groupsOf(fields)[0]).toBe('General');
    expect(new Set(groupsOf(fields))).toEqual(new Set(Object.values(telemetrySchema.properties).map((option) => option['x-group'])));
  });

  it('starts from the stored UCI values; unset text fields stay empty (the default is the placeholder), secrets are never shown back', () => {
    const values = initialValues(telemetrySchema, { enabled: '0', broker_port: '1884', broker_password: 's3cret', topic_pattern: ['a/{meter}', 'b/{meter}'] });
    expect(values.enabled).toBe(false);
    expect(values.broker_port).toBe('1884');
    expect(values.broker_password).toBe('');
    expect(values.topic_pattern).toBe('a/{meter}\nb/{meter}');
    expect(values.batch_max_readings).toBe('');
    expect(values.log_level).toBe('info');
    expect(values.upstream_tls).toBe(true);
  });

  it('writes only the options the admin changed, never the defaults of untouched ones', () => {
    const stored = { enabled: '1', log_level: 'info' };
    const initial = initialValues(lteSchema, stored);
    const changes = sectionChanges(lteSchema, initial, { ...initial, log_level: 'debug' }, stored);
    expect(changes).toEqual({ set: { log_level: 'debug' }, remove: [] });
    expect(sectionChanges(lteSchema, initial, { ...initial }, stored)).toEqual({ set: {}, remove: [] });
  });

  it('an option set back to its default or emptied is deleted; an untouched secret keeps its stored value', () => {
    const stored = { log_level: 'debug', broker_password: 's3cret', upstream_host: 'tb.example', batch_max_readings: '500', upstream_tls: '0', zscore_keys: ['a'] };
    const initial = initialValues(telemetrySchema, stored);
    const form = { ...initial, log_level: 'info', upstream_host: '', batch_max_readings: '1000', upstream_tls: true, zscore_keys: ' \n', topic_pattern: 'x/{meter}\n\n y/{meter} ' };
    const changes = sectionChanges(telemetrySchema, initial, form, stored);
    expect(changes.remove.sort()).toEqual(['batch_max_readings', 'log_level', 'upstream_host', 'upstream_tls', 'zscore_keys']);
    expect(changes.set).toEqual({ topic_pattern: ['x/{meter}', 'y/{meter}'] });
    expect(sectionAfter(telemetrySchema, stored, changes)).toEqual(new Map<string, string | string[]>([['broker_password', 's3cret'], ['topic_pattern', ['x/{meter}', 'y/{meter}']]]));
  });

  it('a default typed into an unset field writes nothing; a new secret is written', () => {
    const initial = initialValues(telemetrySchema, undefined);
    const changes = sectionChanges(telemetrySchema, initial, { ...initial, broker_port: '1883', broker_password: 'new' }, undefined);
    expect(changes).toEqual({ set: { broker_password: 'new' }, remove: [] });
  });

  it('reports the daemon issue messages per option', () => {
    const initial = initialValues(lteSchema, undefined);
    const form = { ...initial, probe_interval: 'ten', mmcli_timeout: '999' };
    const issues = daemonValidator(lteSchema, sectionAfter(lteSchema, undefined, sectionChanges(lteSchema, initial, form, undefined)));
    const byOption = issuesByOption(issues);
    expect(byOption.probe_interval).toBe("smartgrid.lte.probe_interval: value 'ten' is not an integer");
    expect(byOption.mmcli_timeout).toBe("smartgrid.lte.mmcli_timeout: value '999' is above the maximum 120");
  });
});
