import { useEffect, useState } from 'preact/hooks';
import type { SectionSchema } from '../../lib/config/schema-types.js';
import { applyWithRollback, revertConfig, stageSecrets, stageSection, type ApplyTimings } from '../lib/apply.js';
import { _ } from '../lib/i18n.js';
import type { Rpc } from '../lib/rpc.js';
import {
  diffSection, fieldsOf, groupsOf, initialValues, issuesByOption, splitSecretChanges, toUci,
  type FieldModel, type FormValues, type SectionValidator,
} from '../lib/schema-form-model.js';
import { Alert, Button, Section, Tabs, ValueRow } from './cbi.js';

export interface SchemaFormProps {
  rpc: Rpc;
  schema: SectionSchema;
  /** UCI section name (and type) in package `smartgrid`. */
  section: string;
  readonly: boolean;
  validate: SectionValidator;
  timings: ApplyTimings;
}

type Notice = { kind: 'error' | 'warning' | 'notice'; text: string } | undefined;

function helpText(field: FieldModel): string {
  const { option } = field;
  const parts = [option.description ? _(option.description) : ''];
  if (option.minimum !== undefined || option.maximum !== undefined) {
    parts.push(_('Range: %s – %s', option.minimum ?? '…', option.maximum ?? '…') + (option['x-unit'] ? ` ${option['x-unit']}` : ''));
  }
  if (option.default !== undefined && !option['x-secret'] && option.default !== '') {
    parts.push(_('Default: %s', Array.isArray(option.default) ? option.default.join(', ') : String(option.default)));
  }
  return parts.filter(Boolean).join(' ');
}

/** A LuCI-style configuration form generated from a section's JSON Schema. */
export function SchemaForm(props: SchemaFormProps) {
  const { rpc, schema, section } = props;
  const [stored, setStored] = useState<Record<string, unknown> | undefined>(undefined);
  const [values, setValues] = useState<FormValues>(() => initialValues(schema, undefined));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<Notice>(undefined);
  const [busy, setBusy] = useState(false);
  const [pendingRevert, setPendingRevert] = useState(false);

  const load = async () => {
    const [status, data] = await rpc.callRaw('uci', 'get', { config: 'smartgrid', section });
    const current = status === 0 ? (data?.values as Record<string, unknown> | undefined) : undefined;
    setStored(current);
    setValues(initialValues(schema, current));
    setErrors({});
    const changes = await rpc.callRaw('uci', 'changes', { config: 'smartgrid' }).catch(() => [0, undefined] as const);
    setPendingRevert(Array.isArray(changes[1]?.changes) && (changes[1]!.changes as unknown[]).length > 0);
  };
  useEffect(() => { load().catch((error: Error) => setNotice({ kind: 'error', text: error.message })); }, [section]);

  const fields = fieldsOf(schema);
  const disabled = props.readonly || busy;

  const save = async () => {
    setNotice(undefined);
    const raw = toUci(schema, values, stored);
    const issues = props.validate(schema, raw);
    const byOption = issuesByOption(issues);
    setErrors(byOption);
    if (issues.length) {
      setNotice({ kind: 'error', text: _('The configuration is invalid: %s', issues.map((issue) => issue.message).join('; ')) });
      return;
    }
    setBusy(true);
    try {
      const { config, secrets } = splitSecretChanges(schema, diffSection(schema, stored, raw));
      const stagedSecrets = await stageSecrets(rpc, 'smartgrid_secrets', section, section, secrets);
      const staged = (await stageSection(rpc, 'smartgrid', section, section, config)) || stagedSecrets;
      if (!staged && !pendingRevert) { setNotice({ kind: 'notice', text: _('There are no changes to apply') }); return; }
      setNotice({ kind: 'notice', text: _('Applying configuration changes… %ds', props.timings.apply_rollback) });
      const outcome = await applyWithRollback(rpc, props.timings, (left) => setNotice({ kind: 'notice', text: _('Applying configuration changes… %ds', left) }));
      if (outcome === 'applied') setNotice({ kind: 'notice', text: _('Configuration changes applied.') });
      else setNotice({ kind: 'warning', text: _('The device could not be reached after applying: the configuration has been rolled back. The changes are still staged.') });
      await load();
    } catch (error) {
      setNotice({ kind: 'error', text: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const discard = async () => {
    setBusy(true);
    try {
      if (pendingRevert) await revertConfig(rpc, 'smartgrid');
      // Secrets staged by a rolled-back apply cannot be listed (write-only): drop them too.
      if (!props.readonly) await revertConfig(rpc, 'smartgrid_secrets');
      await load();
      setNotice(undefined);
    } catch (error) {
      setNotice({ kind: 'error', text: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const field = (model: FieldModel) => {
    const id = `widget.cbid.smartgrid.${section}.${model.name}`;
    const value = values[model.name];
    const set = (next: string | boolean) => setValues({ ...values, [model.name]: next });
    const unit = model.option['x-unit'];
    let input;
    switch (model.kind) {
      case 'boolean':
        input = <input type="checkbox" class="cbi-input-checkbox" id={id} checked={value === true} disabled={disabled} onChange={(event) => set(event.currentTarget.checked)} />;
        break;
      case 'enum':
        input = (
          <select class="cbi-input-select" id={id} value={String(value)} disabled={disabled} onChange={(event) => set(event.currentTarget.value)}>
            {(model.option.enum ?? []).map((choice) => <option value={String(choice)}>{_(String(choice))}</option>)}
          </select>
        );
        break;
      case 'list':
        input = <textarea class="cbi-input-textarea" id={id} rows={Math.min(8, Math.max(2, String(value).split('\n').length + 1))} value={String(value)} disabled={disabled} onInput={(event) => set(event.currentTarget.value)} />;
        break;
      case 'secret':
        input = <input type="password" class="cbi-input-password" id={id} autocomplete="new-password" placeholder={stored?.[model.name] ? _('(unchanged)') : ''} value={String(value)} disabled={disabled} onInput={(event) => set(event.currentTarget.value)} />;
        break;
      default:
        input = <input type="text" class="cbi-input-text" id={id} inputMode={model.kind === 'number' ? 'decimal' : undefined} value={String(value)} disabled={disabled} onInput={(event) => set(event.currentTarget.value)} />;
    }
    return (
      <ValueRow title={_(model.option.title ?? model.name)} htmlFor={id} id={`cbi-smartgrid-${section}-${model.name}`} error={errors[model.name]} help={helpText(model)}>
        {input}{unit && <span class="sg-unit">{unit}</span>}
      </ValueRow>
    );
  };

  const groups = groupsOf(fields);
  return (
    <Section title={_(schema.title ?? section)} description={schema.description ? _(schema.description) : undefined} id={`cbi-smartgrid-${section}`}>
      {props.readonly && <Alert kind="notice">{_('You have read-only access to this configuration.')}</Alert>}
      <Tabs tabs={groups.map((group) => ({
        id: group,
        title: _(group),
        marked: fields.some((model) => model.group === group && errors[model.name]),
        content: () => <div class="cbi-section-node">{fields.filter((model) => model.group === group).map(field)}</div>,
      }))} />
      {notice && <Alert kind={notice.kind} id="sg-form-notice">{notice.text}</Alert>}
      {!props.readonly && (
        <div class="cbi-page-actions">
          <Button kind="apply" id="sg-save-apply" disabled={busy} onClick={() => void save()}>{_('Save & Apply')}</Button>{' '}
          <Button kind="reset" id="sg-reset" disabled={busy} onClick={() => void discard()}>{_('Reset')}</Button>
        </div>
      )}
    </Section>
  );
}
