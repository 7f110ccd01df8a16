import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RcpIdentity } from './selection.js';

/** The last probed dongle's identity, kept across restarts (written only when it changes). */
export class IdentityStore {
  constructor(private readonly path: string) {}

  async load(): Promise<RcpIdentity | undefined> {
    const text = await readFile(this.path, 'utf8').catch(() => undefined);
    if (!text) return undefined;
    try {
      const value = JSON.parse(text) as RcpIdentity;
      return typeof value.device === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }

  async save(identity: RcpIdentity): Promise<void> {
    const previous = await this.load();
    if (previous && JSON.stringify(previous) === JSON.stringify(identity)) return;
    await mkdir(dirname(this.path), { recursive: true });
    const temp = `${this.path}.tmp`;
    await writeFile(temp, JSON.stringify(identity) + '\n', { mode: 0o600 });
    await rename(temp, this.path);
  }
}
