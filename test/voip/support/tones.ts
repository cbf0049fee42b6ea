/** The dominant tone of each half second of a recorded channel (Goertzel), for checking SIPREC recordings. */
export function goertzel(x: Int16Array, start: number, n: number, freq: number, rate: number): number {
  const k = 2 * Math.cos((2 * Math.PI * freq) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let i = start; i < start + n; i++) {
    const s0 = x[i]! + k * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - k * s1 * s2;
}

/** Per 0.5 s window: the candidate frequency holding most energy, or 0 for silence. Repeats collapsed. */
export function toneSequence(x: Int16Array, rate: number, candidates: number[]): number[] {
  const n = rate / 2;
  const out: number[] = [];
  for (let start = 0; start + n <= x.length; start += n) {
    let energy = 0;
    for (let i = start; i < start + n; i++) energy += x[i]! * x[i]!;
    if (energy / n < 1e5) { if (out.at(-1) !== 0) out.push(0); continue; } // below about -50 dBFS
    const powers = candidates.map((f) => goertzel(x, start, n, f, rate));
    const best = candidates[powers.indexOf(Math.max(...powers))]!;
    if (out.at(-1) !== best) out.push(best);
  }
  return out;
}

/** The tones heard, in order, silence left out. */
export const tonesHeard = (x: Int16Array, rate: number, candidates: number[]) => toneSequence(x, rate, candidates).filter((f) => f !== 0).filter((f, i, a) => a[i - 1] !== f);
