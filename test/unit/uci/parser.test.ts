import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseUci } from '../../../src/lib/uci/parser.js';
import { renderConfigFile, renderPackage } from '../../../src/lib/uci/render.js';
import { UciParseError } from '../../../src/lib/uci/types.js';
import { conformancePath } from '../../helpers/conformance.js';

const CONFIGS = conformancePath('uci', 'configs');

describe('parseUci', () => {
  it('returns sections in file order with libuci names for anonymous ones', () => {
    const { package: pkg } = parseUci(readFileSync(`${CONFIGS}/basic`), { name: 'basic' });
    expect(pkg.sections.map((s) => [s.name, s.type, s.anonymous])).toEqual([
      ['cfg01e48a', 'system', true], ['lan', 'interface', false], ['wan', 'interface', false],
      ['cfg043511', 'peer', true], ['cfg053511', 'peer', true], ['named_peer', 'peer', false], ['cfg073511', 'peer', true],
    ]);
    expect(pkg.sections[1].options.get('dns')).toEqual(['1.1.1.1', '8.8.8.8']);
    expect(pkg.sections[2].options.get('metric')).toBe('10');
  });

  it('throws the exact libuci error in strict mode and skips the line otherwise', () => {
    const bytes = readFileSync(`${CONFIGS}/parse/bad_line5`);
    expect(() => parseUci(bytes, { name: 'x' })).toThrow(new UciParseError('too many arguments', 5, 19));
    const bad = readFileSync(`${CONFIGS}/parse/bad_keyword`);
    const lenient = parseUci(bad, { name: 'x', strict: false });
    expect(lenient.errors.map((e) => e.message)).toEqual(['Parse error (invalid command) at line 2, byte 1']);
    expect(lenient.package.sections).toHaveLength(1);
  });

  it('round-trips through the commit renderer', () => {
    const { package: pkg } = parseUci(readFileSync(`${CONFIGS}/edge`), { name: 'edge' });
    const again = parseUci(renderConfigFile(pkg), { name: 'edge' }).package;
    expect(renderPackage(again, { header: true })).toBe(renderPackage(pkg, { header: true }));
  });
});
