import { describe, expect, it } from "vitest";
import type { ConversionEvent } from "../../loadgen/sim/events.ts";
import { makeProfile, type LeadPlan } from "../../loadgen/sim/profiles/index.ts";
import { simulate, type SimStep, type SimulateOptions } from "../../loadgen/sim/simulate.ts";

const START_MS = Date.UTC(2026, 0, 1); // 1 767 225 600 000
const toMs = (iso: string) => Date.parse(iso);

function run(overrides: Partial<SimulateOptions> = {}): SimStep[] {
  const opts: SimulateOptions = {
    seed: "lab-1", profile: makeProfile("default"), startMs: START_MS, firstLeadId: 1, ratePerSecond: 80, leads: 5000,
    ...overrides,
  };
  return [...simulate(opts)];
}

const arrivals = (steps: SimStep[]) => steps.flatMap((s) => (s.kind === "arrival" ? [s] : []));

/** The plan with every timestamp replaced by its offset from the lead's creation. */
function relativeToCreation(plan: LeadPlan) {
  const created = toMs(plan.lead.created_at);
  const offset = (iso: string) => toMs(iso) - created;
  return {
    lead: { ...plan.lead, created_at: 0 },
    prediction: { ...plan.prediction, predicted_at: offset(plan.prediction.predicted_at) },
    coupon: plan.coupon && { ...plan.coupon, created_at: offset(plan.coupon.created_at) },
    conversion: plan.conversion && { ...plan.conversion, converted_at: offset(plan.conversion.converted_at) },
  };
}

describe.each(["default", "aispy"] as const)("simulate with profile %s", (profileName) => {
  const profile = makeProfile(profileName);

  it("gives byte-identical steps for the same options", () => {
    expect(JSON.stringify(run({ profile }))).toBe(JSON.stringify(run({ profile })));
  });

  it("gives different steps for a different seed", () => {
    const a = arrivals(run({ profile, leads: 100 }));
    const b = arrivals(run({ profile, leads: 100, seed: "lab-2" }));
    const sameScore = a.filter((s, i) => s.plan.prediction.score === b[i]!.plan.prediction.score).length;
    expect(sameScore).toBeLessThan(3);
    expect(a.map((s) => s.atMs)).not.toEqual(b.map((s) => s.atMs));
  });

  it("plans lead k the same whether the run started at lead 1 or at lead k", () => {
    const fromOne = arrivals(run({ profile })).slice(2499, 2599); // leads 2500..2599
    const fromK = arrivals(run({ profile, firstLeadId: 2500, leads: 100, startMs: START_MS + 123_457 }));
    expect(fromK.map((s) => s.plan.lead.id)).toEqual(fromOne.map((s) => s.plan.lead.id));
    expect(fromK.map((s) => relativeToCreation(s.plan))).toEqual(fromOne.map((s) => relativeToCreation(s.plan)));
    for (const step of fromOne) expect(profile.planLead({ seed: "lab-1" }, step.plan.lead.id, step.atMs)).toEqual(step.plan);
  });
});

