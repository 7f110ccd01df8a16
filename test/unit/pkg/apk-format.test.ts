// The apk v3 writer, index writer, signer and verifier (tools/feed/apk/) against the files the real
// apk-tools 3.0.5 made (../shared/conformance/apk/): same input, same bytes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApk, type ApkInput } from '../../../tools/feed/apk/package.js';
import { buildIndex } from '../../../tools/feed/apk/repo-index.js';
import { decompress, parseStream } from '../../../tools/feed/apk/container.js';
import { apkKeyId, trustedKey } from '../../../tools/feed/apk/sign.js';
import { checkAgainstIndex, decodeApk, verifyIndex } from '../../../tools/feed/apk/verify.js';
import { createPublicKey } from 'node:crypto';

const samples = join(__dirname, '../../../../shared/conformance/apk');
const read = (path: string) => readFileSync(join(samples, path));
const EPOCH = 1767225600;
const privateKey = read('keys/test-only-private-key.pem');
const testKey = trustedKey('test-only-public-key.pem', read('keys/test-only-public-key.pem'));
const keyFacts = JSON.parse(read('keys/key-facts.json').toString()) as { apk_key_id_hex: string };

interface InputTree { files: Array<{ path: string; mode: string; content: string }>; scripts: Record<string, string> }
const trees = (JSON.parse(read('packages/x-input-trees.json').toString()) as { trees: Record<string, InputTree> }).trees;

function xInput(version: string): ApkInput {
  const tree = trees[version]!;
  return {
    info: {
      name: 'x', version, description: 'Demo service x for apk v3 conformance (test only)', arch: 'noarch', license: 'MIT',
      origin: 'feeds/smartgrid/x', url: 'https://example.invalid/x', maintainer: 'Test Only <test@example.invalid>',
      provides: [`x-svc=${version}`, 'x-any'], depends: ['libc', 'node'],
    },
    files: tree.files.map((file) => ({ path: file.path, mode: parseInt(file.mode, 8), content: Buffer.from(file.content) })),
    scripts: tree.scripts,
    sourceDateEpoch: EPOCH,
  };
}

const inputs: Record<string, ApkInput> = {
  'x-1.0.0-r1.apk': xInput('1.0.0-r1'),
  'x-1.0.1-r1.apk': xInput('1.0.1-r1'),
  'y-1.0-r1.apk': {
    info: { name: 'y', version: '1.0-r1', arch: 'noarch', description: 'minimal' },
    files: [{ path: '/usr/share/y/hello.txt', mode: 0o644, content: Buffer.from('hello\n') }],
    sourceDateEpoch: EPOCH,
  },
  'libc-1.2.5-r4.apk': { info: { name: 'libc', version: '1.2.5-r4', arch: 'noarch', description: 'stub libc for install test' }, sourceDateEpoch: EPOCH },
  'node-22.12.0-r1.apk': { info: { name: 'node', version: '22.12.0-r1', arch: 'noarch', description: 'stub node for install test' }, sourceDateEpoch: EPOCH },
};
const adbPayload = (file: Buffer) => parseStream(decompress(file)).blocks[0]!.payload;

describe('apk package writer (apk mkpkg)', () => {
  for (const [file, input] of Object.entries(inputs)) {
    it(`${file}: the ADB block, the uncompressed stream and the compressed file equal apk-tools' bytes`, () => {
      const built = buildApk(input);
      const stem = file.replace(/\.apk$/, '');
      expect(built.adb.toString('hex')).toBe(adbPayload(read(`packages/${file}`)).toString('hex'));
      expect(decompress(built.bytes).equals(read(`packages/${stem}.uncompressed.adb`))).toBe(true);
      expect(built.bytes.equals(read(`packages/${file}`))).toBe(true);
    });
  }

  it('the same tree and epoch give the same bytes; another epoch changes the mtimes and the unique id', () => {
    const again = buildApk(xInput('1.0.0-r1'));
    expect(again.bytes.equals(buildApk(xInput('1.0.0-r1')).bytes)).toBe(true);
    const later = decodeApk(buildApk({ ...xInput('1.0.0-r1'), sourceDateEpoch: EPOCH + 1 }).bytes);
    expect(later.files.every((f) => f.mtime === EPOCH + 1)).toBe(true);
    expect(later.info.hashes!.equals(decodeApk(again.bytes).info.hashes!)).toBe(false);
  });

  it('decodes what it wrote: info fields as apk adbdump shows them, files, modes and scripts', () => {
    const decoded = decodeApk(read('packages/x-1.0.0-r1.apk'));
    expect(decoded.info).toMatchObject({
      name: 'x', version: '1.0.0-r1', arch: 'noarch', license: 'MIT', origin: 'feeds/smartgrid/x',
      depends: ['libc', 'node'], provides: ['x-any', 'x-svc=1.0.0-r1'], installedSize: 363,
    });
    expect(decoded.files.map((f) => `${f.mode.toString(8)} ${f.path}`)).toContain('755 /etc/init.d/x');
    expect(decoded.scripts['post-upgrade']).toBe(trees['1.0.0-r1']!.scripts['post-upgrade']);
    const manifest = read('packages/x-1.0.0-r1.manifest.txt').toString().trim().split('\n').sort();
    expect(decoded.files.map((f) => `sha256:${f.sha256.toString('hex')}  ${f.path.slice(1)}`).sort()).toEqual(manifest);
  });

  it('a flipped content byte is a file integrity error, even when the ADB block is intact', () => {
    expect(() => decodeApk(read('packages/y-1.0-r1.tampered-data-block.apk'))).toThrow('y-1.0-r1: file integrity error');
  });

  it('rejects bad input with the field that is wrong', () => {
    expect(() => buildApk({ ...inputs['y-1.0-r1.apk']!, info: { name: 'y', version: '1.0-r1', arch: 'noarch', depends: ['node>=1.0-1'] } })).toThrow("invalid apk dependency 'node>=1.0-1'");
    expect(() => buildApk({ ...inputs['y-1.0-r1.apk']!, info: { name: 'y', version: '1.0-1', arch: 'noarch' } })).toThrow("y: invalid apk version '1.0-1'");
    expect(() => buildApk({ ...inputs['y-1.0-r1.apk']!, files: [{ path: 'etc/x', mode: 0o644, content: Buffer.from('a') }] })).toThrow("absolute and normal: 'etc/x'");
  });
});

