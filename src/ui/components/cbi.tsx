import type { ComponentChildren, JSX } from 'preact';
import { useState } from 'preact/hooks';
import { DASH } from '../lib/format.js';

/** Help text as the admin reads it: `option_name` (Markdown backticks in schema texts) becomes <code>, never raw backticks. */
export function withCode(text: string): ComponentChildren {
  return text.split(/`([^`]+)`/).map((part, index) => (index % 2 ? <code>{part}</code> : part));
}

/** LuCI's `cbi-section`: a titled block of rows. */
export function Section(props: { title?: string; description?: string; id?: string; children: ComponentChildren }) {
  return (
    <div class="cbi-section" id={props.id}>
      {props.title && <h3>{props.title}</h3>}
      {props.description && <div class="cbi-section-descr">{withCode(props.description)}</div>}
      <div class="cbi-section-node">{props.children}</div>
    </div>
  );
}

/** One `cbi-value` row: title on the left, value or field on the right. */
export function ValueRow(props: { title: string; children: ComponentChildren; id?: string; error?: string; help?: string; htmlFor?: string }) {
  return (
    <div class={`cbi-value${props.error ? ' cbi-value-error' : ''}`} id={props.id}>
      <label class="cbi-value-title" for={props.htmlFor}>{props.title}</label>
      <div class="cbi-value-field">
        {props.children}
        {props.error && <div class="cbi-value-error-message" role="alert">{props.error}</div>}
        {props.help && <div class="cbi-value-description">{withCode(props.help)}</div>}
      </div>
    </div>
  );
}

/** A LuCI `table` of text cells; every cell value is rendered as text. */
export function Table(props: { headers: string[]; rows: ComponentChildren[][]; empty?: string; id?: string }) {
  return (
    <table class="table" id={props.id}>
      <tr class="tr table-titles">{props.headers.map((header) => <th class="th">{header}</th>)}</tr>
      {props.rows.length === 0 && (
        <tr class="tr placeholder"><td class="td" colSpan={props.headers.length}><em>{props.empty ?? DASH}</em></td></tr>
      )}
      {props.rows.map((row, index) => (
        <tr class={`tr cbi-rowstyle-${(index % 2) + 1}`}>{row.map((cell, column) => <td class="td" data-title={props.headers[column]}>{cell}</td>)}</tr>
      ))}
    </table>
  );
}

export type ButtonKind = 'apply' | 'save' | 'reset' | 'negative' | 'action' | 'neutral';

/** `btn cbi-button cbi-button-<kind>`; disabled (and marked) when the session may not write. */
export function Button(props: { kind: ButtonKind; onClick?: () => void; disabled?: boolean; children: ComponentChildren; id?: string; title?: string; type?: 'button' | 'submit' }) {
  return (
    <button type={props.type ?? 'button'} id={props.id} title={props.title} class={`btn cbi-button cbi-button-${props.kind}`} disabled={props.disabled} onClick={props.onClick}>
      {props.children}
    </button>
  );
}

export type Tone = 'ok' | 'warn' | 'bad' | 'off';

/** The theme's own label classes (bootstrap, material and openwrt2020 all style these). */
const TONE_CLASS: Record<Tone, string> = { ok: 'success', warn: 'warning', bad: 'important', off: '' };

/** A coloured state label: LuCI's `label` with the theme's success/warning/important class. */
export function Badge(props: { tone: Tone; children: ComponentChildren; title?: string }) {
  return <span class={`label ${TONE_CLASS[props.tone]} sg-badge sg-${props.tone}`} title={props.title}>{props.children}</span>;
}

export function Alert(props: { kind: 'error' | 'warning' | 'notice'; children: ComponentChildren; id?: string }) {
  return <div class={`alert-message ${props.kind}`} id={props.id} role={props.kind === 'error' ? 'alert' : 'status'}>{props.children}</div>;
}

/**
 * LuCI's `cbi-tabmenu` inside a section, switched by preact. No `data-tab` attributes: LuCI's
 * `ui.tabs.init()` takes every `[data-tab]` element on the page for one of its own tab panes.
 */
export function Tabs(props: { tabs: { id: string; title: string; content: () => JSX.Element; marked?: boolean }[] }) {
  const [active, setActive] = useState(props.tabs[0]?.id);
  const current = props.tabs.find((tab) => tab.id === active) ?? props.tabs[0];
  return (
    <div>
      <ul class="cbi-tabmenu">
        {props.tabs.map((tab) => (
          <li class={`cbi-tab${tab.id === current?.id ? '' : '-disabled'}${tab.marked ? ' cbi-tab-error' : ''}`}>
            <a href="#" data-sg-tab={tab.id} onClick={(event) => { event.preventDefault(); setActive(tab.id); }}>{tab.title}</a>
          </li>
        ))}
      </ul>
      {current?.content()}
    </div>
  );
}
