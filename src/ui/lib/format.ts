import { _ } from './i18n.js';

export const DASH = '—';

/** Reads `a.b.c` from a reply whose shape is not guaranteed. */
export function pick(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : undefined;
}

/** Any device value as display text: missing values are a dash, objects never become HTML. */
export function text(value: unknown, unit?: string): string {
  if (value === undefined || value === null || value === '' || value === '--') return DASH;
  if (Array.isArray(value)) return value.length ? value.map((item) => text(item)).join(', ') : DASH;
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? _('yes') : _('no');
  if (typeof value === 'number') {
    const rounded = Number.isInteger(value) ? String(value) : value.toFixed(Math.abs(value) < 10 ? 2 : 1);
    return unit ? `${rounded} ${unit}` : rounded;
  }
  return unit ? `${value} ${unit}` : String(value);
}

export function duration(seconds: unknown): string {
  const s = num(seconds);
  if (s === undefined) return DASH;
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

export function bytes(value: unknown): string {
  const n = num(value);
  if (n === undefined) return DASH;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${i ? v.toFixed(1) : v} ${units[i]}`;
}

/** A Unix time in seconds or milliseconds as local date and time. */
export function timestamp(value: unknown): string {
  const n = num(value);
  if (n === undefined || n <= 0) return DASH;
  const ms = n < 1e12 ? n * 1000 : n;
  return new Date(ms).toLocaleString();
}

/** "since" text: absolute time and how long ago. */
export function since(value: unknown, now = Date.now()): string {
  const n = num(value);
  if (n === undefined || n <= 0) return DASH;
  const ms = n < 1e12 ? n * 1000 : n;
  return ms > now ? `${timestamp(ms)} (${_('in %s', duration((ms - now) / 1000))})` : `${timestamp(ms)} (${_('%s ago', duration((now - ms) / 1000))})`;
}
