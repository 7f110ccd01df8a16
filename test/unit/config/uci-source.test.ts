import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

describe('UciSectionSource with smartgrid_secrets', () => {
  const telemetry = SECTION_SCHEMAS.telemetry!;

  function dirWith(main: string, secrets?: string, mode = 0o600): string {
    const dir = configDir(main);
    if (secrets !== undefined) {
      writeFileSync(join(dir, 'smartgrid_secrets'), secrets);
      chmodSync(join(dir, 'smartgrid_secrets'), mode);
    }
    return dir;
  }

  it('merges the secret options of the same section from smartgrid_secrets and masks them in the log', async () => {
    const sink = memorySink();
    const secrets = new SecretRegistry();
    const dir = dirWith("config telemetry 'telemetry'\n\toption broker_username 'fw'\n", "config telemetry 'telemetry'\n\toption broker_password 'pw-from-secrets'\n");
    const log = createLogger({ name: 't', sink, secrets });
    const result = await new UciSectionSource<Record<string, unknown>>({ section: 'telemetry', schema: telemetry, configDir: dir, log, secrets }).load();
    expect(result.ok && [result.config.broker_username, result.config.broker_password]).toEqual(['fw', 'pw-from-secrets']);
    log.info('password is pw-from-secrets');
    expect(sink.lines.join('\n')).not.toContain('pw-from-secrets');
  });

  it('lets smartgrid_secrets win over a secret left in the readable file, and says to move it', async () => {
    const sink = memorySink();
    const dir = dirWith("config telemetry 'telemetry'\n\toption broker_password 'old'\n", "config telemetry 'telemetry'\n\toption broker_password 'new'\n", 0o644);
    const result = await new UciSectionSource<Record<string, unknown>>({ section: 'telemetry', schema: telemetry, configDir: dir, log: createLogger({ name: 't', sink }) }).load();
    expect(result.ok && result.config.broker_password).toBe('new');
    expect(sink.lines.some((line) => line.includes('secret options in the readable') && line.includes('broker_password'))).toBe(true);
    expect(sink.lines.some((line) => line.includes('is readable by others (mode 644)'))).toBe(true);
  });

  it('refuses an option that is not secret in smartgrid_secrets', async () => {
    const dir = dirWith("config telemetry 'telemetry'\n", "config telemetry 'telemetry'\n\toption broker_port '1884'\n");
    const result = await new UciSectionSource({ section: 'telemetry', schema: telemetry, configDir: dir }).load();
    expect(!result.ok && result.issues[0]!.message).toBe(`smartgrid_secrets.telemetry.broker_port: only secret options belong in ${join(dir, 'smartgrid_secrets')}; 'broker_port' goes in ${join(dir, 'smartgrid')}`);
  });

  it('reads no secrets file as no secrets set', async () => {
    const result = await new UciSectionSource<Record<string, unknown>>({ section: 'telemetry', schema: telemetry, configDir: dirWith("config telemetry 'telemetry'\n") }).load();
    expect(result.ok && result.config.broker_password).toBe('');
  });
});
