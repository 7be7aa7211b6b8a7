// Choosing a profile by name. `default` takes overridable settings; `aispy` is the seed's
// generator with fixed numbers, so a setting passed to it must equal the seed's value
// (or be undefined) and a setting it does not have is refused: silently ignoring a
// configured value would make a workshop run lie about what it simulates.

import { AISPY_PARAMS, aispyProfile } from "./aispy.ts";
import { makeDefaultProfile } from "./default.ts";
import { DEFAULT_PROFILE_PARAMS, type DefaultProfileParams } from "./default-params.ts";
import type { Profile, ProfileName } from "./types.ts";

export type { LeadPlan, PlanContext, Profile, ProfileName } from "./types.ts";
export { LABEL_HORIZON_MS } from "./types.ts";
export { DEFAULT_PROFILE_PARAMS } from "./default-params.ts";
export { AISPY_PARAMS } from "./aispy.ts";

export const PROFILE_NAMES: readonly ProfileName[] = ["default", "aispy"];

/** The settings a deployment may override (others: edit DEFAULT_PROFILE_PARAMS). */
export type ProfileSettings = Partial<
  Pick<DefaultProfileParams, "controlShare" | "threshold" | "couponUpliftShare" | "couponMinCents" | "couponMaxCents">
>;

export function makeProfile(name: ProfileName, settings: ProfileSettings = {}): Profile {
  const given = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
  if (name === "default") return makeDefaultProfile({ ...DEFAULT_PROFILE_PARAMS, ...given });
  if (name === "aispy") {
    for (const [key, value] of Object.entries(given)) {
      if (!(key in AISPY_PARAMS)) throw new Error(`profile aispy has no setting ${key} (got ${value})`);
      const fixed = AISPY_PARAMS[key as keyof typeof AISPY_PARAMS];
      if (value !== fixed) throw new Error(`profile aispy has ${key} fixed at ${fixed}, got ${value}`);
    }
    return aispyProfile;
  }
  throw new Error(`profile must be one of ${PROFILE_NAMES.join(", ")}, got ${JSON.stringify(name)}`);
}
