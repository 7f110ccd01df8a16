import type { Plugin } from 'esbuild';

export function escapeNonAscii(text: string): string;
/** Escapes the non-ASCII characters esbuild's `charset: 'ascii'` leaves in an `outfile` build. */
export function asciiOutputPlugin(): Plugin;
