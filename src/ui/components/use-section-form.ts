import { useEffect, useState } from 'preact/hooks';
import type { SectionSchema } from '../../lib/config/schema-types.js';
import { applyWithRollback, revertConfig, stageSection, type ApplyTimings } from '../lib/apply.js';
import { _ } from '../lib/i18n.js';
import type { Rpc } from '../lib/rpc.js';
import {
  initialValues, issuesByOption, sectionAfter, sectionChanges, type FormValue, type FormValues, type SectionValidator,
} from '../lib/schema-form-model.js';

export type Notice = { kind: 'error' | 'warning' | 'notice'; text: string } | undefined;

export interface SectionFormOptions {
  rpc: Rpc;
  schema: SectionSchema;
  section: string;
  validate: SectionValidator;
  timings: ApplyTimings;
}

export interface SectionForm {
  stored: Record<string, unknown> | undefined;
  values: FormValues;
  /** Issues per option of the section as it would be saved: shown as the admin types, and for a stored value the daemon rejects. */
  errors: Record<string, string>;
  notice: Notice;
  busy: boolean;
  set(name: string, value: FormValue): void;
  save(): Promise<void>;
  discard(): Promise<void>;
}

/** Load, live validation, save (only what changed) with apply + confirm, and reset of one UCI section. */
export function useSectionForm(options: SectionFormOptions): SectionForm {
  const { rpc, schema, section } = options;
  const [stored, setStored] = useState<Record<string, unknown> | undefined>(undefined);
  const [initial, setInitial] = useState<FormValues>(() => initialValues(schema, undefined));
  const [values, setValues] = useState<FormValues>(initial);
  const [notice, setNotice] = useState<Notice>(undefined);
  const [busy, setBusy] = useState(false);
  const [pendingRevert, setPendingRevert] = useState(false);
  const changes = sectionChanges(schema, initial, values, stored);
  const errors = issuesByOption(options.validate(schema, sectionAfter(schema, stored, changes)));

  const load = async () => {
    const [status, data] = await rpc.callRaw('uci', 'get', { config: 'smartgrid', section });
    const current = status === 0 ? (data?.values as Record<string, unknown> | undefined) : undefined;
    const start = initialValues(schema, current);
    setStored(current);
    setInitial(start);
    setValues(start);
    const staged = await rpc.callRaw('uci', 'changes', { config: 'smartgrid' }).catch(() => [0, undefined] as const);
    setPendingRevert(Array.isArray(staged[1]?.changes) && (staged[1]!.changes as unknown[]).length > 0);
  };
  useEffect(() => { load().catch((error: Error) => setNotice({ kind: 'error', text: error.message })); }, [section]);

  const guarded = (work: () => Promise<void>) => async () => {
    setBusy(true);
    try {
      await work();
    } catch (error) {
      setNotice({ kind: 'error', text: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const save = guarded(async () => {
    setNotice(undefined);
    if (Object.keys(errors).length) {
      setNotice({ kind: 'error', text: _('The configuration is invalid: %s', Object.values(errors).join('; ')) });
      return;
    }
    const staged = await stageSection(rpc, 'smartgrid', section, section, changes);
    if (!staged && !pendingRevert) { setNotice({ kind: 'notice', text: _('There are no changes to apply') }); return; }
    setNotice({ kind: 'notice', text: _('Applying configuration changes… %ds', options.timings.apply_rollback) });
    const outcome = await applyWithRollback(rpc, options.timings, (left) => setNotice({ kind: 'notice', text: _('Applying configuration changes… %ds', left) }));
    if (outcome === 'applied') setNotice({ kind: 'notice', text: _('Configuration changes applied.') });
    else setNotice({ kind: 'warning', text: _('The device could not be reached after applying: the configuration has been rolled back. The changes are still staged.') });
    await load();
  });

  const discard = guarded(async () => {
    if (pendingRevert) await revertConfig(rpc, 'smartgrid');
    await load();
    setNotice(undefined);
  });

  return {
    stored, values, errors, notice, busy, save, discard,
    set: (name, value) => setValues((previous) => ({ ...previous, [name]: value })),
  };
}
