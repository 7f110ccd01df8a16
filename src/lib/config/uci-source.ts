import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger, SecretRegistry } from '../log.js';
import { parseUci } from '../uci/parser.js';
import { UciParseError, findSection } from '../uci/types.js';
import type { UciValue } from '../uci/types.js';
import { secretOptions } from './schema-types.js';
import type { SectionSchema } from './schema-types.js';
import type { ConfigIssue, ConfigResult, ConfigSource } from './types.js';
import { validateSection } from './validate.js';

export const UCI_PACKAGE = 'smartgrid';
/**
 * The `x-secret` options live in their own UCI config, same section names, mode 0600, granted to the
 * LuCI write group only (write-only: rpcd checks `read` for `uci get`), so a read-only login never sees them.
 */
export const UCI_SECRETS_PACKAGE = 'smartgrid_secrets';

export interface UciSectionSourceOptions {
  /** Section name and type: `telemetry` reads `config telemetry 'telemetry'`. */
  section: string;
  schema: SectionSchema;
  /** Default `process.env.SMARTGRID_UCI_DIR ?? '/etc/config'`. */
  configDir?: string;
  log?: Logger;
  /** Values of `x-secret` options are registered here, so no log line can carry them. */
  secrets?: SecretRegistry;
}

function fileIssue(path: string, value: unknown, rule: string, message: string): ConfigIssue {
  return { path, value, rule, message };
}

type SectionRead = { ok: true; options: ReadonlyMap<string, UciValue> } | { ok: false; issue: ConfigIssue };

/**
 * Reads `smartgrid.<section>` merged with `smartgrid_secrets.<section>` from the committed files, as
 * OpenWrt daemons do (staged changes in /tmp/.uci are not configuration until `uci commit`). A missing
 * section means all defaults; a missing secrets file means no secrets set. A secret found in the
 * readable file still counts (installs not yet migrated) but is reported in the log; the secrets file
 * wins, and holds nothing but secrets.
 */
export class UciSectionSource<T> implements ConfigSource<T> {
  readonly configDir: string;

  constructor(private readonly options: UciSectionSourceOptions) {
    this.configDir = options.configDir ?? process.env.SMARTGRID_UCI_DIR ?? '/etc/config';
  }

  get filePath(): string {
    return join(this.configDir, UCI_PACKAGE);
  }

  get secretsPath(): string {
    return join(this.configDir, UCI_SECRETS_PACKAGE);
  }

  async load(): Promise<ConfigResult<T>> {
    const main = await this.readSection(UCI_PACKAGE, this.filePath, false);
    if (!main.ok) return { ok: false, issues: [main.issue] };
    const secret = await this.readSection(UCI_SECRETS_PACKAGE, this.secretsPath, true);
    if (!secret.ok) return { ok: false, issues: [secret.issue] };
    const secretNames = new Set(secretOptions(this.options.schema));
    const misplaced = [...secret.options.keys()].filter((name) => !secretNames.has(name));
    if (misplaced.length) {
      const issues = misplaced.map((name) => fileIssue(`${UCI_SECRETS_PACKAGE}.${this.options.section}.${name}`, undefined, 'secret option',
        `${UCI_SECRETS_PACKAGE}.${this.options.section}.${name}: only secret options belong in ${this.secretsPath}; '${name}' goes in ${this.filePath}`));
      return { ok: false, issues };
    }
    const readable = [...main.options.keys()].filter((name) => secretNames.has(name));
    if (readable.length) {
      this.options.log?.warn(`secret options in the readable ${this.filePath}: move them to ${this.secretsPath}`, { options: readable.join(' ') });
    }
    if (secret.options.size) await this.warnIfExposed();
    const merged = new Map([...main.options, ...secret.options]);
    return validateSection<T>(this.options.schema, merged, { secrets: this.options.secrets });
  }

  private async readSection(name: string, path: string, optional: boolean): Promise<SectionRead> {
    const { section } = this.options;
    const sectionPath = `${name}.${section}`;
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (optional && code === 'ENOENT') return { ok: true, options: new Map() };
      const problem = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
      return { ok: false, issue: fileIssue(name, path, 'file', `${name}: config file ${path} ${problem}`) };
    }
    try {
      const { package: pkg } = parseUci(bytes, { name });
      const found = findSection(pkg, section);
      if (found && found.type !== section) {
        return { ok: false, issue: fileIssue(sectionPath, found.type, `type ${section}`, `${sectionPath}: section has type '${found.type}', expected '${section}'`) };
      }
      if (!found && !optional) this.options.log?.debug(`no section ${sectionPath} in ${path}, using defaults`);
      return { ok: true, options: found?.options ?? new Map() };
    } catch (error) {
      const detail = error instanceof UciParseError ? error.message : String(error);
      return { ok: false, issue: fileIssue(name, path, 'syntax', `${name}: ${path}: ${detail}`) };
    }
  }

  private async warnIfExposed(): Promise<void> {
    const mode = await stat(this.secretsPath).then((info) => info.mode & 0o777, () => undefined);
    if (mode !== undefined && mode & 0o077) {
      this.options.log?.warn(`${this.secretsPath} is readable by others (mode ${mode.toString(8)}); it should be 0600`);
    }
  }
}
