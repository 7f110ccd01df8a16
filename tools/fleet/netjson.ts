// netjsonconfig's OpenWrt backend as far as our templates use it: template variables and custom UCI
// packages. Mirrors netjsonconfig (utils.evaluate_vars, backends/openwrt/converters/default.py and
// templates/openwrt.jinja2): `{{ name }}` with \w* names, unknown variables left as they are; a
// top-level list of blocks with `config_name` / `config_value` becomes `package <key>`; keys sorted;
// '' and null omitted; arrays are `list`, booleans '1'/'0', everything else `option` with its text;
// `.` and `-` in a section name become `_`.

export type NetJsonValue = string | number | boolean | null | NetJsonValue[] | { [key: string]: NetJsonValue };
export type NetJsonBlock = { config_name: string; config_value?: string } & Record<string, NetJsonValue>;
export type NetJsonConfig = Record<string, NetJsonValue>;

const VARIABLE = /\{\{\s*(\w*)\s*\}\}/g;

/** Replaces every `{{ name }}` whose name is in `context`; others stay verbatim. */
export function evaluateVars<T extends NetJsonValue>(data: T, context: Readonly<Record<string, string>>): T {
  if (typeof data === 'string') {
    return data.replace(VARIABLE, (whole, name: string) => (Object.hasOwn(context, name) ? context[name]! : whole)) as T;
  }
  if (Array.isArray(data)) return data.map((item) => evaluateVars(item, context)) as T;
  if (data && typeof data === 'object') {
    return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, evaluateVars(value, context)])) as T;
  }
  return data;
}

/** The variable names a template uses. */
export function variablesIn(data: NetJsonValue): Set<string> {
  const found = new Set<string>();
  const walk = (value: NetJsonValue): void => {
    if (typeof value === 'string') for (const match of value.matchAll(VARIABLE)) found.add(match[1]!);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(data);
  return found;
}

function optionLines(key: string, value: NetJsonValue): string[] {
  if (value === '' || value === null || key.startsWith('.')) return [];
  if (Array.isArray(value)) return value.map((item) => `\tlist ${key} '${String(item)}'`);
  if (typeof value === 'boolean') return [`\toption ${key} '${value ? 1 : 0}'`];
  if (typeof value === 'object') throw new Error(`option ${key}: an object cannot be a UCI value`);
  return [`\toption ${key} '${String(value)}'`];
}

/** The files netjsonconfig puts under etc/config/ for the custom packages of `config`. */
export function renderCustomPackages(config: NetJsonConfig, knownKeys: ReadonlySet<string> = new Set()): Map<string, string> {
  const files = new Map<string, string>();
  for (const [pkg, blocks] of Object.entries(config)) {
    if (knownKeys.has(pkg) || !Array.isArray(blocks)) continue;
    const sections: string[] = [];
    blocks.forEach((block, index) => {
      if (!block || typeof block !== 'object' || Array.isArray(block) || typeof block.config_name !== 'string') return;
      const { config_name: type, config_value: value, ...options } = block as NetJsonBlock;
      const name = String(value ?? `${type}_${index + 1}`).replace(/[.-]/g, '_');
      const lines = [`config ${type} '${name}'`];
      for (const key of Object.keys(options).sort()) lines.push(...optionLines(key, options[key]!));
      sections.push(`${lines.join('\n')}\n`);
    });
    if (sections.length) files.set(pkg, `${sections.join('\n')}\n`);
  }
  return files;
}
