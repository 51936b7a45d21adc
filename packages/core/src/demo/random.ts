/**
 * A small seeded pseudo-random generator for demo data: the same seed always gives the same
 * sequence, so the demo is reproducible (never `Math.random`). sfc32 seeded by the xmur3 hash of
 * a string — well-known public-domain algorithms, good enough for picking demo values (not for
 * anything secret). Each step of the demo draws from its own stream (`fork`), so changing one
 * step leaves the others' draws unchanged.
 */
export interface Random {
  /** A number in [0, 1). */
  next(): number;
  /** An integer in [min, max] (both included). */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** One key of a weight map, with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K;
  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /**
   * Exactly `count` distinct items, drawn without replacement with probability proportional to
   * `weight` (Efraimidis–Spirakis keys); items of weight 0 are never drawn. Throws when fewer than
   * `count` items can be drawn — the demo plan would then be impossible.
   */
  sample<T>(items: readonly T[], count: number, weight?: (item: T) => number): T[];
  /** An independent stream named after this one. */
  fork(name: string): Random;
}

function xmur3(text: string): () => number {
  let h = 1779033703 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  return () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    return h >>> 0;
  };
}

function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** A generator seeded by a string. */
export function createRandom(seed: string): Random {
  const hash = xmur3(seed);
  const next = sfc32(hash(), hash(), hash(), hash());
  // Warm up: the first outputs of sfc32 are correlated with the seed.
  for (let i = 0; i < 12; i++) next();
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error("pick: liste vide");
      return items[Math.floor(next() * items.length)] as T;
    },
    weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K {
      const entries = Object.entries(weights) as [K, number][];
      const total = entries.reduce((sum, [, w]) => sum + w, 0);
      let r = next() * total;
      for (const [key, w] of entries) {
        r -= w;
        if (r < 0) return key;
      }
      const last = entries.filter(([, w]) => w > 0).at(-1);
      if (!last) throw new Error("weighted: aucun poids positif");
      return last[0];
    },
    shuffle<T>(items: readonly T[]): T[] {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
      }
      return copy;
    },
    sample<T>(items: readonly T[], count: number, weight: (item: T) => number = () => 1): T[] {
      if (count === 0) return [];
      const keyed: { item: T; key: number }[] = [];
      for (const item of items) {
        const w = weight(item);
        if (w > 0) keyed.push({ item, key: Math.log(1 - next()) / w });
      }
      if (keyed.length < count) {
        throw new Error(`sample: ${count} éléments demandés, ${keyed.length} possibles`);
      }
      // log(u)/w is increasing in u^(1/w): the largest keys win.
      keyed.sort((x, y) => y.key - x.key);
      return keyed.slice(0, count).map((k) => k.item);
    },
    fork: (name) => createRandom(`${seed}/${name}`),
  };
  return random;
}

/**
 * Splits `total` into integers proportional to `weights` (largest remainders), summing exactly
 * to `total`.
 */
export function apportion<K extends string>(
  total: number,
  weights: Readonly<Record<K, number>>,
): Record<K, number> {
  const entries = Object.entries(weights) as [K, number][];
  const sum = entries.reduce((s, [, w]) => s + w, 0);
  const exact = entries.map(([key, w]) => ({ key, value: (total * w) / sum }));
  const result = Object.fromEntries(exact.map((e) => [e.key, Math.floor(e.value)])) as Record<K, number>;
  let left = total - exact.reduce((s, e) => s + Math.floor(e.value), 0);
  const byRemainder = [...exact].sort(
    (a, b) => b.value - Math.floor(b.value) - (a.value - Math.floor(a.value)),
  );
  for (const e of byRemainder) {
    if (left <= 0) break;
    result[e.key]++;
    left--;
  }
  return result;
}
