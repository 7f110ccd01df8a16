import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bearerDoc, modemDoc, signalDoc, simDoc, type Scenario } from '../test/stand-ins/mmcli/fixtures.js';
import { seededRandom } from './load-curve.js';

export const MODEM_FAULTS = ['hang', 'bearer-drop', 'sim-missing', 'weak-signal', 'recover'] as const;
export type ModemFault = (typeof MODEM_FAULTS)[number];

type Condition = 'ok' | 'hang' | 'bearer-drop' | 'sim-missing' | 'weak-signal';

/**
 * A cellular modem behind the scripted `mmcli` stand-in (test/stand-ins/mmcli): this class owns the
 * scenario file mmcli answers from, moves counters and signal like a live modem, and reacts to what
 * the watchdog does (ifup, ModemManager restart) the way the hardware would.
 */
export class SimulatedModem {
  readonly scenarioPath: string;
  readonly onlineFlag: string;
  private readonly requests: string;
  private condition: Condition = 'ok';
  private index = 0;
  private bytes = { rx: 1_250_000, tx: 420_000 };
  private connectedAt = Date.now();
  private reconnectAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly random = seededRandom(7);
  readonly events: { at: number; what: string }[] = [];

  constructor(private readonly dir: string, private readonly operatorName = 'Telefónica') {
    mkdirSync(dir, { recursive: true });
    this.requests = join(dir, 'requests');
    mkdirSync(this.requests, { recursive: true });
    this.scenarioPath = join(dir, 'mmcli-scenario.json');
    this.onlineFlag = join(dir, 'modem-online');
    this.write(this.build());
  }

  get state(): { condition: Condition; index: number; online: boolean } {
    return { condition: this.condition, index: this.index, online: existsSync(this.onlineFlag) };
  }

  /**
   * Writes the programs the LTE watchdog runs (`ping`, `ifup`, `reboot`, and `mmcli` linked to the
   * stand-in when given) into `binDir`, plus a ModemManager restart script.
   */
  installCommands(binDir: string, mmcliStandIn?: string): { mmRestart: string } {
    mkdirSync(binDir, { recursive: true });
    const script = (name: string, body: string) => {
      const path = join(binDir, name);
      writeFileSync(path, `#!/bin/sh\n# demo stand-in: ${name}\n${body}\n`);
      chmodSync(path, 0o755);
      return path;
    };
    script('ping', `if [ -f '${this.onlineFlag}' ]; then echo 'rtt min/avg/max/mdev = 38.1/41.7/45.0/2.1 ms'; exit 0; fi\necho 'ping: sendmsg: Network is unreachable' >&2; exit 1`);
    script('ifup', `touch '${this.requests}/ifup'; exit 0`);
    const mmRestart = script('modemmanager-restart', `touch '${this.requests}/mm-restart'; exit 0`);
    script('reboot', `touch '${this.requests}/reboot'; exit 0`);
    if (mmcliStandIn) symlinkSync(mmcliStandIn, join(binDir, 'mmcli'));
    return { mmRestart };
  }

  /** rpcd restarted ModemManager (ubus `rc init {"name":"modemmanager","action":"restart"}`). */
  requestMmRestart(): void {
    this.handle('mm-restart', Date.now());
  }

  /** netifd brought the LTE interface up (ubus `network.interface.wwan up`). */
  requestIfup(): void {
    this.handle('ifup', Date.now());
  }

  fault(fault: ModemFault): void {
    this.log(`fault: ${fault}`);
    this.condition = fault === 'recover' ? 'ok' : fault;
    if (fault === 'recover' || fault === 'weak-signal') this.connectedAt = Date.now();
    this.write(this.build());
  }

