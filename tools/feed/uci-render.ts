/** Renders the default /etc/config/smartgrid in the form `uci commit` writes. */

export interface UciSection {
  type: string;
  name: string;
  options: ReadonlyArray<readonly [string, string | readonly string[]]>;
}

function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Leading empty line, tab indent, single-quoted values, an empty line after each section. */
export function renderUciCommit(sections: readonly UciSection[]): string {
  let text = '\n';
  for (const section of sections) {
    text += `config ${section.type} ${quote(section.name)}\n`;
    for (const [option, value] of section.options) {
      if (typeof value === 'string') text += `\toption ${option} ${quote(value)}\n`;
      else for (const item of value) text += `\tlist ${option} ${quote(item)}\n`;
    }
    text += '\n';
  }
  return text;
}

interface SchemaProperty { type?: string; default?: unknown }
export interface SectionSchema { properties?: Record<string, SchemaProperty> }

function uciValue(value: unknown): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/**
 * One named section per service holding only `enabled` and `log_level`: every other option takes
 * its default from the schema at run time, so a changed default reaches devices whose admins
 * never touched that option.
 */
export function defaultSections(services: readonly string[], schemas: ReadonlyMap<string, SectionSchema>): UciSection[] {
  return services.map((service) => {
    const properties = schemas.get(service)?.properties ?? {};
    const enabled = properties.enabled?.default ?? true;
    const logLevel = properties.log_level?.default ?? 'info';
    return { type: service, name: service, options: [['enabled', uciValue(enabled)], ['log_level', uciValue(logLevel)]] };
  });
}
