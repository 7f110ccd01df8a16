/**
 * Runs a package's maintainer script as apk 3.0.5 does: chrooted into the root, environment only
 * PATH, APK_SCRIPT and APK_PACKAGE, arguments the new (and on upgrade the old) version. apk runs it
 * from a memfd; the stand-in writes it to lib/apk/exec/<name>-<version>.<type> (the name apk prints
 * when it fails) and removes it afterwards. A root without /bin/sh fails like A1 (exit 127).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTool } from '../../helpers/tools.js';

export interface ScriptRun {
  ok: boolean;
  stderr: string[];
}

export function runScript(root: string, pkg: { name: string; version: string }, type: string, text: string, args: readonly string[]): ScriptRun {
  const relative = `lib/apk/exec/${pkg.name}-${pkg.version}.${type}`;
  if (!existsSync(join(root, 'bin/sh'))) {
    return { ok: false, stderr: ['  * execve: No such file or directory', `ERROR: ${relative}: exited with error 127`] };
  }
  requireTool('chroot');
  mkdirSync(join(root, 'lib/apk/exec'), { recursive: true });
  writeFileSync(join(root, relative), text);
  chmodSync(join(root, relative), 0o755);
  try {
    const run = spawnSync('chroot', [root, `/${relative}`, ...args], {
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', APK_SCRIPT: type, APK_PACKAGE: pkg.name },
      cwd: root,
      encoding: 'utf8',
    });
    const lines = (run.stderr ?? '').split('\n').filter(Boolean);
    if (run.status === 0) return { ok: true, stderr: lines };
    return { ok: false, stderr: [...lines, `ERROR: ${relative}: exited with error ${run.status ?? 'signal'}`] };
  } finally {
    rmSync(join(root, relative), { force: true });
  }
}
