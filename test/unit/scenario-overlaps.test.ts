import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_PARAMS } from "../../loadgen/sim/profiles/index.ts";
import { isActive, worldDuring, type TimedIncident } from "../../loadgen/sim/scenario/incidents.ts";

const incident = (incidentId: number, kind: TimedIncident["kind"], params: unknown, startsAtMs = 0, endsAtMs?: number) =>
  ({ incidentId, kind, startsAtMs, endsAtMs, params }) as TimedIncident;

describe("overlapping incidents", () => {
  it("add up their log-odds shifts", () => {
    const world = worldDuring(DEFAULT_PROFILE_PARAMS, [
      incident(1, "score_shift", { logit_offset: 1 }), incident(2, "score_shift", { logit_offset: -0.25 }),
      incident(3, "concept_drift", { base_logit_delta: -1 }), incident(4, "concept_drift", { base_logit_delta: 0.5 }),
    ]);
    expect([world.params.scoreLogitOffset, world.params.buyerLogitDelta]).toEqual([0.75, -0.5]);
  });

  it("of one kind that sets a value: the later one in the file wins", () => {
    const world = worldDuring(DEFAULT_PROFILE_PARAMS, [
      incident(1, "split_bug", { control_share: 0.05 }), incident(2, "split_bug", { control_share: 0.5 }),
      incident(3, "duplicate_predictions", { copies: 3 }), incident(4, "duplicate_predictions", { copies: 2 }),
    ]);
    expect([world.params.controlShare, world.copies]).toEqual([0.5, 2]);
  });

  it("of different kinds each keep their own effect", () => {
    const world = worldDuring(DEFAULT_PROFILE_PARAMS, [
      incident(1, "model_decay", { model_noise_sd: 2.5 }), incident(2, "traffic_shift", { source_weights: { tiktok: 0.6, google: 0 } }),
      incident(3, "prediction_outage", { drop_share: 0.4 }), incident(4, "label_delay", { conversion_delay_mean_ms: 60_000 }),
    ]);
    expect(world.params.modelNoiseSd).toBe(2.5);
    expect(Object.fromEntries(world.params.audience.sources.map((s) => [s.utm_source, s.weight]))).toMatchObject({ tiktok: 0.6, google: 0, facebook: 0.16 });
    expect(world.dropShare).toBe(0.4);
    expect([world.params.conversionDelayMeanMs, world.params.conversionDelayMaxMs]).toEqual([60_000, 300_000]);
  });

  it("leave the profile's own world when none is active", () => {
    expect(worldDuring(DEFAULT_PROFILE_PARAMS, [])).toEqual({ params: DEFAULT_PROFILE_PARAMS, dropShare: 0, copies: 1 });
  });
});

describe("an incident's span", () => {
  it("includes its start and excludes its end; an open one never ends", () => {
    const closed = incident(1, "split_bug", { control_share: 0.1 }, 1_000, 2_000);
    expect([999, 1_000, 1_999, 2_000].map((t) => isActive(closed, t))).toEqual([false, true, true, false]);
    expect(isActive(incident(2, "split_bug", { control_share: 0.1 }, 1_000), 1e12)).toBe(true);
  });
});
