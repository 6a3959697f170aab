/**
 * Deterministic chance for generated and simulated data: a number in [0, 1) from a string key
 * (FNV-1a hash, then one mulberry32 step). Keying by seed and subject, not by call order, keeps
 * results the same however work interleaves.
 */
export function chance(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  let t = (h + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** An integer in [min, max] from a key. */
export function between(key: string, min: number, max: number): number {
  return min + Math.floor(chance(key) * (max - min + 1));
}

/** One of the items, from a key. */
export function oneOf<T>(key: string, items: readonly T[]): T {
  return items[Math.floor(chance(key) * items.length)]!;
}
