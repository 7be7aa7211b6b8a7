// Finds a scenario (a built-in name or a YAML file: built-ins are the YAML files next to this
// module, so both take the same path), checks it, and places it on a run's clock. Every
// mistake is a ConfigError (exit 2) naming the file, the incident and the field.

import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { ConfigError } from "../../config/errors.ts";
import type { IncidentKind, IncidentParamsByKind, TimedIncident } from "../sim/scenario/incidents.ts";
import { incidentSchema, PARAMS_SCHEMAS, scenarioFileSchema } from "./schema.ts";

const BUILT_IN_DIR = fileURLToPath(new URL(".", import.meta.url));

export interface ScenarioIncident {
  /** 1-based, in file order. */
  incidentId: number;
  kind: IncidentKind;
  atSeconds: number;
  /** undefined = until the run ends. */
  forSeconds: number | undefined;
  params: IncidentParamsByKind[IncidentKind];
}

export interface Scenario {
  name: string;
  description: string;
  /** The file it came from, as the user named it (or the built-in's name). */
  source: string;
  incidents: ScenarioIncident[];
}

/** Built-in scenarios, sorted by name, each with its one-line description. */
export function builtInScenarios(): { name: string; description: string }[] {
  return readdirSync(BUILT_IN_DIR)
    .filter((file) => file.endsWith(".yaml"))
    .sort()
    .map((file) => {
      const scenario = loadScenarioFile(`${BUILT_IN_DIR}${file}`, file.replace(/\.yaml$/, ""));
      return { name: scenario.name, description: scenario.description };
    });
}

/** `nameOrFile`: a built-in name (e.g. "tour") or a path ending in .yaml / .yml. */
export function loadScenario(nameOrFile: string): Scenario {
  if (/\.ya?ml$/i.test(nameOrFile) || nameOrFile.includes("/")) return loadScenarioFile(nameOrFile, nameOrFile);
  if (!/^[a-z0-9_-]+$/.test(nameOrFile)) {
    throw new ConfigError("--scenario", nameOrFile, "a built-in scenario name or a .yaml file");
  }
  const names = readdirSync(BUILT_IN_DIR).filter((f) => f.endsWith(".yaml")).map((f) => f.replace(/\.yaml$/, ""));
  if (!names.includes(nameOrFile)) {
    throw new ConfigError("--scenario", nameOrFile, `a built-in scenario (${names.sort().join(", ")}) or a .yaml file`);
  }
  return loadScenarioFile(`${BUILT_IN_DIR}${nameOrFile}.yaml`, nameOrFile);
}

function loadScenarioFile(path: string, shownAs: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`scenario file ${shownAs}`, path, `a readable YAML file (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`scenario file ${shownAs}`, "(unparsable)", `valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  const file = scenarioFileSchema.safeParse(document ?? {});
  if (!file.success) throw issueError(`scenario ${shownAs}:`, file.error, document);
  const incidents = file.data.incidents.map((raw, index) => parseIncident(shownAs, raw, index));
  return { name: file.data.name, description: file.data.description ?? "", source: shownAs, incidents };
}

function parseIncident(shownAs: string, raw: unknown, index: number): ScenarioIncident {
  const incidentId = index + 1;
  const kindText = typeof raw === "object" && raw !== null && "kind" in raw ? String((raw as { kind: unknown }).kind) : "no kind";
  const where = `scenario ${shownAs}: incident ${incidentId} (${kindText})`;
  const incident = incidentSchema.safeParse(raw);
  if (!incident.success) throw issueError(where, incident.error, raw);
  const { kind, at, for: forSeconds, params } = incident.data;
  const checked = PARAMS_SCHEMAS[kind].safeParse(params);
  if (!checked.success) throw issueError(`${where} params.`, checked.error, params, "");
  return { incidentId, kind, atSeconds: at, forSeconds, params: checked.data as ScenarioIncident["params"] };
}

/** The first zod issue as a ConfigError: `<where> <field>` = value; allowed: ... */
function issueError(where: string, error: z.ZodError, input: unknown, separator = " "): ConfigError {
  // An unknown field explains a missing one better than the other way round ("model_noise" for "model_noise_sd").
  const issue = error.issues.find((i) => i.code === "unrecognized_keys") ?? error.issues[0]!;
  const path = [...issue.path];
  if (issue.code === "unrecognized_keys") path.push(issue.keys[0]!);
  const field = path.map(String).join(".") || "(the document)";
  const allowed = issue.code === "unrecognized_keys" ? `no field ${issue.keys[0]} here (${issue.message})` : issue.message;
  return new ConfigError(`${where}${separator}${field}`, valueAt(input, path), allowed);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) value = typeof value === "object" && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value === undefined ? "(missing)" : value;
}

/** The configured scenario, loaded and checked against the run it is for (exit 2 on a mistake). */
export function scenarioForRun(config: {
  scenario: string; profile: string; mode: string; leads: number | undefined; rate: number; durationSeconds: number | undefined;
}): Scenario {
  const scenario = loadScenario(config.scenario);
  const byLeads = config.leads === undefined ? undefined : config.leads / config.rate;
  const runSeconds = config.mode === "live" ? (config.durationSeconds ?? byLeads) : byLeads;
  checkScenarioForRun(scenario, { profile: config.profile, runSeconds });
  return scenario;
}

export interface RunShape {
  profile: string;
  /** How long the run lasts when that is known (live --duration-seconds, or leads / rate), else undefined. */
  runSeconds: number | undefined;
}

/** Refuses incidents the run cannot hold: any under the aispy profile, any starting after the run's end. */
export function checkScenarioForRun(scenario: Scenario, run: RunShape): void {
  if (scenario.incidents.length > 0 && run.profile !== "default") {
    throw new ConfigError("--profile", run.profile, `default with scenario ${scenario.source} (it has incidents; profile aispy stays the seed's generator, use --scenario steady)`);
  }
  if (run.runSeconds === undefined) return;
  for (const incident of scenario.incidents) {
    if (incident.atSeconds >= run.runSeconds) {
      throw new ConfigError(
        `scenario ${scenario.source}: incident ${incident.incidentId} (${incident.kind}) at`,
        incident.atSeconds,
        `a start before the run's end at ${Number(run.runSeconds.toFixed(3))} s (more --leads, a longer --duration-seconds, or an earlier start)`,
      );
    }
  }
}

/** The scenario on a run's clock: offsets from `startedAtMs` become absolute times. */
export function timelineOf(scenario: Scenario, startedAtMs: number): TimedIncident[] {
  return scenario.incidents.map((incident) => {
    const startsAtMs = startedAtMs + Math.round(incident.atSeconds * 1000);
    const endsAtMs = incident.forSeconds === undefined ? undefined : startsAtMs + Math.round(incident.forSeconds * 1000);
    return { incidentId: incident.incidentId, kind: incident.kind, startsAtMs, endsAtMs, params: incident.params } as TimedIncident;
  });
}
