import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { PACKAGES } from '../../../tools/feed/catalog.js';
import { renderInitScript } from '../../../tools/feed/scripts.js';

// node refuses to start with an option it does not know: a flag on a procd command line must be one
// this node accepts (the device runs node 18 or newer; V8 keeps --opt as an alias of --turbofan).
describe('node flags on the procd command lines', () => {
  for (const spec of PACKAGES.filter((candidate) => candidate.service)) {
    const flags = spec.service!.nodeFlags;
    it(`${spec.name}: ${flags.join(' ') || 'no flags'} accepted by node ${process.version} and written into the init script`, () => {
      const run = spawnSync(process.execPath, [...flags, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe('ok');
      expect(renderInitScript(spec)).toContain(`procd_set_param command /usr/bin/node ${flags.map((flag) => `${flag} `).join('')}/usr/lib/smartgrid/${spec.name}.js\n`);
    });
  }

  it('runs the LTE watchdog without the optimizing compiler', () => {
    expect(PACKAGES.find((spec) => spec.name === 'smartgrid-lte')!.service!.nodeFlags).toEqual(['--no-opt']);
  });

  it('runs the telemetry forwarder interpreted, small-heap, without the WebAssembly warning', () => {
    const flags = PACKAGES.find((spec) => spec.name === 'smartgrid-telemetry')!.service!.nodeFlags;
    expect(flags).toEqual(['--optimize-for-size', '--jitless', '--no-expose-wasm']);
    const run = spawnSync(process.execPath, [...flags, '-e', 'process.stdout.write(typeof WebAssembly)'], { encoding: 'utf8' });
    expect({ stdout: run.stdout, stderr: run.stderr }).toEqual({ stdout: 'undefined', stderr: '' });
  });
});
