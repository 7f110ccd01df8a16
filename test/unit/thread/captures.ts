// The Spinel/HDLC captures of ../shared/conformance (spinel/ and otbr/spinel-*.json), loaded once.
import { readFileSync } from 'node:fs';
import { conformancePath } from '../../helpers/conformance.js';

export interface CapturedFrame {
  seq: number;
  dir: 'host2rcp' | 'rcp2host';
  t_ms: number;
  wire_hex: string;
  frame_hex?: string;
  fcs_hex?: string;
  fcs_ok?: boolean;
  escaped_bytes?: string[];
  header?: { byte: string; flag: number; iid: number; tid: number };
  command?: { name: string; id: number };
  property?: { name: string; id: number; id_hex: string } | null;
  payload_hex?: string;
  value?: unknown;
  note?: string;
  probe_step?: string;
}

export const SPINEL_CAPTURES = ['startup', 'formation', 'join', 'normal-operation', 'scan', 'host-reset', 'probe'].map((name) => `spinel/${name}.json`);
export const OTBR_SPINEL_CAPTURES = ['startup', 'join-coap', 'normal-minute', 'rcp-respawn'].map((name) => `otbr/spinel-otbr-${name}.json`);
export const ALL_FRAME_CAPTURES = [...SPINEL_CAPTURES, ...OTBR_SPINEL_CAPTURES];

const cache = new Map<string, CapturedFrame[]>();

export function loadFrames(file: string): CapturedFrame[] {
  let frames = cache.get(file);
  if (!frames) {
    const parsed = JSON.parse(readFileSync(conformancePath(file), 'utf8')) as CapturedFrame[] | { frames: CapturedFrame[] };
    frames = Array.isArray(parsed) ? parsed : parsed.frames;
    cache.set(file, frames);
  }
  return frames;
}

/** Complete frames only (not the leading-garbage record of probe.json). */
export function wholeFrames(file: string): CapturedFrame[] {
  return loadFrames(file).filter((frame) => frame.frame_hex !== undefined);
}

/** `SPINEL_PROP_CAPS` -> `CAPS`. */
export function shortName(name: string, prefix: string): string {
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/**
 * The FCS a record states, as a number. spinel/ writes the two bytes as they appear on the wire (low
 * byte first); otbr/ writes the 16-bit value (`74ee` for wire bytes `ee 74`).
 */
export function statedFcs(file: string, frame: CapturedFrame): number {
  const hex = frame.fcs_hex ?? '';
  return file.startsWith('otbr/') ? parseInt(hex, 16) : parseInt(hex.slice(2, 4) + hex.slice(0, 2), 16);
}
