import { describe, expect, it } from 'vitest';
import { lteSchema, telemetrySchema } from '../../../src/lib/config/schemas/index.js';
import { validateSection } from '../../../src/lib/config/validate.js';
import { diffSection, fieldsOf, groupsOf, initialValues, issuesByOption, toUci } from '../../../src/ui/lib/schema-form-model.js';

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

  it('starts from the stored UCI values, else the schema defaults; secrets are never shown back', () => {
    const values = initialValues(telemetrySchema, { enabled: '0', broker_port: '1884', broker_password: 's3cret', topic_pattern: ['a/{meter}', 'b/{meter}'] });
    expect(values.enabled).toBe(false);
    expect(values.broker_port).toBe('1884');
    expect(values.broker_password).toBe('');
    expect(values.topic_pattern).toBe('a/{meter}\nb/{meter}');
    expect(values.batch_max_readings).toBe(String(telemetrySchema.properties.batch_max_readings!.default));
  });

  it('writes only what changed, keeps an untouched secret, and deletes options emptied by the admin', () => {
    const stored = { enabled: '1', log_level: 'info', broker_password: 's3cret', upstream_host: 'tb.example', batch_max_readings: '1000' };
    const form = initialValues(telemetrySchema, stored);
    form.batch_max_readings = '500';
    form.upstream_host = '';
    form.topic_pattern = 'x/{meter}\n\n y/{meter} ';
    const raw = toUci(telemetrySchema, form, stored);
    expect(raw.get('broker_password')).toBe('s3cret');
    const changes = diffSection(telemetrySchema, stored, raw);
    expect(changes.remove).toEqual(['upstream_host']);
    expect(changes.set.batch_max_readings).toBe('500');
    expect(changes.set.topic_pattern).toEqual(['x/{meter}', 'y/{meter}']);
    expect(changes.set).not.toHaveProperty('broker_password');
    expect(changes.set).not.toHaveProperty('enabled');
  });

  it('reports the daemon issue messages per option', () => {
    const form = initialValues(lteSchema, undefined);
    form.probe_interval = 'ten';
    form.mmcli_timeout = '999';
    const issues = daemonValidator(lteSchema, toUci(lteSchema, form, undefined));
    const byOption = issuesByOption(issues);
    expect(byOption.probe_interval).toBe("smartgrid.lte.probe_interval: value 'ten' is not an integer");
    expect(byOption.mmcli_timeout).toBe("smartgrid.lte.mmcli_timeout: value '999' is above the maximum 120");
  });
});
