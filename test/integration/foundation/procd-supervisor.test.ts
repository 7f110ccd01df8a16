// The supervising procd stand-in on its own, with small shell and node commands: stdio to syslog,
// respawn and crash loops, term_timeout, signals, `service set` updates and the `service list` shape.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ProcdSupervisor } from '../../stand-ins/procd/supervisor.js';
import type { InstanceConfig } from '../../stand-ins/procd/instance.js';
import { waitUntil } from '../../helpers/ubus.js';
import { listedInstance, serviceListSample } from './procd-sample.js';

const work = mkdtempSync(join(tmpdir(), 'sg-supervisor-'));
const supervisors: ProcdSupervisor[] = [];
afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((procd) => procd.shutdown()));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function supervisor(options: ConstructorParameters<typeof ProcdSupervisor>[0] = {}): ProcdSupervisor {
  const procd = new ProcdSupervisor(options);
  supervisors.push(procd);
  return procd;
}

/** A node process that prints `ready`, logs HUPs, and on SIGTERM exits 0 (or ignores it). */
function nodeCommand(onTerm: 'exit' | 'ignore'): string[] {
  const term = onTerm === 'exit' ? 'process.exit(0)' : "console.log('ignoring TERM')";
  return ['/usr/bin/node', '-e', `process.on('SIGHUP',()=>console.log('got HUP'));process.on('SIGTERM',()=>{${term}});console.log('ready');setInterval(()=>{},1000)`];
}

const ready = (procd: ProcdSupervisor, count = 1) => waitUntil(() => procd.syslog.entries.filter((e) => e.message === 'ready').length >= count, 10_000, 'ready');

