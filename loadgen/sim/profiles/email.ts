// Cosmetic strings. A lead's email is `first.last.<id>@example.(com|net|org)`: the names come
// from faker's English word lists, picked by the lead's own "email" RNG (three draws: first
// name, last name, domain), and the id makes every address unique. Example domains (RFC 2606)
// so no generated address is a real mailbox.
//
// Cost: seeding a faker instance per lead (`faker.seed(id)`) measured ~26 µs per lead; pointing
// one instance's randomizer at the lead's RNG, ~4 µs, a tenth of a fast run's simulation time
// (faker evaluates its name patterns, then each name was lower-cased and cleaned per lead).
// The lists are therefore read once, cleaned once, and indexed directly (~0.5 µs per lead,
// deriving the lead's RNG included). Emails
// depend on the installed faker version's word lists; everything that matters to the metrics
// does not.

import { en } from "@faker-js/faker";
import type { Rng } from "../rng.ts";

const EXAMPLE_DOMAINS = ["example.com", "example.net", "example.org"] as const;

/** Lower-case a-z and 0-9 only ("O'Hara" → "ohara"); a name with nothing left is dropped. */
export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function namesFrom(lists: readonly (readonly string[] | undefined)[], what: string): readonly string[] {
  const names = [...new Set(lists.flatMap((list) => (list ?? []).map(slug)))].filter((name) => name.length > 0);
  if (names.length === 0) throw new Error(`faker's English ${what} list is empty: is @faker-js/faker installed as package.json pins it?`);
  return names;
}

const firstNames = namesFrom([en.person?.first_name?.generic, en.person?.first_name?.female, en.person?.first_name?.male], "first-name");
const lastNames = namesFrom([en.person?.last_name?.generic], "last-name");

const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;

/** A valid-looking, unique email for the lead; uses only `rng` (three draws). */
export function emailFor(rng: Rng, leadId: number): string {
  const first = pick(rng, firstNames);
  const last = pick(rng, lastNames);
  const domain = pick(rng, EXAMPLE_DOMAINS);
  return `${first}.${last}.${leadId}@${domain}`;
}
