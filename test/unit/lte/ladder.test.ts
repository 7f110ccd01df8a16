import { describe, expect, it } from 'vitest';
import type { LteHealth } from '../../../src/lte/health.js';
import { Ladder, type StepExecutor } from '../../../src/lte/ladder/ladder.js';
import { buildStepPolicies, parseStepOverride, STEP_NAMES, type StepName } from '../../../src/lte/ladder/steps.js';
import { FakeClock, testLogger } from './helpers.js';

const up: LteHealth = { status: 'up' };
const down = (cause: 'probe-failed' | 'bearer-disconnected' | 'mmcli-timeout' | 'manager-unavailable', floor: StepName): LteHealth => ({ status: 'down', cause, detail: cause, floor });

interface Run { step: StepName; at: number }

/**
 * Drives a ladder with a fake clock: `world(now)` says how the LTE link looks, each executor may
 * change the world. Returns every action with its time in seconds from the start.
 */
async function simulate(options: {
  world: (now: number) => LteHealth;
  effects?: Partial<Record<StepName, (now: number) => void>>;
  durationS: number;
  pollS: number;
  rebootEnabled?: boolean;
  overrides?: string[];
  /** A reboot restarts the watchdog: a new ladder that only keeps the persisted run times. */
  rebootRestarts?: boolean;
}): Promise<{ runs: Run[]; ladder: Ladder; entries: ReturnType<Ladder['entries']> }> {
  const clock = new FakeClock();
  const start = clock.now();
  const runs: Run[] = [];
  const entries: ReturnType<Ladder['entries']> = [];
  let rebooted = false;
  const executors = Object.fromEntries(STEP_NAMES.map((name) => [name, (async () => {
    runs.push({ step: name, at: (clock.now() - start) / 1000 });
    options.effects?.[name]?.(clock.now());
    if (name === 'reboot') rebooted = true;
    return { ok: true, detail: `${name} done` };
  }) as StepExecutor])) as Record<StepName, StepExecutor>;
  const make = (runTimes?: Partial<Record<StepName, number[]>>) => new Ladder({
    steps: buildStepPolicies(options.overrides ?? [], options.rebootEnabled ?? false, 1),
    executors, clock, log: testLogger().log, failureGraceS: 20, stableResetS: 1800, historySize: 10_000, runTimes,
    onEntry: (entry) => entries.push(entry),
  });
  let ladder = make();
  for (let t = 0; t <= options.durationS; t += options.pollS) {
    await ladder.evaluate(options.world(clock.now()));
    if (rebooted && options.rebootRestarts) {
      rebooted = false;
      ladder = make(ladder.actionTimes());
    }
    await clock.advance(options.pollS * 1000);
  }
  return { runs, ladder, entries };
}

function maxInWindow(times: number[], windowS: number): number {
  let best = 0;
  for (const t of times) best = Math.max(best, times.filter((other) => other >= t && other < t + windowS).length);
  return best;
}

