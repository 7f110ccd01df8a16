/** What an otbr-agent exit means (OpenThread OT_EXIT_*) and where the recovery ladder starts. */
export type AgentExitKind = 'stopped' | 'failure' | 'usage' | 'incompatible' | 'rcp-reset' | 'tty-error' | 'rcp-no-response' | 'invalid-state' | 'rcp-reset-required' | 'killed' | 'unresponsive';

export interface AgentExit {
  code: number | null;
  signal: string | null;
  kind: AgentExitKind;
  meaning: string;
}

const BY_CODE: Record<number, [AgentExitKind, string]> = {
  0: ['stopped', 'exited normally (OT_EXIT_SUCCESS)'],
  1: ['failure', 'generic failure (OT_EXIT_FAILURE): nothing usable answered on the radio URL'],
  2: ['usage', 'invalid arguments (OT_EXIT_INVALID_ARGUMENTS)'],
  3: ['incompatible', 'incompatible RCP (OT_EXIT_RADIO_SPINEL_INCOMPATIBLE)'],
  4: ['rcp-reset', 'the RCP reset unexpectedly (OT_EXIT_RADIO_SPINEL_RESET)'],
  5: ['tty-error', 'system call error (OT_EXIT_ERROR_ERRNO): the tty is missing or vanished'],
  6: ['rcp-no-response', 'no response from the RCP (OT_EXIT_RADIO_SPINEL_NO_RESPONSE): hung or gone silent'],
  7: ['invalid-state', 'invalid state (OT_EXIT_INVALID_STATE)'],
  8: ['rcp-reset-required', 'the RCP needs a reset OpenThread cannot do (OT_EXIT_RCP_RESET_REQUIRED)'],
};

export function classifyExit(code: number | null, signal: string | null): AgentExit {
  if (signal) return { code, signal, kind: 'killed', meaning: `killed by ${signal}` };
  const known = code === null ? undefined : BY_CODE[code];
  if (!known) return { code, signal, kind: 'failure', meaning: `exit code ${code}` };
  return { code, signal, kind: known[0], meaning: known[1] };
}

/** The first rung for each kind (`restart-interface`: `ifdown` + `ifup` through netifd, its only rung): a reboot needs only a restart, a hang a reset of the radio, a lost tty a new search. */
export type RecoveryStep = 'restart-agent' | 'relocate' | 'reset-radio' | 'give-up' | 'restart-interface';

export function firstStep(kind: AgentExitKind): RecoveryStep {
  switch (kind) {
    case 'rcp-reset': case 'killed': case 'stopped': case 'invalid-state': return 'restart-agent';
    case 'tty-error': case 'failure': case 'incompatible': return 'relocate';
    case 'rcp-no-response': case 'rcp-reset-required': case 'unresponsive': return 'reset-radio';
    case 'usage': return 'give-up';
  }
}
