// Draws a lead's slicing attributes (utm_*, country, device) from the lead's "attributes"
// stream, in a fixed order: source, medium, campaign, country, device (one draw each).
// Also returns the sum of their log-odds effects on buying (see default-params.ts).

import type { LeadEvent } from "../events.ts";
import { choose, weightedChoices, type Rng, type WeightedChoices } from "../rng.ts";
import type { DefaultProfileParams } from "./default-params.ts";

export type LeadAttributes = Pick<
  LeadEvent,
  "utm_source" | "utm_medium" | "utm_campaign" | "country_code" | "device_type"
>;

export type AttributeDrawer = (rng: Rng) => { attributes: LeadAttributes; logitEffect: number };

/** Builds the drawer once per profile (the choice tables are prepared here, not per lead). */
export function attributeDrawer(params: Pick<DefaultProfileParams, "audience" | "logitEffects">): AttributeDrawer {
  const { audience, logitEffects } = params;
  const sources = weightedChoices(audience.sources.map((source) => [source, source.weight] as const));
  const mediaBySource = new Map(audience.sources.map((source) => [source, weightedChoices(source.media)]));
  const campaignsByMedium = new Map<string, WeightedChoices<string>>(
    Object.entries(audience.campaignsByMedium).map(([medium, campaigns]) => [medium, weightedChoices(campaigns ?? [])]),
  );
  const noCampaigns = weightedChoices<string>([]);
  const countries = weightedChoices(audience.countries);
  const devices = weightedChoices(audience.devices);
  return (rng) => {
    const source = choose(rng, sources);
    const utm_source = source.utm_source;
    const utm_medium = choose(rng, mediaBySource.get(source)!);
    const utm_campaign = choose(rng, campaignsByMedium.get(utm_medium) ?? noCampaigns);
    const country_code = choose(rng, countries);
    const device_type = choose(rng, devices);
    const logitEffect =
      (logitEffects.utm_source[utm_source] ?? 0) +
      (logitEffects.utm_medium[utm_medium] ?? 0) +
      (logitEffects.utm_campaign[utm_campaign] ?? 0) +
      (logitEffects.country_code[country_code] ?? 0) +
      (logitEffects.device_type[device_type] ?? 0);
    return { attributes: { utm_source, utm_medium, utm_campaign, country_code, device_type }, logitEffect };
  };
}
