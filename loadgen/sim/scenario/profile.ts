// The `default` profile under a scenario: each lead is planned by the profile of the world at
// its arrival time (worldDuring, incidents.ts). Outside every incident that is the profile
// itself, so a scenario's quiet time is byte-for-byte a plain run.
//
// Randomness: the only new draw is the "delivery" stream of a lead (one uniform, compared
// with the drop share of a prediction outage), derived from (seed, "delivery", lead id) like
// every other stream, so an incident never shifts any other lead's draws.

import { deriveRng, uniform } from "../rng.ts";
import { makeDefaultProfile } from "../profiles/default.ts";
import type { DefaultProfileParams } from "../profiles/default-params.ts";
import type { LeadPlan, PlanContext, Profile } from "../profiles/types.ts";
import { isActive, worldDuring, type TimedIncident, type World } from "./incidents.ts";

interface WorldProfile {
  world: World;
  profile: Profile;
}

export function scenarioProfile(base: DefaultProfileParams, incidents: readonly TimedIncident[]): Profile {
  const plain = makeDefaultProfile(base);
  if (incidents.length === 0) return plain;
  // One profile per distinct set of active incidents (a handful per scenario), built on first use.
  const byActiveSet = new Map<string, WorldProfile>();
  const worldAt = (atMs: number): WorldProfile | undefined => {
    const active = incidents.filter((incident) => isActive(incident, atMs));
    if (active.length === 0) return undefined;
    const key = active.map((incident) => incident.incidentId).join(",");
    let entry = byActiveSet.get(key);
    if (!entry) {
      const world = worldDuring(base, active);
      entry = { world, profile: makeDefaultProfile(world.params) };
      byActiveSet.set(key, entry);
    }
    return entry;
  };

  function planLead(ctx: PlanContext, leadId: number, createdAtMs: number): LeadPlan {
    const entry = worldAt(createdAtMs);
    if (!entry) return plain.planLead(ctx, leadId, createdAtMs);
    const plan = entry.profile.planLead(ctx, leadId, createdAtMs);
    const { dropShare, copies } = entry.world;
    const dropped = dropShare > 0 && uniform(deriveRng(ctx.seed, "delivery", leadId)) < dropShare;
    const predictionCopies = dropped ? 0 : copies;
    if (predictionCopies !== 1) plan.predictionCopies = predictionCopies;
    return plan;
  }

  // The model's reference is the profile's own world: predict() ignores incidents on purpose.
  return { name: "default", planLead, predict: plain.predict };
}
