// Where the tests find their services. Read once by test/helpers/services.ts.
//
//   LAB_PG_URL        postgres://… superuser URL of a Postgres with wal_level=logical
//   LAB_KAFKA_BROKERS comma-separated host:port list of a Kafka API (Apache Kafka or Redpanda)
//   LAB_MZ_URL        postgres://… SQL URL of Materialize (port 6875)
//   LAB_METABASE_URL  http://… base URL of Metabase
//   LAB_REQUIRE       comma-separated services that must be available (else the suite fails
//                     instead of skipping), from: postgres, kafka, materialize, metabase
//
// A variable that is unset or blank means "not given": the helpers then try testcontainers.

import { z } from "zod";
import { readEnv, type Env } from "./env.ts";
import { brokerList, given } from "./schemas.ts";

export const SERVICE_NAMES = ["postgres", "kafka", "materialize", "metabase"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
/** What LAB_REQUIRE may name: the services, and tools a test needs (Debian's docker-compose). */
export const REQUIRABLE_NAMES = [...SERVICE_NAMES, "docker-compose"] as const;
export type RequirableName = (typeof REQUIRABLE_NAMES)[number];

export interface TestServicesConfig {
  pgUrl: string | undefined;
  kafkaBrokers: string[] | undefined;
  mzUrl: string | undefined;
  metabaseUrl: string | undefined;
  required: ReadonlySet<RequirableName>;
}

const blankToUndefined = (value: unknown) => (typeof value === "string" ? given(value) : value);

const optionalUrl = (protocol: RegExp, example: string) =>
  z.preprocess(blankToUndefined, z.url({ protocol, error: `must be a URL like ${example}` }).optional());

const optionalBrokerList = z.preprocess(blankToUndefined, brokerList.optional());

const isRequirable = (name: string): name is RequirableName =>
  (REQUIRABLE_NAMES as readonly string[]).includes(name);

const requiredServices = z.preprocess(
  blankToUndefined,
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const names = (raw ?? "").split(",").map((name) => name.trim()).filter((name) => name !== "");
      const unknown = names.filter((name) => !isRequirable(name));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: "custom",
          message:
            `"${raw}" names unknown service(s) ${unknown.map((n) => `"${n}"`).join(", ")}; ` +
            `allowed: ${REQUIRABLE_NAMES.join(", ")}`,
        });
        return z.NEVER;
      }
      return new Set(names.filter(isRequirable)) as ReadonlySet<RequirableName>;
    }),
);

const schema = z.object({
  LAB_PG_URL: optionalUrl(/^postgres(ql)?$/, "postgres://postgres@127.0.0.1:55432/postgres"),
  LAB_KAFKA_BROKERS: optionalBrokerList,
  LAB_MZ_URL: optionalUrl(/^postgres(ql)?$/, "postgres://materialize@127.0.0.1:6875/materialize"),
  LAB_METABASE_URL: optionalUrl(/^https?$/, "http://127.0.0.1:3000"),
  LAB_REQUIRE: requiredServices,
});

/** Validates the test-service variables; throws one Error listing every problem. */
export function loadTestServicesConfig(env: Env = readEnv()): TestServicesConfig {
  const parsed = schema.safeParse({
    LAB_PG_URL: env.LAB_PG_URL,
    LAB_KAFKA_BROKERS: env.LAB_KAFKA_BROKERS,
    LAB_MZ_URL: env.LAB_MZ_URL,
    LAB_METABASE_URL: env.LAB_METABASE_URL,
    LAB_REQUIRE: env.LAB_REQUIRE,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`invalid test service configuration:\n  ${problems.join("\n  ")}`);
  }
  const vars = parsed.data;
  return {
    pgUrl: vars.LAB_PG_URL,
    kafkaBrokers: vars.LAB_KAFKA_BROKERS,
    mzUrl: vars.LAB_MZ_URL,
    metabaseUrl: vars.LAB_METABASE_URL,
    required: vars.LAB_REQUIRE,
  };
}
