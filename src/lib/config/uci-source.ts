import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger, SecretRegistry } from '../log.js';
import { parseUci } from '../uci/parser.js';
import { UciParseError, findSection } from '../uci/types.js';
import type { UciValue } from '../uci/types.js';
import type { SectionSchema } from './schema-types.js';
import type { ConfigIssue, ConfigResult, ConfigSource } from './types.js';
import { validateSection } from './validate.js';

export const UCI_PACKAGE = 'smartgrid';

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

/**
 * Reads `smartgrid.<section>` from the committed file, as OpenWrt daemons do (staged changes in
 * /tmp/.uci are not configuration until `uci commit`). A missing section means all defaults.
 */
export class UciSectionSource<T> implements ConfigSource<T> {
  readonly configDir: string;

  constructor(private readonly options: UciSectionSourceOptions) {
    this.configDir = options.configDir ?? process.env.SMARTGRID_UCI_DIR ?? '/etc/config';
  }

  get filePath(): string {
    return join(this.configDir, UCI_PACKAGE);
  }

  async load(): Promise<ConfigResult<T>> {
    const { section } = this.options;
    const sectionPath = `${UCI_PACKAGE}.${section}`;
    let bytes: Buffer;
    try {
      bytes = await readFile(this.filePath);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const problem = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
      return { ok: false, issues: [fileIssue(UCI_PACKAGE, this.filePath, 'file', `${UCI_PACKAGE}: config file ${this.filePath} ${problem}`)] };
    }
    let options: ReadonlyMap<string, UciValue> = new Map();
    try {
      const { package: pkg } = parseUci(bytes, { name: UCI_PACKAGE });
      const found = findSection(pkg, section);
      if (found && found.type !== section) {
        return {
          ok: false,
          issues: [fileIssue(sectionPath, found.type, `type ${section}`, `${sectionPath}: section has type '${found.type}', expected '${section}'`)],
        };
      }
      if (found) options = found.options;
      else this.options.log?.debug(`no section ${sectionPath} in ${this.filePath}, using defaults`);
    } catch (error) {
      const detail = error instanceof UciParseError ? error.message : String(error);
      return { ok: false, issues: [fileIssue(UCI_PACKAGE, this.filePath, 'syntax', `${UCI_PACKAGE}: ${this.filePath}: ${detail}`)] };
    }
    return validateSection<T>(this.options.schema, options, { secrets: this.options.secrets });
  }
}
