/** Topic patterns such as `telemetry/{region}/{dcu}/{meter}`: `{name}` is one topic level. */
import schemas from './reading-schemas.json';
import { MAX_KEY_BYTES } from '../queue/record-codec.js';

export type TopicVars = Record<string, string>;

/** A topic variable obeys the rule of the payload's `meter` (reading-schemas.json), and fits a queue key. */
const VALUE_RULE = schemas.reading.properties.meter;
const VALUE_PATTERN = new RegExp(VALUE_RULE.pattern, 'u');

/** Why a topic level cannot be a variable's value (undefined: it can). */
export function topicValueProblem(name: string, value: string): string | undefined {
  const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
  const chars = [...value].length;
  if (chars < VALUE_RULE.minLength) return `topic level {${name}} is empty`;
  if (chars > VALUE_RULE.maxLength || Buffer.byteLength(value) > MAX_KEY_BYTES) {
    return `topic level {${name}} '${shown}' is longer than ${VALUE_RULE.maxLength} characters (${chars})`;
  }
  if (!VALUE_PATTERN.test(value)) return `topic level {${name}} '${shown}' has characters a ${name} id cannot have (white space, / # +)`;
  return undefined;
}

export interface TopicPattern {
  readonly pattern: string;
  /** MQTT subscription filter: every `{name}` level becomes `+`. */
  readonly filter: string;
  /**
   * What is subscribed: the literal levels before the first variable plus `#`, so a topic of the wrong
   * depth under the same prefix arrives and is rejected (with a trace) instead of never being seen.
   * The exact `filter` when the pattern starts with a variable (`#` would take in every topic).
   */
  readonly wideFilter: string;
  match(topic: string): TopicVars | undefined;
  /** Fills the variables in; undefined if one is missing. */
  render(vars: TopicVars): string | undefined;
}

const VARIABLE = /^\{([a-z_][a-z0-9_]*)\}$/;

export function compileTopicPattern(pattern: string): TopicPattern {
  const levels = pattern.split('/');
  const names = levels.map((level) => VARIABLE.exec(level)?.[1]);
  const filter = levels.map((level, i) => (names[i] ? '+' : level)).join('/');
  const prefix = levels.slice(0, names.findIndex((name) => name !== undefined));
  return {
    pattern,
    filter,
    wideFilter: prefix.length ? [...prefix, '#'].join('/') : filter,
    match(topic) {
      const parts = topic.split('/');
      if (parts.length !== levels.length) return undefined;
      const vars: TopicVars = {};
      for (let i = 0; i < levels.length; i++) {
        const name = names[i];
        if (name) {
          if (parts[i] === '') return undefined;
          vars[name] = parts[i];
        } else if (parts[i] !== levels[i]) return undefined;
      }
      return vars;
    },
    render(vars) {
      const out: string[] = [];
      for (let i = 0; i < levels.length; i++) {
        const name = names[i];
        if (!name) { out.push(levels[i]); continue; }
        const value = vars[name];
        if (value === undefined || value === '' || /[/#+]/.test(value)) return undefined;
        out.push(value);
      }
      return out.join('/');
    },
  };
}

export function matchAny(patterns: TopicPattern[], topic: string): TopicVars | undefined {
  for (const pattern of patterns) {
    const vars = pattern.match(topic);
    if (vars) return vars;
  }
  return undefined;
}
