import { encode as encodeCbor } from 'cbor-x';

/** Deterministic PRNG so a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

export const NOW = Date.UTC(2026, 10, 21);

export function fuzzPayloads(count: number, seed = 1): Buffer[] {
  const rand = prng(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)];
  const valid = () => ({ ts: NOW - Math.floor(rand() * 1e6), seq: Math.floor(rand() * 1000), values: { energy_import_kwh: rand() * 100, '1-0:32.7.0': 230 + rand() } });
  const weird = (): unknown => pick<() => unknown>([
    () => null, () => 1e308, () => -0, () => '', () => 'x'.repeat(1000), () => [], () => ({}), () => ({ __proto__: { ts: 1 } }),
    () => JSON.parse('{"__proto__":{"polluted":1},"ts":1,"values":{"a":1}}'), () => ({ constructor: { prototype: 1 }, ts: NOW, values: { a: 1 } }),
    () => ({ ts: NOW, values: { a: Number.NaN } }), () => ({ ts: NOW, values: { a: Infinity } }), () => ({ ts: 'yesterday', values: { a: 1 } }),
    () => ({ ts: NOW, obis: { '1-0:1.8.0': [1, 2] } }), () => ({ ts: NOW, values: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i])) }),
    () => Array.from({ length: 3 }, valid), () => ({ readings: [valid(), 5, null] }), () => { let v: unknown = 1; for (let i = 0; i < 200; i++) v = [v]; return v; },
    () => ({ ts: NOW, values: { a: 1 }, meter: 'a/b' }), () => ({ ts: -5, values: { a: 1 } }), () => valid(),
  ])();
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const mode = rand();
    let buf: Buffer;
    if (mode < 0.2) buf = Buffer.from(Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256)));
    else if (mode < 0.45) buf = Buffer.from(JSON.stringify(weird()) ?? 'null');
    else if (mode < 0.6) { try { buf = Buffer.from(encodeCbor(weird())); } catch { buf = Buffer.from([0xbf]); } }
    else buf = rand() < 0.5 ? Buffer.from(JSON.stringify(valid())) : Buffer.from(encodeCbor(valid()));
    if (mode >= 0.45 && rand() < 0.6) {
      buf = Buffer.from(buf);
      const flips = 1 + Math.floor(rand() * 4);
      for (let f = 0; f < flips && buf.length; f++) buf[Math.floor(rand() * buf.length)] = Math.floor(rand() * 256);
      if (rand() < 0.3) buf = buf.subarray(0, Math.floor(rand() * buf.length));
    }
    out.push(buf);
  }
  return out;
}

