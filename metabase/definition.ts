// The dashboard definition (metabase/dashboard.yaml): its shape, and loading it. Pure data; the
// provisioner (provision.ts) turns it into API calls.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

export const GRID_COLUMNS = 24;
export const DEFAULT_DEFINITION_PATH = fileURLToPath(new URL("./dashboard.yaml", import.meta.url));

const position = z
  .object({
    row: z.number().int().min(0),
    col: z.number().int().min(0),
    size_x: z.number().int().min(1),
    size_y: z.number().int().min(1),
  })
  .strict()
  .refine((p) => p.col + p.size_x <= GRID_COLUMNS, `col + size_x must be at most ${GRID_COLUMNS} (the grid's width)`);

const key = z.string().regex(/^[a-z][a-z0-9_]*$/, "a snake_case key");
const visualizationSettings = z.record(z.string(), z.unknown());

const cardDefinition = z
  .object({
    key,
    name: z.string().min(1),
    description: z.string().min(1),
    display: z.enum(["line", "bar", "area", "scalar", "table", "row", "pie"]),
    position,
    visualization_settings: visualizationSettings,
    sql: z.string().min(1).transform((s) => s.trim()),
  })
  .strict();

const textDefinition = z.object({ key, position, markdown: z.string().min(1).transform((s) => s.trim()) }).strict();

export const dashboardDefinitionSchema = z
  .object({
    database: z.object({ name: z.string().min(1) }).strict(),
    collection: z.object({ name: z.string().min(1), description: z.string().min(1) }).strict(),
    dashboard: z
      .object({ name: z.string().min(1), description: z.string().min(1), width: z.enum(["fixed", "full"]) })
      .strict(),
    texts: z.array(textDefinition),
    cards: z.array(cardDefinition).min(1),
  })
  .strict()
  .superRefine((d, ctx) => {
    const keys = [...d.texts, ...d.cards].map((c) => c.key);
    const names = d.cards.map((c) => c.name);
    for (const [label, list] of [["key", keys], ["card name", names]] as const) {
      const dup = list.find((x, i) => list.indexOf(x) !== i);
      if (dup !== undefined) ctx.addIssue({ code: "custom", message: `duplicate ${label} ${JSON.stringify(dup)}` });
    }
    const placed = [...d.texts, ...d.cards];
    placed.forEach((a, i) =>
      placed.slice(i + 1).forEach((b) => {
        if (intersects(a.position, b.position)) ctx.addIssue({ code: "custom", message: `${a.key} and ${b.key} overlap on the grid` });
      }),
    );
  });

function intersects(a: z.output<typeof position>, b: z.output<typeof position>): boolean {
  return a.col < b.col + b.size_x && b.col < a.col + a.size_x && a.row < b.row + b.size_y && b.row < a.row + a.size_y;
}

export type DashboardDefinition = z.output<typeof dashboardDefinitionSchema>;
export type CardDefinition = DashboardDefinition["cards"][number];
export type TextDefinition = DashboardDefinition["texts"][number];
export type GridPosition = CardDefinition["position"];

export class DefinitionError extends Error {
  override name = "DefinitionError";
}

/** Parses and checks a definition given as YAML (or JSON) text. Throws DefinitionError. */
export function parseDashboardDefinition(text: string, source = "dashboard definition"): DashboardDefinition {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new DefinitionError(`${source}: not valid YAML: ${(error as Error).message}`);
  }
  const parsed = dashboardDefinitionSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`);
    throw new DefinitionError(`${source} is invalid:\n  ${problems.join("\n  ")}`);
  }
  return parsed.data;
}

export function loadDashboardDefinition(path = DEFAULT_DEFINITION_PATH): DashboardDefinition {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new DefinitionError(`cannot read the dashboard definition ${path}: ${(error as Error).message}`);
  }
  return parseDashboardDefinition(text, path);
}
