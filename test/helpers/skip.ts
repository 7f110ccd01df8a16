// Skips that say why: the summary counts a skipped test without a reason as failed.
import { describe, it } from 'vitest';

/** describe(name, body) when `reason` is null; otherwise one skipped test carrying the reason. */
export function describeUnless(reason: string | null, name: string, body: () => void): void {
  if (reason === null) describe(name, body);
  else describe(name, () => { it('(not run here)', (ctx) => ctx.skip(reason)); });
}

/** it(name, fn) when `reason` is null; otherwise a skipped test carrying the reason. */
export function itUnless(reason: string | null, name: string, fn: () => Promise<void> | void, timeout?: number): void {
  if (reason === null) it(name, fn, timeout);
  else it(name, (ctx) => ctx.skip(reason));
}

export const NEEDS_ROOT = process.getuid?.() === 0 ? null : 'needs root (network namespaces, mounts)';
