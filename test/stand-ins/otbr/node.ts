// The Thread side of the otbr-agent stand-in: role, active/pending dataset, settings kept across restarts.
import { readFileSync, writeFileSync } from 'node:fs';
import type { ReplayedNetwork } from './captures.js';
import type { Casing, Dataset } from './dataset.js';
import type { ThreadNode } from './rest.js';

export interface Settings { active?: Dataset; enabled?: boolean; formed?: boolean }

export function loadSettings(path: string | undefined): Settings {
  if (!path) return {};
  try { return JSON.parse(readFileSync(path, 'utf8')) as Settings; } catch { return {}; }
}

export class StandInNode implements ThreadNode {
  role = 'disabled';
  active?: Dataset;
  pending?: { dataset: Dataset; delayMs: number; since: number };
  extAddress = 'BEFDCC83743FD9C6';
  network?: ReplayedNetwork;
  private attachTimer?: NodeJS.Timeout;

  constructor(readonly casing: Casing, readonly rcpVersion: string, private readonly settingsPath: string | undefined, private settings: Settings) {
    this.active = settings.active;
  }

  /** The network around this node while attached (its leader is this node: same extended address). */
  useNetwork(network: ReplayedNetwork): void {
    this.network = network;
    this.extAddress = network.node.ExtAddress;
  }

  enable(): void {
    this.role = 'detached';
    this.settings.enabled = true;
    this.save();
    if (!this.active) return;
    const peers = process.env.OTBR_STANDIN_PEERS === '1';
    const attachMs = peers ? 300 : this.settings.formed ? undefined : 6600;
    if (attachMs === undefined) return; // alone with a saved network: stays detached (network.json)
    this.attachTimer = setTimeout(() => { this.role = 'leader'; this.settings.formed = true; this.save(); }, attachMs);
  }

  disable(): void {
    clearTimeout(this.attachTimer);
    this.role = 'disabled';
    this.settings.enabled = false;
    this.save();
  }

  applyActive(dataset: Dataset): void {
    this.active = dataset;
    this.settings.active = dataset;
    this.settings.formed = false;
    this.save();
  }

  schedulePending(dataset: Dataset, delayMs: number): void {
    this.pending = { dataset, delayMs, since: Date.now() };
    setTimeout(() => { this.pending = undefined; this.active = dataset; this.settings.active = dataset; this.save(); }, delayMs);
  }

  private save(): void {
    if (this.settingsPath) writeFileSync(this.settingsPath, JSON.stringify(this.settings));
  }
}

