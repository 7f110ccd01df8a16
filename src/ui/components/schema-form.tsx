import type { SectionSchema } from '../../lib/config/schema-types.js';
import type { ApplyTimings } from '../lib/apply.js';
import { _ } from '../lib/i18n.js';
import type { Rpc } from '../lib/rpc.js';
import { defaultText, fieldsOf, groupsOf, type FieldModel, type FormValue, type SectionValidator } from '../lib/schema-form-model.js';
import { Alert, Button, Section, Tabs, ValueRow } from './cbi.js';
import { useSectionForm } from './use-section-form.js';

export interface SchemaFormProps {
  rpc: Rpc;
  schema: SectionSchema;
  /** UCI section name (and type) in package `smartgrid`. */
  section: string;
  readonly: boolean;
  validate: SectionValidator;
  timings: ApplyTimings;
}

function helpText(field: FieldModel): string {
  const { option } = field;
  const parts = [option.description ? _(option.description) : ''];
  if (option.minimum !== undefined || option.maximum !== undefined) {
    parts.push(_('Range: %s – %s', option.minimum ?? '…', option.maximum ?? '…') + (option['x-unit'] ? ` ${option['x-unit']}` : ''));
  }
  const fallback = defaultText(field);
  if (fallback !== undefined) parts.push(_('Default: %s', fallback));
  return parts.filter(Boolean).join(' ');
}

interface FieldProps {
  model: FieldModel;
  id: string;
  value: FormValue;
  disabled: boolean;
  /** The secret already stored (shown as "unchanged", never its value). */
  hasStoredSecret: boolean;
  set(value: FormValue): void;
}

/** The input of one option; an empty text or list field says which default it stands for. */
function FieldInput(props: FieldProps) {
  const { model, id, value, disabled, set } = props;
  const fallback = defaultText(model);
  const placeholder = fallback === undefined ? undefined : _('default (%s)', fallback);
  switch (model.kind) {
    case 'boolean':
      return <input type="checkbox" class="cbi-input-checkbox" id={id} checked={value === true} disabled={disabled} onChange={(event) => set(event.currentTarget.checked)} />;
    case 'enum':
      return (
        <select class="cbi-input-select" id={id} value={String(value)} disabled={disabled} onChange={(event) => set(event.currentTarget.value)}>
          {(model.option.enum ?? []).map((choice) => <option value={String(choice)}>{_(String(choice))}</option>)}
        </select>
      );
    case 'list':
      return <textarea class="cbi-input-textarea" id={id} placeholder={Array.isArray(model.option.default) ? model.option.default.map(String).join('\n') : undefined} rows={Math.min(8, Math.max(2, String(value).split('\n').length + 1))} value={String(value)} disabled={disabled} onInput={(event) => set(event.currentTarget.value)} />;
    case 'secret':
      return <input type="password" class="cbi-input-password" id={id} autocomplete="new-password" placeholder={props.hasStoredSecret ? _('(unchanged)') : ''} value={String(value)} disabled={disabled} onInput={(event) => set(event.currentTarget.value)} />;
    default:
      return <input type="text" class="cbi-input-text" id={id} inputMode={model.kind === 'number' ? 'decimal' : undefined} placeholder={placeholder} value={String(value)} disabled={disabled} onInput={(event) => set(event.currentTarget.value)} />;
  }
}

/** A LuCI-style configuration form generated from a section's JSON Schema. */
export function SchemaForm(props: SchemaFormProps) {
  const { schema, section } = props;
  const form = useSectionForm(props);
  const fields = fieldsOf(schema);
  const disabled = props.readonly || form.busy;

  const row = (model: FieldModel) => {
    const id = `widget.cbid.smartgrid.${section}.${model.name}`;
    const unit = model.option['x-unit'];
    return (
      <ValueRow title={_(model.option.title ?? model.name)} htmlFor={id} id={`cbi-smartgrid-${section}-${model.name}`} error={form.errors[model.name]} help={helpText(model)}>
        <FieldInput model={model} id={id} value={form.values[model.name] ?? ''} disabled={disabled} hasStoredSecret={Boolean(form.stored?.[model.name])} set={(next) => form.set(model.name, next)} />
        {unit && <span class="sg-unit">{unit}</span>}
      </ValueRow>
    );
  };

  return (
    <Section title={_(schema.title ?? section)} description={schema.description ? _(schema.description) : undefined} id={`cbi-smartgrid-${section}`}>
      {props.readonly && <Alert kind="notice">{_('You have read-only access to this configuration.')}</Alert>}
      <Tabs tabs={groupsOf(fields).map((group) => ({
        id: group,
        title: _(group),
        marked: fields.some((model) => model.group === group && form.errors[model.name]),
        content: () => <div class="cbi-section-node">{fields.filter((model) => model.group === group).map(row)}</div>,
      }))} />
      {form.notice && <Alert kind={form.notice.kind} id="sg-form-notice">{form.notice.text}</Alert>}
      {!props.readonly && (
        <div class="cbi-page-actions">
          <Button kind="apply" id="sg-save-apply" disabled={form.busy} onClick={() => void form.save()}>{_('Save & Apply')}</Button>{' '}
          <Button kind="reset" id="sg-reset" disabled={form.busy} onClick={() => void form.discard()}>{_('Reset')}</Button>
        </div>
      )}
    </Section>
  );
}
