// openwisp-config's merge rules (openwisp-config/files/sbin/openwisp-update-config.lua), case by case.
import { describe, expect, it } from 'vitest';
import { parseUciPackage } from '../../../src/lib/uci/parser.js';
import type { UciPackage } from '../../../src/lib/uci/types.js';
import { mergeRemote } from '../../stand-ins/openwisp-agent/merge.js';

const pkg = (text: string) => parseUciPackage(text, 'smartgrid');
const show = (p: UciPackage) => p.sections.map((s) => `${s.type}.${s.name}:${[...s.options].map(([k, v]) => `${k}=${String(v)}`).join(',')}`);

describe('openwisp-config merge', () => {
  const local = pkg("config telemetry 'telemetry'\n\toption queue_dir '/srv/q'\n\toption upstream_host 'local.example'\n\tlist rule_range 'a=1:2'\n");

  it('remote options win, local-only options are kept, lists are replaced, the original is stored once', () => {
    const remote = pkg("config telemetry 'telemetry'\n\toption upstream_host 'tb.example'\n\tlist rule_range 'b=3:4'\nconfig lte 'lte'\n\toption interface 'wwan'\n");
    const { merged, storeOriginal } = mergeRemote({ current: local, remote });
    expect(show(merged)).toEqual(['telemetry.telemetry:queue_dir=/srv/q,upstream_host=tb.example,rule_range=b=3:4', 'lte.lte:interface=wwan']);
    expect(show(storeOriginal!)).toEqual(show(local));
    expect(mergeRemote({ current: local, remote, stored: local }).storeOriginal).toBeUndefined();
  });

  it('an option the remote stops sending is removed, or restored when the original had it', () => {
    const previousRemote = pkg("config telemetry 'telemetry'\n\toption upstream_host 'tb.example'\n\toption upstream_port '1883'\n");
    const current = pkg("config telemetry 'telemetry'\n\toption queue_dir '/srv/q'\n\toption upstream_host 'tb.example'\n\toption upstream_port '1883'\n");
    const remote = pkg("config telemetry 'telemetry'\n\toption mode 'normal'\n");
    const { merged } = mergeRemote({ current, previousRemote, remote, stored: local });
    expect(show(merged)).toEqual(['telemetry.telemetry:queue_dir=/srv/q,upstream_host=local.example,mode=normal']);
  });

  it('a section the remote stops sending loses what the remote set, and disappears when nothing is left', () => {
    const previousRemote = pkg("config lte 'lte'\n\toption interface 'wwan'\n");
    const current = pkg("config lte 'lte'\n\toption interface 'wwan'\n");
    const { merged } = mergeRemote({ current, previousRemote, remote: pkg(''), stored: pkg('') });
    expect(show(merged)).toEqual([]);
  });

  it('a section the remote stops sending is restored from the original when the original had it', () => {
    const previousRemote = pkg("config telemetry 'telemetry'\n\toption upstream_host 'tb.example'\n");
    const current = pkg("config telemetry 'telemetry'\n\toption queue_dir '/srv/q'\n\toption upstream_host 'tb.example'\n");
    const { merged } = mergeRemote({ current, previousRemote, remote: pkg(''), stored: local });
    expect(show(merged)).toEqual(['telemetry.telemetry:queue_dir=/srv/q,upstream_host=local.example,rule_range=a=1:2']);
  });
});
