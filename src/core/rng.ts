// Seeded PRNG: xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2021)
// seeded through splitmix32. Pure uint32 arithmetic (Math.imul, >>> 0), so a seed gives the same stream
// in a browser, a worker, Node and tests.

/** splitmix32's additive constant: 2^32 / golden ratio. */
const GOLDEN_GAMMA = 0x9e3779b9;
/** splitmix32 / murmur3 finalizer multipliers. */
const MIX_1 = 0x85ebca6b;
const MIX_2 = 0xc2b2ae35;
const TWO_POW_26 = 0x4000000;
const TWO_POW_32 = 0x100000000;
const TWO_POW_53 = 2 ** 53;
/** nextFloat builds 53 bits from 27 high bits of one draw and 26 of another (a float64 mantissa). */
const HIGH_SHIFT = 32 - 27;
const LOW_SHIFT = 32 - 26;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Seeded generator; `nextFloat` is in the open interval (0, 1) so `log(u)` is always finite. */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /** Any finite number is a seed; integers up to 2^53 are distinct seeds (both 32-bit halves are mixed). */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`Rng seed must be a finite number (got ${seed})`);
    const whole = Math.floor(seed);
    const low = whole >>> 0;
    const high = Math.floor(whole / TWO_POW_32) >>> 0;
    let state = low;
    const next = (): number => {
      // splitmix32: Weyl sequence, then the murmur3 finalizer.
      state = (state + GOLDEN_GAMMA) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), MIX_1);
      z = Math.imul(z ^ (z >>> 13), MIX_2);
      return (z ^ (z >>> 16)) >>> 0;
    };
    state = (next() ^ high) | 0;
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    // xoshiro's only bad state is all zeros; splitmix32 output makes it practically impossible, but be sure.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = GOLDEN_GAMMA;
  }

  /** xoshiro128**: result = rotl(s1 * 5, 7) * 9, then the linear state update. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float64 in (0, 1) with 53 random bits; the value 0 (probability 2^-53) is redrawn. */
  nextFloat(): number {
    for (;;) {
      const high = this.nextUint32() >>> HIGH_SHIFT;
      const low = this.nextUint32() >>> LOW_SHIFT;
      const bits = high * TWO_POW_26 + low;
      if (bits !== 0) return bits / TWO_POW_53;
    }
  }
}

/**
 * `k` distinct integers of [0, n) in ascending order, by a partial Fisher-Yates shuffle: k draws, or
 * none when k >= n (then it is every integer).
 */
export function sampleDistinct(rng: Rng, n: number, k: number): Int32Array {
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  if (k >= n) return pool;
  for (let i = 0; i < k; i++) {
    const j = i + (rng.nextUint32() % (n - i));
    const swap = pool[i];
    pool[i] = pool[j];
    pool[j] = swap;
  }
  return pool.subarray(0, k).sort();
}

/** A seed per (run seed, iteration, candidate), so a resumed run draws what the first run would have. */
export function derivedSeed(seed: number, ...path: number[]): number {
  let state = seed >>> 0;
  for (const part of path) state = new Rng(state ^ Math.imul(part + 1, 0x9e3779b9)).nextUint32();
  return state;
}
