import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_PARAMS, makeProfile } from "../../loadgen/sim/profiles/index.ts";
import { REFERENCE_LEADS, referenceDistribution, referenceDistributionInSlices, scoreDecile } from "../../loadgen/sim/reference.ts";

describe("a profile's predict()", () => {
  it.each(["default", "aispy"] as const)("gives profile %s's planLead source, score and model version, lead by lead", (name) => {
    const profile = makeProfile(name);
    for (let leadId = 1; leadId <= 2_000; leadId++) {
      const plan = profile.planLead({ seed: "predict" }, leadId, Date.UTC(2026, 0, 1) + leadId);
      expect(profile.predict({ seed: "predict" }, leadId)).toEqual({
        utm_source: plan.lead.utm_source, score: plan.prediction.score, model_version: plan.prediction.model_version,
      });
    }
  });
});

describe("the model reference", () => {
  const rows = referenceDistribution(makeProfile("default"));

  it("counts at least 100,000 baseline leads per feature: ten score deciles and every utm_source", () => {
    expect(REFERENCE_LEADS).toBeGreaterThanOrEqual(100_000);
    const total = (feature: string) => rows.filter((r) => r.feature === feature).reduce((a, r) => a + r.reference_count, 0);
    expect(total("score_decile")).toBe(REFERENCE_LEADS);
    expect(total("utm_source")).toBe(REFERENCE_LEADS);
    expect(rows.filter((r) => r.feature === "score_decile").map((r) => r.value)).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    expect(rows.filter((r) => r.feature === "utm_source").map((r) => r.value).sort())
      .toEqual(DEFAULT_PROFILE_PARAMS.audience.sources.map((s) => s.utm_source).sort());
    expect(new Set(rows.map((r) => r.model_version))).toEqual(new Set([DEFAULT_PROFILE_PARAMS.modelVersion]));
  });

  it("matches the audience weights within sampling error", () => {
    for (const { utm_source, weight } of DEFAULT_PROFILE_PARAMS.audience.sources) {
      const seen = rows.find((r) => r.feature === "utm_source" && r.value === utm_source)!.reference_count / REFERENCE_LEADS;
      expect(Math.abs(seen - weight), utm_source).toBeLessThan(5 * Math.sqrt((weight * (1 - weight)) / REFERENCE_LEADS));
    }
  });

  it("is the same rows however the run is configured, being drawn with its own fixed seed", () => {
    expect(referenceDistribution(makeProfile("default", { threshold: 0.3, controlShare: 0.5 }))).toEqual(rows);
  });

  it("comes out the same when counted in slices, letting the caller's event loop turn between them", async () => {
    let turns = 0;
    const sliced = await referenceDistributionInSlices(makeProfile("default"), async () => void turns++, 7_000);
    expect(sliced).toEqual(rows);
    expect(turns).toBe(Math.ceil(REFERENCE_LEADS / 7_000));
  });

  it("puts a score in decile least(floor(score·10), 9)", () => {
    expect([0, 0.099999, 0.1, 0.55, 0.9, 0.999999, 1].map(scoreDecile)).toEqual(["0", "0", "1", "5", "9", "9", "9"]);
  });
});
