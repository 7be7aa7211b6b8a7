// Value shapes shared by several tools' settings tables, each with the "allowed" text a
// ConfigError shows.

import { z } from "zod";

export const postgresUrl = z.string().refine((s) => /^postgres(ql)?:\/\/\S+$/.test(s), "a postgres:// URL");

export const kafkaTopicName = z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, "a Kafka topic name");

/** "host:port,host:port" → ["host:port", ...] */
export const brokerList = z
  .string()
  .transform((text) => text.split(",").map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[^\s:]+:\d+$/, "host:port[,host:port...]")).min(1, "at least one host:port"));

/** A flag or variable set to "" (as compose's `${NAME:-}` passes it) counts as not given. */
export const given = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === "" ? undefined : value;