describe('procd supervisor stand-in', () => {
  it('runs the command with its env and logs stdout at info and stderr at err as <arg0>[pid]', async () => {
    const procd = supervisor({ envOverride: { OVERRIDDEN: 'by-test' } });
    procd.set('demo', { main: { command: ['/bin/sh', '-c', 'echo "out $MODE $OVERRIDDEN"; echo "err line" >&2; printf partial; exec sleep 30'], env: { MODE: 'demo', OVERRIDDEN: 'no' }, stdout: true, stderr: true, respawn: ['3600', '5', '5'] } });
    await waitUntil(() => procd.syslog.entries.length >= 2, 5000, 'two log lines');
    const pid = procd.inspect('demo', 'main')!.pid!;
    expect(procd.syslog.entries.map(({ priority, ident, message }) => ({ priority, ident, message })).sort((a, b) => a.message.localeCompare(b.message))).toEqual([
      { priority: 'err', ident: `sh[${pid}]`, message: 'err line' },
      { priority: 'info', ident: `sh[${pid}]`, message: 'out demo by-test' },
    ]);
    expect(procd.syslog.lines()[0]).toMatch(new RegExp(`daemon\\.(info|err) sh\\[${pid}\\]: `));
    const listed = procd.list('demo') as { demo: { instances: { main: Record<string, unknown> } } };
    expect(listed.demo.instances.main).toEqual({
      running: true, pid, command: ['/bin/sh', '-c', expect.any(String)], term_timeout: 5, env: { MODE: 'demo', OVERRIDDEN: 'no' }, respawn: { threshold: 3600, timeout: 5, retry: 5 },
    });
    expect(Object.keys(listed.demo.instances.main)).toEqual(Object.keys(listedInstance(serviceListSample.list_name, 'conftest-svc', 'main')).filter((k) => !['data', 'pidfile'].includes(k)));
    expect(procd.list('nosuch')).toEqual({});
    procd.delete('demo');
    await waitUntil(() => procd.list('demo').demo === undefined, 8000, 'deleted');
    await waitUntil(() => procd.syslog.entries.some((e) => e.message === 'partial' && e.ident === `sh[${pid}]`), 2000, 'the unterminated last line');
  });

  it('respawns after `timeout` s and stops a crash loop after more than `retry` quick crashes', async () => {
    const procd = supervisor();
    procd.set('crashy', { instance1: { command: ['/bin/sh', '-c', 'echo crashing; exit 3'], stdout: true, respawn: ['3600', '1', '2'] } });
    await waitUntil(() => procd.inspect('crashy')?.failed === true, 10_000, 'crash loop');
    const state = procd.inspect('crashy')!;
    expect(state).toMatchObject({ running: false, spawns: 3, respawnCount: 3, failed: true, exitCode: 3 });
    const types = procd.events.map((e) => e.type);
    expect(types).toEqual(['instance.start', 'instance.stop', 'instance.respawn', 'instance.start', 'instance.stop', 'instance.respawn', 'instance.start', 'instance.stop', 'instance.fail']);
    const starts = procd.events.filter((e) => e.type === 'instance.start').map((e) => e.at);
    const stops = procd.events.filter((e) => e.type === 'instance.stop').map((e) => e.at);
    expect(starts[1]! - stops[0]!).toBeGreaterThanOrEqual(950);
    expect(procd.syslog.entries.filter((e) => e.message === 'crashing')).toHaveLength(3);
    expect(procd.syslog.lines((e) => e.ident === 'procd')).toEqual([expect.stringContaining('Instance crashy::instance1 s in a crash loop 3 crashes, 0 seconds since last crash')]);
    const listed = (procd.list('crashy').crashy as { instances: { instance1: Record<string, unknown> } }).instances.instance1;
    expect(listed).toMatchObject({ running: false, exit_code: 3 });
    expect(listed.respawn).toBeUndefined();
    expect(listed.pid).toBeUndefined();
  });

  it('never gives up on crashes slower than `threshold`, and counts an unknown command as exit 127', async () => {
    const procd = supervisor();
    procd.set('slow', { instance1: { command: ['/bin/sh', '-c', 'exit 1'], respawn: ['0', '0', '1'] } });
    procd.set('missing', { instance1: { command: ['/nonexistent/daemon'], respawn: ['3600', '0', '1'] } });
    await waitUntil(() => (procd.inspect('slow')?.spawns ?? 0) >= 5 && procd.inspect('missing')?.failed === true, 10_000, 'spawns');
    expect(procd.inspect('slow')).toMatchObject({ failed: false, respawnCount: 0 });
    expect(procd.inspect('missing')).toMatchObject({ failed: true, exitCode: 127, spawns: 2 });
  });

  it('stops with SIGTERM, and SIGKILLs what is still alive after term_timeout', async () => {
    const procd = supervisor();
    procd.set('polite', { instance1: { command: nodeCommand('exit'), stdout: true, term_timeout: 3, respawn: [] } });
    procd.set('stubborn', { instance1: { command: nodeCommand('ignore'), stdout: true, term_timeout: 1, respawn: [] } });
    await ready(procd, 2);
    const started = Date.now();
    procd.delete('polite');
    procd.delete('stubborn');
    await waitUntil(() => Object.keys(procd.list()).length === 0, 8000, 'both stopped');
    const stop = (name: string) => procd.events.find((e) => e.service === name && e.type === 'instance.stop')!;
    expect(stop('polite').exit_code).toBe(0);
    expect(stop('polite').at - started).toBeLessThan(3000);
    expect(stop('stubborn').exit_code).toBe(137);
    expect(stop('stubborn').at - started).toBeGreaterThanOrEqual(950);
    expect(procd.syslog.entries.some((e) => e.message === 'ignoring TERM')).toBe(true);
    expect(procd.syslog.lines((e) => e.ident === 'procd')).toEqual([expect.stringContaining('Instance stubborn::instance1 pid')]);
  });

  it('delivers `service signal` (default HUP) and answers NOT_FOUND for unknown services and instances', async () => {
    const procd = supervisor();
    procd.set('hup', { main: { command: nodeCommand('exit'), stdout: true } });
    await ready(procd);
    expect(procd.handle({ method: 'signal', body: { name: 'hup' } })).toBe(0);
    await waitUntil(() => procd.syslog.entries.some((e) => e.message === 'got HUP'), 5000, 'HUP logged');
    expect(procd.signal('hup', 'main', 1)).toBe(0);
    expect(procd.signal('hup', 'nosuch', 1)).toBe(4);
    expect(procd.signal('nosuch', undefined, 1)).toBe(4);
    expect(procd.inspect('hup', 'main')).toMatchObject({ running: true, spawns: 1 });
  });

  it('keeps an unchanged instance on `service set`, restarts a changed one, maps paths into the root', async () => {
    const root = join(work, 'root');
    mkdirSync(join(root, 'bin'), { recursive: true });
    mkdirSync(join(root, 'etc/config'), { recursive: true });
    symlinkSync('/bin/sh', join(root, 'bin/sh'));
    writeFileSync(join(root, 'etc/config/demo'), 'one\n');
    writeFileSync(join(root, 'etc/demo.sh'), 'echo "script in root"; exec sleep 30\n');
    const procd = supervisor({ root });
    const config: InstanceConfig = { command: ['/bin/sh', '/etc/demo.sh'], stdout: true, file: ['/etc/config/demo'], respawn: [] };
    procd.set('svc', { instance1: config });
    await waitUntil(() => procd.syslog.entries.some((e) => e.message === 'script in root'), 5000, 'script ran');
    const first = procd.inspect('svc')!.pid;
    procd.set('svc', { instance1: { ...config } });
    expect(procd.inspect('svc')!.pid).toBe(first);
    writeFileSync(join(root, 'etc/config/demo'), 'two\n');
    procd.set('svc', { instance1: { ...config } });
    await waitUntil(() => procd.inspect('svc')!.running && procd.inspect('svc')!.pid !== first, 8000, 'restarted');
    expect(procd.events.find((e) => e.type === 'instance.stop')!.exit_code).toBe(143);
    expect(procd.inspect('svc')!.spawns).toBe(2);
  });
});
