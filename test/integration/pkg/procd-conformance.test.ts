// The rc.common/procd.sh and procd stand-ins against the captured procd session (conformance/procd/reload.json and session.json):
// the conftest-svc script of the capture, run through the stand-ins, must send the same
// `service set` bodies on reload (with and without a config change), keep or restart the same instances,
// send the same `service delete` on stop, and answer unknown services and instances as procd did.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInitScript, type Json, type ProcdMessage } from '../../stand-ins/procd/procd.js';
import { ProcdSupervisor } from '../../stand-ins/procd/supervisor.js';
import { waitUntil } from '../../helpers/ubus.js';

const CONFORMANCE = join(__dirname, '../../../../shared/conformance/procd');
interface SessionCommand { argv?: string[]; exit_code?: number; stdout?: string; note?: string }
const commands = (JSON.parse(readFileSync(join(CONFORMANCE, 'session.json'), 'utf8')) as SessionCommand[]).filter((step) => Array.isArray(step.argv));
const captured = (note: string) => commands.find((step) => step.note === note)!;
const reload = JSON.parse(readFileSync(join(CONFORMANCE, 'reload.json'), 'utf8')) as {
  reload_without_change_service_set: Json; reload_after_uci_change_service_set: Json; stop_service_delete: Json;
};

/** /etc/init.d/conftest-svc as the capture's README describes it. */
const CONFTEST_SVC = `#!/bin/sh /etc/rc.common
START=95
STOP=10
USE_PROCD=1

start_service() {
	local name interval
	config_load conftest
	config_get name main name
	config_get interval main interval
	procd_open_instance main
	procd_set_param command /bin/sh -c 'trap "echo conftest-svc: got HUP" HUP; while true; do echo "conftest-svc: $0 alive"; sleep "$1" & wait $!; done' "$name" "$interval"
	procd_set_param respawn 3600 5 5
	procd_set_param env CONFTEST=1 MODE=demo
	procd_set_param stdout 1
	procd_set_param stderr 1
	procd_set_param file /etc/config/conftest
	procd_set_param pidfile /var/run/conftest-svc.pid
	procd_set_param term_timeout 3
	procd_set_param data name="$name"
	procd_close_instance
	procd_open_instance worker
	procd_set_param command /bin/sleep 3600
	procd_set_param respawn
	procd_close_instance
}

service_triggers() {
	procd_add_reload_trigger conftest
}
`;

const work = mkdtempSync(join(tmpdir(), 'sg-procd-conf-'));
const procd = new ProcdSupervisor();
afterAll(async () => { await procd.shutdown(); rmSync(work, { recursive: true, force: true }); });

const script = join(work, 'conftest-svc');
const uciDir = join(work, 'config');
const asCaptured = (message: ProcdMessage): Json => JSON.parse(JSON.stringify(message.body).split(script).join('/etc/init.d/conftest-svc')) as Json;
const writeName = (name: string) => writeFileSync(join(uciDir, 'conftest'), `config conftest 'main'\n\toption name '${name}'\n\toption interval '5'\n`);

function run(action: string): ProcdMessage[] {
  const result = runInitScript({ script, action, uciDir, running: procd.inspect('conftest-svc', 'main')?.running ?? false });
  expect(result.stderr).toBe('');
  for (const message of result.messages) procd.handle(message);
  return result.messages;
}

const pids = () => ({ main: procd.inspect('conftest-svc', 'main')?.pid, worker: procd.inspect('conftest-svc', 'worker')?.pid });

describe('procd stand-ins against the captured procd session', () => {
  it('reload without a change sends the captured service set and keeps every PID', () => {
    mkdirSync(uciDir, { recursive: true });
    writeFileSync(script, CONFTEST_SVC);
    writeName('applied-and-confirmed');
    run('start');
    const before = pids();
    expect(before.main).toBeGreaterThan(0);
    const messages = run('reload');
    expect(messages.map((message) => message.method)).toEqual(['set']);
    expect(asCaptured(messages[0]!)).toEqual(reload.reload_without_change_service_set);
    expect(pids()).toEqual(before);
  });

  it('reload after a uci change sends the captured body and restarts only the changed instance', async () => {
    const before = pids();
    writeName('renamed-by-uci');
    const messages = run('reload');
    expect(asCaptured(messages[0]!)).toEqual(reload.reload_after_uci_change_service_set);
    await waitUntil(() => pids().main !== undefined && pids().main !== before.main, 10_000, 'main restarted with a new PID');
    expect(pids().worker).toBe(before.worker);
  });

  it('answers an unknown instance with status 4 and lists an unknown service as {}, as procd did', () => {
    // The CLI exits with 256 - status; `{\n\t\n}` is the CLI's rendering of an empty table.
    expect(256 - procd.signal('conftest-svc', 'nosuch', 1)).toBe(captured('unknown instance').exit_code);
    expect(captured('unknown service: empty object').stdout).toBe('{\n\t\n}\n');
    expect(procd.list('nosuch-svc')).toEqual({});
  });

  it('stop sends the captured service delete', () => {
    const messages = run('stop');
    expect(messages).toEqual([{ method: 'delete', body: reload.stop_service_delete }]);
  });
});
