// Security that cannot be weakened by accident: WPA3-SAE only, PMF required, a real password.
import type { HalowConfig } from '../config.js';
import type { PlanIssue } from './validate.js';

const REFUSED: Readonly<Record<string, string>> = {
  none: 'an open network',
  owe: 'OWE (opportunistic encryption without authentication)',
  psk: 'WPA (TKIP era)',
  psk2: 'WPA2-only',
  'psk-mixed': 'WPA/WPA2 mixed',
  'psk2+tkip': 'WPA2 with TKIP',
  'sae-mixed': 'WPA2/WPA3 transition mode (WPA2 clients allowed)',
};

/** Every reason the security options cannot be rendered, by option. */
export function securityIssues(config: HalowConfig): PlanIssue[] {
  const issues: PlanIssue[] = [];
  if (config.encryption !== 'sae') {
    const what = REFUSED[config.encryption] ?? `'${config.encryption}'`;
    issues.push({ option: 'smartgrid.halow.encryption', message: `${what} is refused: HaLow links use WPA3-SAE ('sae') only` });
  }
  if (config.ieee80211w !== 2) {
    issues.push({ option: 'smartgrid.halow.ieee80211w', message: `management frame protection ${config.ieee80211w === 0 ? 'disabled' : 'optional'} is refused: WPA3-SAE requires PMF (ieee80211w 2)` });
  }
  const length = [...config.sae_password].length;
  if (length === 0) issues.push({ option: 'smartgrid.halow.sae_password', message: 'no SAE password set: the HaLow interface stays down until one of 8-63 characters is set' });
  else if (length < 8 || length > 63) issues.push({ option: 'smartgrid.halow.sae_password', message: `the SAE password has ${length} characters; 8-63 are required` });
  return issues;
}
