import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Small JSON state files that survive a power cut: each write goes to `<file>.tmp`, is fsynced, the
 * current file becomes `<file>.prev`, the new one takes its name and the directory is fsynced. A reader
 * that finds the file missing or damaged falls back to `.prev` (the previous good write).
 */
export type StateRead<T> =
  | { kind: 'ok'; value: T; from: 'current' | 'previous'; problem?: string }
  | { kind: 'missing' }
  | { kind: 'damaged'; problem: string };

const previousOf = (path: string) => `${path}.prev`;

async function parseFile<T>(path: string, accept: (value: unknown) => value is T): Promise<{ value: T } | { problem: string; missing: boolean }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: `${path}: ${code ?? String(error)}`, missing: code === 'ENOENT' };
  }
  try {
    const value: unknown = JSON.parse(text);
    return accept(value) ? { value } : { problem: `${path}: unexpected content`, missing: false };
  } catch (error) {
    return { problem: `${path}: ${(error as Error).message}`, missing: false };
  }
}

export async function readStateFile<T>(path: string, accept: (value: unknown) => value is T): Promise<StateRead<T>> {
  const current = await parseFile(path, accept);
  if ('value' in current) return { kind: 'ok', value: current.value, from: 'current' };
  const previous = await parseFile(previousOf(path), accept);
  if ('value' in previous) return { kind: 'ok', value: previous.value, from: 'previous', problem: current.problem };
  if (current.missing && previous.missing) return { kind: 'missing' };
  return { kind: 'damaged', problem: current.missing ? previous.problem : current.problem };
}

async function syncPath(path: string, flags: string): Promise<void> {
  const handle = await open(path, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function writeStateFile(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify(value));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(path, previousOf(path)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(temporary, path);
  await syncPath(dirname(path), 'r');
}
