// The migration targets, as a small registry: each names the folders it runs and how.
//
//   postgres     the lab's Postgres schema (tables, outbox, publication, roles)
//   reference    the same on plain Postgres, plus stand-ins for the Kafka source and
//                mz_now(), the bridge's offsets and role (bridge/schema), plus the portable
//                views: `set lab.now = '...'` and query
//   materialize  secrets, connections and sources, then the same portable views
//
// Adding a target that is not SQL (say `kafka`, to create the topic) means adding its name to
// TARGET_NAMES in config/migrate.ts and an entry to TARGETS whose `run` does the work.

import type { MigrateConfig, TargetName } from "../../config/migrate.ts";
import { applySqlTarget, planSqlTarget, printPlan, type HookContext, type PlannedFile, type SqlTargetSpec } from "./apply.ts";
import { toPostgresDialect } from "./dialect.ts";
import { dropStaleReplicationSlots } from "./slots.ts";
import { kafkaTopicTarget } from "./kafka-topic.ts";
import { checkExistingTables, declaredTables } from "./table-shapes.ts";
import type { SqlVariables } from "./variables.ts";

export interface RunContext {
  config: MigrateConfig;
  repoRoot: string;
  log: (line: string) => void;
  /** Where --dry-run prints the SQL. */
  write: (text: string) => void;
}

export interface Target {
  description: string;
  run(ctx: RunContext): Promise<void>;
}

/** Portable from 30 to 90: the same files run on Materialize and on Postgres. */
const PORTABLE_FOLDERS = [
  "materialize/30_staging",
  "materialize/40_per_lead",
  "materialize/50_metrics",
  "materialize/90_serving",
];

export const POSTGRES_SOURCE_FILE = "materialize/20_sources/10_postgres_source.sql";

export type SqlTargetName = Extract<TargetName, "postgres" | "reference" | "materialize">;

export const SQL_TARGET_SPECS: Readonly<Record<SqlTargetName, SqlTargetSpec>> = {
  postgres: {
    folders: ["postgres"],
    tags: () => [],
    beforeApply: checkLabTables,
  },
  reference: {
    folders: ["postgres", "materialize/reference", "bridge/schema", ...PORTABLE_FOLDERS],
    tags: () => ["reference"],
    rewrite: toPostgresDialect,
    beforeApply: checkLabTables,
  },
  materialize: {
    folders: ["materialize/10_connections", "materialize/20_sources", ...PORTABLE_FOLDERS],
    tags: (config) => ["materialize", config.mzKafkaSasl ? "kafka-sasl" : "kafka-plain"],
    beforeFile: { [POSTGRES_SOURCE_FILE]: dropStaleReplicationSlots },
  },
};

/** The lab's tables (postgres/*.sql) that already exist must have the shape those files declare. */
function checkLabTables({ client, plan, log }: HookContext & { plan: readonly PlannedFile[] }): Promise<void> {
  return checkExistingTables(client, declaredTables(plan, "postgres"), log);
}

const DESCRIPTIONS: Readonly<Record<SqlTargetName, string>> = {
  postgres: "the lab's Postgres schema",
  reference: "the lab's Postgres schema plus the portable views (reference engine)",
  materialize: "Materialize: connections, sources, views and classifier_metrics",
};

export const TARGETS: Readonly<Record<TargetName, Target>> = {
  postgres: sqlTarget("postgres"),
  reference: sqlTarget("reference"),
  materialize: sqlTarget("materialize"),
  kafka: kafkaTopicTarget,
};

function sqlTarget(name: SqlTargetName): Target {
  const spec = SQL_TARGET_SPECS[name];
  return {
    description: DESCRIPTIONS[name],
    async run({ config, repoRoot, log, write }) {
      const opts = { repoRoot, variables: sqlVariablesOf(config), log };
      if (config.dryRun) {
        log(`dry run: ${DESCRIPTIONS[name]}; tags: ${spec.tags(config).join(", ") || "(none)"}`);
        printPlan(planSqlTarget(spec, config, opts), write);
        return;
      }
      await applySqlTarget(spec, config, opts);
    },
  };
}

/** The values the SQL files may use as :'name', :"name" or :name. */
export function sqlVariablesOf(config: MigrateConfig): SqlVariables {
  const variables: Record<string, SqlVariables[string]> = {
    loadgen_password: { value: config.loadgenPgPassword, secret: true },
    materialize_password: { value: config.materializePgPassword, secret: true },
    bridge_password: { value: config.bridgePgPassword, secret: true },
    cluster: { value: config.mzCluster },
    pg_host: { value: config.mzPgHost },
    pg_port: { value: config.mzPgPort },
    pg_database: { value: config.mzPgDatabase },
    pg_user: { value: config.mzPgUser },
    pg_password: { value: config.mzPgPassword, secret: true },
    pg_ssl_mode: { value: config.mzPgSslMode },
    kafka_broker: { value: config.mzKafkaBroker },
    kafka_security_protocol: { value: config.mzKafkaSecurityProtocol },
    kafka_topic: { value: config.kafkaTopic },
  };
  if (config.mzKafkaSasl) {
    variables.kafka_sasl_mechanism = { value: config.mzKafkaSasl.mechanism };
    variables.kafka_sasl_username = { value: config.mzKafkaSasl.username };
    variables.kafka_sasl_password = { value: config.mzKafkaSasl.password, secret: true };
  }
  return variables;
}
