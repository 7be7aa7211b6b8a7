// Cosmetic strings. A lead's email is `first.last.<id>@example.(com|net|org)`: the names come
// from faker's English word lists, picked by the lead's own "email" RNG, and the id makes
// every address unique. Example domains (RFC 2606) so no generated address is a real mailbox.
//
// Cost: seeding a faker instance per lead (`faker.seed(id)`) measured ~26 µs per lead, too slow
// for 10k leads/s. Instead one Faker instance draws from a randomizer that we point at the
// lead's RNG just for the duration of the call (~1 µs). Emails depend on the installed faker
// version's word lists; everything that matters to the metrics does not.

import { Faker, base, en } from "@faker-js/faker";
import type { Rng } from "../rng.ts";

let currentRng: Rng = () => {
  throw new Error("the email randomizer is only usable inside emailFor()");
};

const faker = new Faker({
  locale: [en, base],
  randomizer: { next: () => currentRng(), seed: () => {} },
});

const EXAMPLE_DOMAINS = ["example.com", "example.net", "example.org"] as const;

/** A valid-looking, unique email for the lead; uses only `rng`. */
export function emailFor(rng: Rng, leadId: number): string {
  currentRng = rng;
  const first = slug(faker.person.firstName());
  const last = slug(faker.person.lastName());
  const domain = faker.helpers.arrayElement(EXAMPLE_DOMAINS);
  return `${first || "lead"}.${last || "lead"}.${leadId}@${domain}`;
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}
