export const STEP_NAMES = ['reconnect', 'interface_restart', 'modem_reset', 'mm_restart', 'power_cycle', 'reboot'] as const;
export type StepName = (typeof STEP_NAMES)[number];

export interface StepPolicy {
  name: StepName;
  enabled: boolean;
  /** How long to wait after this step before judging it and escalating. */
  settleS: number;
  /** Minimum time between two runs of this step; grows by `backoff` per run until the link is stable again. */
  minSpacingS: number;
  backoff: number;
  maxSpacingS: number;
  maxPerHour: number;
  maxPerDay: number;
}

export const DEFAULT_STEPS: Record<StepName, StepPolicy> = {
  reconnect: { name: 'reconnect', enabled: true, settleS: 30, minSpacingS: 60, backoff: 2, maxSpacingS: 1800, maxPerHour: 6, maxPerDay: 48 },
  interface_restart: { name: 'interface_restart', enabled: true, settleS: 45, minSpacingS: 120, backoff: 2, maxSpacingS: 3600, maxPerHour: 4, maxPerDay: 24 },
  modem_reset: { name: 'modem_reset', enabled: true, settleS: 90, minSpacingS: 300, backoff: 2, maxSpacingS: 7200, maxPerHour: 2, maxPerDay: 12 },
  mm_restart: { name: 'mm_restart', enabled: true, settleS: 90, minSpacingS: 600, backoff: 2, maxSpacingS: 7200, maxPerHour: 2, maxPerDay: 8 },
  power_cycle: { name: 'power_cycle', enabled: true, settleS: 120, minSpacingS: 1800, backoff: 2, maxSpacingS: 21600, maxPerHour: 1, maxPerDay: 4 },
  reboot: { name: 'reboot', enabled: false, settleS: 600, minSpacingS: 21600, backoff: 2, maxSpacingS: 86400, maxPerHour: 1, maxPerDay: 1 },
};

const KEYS: Record<string, keyof StepPolicy> = {
  settle: 'settleS', spacing: 'minSpacingS', backoff: 'backoff', max_spacing: 'maxSpacingS',
  max_per_hour: 'maxPerHour', max_per_day: 'maxPerDay', enabled: 'enabled',
};

/**
 * UCI `list ladder_step '<step>[:key=value[,key=value...]]'`, keys: enabled (0|1), settle, spacing,
 * max_spacing (seconds), backoff (factor >= 1), max_per_hour, max_per_day. Unlisted steps keep defaults.
 */
export function parseStepOverride(entry: string): { step: StepName; patch: Partial<StepPolicy> } {
  const [rawName, rawSettings = ''] = entry.split(':', 2);
  const step = rawName.trim() as StepName;
  if (!(STEP_NAMES as readonly string[]).includes(step)) throw new Error(`unknown ladder step '${rawName}' (expected ${STEP_NAMES.join('|')})`);
  const patch: Partial<StepPolicy> = {};
  for (const pair of rawSettings.split(',').map((item) => item.trim()).filter(Boolean)) {
    const [key, value] = pair.split('=', 2).map((item) => item?.trim());
    const field = KEYS[key];
    if (!field || value === undefined || value === '') throw new Error(`ladder step '${step}': bad setting '${pair}' (keys: ${Object.keys(KEYS).join(', ')})`);
    if (field === 'enabled') {
      if (!['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off'].includes(value)) throw new Error(`ladder step '${step}': enabled must be 0 or 1`);
      patch.enabled = ['1', 'true', 'yes', 'on'].includes(value);
      continue;
    }
    const number = Number(value);
    if (!Number.isFinite(number) || number < 0 || (field === 'backoff' && number < 1)) throw new Error(`ladder step '${step}': ${key} must be a number${field === 'backoff' ? ' >= 1' : ' >= 0'}`);
    (patch as Record<string, number>)[field] = number;
  }
  return { step, patch };
}

export function buildStepPolicies(overrides: string[], rebootEnabled: boolean, rebootMaxPerDay: number): StepPolicy[] {
  const policies = STEP_NAMES.map((name) => ({ ...DEFAULT_STEPS[name] }));
  const reboot = policies.find((policy) => policy.name === 'reboot')!;
  reboot.enabled = rebootEnabled;
  reboot.maxPerDay = rebootMaxPerDay;
  for (const entry of overrides) {
    const { step, patch } = parseStepOverride(entry);
    Object.assign(policies.find((policy) => policy.name === step)!, patch);
  }
  // The daily reboot cap is a safety limit: an override may lower it, never raise it past the option.
  reboot.maxPerDay = Math.min(reboot.maxPerDay, rebootMaxPerDay);
  return policies;
}
