import { createReadStream, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.js': 'application/javascript', '.css': 'text/css', '.html': 'text/html; charset=utf-8', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.map': 'application/json',
};

/** Serves `urlPath` from the first root that has it; false when none does. Never leaves a root. */
export function serveStatic(res: ServerResponse, roots: string[], urlPath: string): boolean {
  const relative = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '');
  if (relative.split(sep).includes('..')) return false;
  for (const root of roots) {
    const file = join(root, relative);
    if (!file.startsWith(normalize(root + sep))) continue;
    let size: number;
    try {
      const stat = statSync(file);
      if (!stat.isFile()) continue;
      size = stat.size;
    } catch { continue; }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': size,
      'Cache-Control': 'no-cache',
    });
    createReadStream(file).pipe(res);
    return true;
  }
  return false;
}
