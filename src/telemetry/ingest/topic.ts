/** Topic patterns such as `telemetry/{region}/{dcu}/{meter}`: `{name}` is one topic level. */
export type TopicVars = Record<string, string>;

export interface TopicPattern {
  readonly pattern: string;
  /** MQTT subscription filter: every `{name}` level becomes `+`. */
  readonly filter: string;
  match(topic: string): TopicVars | undefined;
  /** Fills the variables in; undefined if one is missing. */
  render(vars: TopicVars): string | undefined;
}

const VARIABLE = /^\{([a-z_][a-z0-9_]*)\}$/;

export function compileTopicPattern(pattern: string): TopicPattern {
  const levels = pattern.split('/');
  const names = levels.map((level) => VARIABLE.exec(level)?.[1]);
  return {
    pattern,
    filter: levels.map((level, i) => (names[i] ? '+' : level)).join('/'),
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
