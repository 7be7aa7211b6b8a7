// Draws a lead's slicing attributes (utm_*, country, device) from the lead's "attributes"
// stream, in a fixed order: source, medium, campaign, country, device (one draw each).
// Also returns the sum of their log-odds effects on buying (see default-params.ts).

import type { LeadEvent } from "../events.ts";
import { choiceWeighted, type Rng } from "../rng.ts";
import type { DefaultProfileParams } from "./default-params.ts";

export type LeadAttributes = Pick<
  LeadEvent,
  "utm_source" | "utm_medium" | "utm_campaign" | "country_code" | "device_type"
>;

export type AttributeDrawer = (rng: Rng) => { attributes: LeadAttributes; logitEffect: number };

/** Builds the drawer once per profile (the choice tables are prepared here, not per lead). */
export function attributeDrawer(params: Pick<DefaultProfileParams, "audience" | "logitEffects">): AttributeDrawer {
  const { audience, logitEffects } = params;
  const sources = audience.sources.map((source) => [source, source.weight] as const);
  return (rng) => {
    const source = choiceWeighted(rng, sources);
    const utm_source = source.utm_source;
    const utm_medium = choiceWeighted(rng, source.media);
    const utm_campaign = choiceWeighted(rng, audience.campaignsByMedium[utm_medium] ?? []);
    const country_code = choiceWeighted(rng, audience.countries);
    const device_type = choiceWeighted(rng, audience.devices);
    const logitEffect =
      (logitEffects.utm_source[utm_source] ?? 0) +
      (logitEffects.utm_medium[utm_medium] ?? 0) +
      (logitEffects.utm_campaign[utm_campaign] ?? 0) +
      (logitEffects.country_code[country_code] ?? 0) +
      (logitEffects.device_type[device_type] ?? 0);
    return { attributes: { utm_source, utm_medium, utm_campaign, country_code, device_type }, logitEffect };
  };
}
