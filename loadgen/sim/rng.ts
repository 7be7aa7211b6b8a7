// Randomness derived per entity: every draw about lead 42 comes from an RNG seeded with
// (run seed, stream name, 42), so a lead's values never depend on any other lead, and adding
// a stream (or a draw at the end of a stream) never reshuffles the others.
//
// Algorithm: seedrandom's `tychei` (Tyche-i, a ChaCha-like quarter-round generator). Deriving a
// generator is the hot path (7 per lead), so it was measured on the lab machine, per derive +
// one draw: arc4 (seedrandom's default) ~6 µs, alea ~1.4 µs (it hashes the key three times),
// tychei ~0.45 µs; a whole run went from ~60k to ~105k leads/s with tychei over alea.
// xor128 is faster still but its first draws correlate strongly across neighbouring ids.
// For tychei and alea, 16x16 chi-square grids over 1M keys (neighbouring ids, first vs second
// draw, two streams of one id, two seeds differing in one letter) were all unremarkable;
// test/unit/sim-rng.test.ts keeps a smaller version of that check.
//
// The generator is seedrandom's tychei re-implemented here, draw for draw the same (the tests
// compare it with seedrandom's): tychei mixes its key in one character at a time, so the state
// after the common part "<seed>/<stream>/" is computed once per (seed, stream) and each lead
// only mixes in its own id's digits and the 20 rounds that follow. Same numbers, about half the
// work and no per-key string, which was ~10 % of a run's simulation time.

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** Tyche-i's state: four signed 32-bit words. */
class TycheI {
  constructor(public a: number, public b: number, public c: number, public d: number) {}

  /** One round; returns the new `a` (as seedrandom's tychei does). */
  next(): number {
    let { a, b, c, d } = this;
    b = (b << 25) ^ (b >>> 7) ^ c;
    c = (c - d) | 0;
    d = (d << 24) ^ (d >>> 8) ^ a;
    a = (a - b) | 0;
    this.b = b = (b << 20) ^ (b >>> 12) ^ c;
    this.c = c = (c - d) | 0;
    this.d = (d << 16) ^ (c >>> 16) ^ a;
    return (this.a = (a - b) | 0);
  }

  /** Mixes in one character of the key: what seedrandom does per character of a string seed. */
  mix(charCode: number): void {
    this.b ^= charCode;
    this.next();
  }
}

const DISCARDED_ROUNDS = 20;
/** State after mixing in "<seed>/<stream>/", per seed and stream. */
const prefixStates = new Map<string, Map<string, TycheI>>();
const MAX_CACHED_SEEDS = 64;

function prefixState(seed: string, stream: string): TycheI {
  let byStream = prefixStates.get(seed);
  if (!byStream) {
    if (prefixStates.size >= MAX_CACHED_SEEDS) prefixStates.clear();
    byStream = new Map();
    prefixStates.set(seed, byStream);
  }
  let state = byStream.get(stream);
  if (!state) {
    checkStreamName(stream);
    state = new TycheI(0, 0, 2654435769 | 0, 1367130551);
    const prefix = `${seed}/${stream}/`;
    for (let i = 0; i < prefix.length; i++) state.mix(prefix.charCodeAt(i));
    byStream.set(stream, state);
  }
  return state;
}

function checkStreamName(stream: string): void {
  if (stream.includes("/")) throw new Error(`stream name must not contain "/", got ${JSON.stringify(stream)}`);
}

/** The generator of one (seed, stream, id). Stream names must not contain "/". */
export function deriveRng(seed: string, stream: string, id: number): Rng {
  const state = new TycheI(0, 0, 0, 0);
  seedInPlace(state, prefixState(seed, stream), id);
  return () => (state.next() >>> 0) / 0x100000000;
}

/**
 * deriveRng for a hot path, without allocating: one generator per stream, re-seeded in place
 * for each (seed, id) and handed out as the same function every time. The draws are
 * deriveRng's, but each call ends the sequence the previous call handed out, so use what it
 * returns within one synchronous computation and never keep it. (A lead's seven generators
 * were a fifth of the simulation's allocations, and young-generation garbage collection is a
 * sixth of the main thread's time in a fast run.)
 */
export function reusableRng(stream: string): (seed: string, id: number) => Rng {
  checkStreamName(stream);
  const state = new TycheI(0, 0, 0, 0);
  const draw: Rng = () => (state.next() >>> 0) / 0x100000000;
  // A run has one seed: its prefix state is kept here rather than looked up per lead.
  let lastSeed: string | undefined;
  let prefix: TycheI | undefined;
  return (seed, id) => {
    if (prefix === undefined || seed !== lastSeed) {
      prefix = prefixState(seed, stream);
      lastSeed = seed;
    }
    seedInPlace(state, prefix, id);
    return draw;
  };
}

