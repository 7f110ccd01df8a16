#!/usr/bin/env node
// Scripted stand-in for ModemManager's `mmcli`: answers from the scenario file named by
// $MMCLI_SCENARIO (see fixtures.ts), with mmcli's own messages and exit codes. Never shipped.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';

const MM = '/org/freedesktop/ModemManager1';
const file = process.env.MMCLI_SCENARIO;
if (!file) { process.stderr.write('error: MMCLI_SCENARIO not set\n'); process.exit(2); }
const scenario = JSON.parse(readFileSync(file, 'utf8'));
const args = process.argv.slice(2);
if (scenario.log) appendFileSync(scenario.log, JSON.stringify(args) + '\n');

const fail = (message) => { process.stderr.write(`${message}\n`); process.exit(1); };
const print = (doc) => { process.stdout.write(JSON.stringify(doc) + '\n'); process.exit(0); };
const save = () => writeFileSync(file, JSON.stringify(scenario, null, 1));
const hang = () => setInterval(() => {}, 1000);


function option(long, short) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === long || (short && args[i] === short)) return args[i + 1] ?? '';
    if (args[i].startsWith(`${long}=`)) return args[i].slice(long.length + 1);
  }
  return undefined;
}
const flag = (long, short) => args.includes(long) || (short !== undefined && args.includes(short));

if (scenario.manager === 'absent') fail("error: couldn't find the ModemManager process in the bus");
if (scenario.manager === 'hang') hang();
else main();

function findModem(text) {
  const index = /^\d+$/.test(text) ? text : (/\/Modem\/(\d+)$/.exec(text) ?? [])[1];
  const entry = index === undefined ? undefined : scenario.modems[index];
  if (!entry) fail("error: couldn't find modem");
  return entry;
}

function main() {
  if (flag('--list-modems', '-L')) return print({ 'modem-list': Object.keys(scenario.modems).map((i) => `${MM}/Modem/${i}`) });
  const sim = option('--sim', '-i');
  if (sim !== undefined) {
    const doc = scenario.sims[sim] ?? scenario.sims[`${MM}/SIM/${sim}`];
    return doc ? print(doc) : fail(`error: couldn't find SIM at '${sim}': 'not found in any modem'`);
  }
  const bearer = option('--bearer', '-b');
  if (bearer !== undefined) {
    const doc = scenario.bearers[bearer] ?? scenario.bearers[`${MM}/Bearer/${bearer}`];
    return doc ? print(doc) : fail(`error: couldn't find bearer at '${bearer}': 'not found in any modem'`);
  }
  const modemArg = option('--modem', '-m');
  if (modemArg === undefined) fail('error: no actions specified');
  const entry = findModem(modemArg);
  if (entry.hang) return hang();
  const generic = entry.modem.modem.generic;
  if (flag('--signal-get')) return print(entry.signal ?? { modem: { signal: { refresh: { rate: '0' } } } });
  const setup = option('--signal-setup');
  if (setup !== undefined) {
    entry.signal ??= { modem: { signal: {} } };
    entry.signal.modem.signal.refresh = { rate: setup };
    save();
    process.stdout.write('successfully setup signal quality information polling\n');
    return;
  }
  const connect = option('--simple-connect');
  if (connect !== undefined) {
    if (generic.state === 'failed' || generic.state === 'locked') fail("error: couldn't connect the modem: 'GDBus.Error:org.freedesktop.ModemManager1.Error.Core.WrongState: modem in failed state'");
    const path = generic.bearers[0] ?? `${MM}/Bearer/0`;
    generic.bearers = [path];
    generic.state = 'connected';
    const doc = scenario.bearers[path];
    if (doc) { doc.bearer.status.connected = 'yes'; doc.bearer.status.interface = 'wwan0'; }
    save();
    process.stdout.write(`successfully connected the modem at bearer ${path}\n`);
    return;
  }
  if (flag('--simple-disconnect')) {
    generic.state = 'registered';
    for (const path of generic.bearers) if (scenario.bearers[path]) scenario.bearers[path].bearer.status.connected = 'no';
    save();
    process.stdout.write('successfully disconnected all bearers in the modem\n');
    return;
  }
  if (flag('--enable', '-e')) { generic.state = 'registered'; generic['power-state'] = 'on'; save(); process.stdout.write('successfully enabled the modem\n'); return; }
  if (flag('--disable', '-d')) { generic.state = 'disabled'; generic['power-state'] = 'low'; save(); process.stdout.write('successfully disabled the modem\n'); return; }
  if (flag('--reset', '-r')) {
    if (entry.resetSupported === false) fail("error: couldn't reset the modem: 'GDBus.Error:org.freedesktop.ModemManager1.Error.Core.Unsupported: Cannot reset the modem: operation not supported'");
    generic.state = 'registered';
    save();
    process.stdout.write('successfully reseted the modem\n');
    return;
  }
  if (flag('--output-json', '-J')) return print(entry.modem);
  fail('error: no actions specified');
}
