import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { gzip, treeEntries } from '../../../tools/feed/ipk.js';
import { readTar, writeTar, type TarEntry } from '../../../tools/feed/tar.js';

const conformance = join(__dirname, '../../../../shared/conformance/opkg');
const sampleIpk = Buffer.from(readFileSync(join(conformance, 'conftest-hello_1.0.0-r1_all.ipk.hex'), 'utf8').trim(), 'hex');

function rewrite(tar: Buffer): Buffer {
  const members = readTar(tar);
  const entries: TarEntry[] = members.map((m) => ({
    path: m.path,
    type: m.typeflag === '5' ? 'directory' : 'file',
    mode: m.mode,
    content: m.content,
  }));
  return writeTar(entries, members[0]!.mtime);
}

describe('tar writer against the conformance ipk (made like ipkg-build)', () => {
  const outer = gunzipSync(sampleIpk);
  const members = readTar(outer);

  it('reads the outer archive: debian-binary, data.tar.gz, control.tar.gz in that order', () => {
    expect(members.map((m) => m.path)).toEqual(['./debian-binary', './data.tar.gz', './control.tar.gz']);
    expect(members.every((m) => m.uid === 0 && m.gid === 0 && m.mtime === 0)).toBe(true);
  });

  it('re-serialises the outer, control and data tars byte for byte', () => {
    expect(rewrite(outer).equals(outer)).toBe(true);
    for (const name of ['./data.tar.gz', './control.tar.gz']) {
      const inner = gunzipSync(members.find((m) => m.path === name)!.content);
      expect(rewrite(inner).equals(inner), name).toBe(true);
    }
  });

  it('writes the same gzip header as the sample (deflate, no name, mtime 0, max compression, unix)', () => {
    expect(gzip(Buffer.from('x')).subarray(0, 10).equals(sampleIpk.subarray(0, 10))).toBe(true);
  });
});

describe('tar writer against GNU tar', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sg-tar-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('matches `tar --format=gnu --numeric-owner --sort=name` byte for byte, long names included', () => {
    const longName = `${'a'.repeat(60)}/${'b'.repeat(70)}.js`;
    const files = [
      { path: '/usr/bin/tool', mode: 0o755, content: Buffer.from('#!/bin/sh\necho hi\n') },
      { path: '/etc/config/x', mode: 0o600, content: Buffer.from('\nconfig x\n') },
      { path: '/etc/config-b', mode: 0o644, content: Buffer.alloc(1500, 7) },
      { path: `/www/${longName}`, mode: 0o644, content: Buffer.from('long') },
      { path: '/empty', mode: 0o644, content: Buffer.alloc(0) },
    ];
    const tree = join(dir, 'tree');
    for (const file of files) {
      const target = join(tree, file.path);
      mkdirSync(join(target, '..'), { recursive: true });
      writeFileSync(target, file.content);
      chmodSync(target, file.mode);
    }
    execFileSync('sh', ['-c', `find "${tree}" -type d -exec chmod 0755 {} +`]);
    const mtime = 1700000000;
    const gnu = execFileSync('tar', [
      '--format=gnu', '--numeric-owner', '--owner=0', '--group=0', '--sort=name', `--mtime=@${mtime}`, '-C', tree, '-cf', '-', '.',
    ]);
    const ours = writeTar(treeEntries(files), mtime);
    expect(ours.length).toBe(gnu.length);
    expect(ours.equals(gnu)).toBe(true);
    expect(readTar(ours).map((m) => m.path)).toContain(`./www/${longName}`);
  });

  it('refuses paths that are not absolute or climb out', () => {
    expect(() => treeEntries([{ path: 'etc/x', mode: 0o644, content: Buffer.alloc(0) }])).toThrow(/absolute/);
    expect(() => treeEntries([{ path: '/etc/../x', mode: 0o644, content: Buffer.alloc(0) }])).toThrow(/absolute/);
    expect(() => treeEntries([
      { path: '/a', mode: 0o644, content: Buffer.alloc(0) },
      { path: '/a', mode: 0o644, content: Buffer.alloc(0) },
    ])).toThrow(/twice/);
  });
});
