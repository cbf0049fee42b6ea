/** Locating a recorded excerpt in the audio a line carried, by normalised cross-correlation. */

export function normalisedCorrelation(a: Int16Array, aStart: number, b: Int16Array, bStart: number, n: number): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[aStart + i] ?? 0;
    const y = b[bStart + i] ?? 0;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

/**
 * Finds where `excerpt` (n samples of `recorded` from `recStart`) best matches
 * `reference` between `searchFrom` and `searchTo`; returns the offset and correlation.
 */
export function locate(
  recorded: Int16Array,
  recStart: number,
  n: number,
  reference: Int16Array,
  searchFrom: number,
  searchTo: number,
): { offset: number; correlation: number } {
  let best = { offset: -1, correlation: -1 };
  for (let off = Math.max(0, searchFrom); off <= searchTo && off + n <= reference.length; off++) {
    const c = normalisedCorrelation(recorded, recStart, reference, off, n);
    if (c > best.correlation) best = { offset: off, correlation: c };
  }
  return best;
}

/**
 * `locate` over a long stretch of the reference: a first pass on the
 * excerpt's first eighth (every `step` samples), then the whole excerpt
 * around the best few candidates.
 */
export function locateWide(
  recorded: Int16Array,
  recStart: number,
  n: number,
  reference: Int16Array,
  searchFrom: number,
  searchTo: number,
  step = 1,
): { offset: number; correlation: number } {
  const probe = Math.max(256, n >> 3);
  const candidates: Array<{ offset: number; correlation: number }> = [];
  for (let off = Math.max(0, searchFrom); off <= searchTo && off + n <= reference.length; off += step) {
    candidates.push({ offset: off, correlation: normalisedCorrelation(recorded, recStart, reference, off, probe) });
  }
  candidates.sort((a, b) => b.correlation - a.correlation);
  let best = { offset: -1, correlation: -1 };
  for (const c of candidates.slice(0, 8)) {
    const m = locate(recorded, recStart, n, reference, c.offset - step, c.offset + step);
    if (m.correlation > best.correlation) best = m;
  }
  return best;
}

/** Share of a block's energy at one frequency (Goertzel): near 1 for a pure tone at `freq`. */
export function toneShare(x: Int16Array, freq: number, rate = 8000): number {
  const c = 2 * Math.cos((2 * Math.PI * freq) / rate);
  let s1 = 0;
  let s2 = 0;
  let energy = 0;
  for (const v of x) {
    const s0 = v + c * s1 - s2;
    s2 = s1;
    s1 = s0;
    energy += v * v;
  }
  return energy === 0 ? 0 : (s1 * s1 + s2 * s2 - c * s1 * s2) / ((energy * x.length) / 2);
}
