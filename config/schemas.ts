// Value shapes shared by several tools' settings tables, each with the "allowed" text a
// ConfigError shows.
//
// Numbers arrive as text (flags, env vars). `z.coerce.number()` would accept " 12", "0x10",
// "1e3" and "" (as 0) and report a word as "received NaN"; these schemas read the text
// themselves: integers are plain decimal digits, decimals plain decimal notation.

import { z } from "zod";

const PLAIN_INTEGER = /^-?\d+$/;
const PLAIN_DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)$/;

/** Does `text` read as a number at all (in any JavaScript notation)? */
const looksNumeric = (text: string): boolean => text.trim() !== "" && Number.isFinite(Number(text));

function numberFromText(pattern: RegExp, allowed: string, notation: string) {
  return z.string().transform((text, ctx) => {
    if (!pattern.test(text)) {
      const message = looksNumeric(text) ? `${allowed}, written as ${notation}` : `expected a number: ${allowed}`;
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    }
    return Number(text);
  });
}

/**
 * A whole number in plain decimal digits ("12"; not " 12", "12abc", "1.5", "0x10", "1e3"), within
 * [min, max] (no max: any size JavaScript counts exactly).
 */
export function wholeNumber(min: number, max?: number, what = "a whole number") {
  const allowed = max === undefined ? `${what} >= ${min}` : `${what} from ${min} to ${max}`;
  return numberFromText(PLAIN_INTEGER, allowed, "plain decimal digits").pipe(
    z.number().min(min, allowed).max(max ?? Number.MAX_SAFE_INTEGER, allowed),
  );
}

/** A number in plain decimal notation ("0.2", ".5", "80"), within [min, max]; `exclusiveMin` for "> min". */
export function decimalNumber(min: number, max: number, options: { exclusiveMin?: boolean } = {}) {
  const allowed = options.exclusiveMin ? `a number > ${min} and at most ${max}` : `a number from ${min} to ${max}`;
  const inRange = (n: number) => (options.exclusiveMin ? n > min : n >= min) && n <= max;
  return numberFromText(PLAIN_DECIMAL, allowed, "a plain decimal (e.g. 0.25)").pipe(z.number().refine(inRange, allowed));
}

export const PORT_MAX = 65_535;
export const portNumber = wholeNumber(1, PORT_MAX, "a port number");

const isPort = (text: string): boolean => /^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= PORT_MAX;

/** The port part of a postgres:// URL is valid when absent or within 1..65535. */
function urlPortIsValid(url: string): boolean {
  const authority = /^[a-z]+:\/\/(?:[^@/?#]*@)?([^/?#]*)/i.exec(url)?.[1] ?? "";
  const port = /^(?:\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority)?.[1];
  return port === undefined || port === "" || isPort(port);
}

export const postgresUrl = z
  .string()
  .refine((s) => /^postgres(ql)?:\/\/\S+$/.test(s), "a postgres:// URL")
  .refine(urlPortIsValid, `a postgres:// URL whose port is from 1 to ${PORT_MAX}`);

export const kafkaTopicName = z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, "a Kafka topic name");

/** "host:port" with a port from 1 to 65535. */
export const hostPort = z
  .string()
  .regex(/^[^\s:,]+:\d+$/, "host:port")
  .refine((s) => isPort(s.slice(s.lastIndexOf(":") + 1)), `host:port with a port from 1 to ${PORT_MAX}`);

/** "host:port,host:port" → ["host:port", ...] */
export const brokerList = z
  .string()
  .transform((text) => text.split(",").map((s) => s.trim()).filter(Boolean))
  .pipe(
    z
      .array(
        z
          .string()
          .regex(/^[^\s:]+:\d+$/, "host:port[,host:port...]")
          .refine((s) => isPort(s.slice(s.lastIndexOf(":") + 1)), `host:port[,host:port...] with ports from 1 to ${PORT_MAX}`),
      )
      .min(1, "at least one host:port"),
  );

/** A flag or variable set to "" (as compose's `${NAME:-}` passes it) counts as not given. */
export const given = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === "" ? undefined : value;
