import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseUciPackage } from '../../lib/uci/parser.js';
import type { UciPackage } from '../../lib/uci/types.js';
import { RENDERED_CONFIGS } from '../render/types.js';

/** The committed UCI packages a profile touches; a config whose file does not exist is left out. */
export async function readRenderedConfigs(configDir: string): Promise<Map<string, UciPackage>> {
  const packages = new Map<string, UciPackage>();
  for (const config of RENDERED_CONFIGS) {
    try {
      packages.set(config, parseUciPackage(await readFile(join(configDir, config)), config));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`/etc/config/${config}: ${(error as Error).message}`);
    }
  }
  return packages;
}
