// Choosing a profile by name. `default` takes overridable settings; `aispy` is the seed's
// generator with fixed numbers, so a setting passed to it must equal the seed's value
// (or be undefined) and a setting it does not have is refused: silently ignoring a
// configured value would make a workshop run lie about what it simulates.

import { AISPY_PARAMS, aispyProfile } from "./aispy.ts";
import { makeDefaultProfile } from "./default.ts";
import { DEFAULT_PROFILE_PARAMS, type DefaultProfileParams } from "./default-params.ts";
import type { Profile, ProfileName } from "./types.ts";
import { scenarioProfile } from "../scenario/profile.ts";
import type { TimedIncident } from "../scenario/incidents.ts";

export type { LeadPlan, PlanContext, Profile, ProfileName } from "./types.ts";
export { LABEL_HORIZON_MS } from "./types.ts";
export { DEFAULT_PROFILE_PARAMS } from "./default-params.ts";
export { AISPY_PARAMS } from "./aispy.ts";

export const PROFILE_NAMES: readonly ProfileName[] = ["default", "aispy"];

/** The settings a deployment may override (others: edit DEFAULT_PROFILE_PARAMS). */
export type ProfileSettings = Partial<
  Pick<DefaultProfileParams, "controlShare" | "threshold" | "couponUpliftShare" | "couponMinCents" | "couponMaxCents">
>;

/** `incidents`: a scenario's timeline (scenario/profile.ts); only the default profile takes one. */
export function makeProfile(name: ProfileName, settings: ProfileSettings = {}, incidents: readonly TimedIncident[] = []): Profile {
  const given = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
  if (name === "default") {
    const params = { ...DEFAULT_PROFILE_PARAMS, ...given };
    return incidents.length === 0 ? makeDefaultProfile(params) : scenarioProfile(params, incidents);
  }
  if (name === "aispy") {
    if (incidents.length > 0) throw new Error("profile aispy takes no scenario incidents (it stays the seed's generator)");
    for (const [key, value] of Object.entries(given)) {
      if (!(key in AISPY_PARAMS)) throw new Error(`profile aispy has no setting ${key} (got ${value})`);
      const fixed = AISPY_PARAMS[key as keyof typeof AISPY_PARAMS];
      if (value !== fixed) throw new Error(`profile aispy has ${key} fixed at ${fixed}, got ${value}`);
    }
    return aispyProfile;
  }
  throw new Error(`profile must be one of ${PROFILE_NAMES.join(", ")}, got ${JSON.stringify(name)}`);
}

/** The control share a profile runs with: the setting if given, else the profile's own. */
export function controlShareOf(name: ProfileName, settings: ProfileSettings = {}): number {
  if (name === "aispy") return AISPY_PARAMS.controlShare;
  return settings.controlShare ?? DEFAULT_PROFILE_PARAMS.controlShare;
}
