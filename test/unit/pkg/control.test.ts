import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexStanza, parseControl, renderControl } from '../../../tools/feed/control.js';

const opkg = join(__dirname, '../../../../shared/conformance/opkg');
const members = JSON.parse(readFileSync(join(opkg, 'ipk-members.json'), 'utf8')) as Record<string, { control: string }>;
const feedGood = JSON.parse(readFileSync(join(opkg, 'C_feed_good.json'), 'utf8')) as Array<{ file?: string; content?: string }>;
const servedIndex = feedGood.find((step) => step.file?.endsWith('feed-good/Packages'))!.content!;
const helloIpk = Buffer.from(readFileSync(join(opkg, 'conftest-hello_1.0.0-r1_all.ipk.hex'), 'utf8').trim(), 'hex');

describe('control files and index stanzas', () => {
  it('indexes an ipk exactly like the feed opkg accepted (Filename, Size, SHA256sum before Description)', () => {
    const stanza = indexStanza(members['conftest-hello_1.0.0-r1_all.ipk']!.control, 'conftest-hello_1.0.0-r1_all.ipk', helloIpk);
    expect(servedIndex.startsWith(stanza)).toBe(true);
  });

  it('renders fields in OpenWrt order and continuation lines with a leading space', () => {
    const control = renderControl({
      Package: 'smartgrid-x',
      Version: '1.2.3-r4',
      Depends: ['libc', 'node'],
      Source: 'feeds/smartgrid/smartgrid-x',
      SourceName: 'smartgrid-x',
      License: 'Apache-2.0',
      Section: 'net',
      SourceDateEpoch: 42,
      Maintainer: 'A <a@example.invalid>',
      Architecture: 'all',
      'Installed-Size': 10240,
      Description: 'first line\nsecond line',
    });
    expect(control).toBe(
      'Package: smartgrid-x\nVersion: 1.2.3-r4\nDepends: libc, node\nSource: feeds/smartgrid/smartgrid-x\n' +
        'SourceName: smartgrid-x\nLicense: Apache-2.0\nSection: net\nSourceDateEpoch: 42\n' +
        'Maintainer: A <a@example.invalid>\nArchitecture: all\nInstalled-Size: 10240\n' +
        'Description: first line\n second line\n',
    );
    const parsed = parseControl(control);
    expect(parsed.get('Description')).toBe('first line\nsecond line');
    expect(parsed.get('Depends')).toBe('libc, node');
  });

  it('refuses an index stanza for a control without Description', () => {
    expect(() => indexStanza('Package: x\n', 'x.ipk', Buffer.alloc(1))).toThrow(/Description/);
  });
});