describe("simulate", () => {
  it("releases each conversion at its due time, after the last arrival before it and before the next", () => {
    const steps = run({ leads: 3000 });
    let lastArrivalMs = -Infinity;
    let converted = 0;
    steps.forEach((step, index) => {
      if (step.kind === "arrival") {
        lastArrivalMs = step.atMs;
        return;
      }
      converted += 1;
      expect(step.atMs).toBe(toMs(step.conversion.converted_at));
      expect(step.atMs).toBeGreaterThan(lastArrivalMs); // not due when the previous arrival happened
      const nextArrival = steps.slice(index + 1).find((s) => s.kind === "arrival");
      if (nextArrival) expect(nextArrival.atMs).toBeGreaterThanOrEqual(step.atMs);
    });
    expect(converted).toBe(arrivals(steps).filter((s) => s.plan.conversion).length);
    expect(converted).toBeGreaterThan(0);
  });

  it("yields each planned conversion exactly once, after its lead's arrival", () => {
    const steps = run({ leads: 3000 });
    const arrivedAt = new Map<number, number>();
    const conversions = new Map<number, ConversionEvent>();
    steps.forEach((step, index) => {
      if (step.kind === "arrival") arrivedAt.set(step.plan.lead.id, index);
      else {
        expect(arrivedAt.get(step.conversion.lead_id)).toBeLessThan(index);
        expect(conversions.has(step.conversion.lead_id)).toBe(false);
        conversions.set(step.conversion.lead_id, step.conversion);
      }
    });
    for (const { plan } of arrivals(steps)) expect(conversions.get(plan.lead.id)).toEqual(plan.conversion);
  });

  it("brings arrivals at the configured rate", () => {
    // Exponential gaps with mean 1000/rate ms; the mean of n gaps has SE (1000/rate)/sqrt(n).
    const leads = 50_000;
    const ratePerSecond = 250;
    const times = arrivals(run({ profile: makeProfile("aispy"), leads, ratePerSecond })).map((s) => s.atMs);
    const meanGapMs = (times.at(-1)! - START_MS) / leads;
    expect(Math.abs(meanGapMs - 4)).toBeLessThan(5 * (4 / Math.sqrt(leads)));
  });

  it("releases restored conversions in due order among the new arrivals, the overdue ones at the start", () => {
    const pending: ConversionEvent[] = [
      { type: "conversion", lead_id: 7, converted_at: "2026-01-01T00:00:05.000+00:00", conversion_amount: 100 },
      { type: "conversion", lead_id: 3, converted_at: "2025-12-31T23:59:59.000+00:00", conversion_amount: 200 },
      { type: "conversion", lead_id: 5, converted_at: "2026-01-01T00:00:00.500+00:00", conversion_amount: 300 },
    ];
    const steps = run({ firstLeadId: 10, leads: 1000, pending });
    const restored = steps.filter((s) => s.kind === "conversion" && s.conversion.lead_id < 10);
    expect(restored.map((s) => s.atMs)).toEqual([START_MS, START_MS + 500, START_MS + 5000]);
    expect(steps[0]).toEqual({ kind: "conversion", atMs: START_MS, conversion: pending[1] });
    const atMs = steps.map((s) => s.atMs);
    expect(atMs).toEqual([...atMs].sort((a, b) => a - b));
  });

  it("yields only the restored conversions when asked for no leads", () => {
    const pending: ConversionEvent[] = [
      { type: "conversion", lead_id: 2, converted_at: "2026-01-01T00:00:02.000+00:00", conversion_amount: 100 },
      { type: "conversion", lead_id: 1, converted_at: "2026-01-01T00:00:01.000+00:00", conversion_amount: 100 },
    ];
    expect(run({ leads: 0, pending }).map((s) => s.kind === "conversion" && s.conversion.lead_id)).toEqual([1, 2]);
  });

  it("runs without end when no lead count is given", () => {
    let count = 0;
    for (const step of simulate({ seed: "x", profile: makeProfile("aispy"), startMs: START_MS, firstLeadId: 1, ratePerSecond: 10 })) {
      if (step.kind === "arrival" && ++count === 20_000) break;
    }
    expect(count).toBe(20_000);
  });

  it.each([
    [{ ratePerSecond: 0 }, /ratePerSecond must be a number in \(0, 1000000\], got 0/],
    [{ firstLeadId: 0 }, /firstLeadId must be an integer >= 1, got 0/],
    [{ startMs: 1.5 }, /startMs must be an integer >= 0, got 1.5/],
    [{ leads: -1 }, /leads must be an integer >= 0 or undefined, got -1/],
    [{ ratePerSecond: Number.NaN }, /ratePerSecond must be a number in \(0, 1000000\], got NaN/],
  ])("refuses the options %j with a message naming the field", (bad, message) => {
    expect(() => run(bad)).toThrow(message);
  });
});
