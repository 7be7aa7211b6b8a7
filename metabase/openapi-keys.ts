// Lists the keys of a request body that its JSON schema does not name. JSON Schema (and ajv)
// accepts unnamed keys of an open object; Metabase then drops them without a word, so a misspelled
// key would vanish silently. Paths look like `dashcards[].card_id`.

export type JsonSchema = { [key: string]: unknown };

interface Components {
  components?: { schemas?: Record<string, JsonSchema> };
}

export function unknownKeys(body: unknown, schema: JsonSchema, doc: Components, path = ""): string[] {
  const branches = flatten(schema, doc);
  if (Array.isArray(body)) {
    const items = branches.map((b) => b.items).filter(isSchema);
    if (items.length === 0) return [];
    return [...new Set(body.flatMap((item) => items.flatMap((s) => unknownKeys(item, s, doc, `${path}[]`))))];
  }
  if (!body || typeof body !== "object") return [];
  const objects = branches.filter((b) => isSchema(b.properties) || b.additionalProperties !== undefined);
  if (objects.length === 0 || objects.some((b) => b.additionalProperties !== undefined && b.additionalProperties !== false)) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    const keyPath = path === "" ? key : `${path}.${key}`;
    const owner = objects.find((b) => isSchema(b.properties) && key in b.properties);
    if (!owner) {
      found.push(keyPath);
      continue;
    }
    found.push(...unknownKeys(value, (owner.properties as Record<string, JsonSchema>)[key] ?? {}, doc, keyPath));
  }
  return found;
}

/** The schema's alternatives with $refs resolved: allOf parts, oneOf/anyOf branches, the schema itself. */
function flatten(schema: JsonSchema, doc: Components, depth = 0): JsonSchema[] {
  if (depth > 20) return [];
  if (typeof schema.$ref === "string") return flatten({ ...resolveRef(schema.$ref, doc), ...withoutRef(schema) }, doc, depth + 1);
  const resolved = schema;
  const parts: JsonSchema[] = [resolved];
  for (const keyword of ["allOf", "oneOf", "anyOf"] as const) {
    const list = resolved[keyword];
    if (Array.isArray(list)) parts.push(...list.filter(isSchema).flatMap((s) => flatten(s, doc, depth + 1)));
  }
  return parts;
}

function resolveRef(ref: string, doc: Components): JsonSchema {
  const match = /^#\/components\/schemas\/(.+)$/.exec(ref);
  if (!match?.[1]) return {};
  const name = decodeURIComponent(match[1]).replace(/~1/g, "/").replace(/~0/g, "~");
  return doc.components?.schemas?.[name] ?? {};
}

function withoutRef(schema: JsonSchema): JsonSchema {
  const { $ref: _ignored, ...rest } = schema;
  return rest;
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