/** The decimal digits of an id, last first (seedInPlace's scratch: a safe integer has at most 16). */
const idDigits = new Uint8Array(16);

/**
 * The state after mixing in "<seed>/<stream>/<id>" and the discarded rounds, from `prefix`,
 * the state after "<seed>/<stream>/". For a whole id that fits a double exactly, TycheI.mix
 * and .next are written out with the state in locals (seeding is 7 x ~26 rounds per lead, the
 * hottest loop of a run) and the id's digits are taken arithmetically, not from String(id).
 */
function seedInPlace(state: TycheI, prefix: TycheI, id: number): void {
  if (!Number.isSafeInteger(id) || id < 0) {
    state.a = prefix.a;
    state.b = prefix.b;
    state.c = prefix.c;
    state.d = prefix.d;
    const idText = String(id);
    for (let i = 0; i < idText.length; i++) state.mix(idText.charCodeAt(i));
    for (let i = 0; i < DISCARDED_ROUNDS; i++) state.next();
    return;
  }
  let count = 0;
  let rest = id;
  do {
    const digit = rest % 10;
    idDigits[count++] = digit;
    rest = (rest - digit) / 10;
  } while (rest > 0);
  let a = prefix.a, b = prefix.b, c = prefix.c, d = prefix.d;
  for (let round = 0; round < count + DISCARDED_ROUNDS; round++) {
    if (round < count) b ^= 48 + idDigits[count - 1 - round]!; // "0" is 48
    b = (b << 25) ^ (b >>> 7) ^ c;
    c = (c - d) | 0;
    d = (d << 24) ^ (d >>> 8) ^ a;
    a = (a - b) | 0;
    b = (b << 20) ^ (b >>> 12) ^ c;
    c = (c - d) | 0;
    d = (d << 16) ^ (c >>> 16) ^ a;
    a = (a - b) | 0;
  }
  state.a = a;
  state.b = b;
  state.c = c;
  state.d = d;
}

/** U[0, 1). */
export function uniform(rng: Rng): number {
  return rng();
}

/** A uniform integer in [lo, hi], both ends included. */
export function uniformInt(rng: Rng, lo: number, hi: number): number {
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi < lo) {
    throw new Error(`uniformInt needs integers lo <= hi, got [${lo}, ${hi}]`);
  }
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/** Exponential with the given rate (mean 1/rate). 1 - U lies in (0, 1], so the log is finite. */
export function exponential(rng: Rng, rate: number): number {
  if (!(rate > 0) || !Number.isFinite(rate)) throw new Error(`exponential rate must be finite and > 0, got ${rate}`);
  return -Math.log(1 - rng()) / rate;
}

/** Standard normal by Box-Muller; uses exactly two draws and discards the second variate. */
export function normal(rng: Rng): number {
  const radius = Math.sqrt(-2 * Math.log(1 - rng()));
  return radius * Math.cos(2 * Math.PI * rng());
}

/** One value, chosen with probability proportional to its weight. Uses exactly one draw. */
export function choiceWeighted<T>(rng: Rng, choices: readonly (readonly [T, number])[]): T {
  return choose(rng, weightedChoices(choices));
}

/** Choices with their weights summed once, for a table drawn from many times (choose). */
export interface WeightedChoices<T> {
  readonly choices: readonly (readonly [T, number])[];
  readonly total: number;
}

export function weightedChoices<T>(choices: readonly (readonly [T, number])[]): WeightedChoices<T> {
  // Indexed loops, not `for (const [value, weight] of …)`: no iterator and no destructuring per element.
  let total = 0;
  for (let i = 0; i < choices.length; i++) total += choices[i]![1];
  return { choices, total };
}

/** choiceWeighted over a prepared table: the same value for the same draw, without re-summing. */
export function choose<T>(rng: Rng, { choices, total }: WeightedChoices<T>): T {
  if (!(total > 0)) throw new Error("choiceWeighted needs at least one positive weight");
  let remaining = rng() * total;
  for (let i = 0; i < choices.length; i++) {
    remaining -= choices[i]![1];
    if (remaining < 0) return choices[i]![0];
  }
  // Floating-point rounding can leave a tiny remainder: the last positive weight wins.
  for (let i = choices.length - 1; ; i--) if (choices[i]![1] > 0) return choices[i]![0];
}
