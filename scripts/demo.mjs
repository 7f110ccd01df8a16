// `make demo`: the simulated gateway on localhost. `node scripts/demo.mjs` starts it (after `make build`);
// `node scripts/demo.mjs modem <fault>` / `wan up|down` / `thread <fault>` drive a running demo.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const repo = new URL('..', import.meta.url).pathname;
// DEMO_DIR: a state folder of its own (tests use one, so they never touch a demo started by hand).
const dir = process.env.DEMO_DIR ?? join(repo, '.demo');
const stateFile = join(dir, 'demo.json');
const FAULTS = ['hang', 'bearer-drop', 'sim-missing', 'weak-signal', 'recover'];
const THREAD_FAULTS = ['rcp-reboot', 'rcp-unplug', 'rcp-firmware-ncp', 'rcp-firmware-rcp'];

async function rpc(url, sid, object, method, args) {
  const response = await fetch(`${url}/ubus`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'call', params: [sid, object, method, args] }),
  });
  const reply = await response.json();
  if (reply.error) throw new Error(`${object}.${method}: ${reply.error.message}`);
  if (reply.result[0] !== 0) throw new Error(`${object}.${method}: ubus status ${reply.result[0]}`);
  return reply.result[1] ?? {};
}

async function control(args) {
  if (!existsSync(stateFile)) throw new Error('no demo running here (start it with `make demo`)');
  const { url, users } = JSON.parse(readFileSync(stateFile, 'utf8'));
  const login = await rpc(url, '00000000000000000000000000000000', 'session', 'login', { username: 'root', password: users.root });
  const sid = login.ubus_rpc_session;
  const [what, value] = args;
  let result;
  if (what === 'modem' && FAULTS.includes(value)) result = await rpc(url, sid, 'smartgrid.sim', 'modem_fault', { fault: value });
  else if (what === 'wan' && (value === 'up' || value === 'down')) result = await rpc(url, sid, 'smartgrid.sim', 'wan', { up: value === 'up' });
  else if (what === 'thread' && THREAD_FAULTS.includes(value)) result = await rpc(url, sid, 'smartgrid.sim', 'thread_fault', { fault: value });
  else if (what === 'status') result = await rpc(url, sid, 'smartgrid.sim', 'status', {});
  else throw new Error(`usage: node scripts/demo.mjs modem ${FAULTS.join('|')} | wan up|down | thread ${THREAD_FAULTS.join('|')} | status`);
  console.log(JSON.stringify(result, null, 2));
}

/** The demo already running from this checkout, if any (its state file names a live pid). */
function runningDemo() {
  if (!existsSync(stateFile)) return undefined;
  try {
    const state = JSON.parse(readFileSync(stateFile, 'utf8'));
    process.kill(state.pid, 0);
    return state;
  } catch {
    return undefined;
  }
}

async function start() {
  const running = runningDemo();
  if (running) {
    throw new Error(`a demo is already running from this checkout (pid ${running.pid}, ${running.url}/cgi-bin/luci/); ` +
      'its logins stay valid. Stop it (Ctrl-C there) before starting another.');
  }
  const out = join(repo, 'build', 'demo', 'gateway.mjs');
  await build({
    entryPoints: [join(repo, 'demo', 'gateway.ts')], outfile: out, bundle: true, platform: 'node', format: 'esm',
    target: 'node18', packages: 'external', logLevel: 'warning',
  });
  const { startDemoGateway, SHIPPED_SERVICE_NAMES } = await import(out);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const port = Number(process.env.DEMO_PORT ?? 8080);
  let gateway;
  try {
    gateway = await startDemoGateway({ repo, dir, webPort: port, applyHoldoffS: 2 });
  } catch (error) {
    if (error.code !== 'EADDRINUSE') throw error;
    gateway = await startDemoGateway({ repo, dir, webPort: 0, applyHoldoffS: 2 });
  }
  writeFileSync(stateFile, JSON.stringify({ url: gateway.url, users: gateway.users, pid: process.pid }));
  const started = gateway.services.map((service) => service.name);
  const missing = SHIPPED_SERVICE_NAMES.filter((name) => !started.includes(name));
  console.log(`
smartgrid demo gateway is running.

  LuCI:      ${gateway.url}/cgi-bin/luci/   (Services > Smart Grid)
  Login:     root / ${gateway.users.root}
  Read-only: viewer / ${gateway.users.viewer}
  Services:  ${started.join(', ') || 'none'}${missing.length ? `   (not built, shown as not running: ${missing.join(', ')})` : ''}
  Logs:      ${join(dir, 'logs')}/<service>.log

Break the simulated modem and watch the LTE page and its recovery ladder:
  node scripts/demo.mjs modem hang          (also: bearer-drop | sim-missing | weak-signal | recover)
  node scripts/demo.mjs wan down            (Ethernet uplink lost: failover to LTE; 'wan up' restores it)
  node scripts/demo.mjs status
or use the "Simulator (demo only)" buttons on the LTE page. Stop with Ctrl-C.
`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('stopping the demo…');
    await gateway.stop();
    rmSync(stateFile, { force: true });
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

const args = process.argv.slice(2);
(args.length ? control(args) : start()).catch((error) => {
  console.error(`demo: ${error.message}`);
  process.exit(1);
});