describe('recovery ladder with a fake clock', () => {
  it('bearer drop: one reconnect after the grace time, then recovered', async () => {
    let bearerUp = false;
    const { runs, entries } = await simulate({
      world: () => (bearerUp ? up : down('bearer-disconnected', 'reconnect')),
      effects: { reconnect: () => { bearerUp = true; } },
      durationS: 600, pollS: 5,
    });
    expect(runs).toEqual([{ step: 'reconnect', at: 20 }]);
    expect(entries.map((entry) => entry.kind)).toEqual(['action', 'recovered']);
    expect(entries[0]).toMatchObject({ step: 'reconnect', reason: 'bearer-disconnected', outcome: 'ok', detail: 'reconnect done' });
  });

  it('modem hang: starts at modem reset, escalates after each settle time, recovers with the power cycle', async () => {
    let fixed = false;
    const { runs } = await simulate({
      world: () => (fixed ? up : down('mmcli-timeout', 'modem_reset')),
      effects: { power_cycle: () => { fixed = true; } },
      durationS: 3600, pollS: 5,
    });
    expect(runs).toEqual([
      { step: 'modem_reset', at: 20 },
      { step: 'mm_restart', at: 110 },
      { step: 'power_cycle', at: 200 },
    ]);
  });

  it('ModemManager crash: restarts ModemManager only', async () => {
    let running = false;
    const { runs } = await simulate({
      world: () => (running ? up : down('manager-unavailable', 'mm_restart')),
      effects: { mm_restart: () => { running = true; } },
      durationS: 1800, pollS: 5,
    });
    expect(runs).toEqual([{ step: 'mm_restart', at: 20 }]);
  });

  it('SIM pulled: reported once as terminal, no action in three days, recovered when the SIM is back', async () => {
    const back = 3 * 86_400;
    const started = new FakeClock().now();
    const { runs, entries } = await simulate({
      world: (now) => ((now - started) / 1000 < back
        ? { status: 'terminal', reason: 'sim-missing', detail: 'modem failed: sim-missing' }
        : up),
      durationS: back + 600, pollS: 60, rebootEnabled: true,
    });
    expect(runs).toEqual([]);
    expect(entries.map((entry) => [entry.kind, entry.reason])).toEqual([['terminal', 'sim-missing'], ['recovered', 'sim-missing']]);
  });

  it('flapping link: reconnect spacing backs off exponentially and the hourly cap holds', async () => {
    // The bearer drops every 3 minutes for two hours; each reconnect works at once.
    let downSince: number | undefined = 0;
    const started = new FakeClock().now();
    const { runs } = await simulate({
      world: (now) => {
        const t = (now - started) / 1000;
        if (t < 7200 && t % 180 === 0) downSince ??= t;
        return downSince === undefined ? up : down('bearer-disconnected', 'reconnect');
      },
      effects: { reconnect: () => { downSince = undefined; } },
      durationS: 4 * 3600, pollS: 5,
    });
    const reconnects = runs.filter((run) => run.step === 'reconnect').map((run) => run.at);
    const gaps = reconnects.slice(1).map((at, i) => at - reconnects[i]);
    expect(reconnects[0]).toBe(20);
    expect(gaps.slice(0, 4).every((gap, i) => gap >= 60 * 2 ** i)).toBe(true);
    expect(maxInWindow(reconnects, 3600)).toBeLessThanOrEqual(6);
    expect(runs.filter((run) => run.step === 'reboot')).toEqual([]);
    expect(runs.length).toBeLessThan(30);
  });

  it('permanent outage for three days: bounded actions and never more than one reboot a day, across reboots', async () => {
    const { runs } = await simulate({
      world: () => down('probe-failed', 'reconnect'),
      durationS: 3 * 86_400, pollS: 30, rebootEnabled: true, rebootRestarts: true,
    });
    expect(runs.slice(0, 6).map((run) => run.step)).toEqual(['reconnect', 'interface_restart', 'modem_reset', 'mm_restart', 'power_cycle', 'reboot']);
    expect(runs.slice(0, 6).map((run) => run.at)).toEqual([30, 60, 120, 210, 300, 420]);
    const reboots = runs.filter((run) => run.step === 'reboot').map((run) => run.at);
    expect(reboots.length).toBeGreaterThanOrEqual(2);
    expect(maxInWindow(reboots, 86_400)).toBe(1);
    for (const step of STEP_NAMES) {
      const times = runs.filter((run) => run.step === step).map((run) => run.at);
      const policy = buildStepPolicies([], true, 1).find((item) => item.name === step)!;
      expect(maxInWindow(times, 86_400), step).toBeLessThanOrEqual(policy.maxPerDay);
      expect(maxInWindow(times, 3600), step).toBeLessThanOrEqual(policy.maxPerHour);
    }
  });

  it('reboot stays off by default and the ladder reports exhaustion instead of looping', async () => {
    const { runs, ladder } = await simulate({ world: () => down('probe-failed', 'reconnect'), durationS: 86_400, pollS: 30 });
    expect(runs.some((run) => run.step === 'reboot')).toBe(false);
    expect(runs.length).toBeLessThanOrEqual(48 + 24 + 12 + 8 + 4);
    expect(['waiting', 'settling', 'exhausted']).toContain(ladder.current.state);
  });

  it('parses per-step overrides and rejects bad ones with the step named', () => {
    expect(parseStepOverride('reconnect:spacing=30,max_per_hour=10,enabled=0')).toEqual({ step: 'reconnect', patch: { minSpacingS: 30, maxPerHour: 10, enabled: false } });
    expect(() => parseStepOverride('reboot:max_per_day=x')).toThrow(/reboot.*max_per_day/);
    expect(() => parseStepOverride('explode')).toThrow(/unknown ladder step 'explode'/);
    const reboot = buildStepPolicies(['reboot:max_per_day=9'], true, 1).find((policy) => policy.name === 'reboot')!;
    expect(reboot.maxPerDay).toBe(1);
  });
});

describe('manual recovery steps obey the safety limits', () => {
  function manualLadder(rebootEnabled: boolean, runTimes?: Partial<Record<StepName, number[]>>) {
    const clock = new FakeClock();
    const runs: StepName[] = [];
    const executors = Object.fromEntries(STEP_NAMES.map((name) => [name, (async () => {
      runs.push(name);
      return { ok: true, detail: `${name} done` };
    }) as StepExecutor])) as Record<StepName, StepExecutor>;
    const { log, lines } = testLogger();
    const ladder = new Ladder({ steps: buildStepPolicies([], rebootEnabled, 1), executors, clock, log, failureGraceS: 20, stableResetS: 1800, runTimes });
    return { ladder, runs, clock, lines };
  }

  it('refuses a manual reboot while reboot_enabled is 0, and says so in the log', async () => {
    const { ladder, runs, lines } = manualLadder(false);
    for (let i = 0; i < 3; i++) await expect(ladder.runManual('reboot', 'manual: test')).rejects.toThrow('reboot is disabled (reboot_enabled 0)');
    expect(runs).toEqual([]);
    expect(lines.filter((line) => line.includes('manual recovery step refused'))).toHaveLength(3);
  });

  it('counts manual reboots against the daily cap, also those remembered from before a restart', async () => {
    const { ladder, runs } = manualLadder(true);
    await ladder.runManual('reboot', 'manual: first');
    await expect(ladder.runManual('reboot', 'manual: second')).rejects.toThrow(/reached its cap \(1 per hour, 1 per day\); allowed again at /);
    expect(runs).toEqual(['reboot']);
    const restarted = manualLadder(true, ladder.actionTimes());
    await expect(restarted.ladder.runManual('reboot', 'manual: after restart')).rejects.toThrow(/reached its cap/);
    await restarted.clock.advance(24 * 3_600_000);
    await restarted.ladder.runManual('reboot', 'manual: next day');
    expect([runs, restarted.runs]).toEqual([['reboot'], ['reboot']]);
  });

  it('refuses a second step while one runs', async () => {
    const { ladder } = manualLadder(true);
    const first = ladder.runManual('modem_reset', 'manual: a');
    await expect(ladder.runManual('reconnect', 'manual: b')).rejects.toThrow('another recovery step is running');
    await first;
  });
});