  start(tickMs = 1000): void {
    this.timer = setInterval(() => this.tick(), tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One second of modem life: counters, signal drift, reactions to the watchdog's commands. */
  tick(now = Date.now()): void {
    for (const request of readdirSync(this.requests)) {
      rmSync(join(this.requests, request), { force: true });
      this.handle(request, now);
    }
    const current = this.read();
    const entry = current?.modems[String(this.index)];
    const generic = (entry?.modem as { modem?: { generic?: { state?: string } } } | undefined)?.modem?.generic;
    // mmcli itself changed the state (simple-connect, reset, disable): netifd reconnects after a while.
    if (this.condition === 'ok' && generic?.state && generic.state !== 'connected') {
      this.reconnectAt ??= now + 3000;
      if (now >= this.reconnectAt) { this.reconnectAt = undefined; this.connectedAt = now; this.log('bearer reconnected by netifd'); }
      else return this.updateOnline(false);
    }
    if (this.condition === 'ok' || this.condition === 'weak-signal') {
      this.bytes.rx += Math.round(2000 + this.random() * 6000);
      this.bytes.tx += Math.round(4000 + this.random() * 12000);
    }
    this.write(this.build(current));
  }

  private handle(request: string, now: number): void {
    if (request === 'ifup' && this.condition === 'bearer-drop') {
      this.condition = 'ok';
      this.log('ifup: bearer connected');
    } else if (request === 'mm-restart' && this.condition === 'hang') {
      this.condition = 'ok';
      this.index += 1;
      this.log(`ModemManager restarted: modem re-appeared as index ${this.index}`);
    } else {
      this.log(`${request}: no effect in condition ${this.condition}`);
      return;
    }
    this.connectedAt = now;
    this.reconnectAt = undefined;
    this.write(this.build());
  }

  private log(what: string): void {
    this.events.push({ at: Date.now(), what });
    if (this.events.length > 50) this.events.shift();
  }

  private build(previous?: Scenario): Scenario {
    const c = this.condition;
    const failed = c === 'sim-missing';
    const connected = c === 'ok' || c === 'weak-signal';
    const weak = c === 'weak-signal';
    const jitter = () => (this.random() - 0.5) * 4;
    const lte = weak
      ? { rssi: -97 + jitter(), rsrq: -17 + jitter() / 2, rsrp: -117 + jitter(), snr: -3 + jitter() / 2 }
      : { rssi: -66 + jitter(), rsrq: -9 + jitter() / 2, rsrp: -93 + jitter(), snr: 14 + jitter() };
    const modem = modemDoc({
      index: this.index, state: failed ? 'failed' : connected ? 'connected' : 'registered', failedReason: failed ? 'sim-missing' : '--',
      sim: !failed, bearers: failed ? [] : [this.index], operatorName: this.operatorName, operatorCode: '21407',
      quality: weak ? 12 : 71, registration: 'home',
    });
    const signal = signalDoc(previous?.modems[String(this.index)]?.signal ? 10 : 0, failed ? undefined : lte);
    const bearer = bearerDoc(this.index, connected, this.bytes);
    const duration = Math.round((Date.now() - this.connectedAt) / 1000);
    ((bearer.bearer as Record<string, Record<string, unknown>>).stats!).duration = connected ? String(duration) : '--';
    return {
      manager: 'running',
      modems: { [String(this.index)]: { modem, signal, hang: c === 'hang', resetSupported: true } },
      sims: failed ? {} : { [`/org/freedesktop/ModemManager1/SIM/${this.index}`]: simDoc(this.index) },
      bearers: failed ? {} : { [`/org/freedesktop/ModemManager1/Bearer/${this.index}`]: bearer },
      log: join(this.dir, 'mmcli.log'),
    };
  }

  private read(): Scenario | undefined {
    try { return JSON.parse(readFileSync(this.scenarioPath, 'utf8')) as Scenario; } catch { return undefined; }
  }

  private write(scenario: Scenario): void {
    writeFileSync(`${this.scenarioPath}.tmp`, JSON.stringify(scenario));
    renameSync(`${this.scenarioPath}.tmp`, this.scenarioPath);
    const entry = scenario.modems[String(this.index)];
    const state = (entry?.modem as { modem?: { generic?: { state?: string } } } | undefined)?.modem?.generic?.state;
    this.updateOnline(!entry?.hang && state === 'connected');
  }

  private updateOnline(online: boolean): void {
    if (online) writeFileSync(this.onlineFlag, '1');
    else rmSync(this.onlineFlag, { force: true });
  }
}
