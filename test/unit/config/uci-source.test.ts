import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UciSectionSource } from '../../../src/lib/config/uci-source.js';
import { SECTION_SCHEMAS, halowSchema, threadSchema } from '../../../src/lib/config/schemas/index.js';
import { validateSection } from '../../../src/lib/config/validate.js';
import { createLogger, memorySink, SecretRegistry } from '../../../src/lib/log.js';

const dirs: string[] = [];
afterAll(() => { for (const dir of dirs) rmSync(dir, { recursive: true, force: true }); });

function configDir(text?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'uci-source-'));
  dirs.push(dir);
  if (text !== undefined) writeFileSync(join(dir, 'smartgrid'), text);
  return dir;
}

describe('UciSectionSource', () => {
  it('reads the named section with uci quoting rules and coerces it', async () => {
    const dir = configDir("config thread 'thread'\n\toption channel \"20\"\n\toption enabled off\n\toption network_name 'mesh '\\''one'\\'''\n");
    const result = await new UciSectionSource<Record<string, unknown>>({ section: 'thread', schema: threadSchema, configDir: dir }).load();
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.config).toMatchObject({ channel: 20, enabled: false, network_name: "mesh 'one'", baudrate: 460800 });
  });

  it('uses defaults when the section is missing', async () => {
    const dir = configDir("config halow 'other'\n");
    const result = await new UciSectionSource<Record<string, unknown>>({ section: 'thread', schema: threadSchema, configDir: dir }).load();
    expect(result.ok && result.config.channel).toBe(15);
  });

  it('reports a missing file clearly', async () => {
    const source = new UciSectionSource({ section: 'thread', schema: threadSchema, configDir: configDir() });
    const result = await source.load();
    expect(!result.ok && result.issues[0].message).toBe(`smartgrid: config file ${source.filePath} does not exist`);
  });

  it('reports a parse error with line and byte', async () => {
    const dir = configDir("config thread 'thread'\n\toption channel '20\n");
    const result = await new UciSectionSource({ section: 'thread', schema: threadSchema, configDir: dir }).load();
    expect(!result.ok && result.issues[0].message).toMatch(/Parse error \(EOF with unterminated '\) at line 2, byte \d+$/);
  });

  it('reports a section of the wrong type and unknown options', async () => {
    const wrongType = await new UciSectionSource({ section: 'thread', schema: threadSchema, configDir: configDir("config halow 'thread'\n") }).load();
    expect(!wrongType.ok && wrongType.issues[0].path).toBe('smartgrid.thread');
    const unknown = await new UciSectionSource({ section: 'thread', schema: threadSchema, configDir: configDir("config thread 'thread'\n\toption chanel '20'\n") }).load();
    expect(!unknown.ok && unknown.issues[0].message).toBe("smartgrid.thread.chanel: unknown option 'chanel'");
  });

  it('reads SMARTGRID_UCI_DIR by default', () => {
    const previous = process.env.SMARTGRID_UCI_DIR;
    process.env.SMARTGRID_UCI_DIR = '/somewhere';
    try {
      expect(new UciSectionSource({ section: 'thread', schema: threadSchema }).filePath).toBe('/somewhere/smartgrid');
    } finally {
      if (previous === undefined) delete process.env.SMARTGRID_UCI_DIR; else process.env.SMARTGRID_UCI_DIR = previous;
    }
  });

  it('keeps the SAE password out of issues and log lines', async () => {
    const secrets = new SecretRegistry();
    const sink = memorySink();
    const log = createLogger({ name: 'smartgrid-halow', sink, secrets });
    const dir = configDir("config halow 'halow'\n\toption sae_password 'short1'\n\toption bandwidth '3'\n");
    const result = await new UciSectionSource({ section: 'halow', schema: halowSchema, configDir: dir, secrets, log }).load();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    for (const issue of result.issues) log.error(`invalid config: ${issue.message}`, { value: issue.value });
    log.warn('retrying with short1');
    expect(sink.lines.join('\n')).not.toContain('short1');
    expect(result.issues.map((issue) => issue.path).sort()).toEqual(['smartgrid.halow.bandwidth', 'smartgrid.halow.sae_password']);
  });
});

describe('schema registry', () => {
  it('lists every *.schema.json of the folder', () => {
    const files = readdirSync(join(__dirname, '../../../src/lib/config/schemas')).filter((f) => f.endsWith('.schema.json'));
    expect(Object.keys(SECTION_SCHEMAS).sort()).toEqual(files.map((f) => f.replace('.schema.json', '')).sort());
  });

  it.each(Object.entries(SECTION_SCHEMAS))('%s: follows the conventions and its defaults validate', (name, schema) => {
    expect(schema.$id).toBe(`smartgrid.${name}`);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.enabled).toMatchObject({ type: 'boolean', default: true });
    expect(schema.properties.log_level).toMatchObject({ enum: ['debug', 'info', 'notice', 'warn', 'error'], default: 'info' });
    for (const [option, property] of Object.entries(schema.properties)) {
      expect(option).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(property.title, `${name}.${option} title`).toBeTruthy();
      expect(property.description, `${name}.${option} description`).toBeTruthy();
    }
    expect(validateSection(schema, new Map()).ok).toBe(true);
  });
});
