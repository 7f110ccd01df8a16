/** Loads the ubus conformance captures (`../shared/conformance/ubus/`, override: SMARTGRID_CONFORMANCE_DIR). */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const UBUS_CONFORMANCE_DIR = join(process.env.SMARTGRID_CONFORMANCE_DIR ?? resolve(repoRoot, '../shared/conformance'), 'ubus');

export interface CapturedMessage {
  dir: 'c2s' | 's2c';
  conn: string;
  type: string;
  seq: number;
  peer: number;
  hex: string;
  decoded: { blob: { attrs: CapturedAttr[] } };
}

export interface CapturedAttr {
  attr: string;
  id: number;
  value?: unknown;
  json?: unknown;
  children?: { value: number }[];
}

export interface CapturedEvent {
  event: 'open' | 'close';
  conn: string;
}

export type CaptureRecord = CapturedMessage | CapturedEvent;

export function loadJson<T>(file: string): T {
  return JSON.parse(readFileSync(join(UBUS_CONFORMANCE_DIR, file), 'utf8')) as T;
}

export function scenarioFiles(): string[] {
  return readdirSync(UBUS_CONFORMANCE_DIR).filter((name) => name.endsWith('.json') && name !== 'blobmsg.json' && name !== 'cli-outputs.json').sort();
}

export function loadScenario(file: string): CapturedMessage[] {
  return loadJson<CaptureRecord[]>(file).filter((record): record is CapturedMessage => 'hex' in record);
}

export interface BlobmsgRecord {
  input?: string;
  c_api?: string;
  accepted?: boolean;
  buf_head_hex?: string;
  payload_hex?: string;
  format_json?: string;
  format_json_indent0?: string;
}

export interface CliRecord {
  scenario: string;
  argv: string[];
  exit_code: number;
  stdout: string;
  stderr: string;
  ubusd_sees_user: string;
}