describe('apk index writer (apk mkndx) and signatures', () => {
  const pair = [{ filename: 'x-1.0.0-r1.apk', bytes: read('packages/x-1.0.0-r1.apk') }, { filename: 'y-1.0-r1.apk', bytes: read('packages/y-1.0-r1.apk') }];

  it('the unsigned index equals apk-tools\' byte for byte', () => {
    expect(buildIndex({ packages: pair }).bytes.equals(read('index/packages-unsigned.adb'))).toBe(true);
  });

  it('the signed index has the same ADB block as the sample and a SIG block our verifier and the test key accept', () => {
    const signed = buildIndex({ packages: pair, signingKeys: [privateKey] });
    expect(signed.adb.equals(adbPayload(read('index/packages.adb')))).toBe(true);
    const sig = parseStream(decompress(signed.bytes)).blocks[1]!;
    expect(sig.type).toBe(1);
    expect(sig.payload.subarray(0, 2)).toEqual(Buffer.from([0, 4]));
    expect(sig.payload.subarray(2, 18).toString('hex')).toBe(keyFacts.apk_key_id_hex);
    expect(verifyIndex(signed.bytes, [testKey]).map((e) => [e.name, e.version, e.fileSize])).toEqual([['x', '1.0.0-r1', 1306], ['y', '1.0-r1', 269]]);
  });

  it('the repository indexes of the install test (4 and 5 packages) have the same ADB blocks', () => {
    const names = ['libc-1.2.5-r4.apk', 'node-22.12.0-r1.apk', 'x-1.0.0-r1.apk', 'x-1.0.1-r1.apk', 'y-1.0-r1.apk'];
    const files = names.map((filename) => ({ filename, bytes: read(`packages/${filename}`) }));
    expect(buildIndex({ packages: files }).adb.equals(adbPayload(read('index/repo-index-5pkgs.adb')))).toBe(true);
    expect(buildIndex({ packages: files.filter((f) => f.filename !== 'x-1.0.1-r1.apk') }).adb.equals(adbPayload(read('index/repo-index-4pkgs.adb')))).toBe(true);
  });

  it('key id is SHA-512 of the EC point, as key-facts.json says', () => {
    expect(apkKeyId(createPublicKey(read('keys/test-only-public-key.pem'))).toString('hex')).toBe(keyFacts.apk_key_id_hex);
  });

  it('verifies every index apk-tools verified, and rejects the ones it rejected, with its message', () => {
    const results: Record<string, string> = {
      'packages.adb': 'OK', 'packages-adbsigned.adb': 'OK', 'packages-twosig.adb': 'OK',
      'packages-resigned-compression-none.adb': 'OK', 'packages-resigned-deflate6.adb': 'OK',
      'packages-unsigned.adb': 'UNTRUSTED signature', 'packages-tampered-payload.adb': 'UNTRUSTED signature',
      'packages-tampered-signature.adb': 'UNTRUSTED signature', 'packages-tampered-compressed.adb': 'file format is invalid or inconsistent',
    };
    for (const [file, expected] of Object.entries(results)) {
      const outcome = (() => {
        try {
          verifyIndex(read(`index/${file}`), [testKey]);
          return 'OK';
        } catch (error) {
          return (error as Error).message;
        }
      })();
      expect(outcome, file).toContain(expected);
    }
    expect(() => verifyIndex(read('index/packages.adb'), [])).toThrow('UNTRUSTED signature');
  });

  it('a package whose ADB block differs from the indexed one is an ADB integrity error', () => {
    const [x] = verifyIndex(read('index/packages.adb'), [testKey]);
    expect(() => checkAgainstIndex(decodeApk(read('packages/x-1.0.1-r1.apk')), x!)).toThrow('x-1.0.0-r1: ADB integrity error');
    expect(() => checkAgainstIndex(decodeApk(read('packages/x-1.0.0-r1.apk')), x!)).not.toThrow();
  });
});
