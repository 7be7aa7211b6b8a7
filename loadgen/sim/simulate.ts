// The simulation: a Poisson stream of leads, each planned by the profile at arrival, and
// their conversions released when the simulated clock reaches them. Pure: the seed and the
// start time are parameters; nothing here reads a clock, the environment or Math.random.
//
// Restart: call again with firstLeadId = last id + 1, a new startMs and the conversions that
// were scheduled but not yet applied as `pending`. Lead k's plan depends only on (seed, k,
// its arrival time), and its inter-arrival gap only on (seed, k). A pending conversion that
// was due before startMs keeps its converted_at but is released at startMs (the clock starts
// there), so a step's atMs is never earlier than startMs and pacing is not thrown back.

import type { ConversionEvent, SimStep } from "./events.ts";
import { FutureEvents } from "./future-events.ts";
import type { Profile } from "./profiles/types.ts";
import { describeValue } from "./profiles/validate.ts";
import { exponential, reusableRng } from "./rng.ts";
import { msFromIso } from "./time.ts";

export interface SimulateOptions {
  seed: string;
  profile: Profile;
  /** Simulated time of the run's start, integer ms since the epoch. */
  startMs: number;
  firstLeadId: number;
  ratePerSecond: number;
  /** Stop after this many arrivals (then drain the pending conversions); undefined = endless. */
  leads?: number;
  /** Conversions scheduled before a restart and not yet applied; overdue ones come out at startMs. */
  pending?: readonly ConversionEvent[];
}

export type { SimStep } from "./events.ts";

interface Scheduled {
  dueMs: number;
  conversion: ConversionEvent;
}

const arrivalStream = reusableRng("arrival");

/** Milliseconds between lead k − 1 and lead k: exponential with mean 1000 / rate. */
export function arrivalGapMs(seed: string, leadId: number, ratePerSecond: number): number {
  return exponential(arrivalStream(seed, leadId), ratePerSecond) * 1000;
}

export function* simulate(opts: SimulateOptions): Generator<SimStep, void, undefined> {
  validate(opts);
  const { seed, profile, startMs, firstLeadId, ratePerSecond, leads } = opts;
  const ctx = { seed };
  const queue = new FutureEvents<Scheduled>();
  const schedule = (conversion: ConversionEvent) => {
    const dueMs = msFromIso(conversion.converted_at);
    queue.insert(dueMs, { dueMs, conversion });
  };
  const conversionStep = ({ dueMs, conversion }: Scheduled): SimStep => ({
    kind: "conversion",
    atMs: Math.max(dueMs, startMs),
    conversion,
  });
  for (const conversion of opts.pending ?? []) schedule(conversion);

  // Elapsed time is kept as a float offset from startMs so sub-millisecond gaps add up
  // (at 10k leads/s most gaps are 0.1 ms); each arrival is stamped with its whole millisecond.
  let elapsedMs = 0;
  for (let index = 0; leads === undefined || index < leads; index++) {
    const leadId = firstLeadId + index;
    elapsedMs += arrivalGapMs(seed, leadId, ratePerSecond);
    const atMs = startMs + Math.floor(elapsedMs);
    for (const scheduled of queue.popDue(atMs)) yield conversionStep(scheduled);
    const plan = profile.planLead(ctx, leadId, atMs);
    if (plan.conversion) schedule(plan.conversion);
    yield { kind: "arrival", atMs, plan };
  }
  for (const scheduled of queue.drain()) yield conversionStep(scheduled);
}

function validate(opts: SimulateOptions): void {
  const fail = (field: string, allowed: string, value: unknown) => {
    throw new Error(`simulate: ${field} must be ${allowed}, got ${describeValue(value)}`);
  };
  const { seed, startMs, firstLeadId, ratePerSecond, leads } = opts;
  if (typeof seed !== "string") fail("seed", "a string", seed);
  if (!Number.isSafeInteger(startMs) || startMs < 0) fail("startMs", "an integer >= 0", startMs);
  if (!Number.isSafeInteger(firstLeadId) || firstLeadId < 1) fail("firstLeadId", "an integer >= 1", firstLeadId);
  if (!(ratePerSecond > 0 && ratePerSecond <= 1e6)) fail("ratePerSecond", "a number in (0, 1000000]", ratePerSecond);
  if (leads !== undefined && !(Number.isSafeInteger(leads) && leads >= 0)) {
    fail("leads", "an integer >= 0 or undefined", leads);
  }
}
