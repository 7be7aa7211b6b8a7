// Checks request bodies against the OpenAPI document the Metabase instance serves at
// GET /api/docs/openapi.json (OpenAPI 3.1, JSON Schema 2020-12, generated from the endpoints' own
// malli schemas), before they are sent.
//
// - A body that breaks the operation's requestBody schema is refused (PayloadRejectedError).
// - A body for an operation the document does not list is refused too: the endpoint is gone
//   (like POST /api/dashboard/:id/cards) or renamed.
// - Keys the schema does not list are only warned about: Metabase's body schemas are open maps, so
//   it accepts them and silently drops the ones it does not use. KNOWN_EXTRA_KEYS lists the few the
//   provisioner sends on purpose although the schema omits them.

import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import type { Logger } from "pino";
import type { HttpMethod } from "./client.ts";
import { PayloadRejectedError } from "./errors.ts";
import { unknownKeys, type JsonSchema } from "./openapi-keys.ts";

export interface OpenApiDocument {
  openapi?: string;
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/**
 * Keys sent on purpose that the requestBody schema does not list. PUT /api/dashboard/:id's dashcard
 * schema (UpdatedDashboardCard in metabase/dashboards_rest/api.clj) names only id, row, col, size_x,
 * size_y, parameter_mappings, inline_parameters and series, but the open map is passed whole to
 * dashboard-card/from-parsed-json, which reads card_id, visualization_settings and dashboard_tab_id.
 */
export const KNOWN_EXTRA_KEYS: Readonly<Record<string, readonly string[]>> = {
  "PUT /api/dashboard/{id}": ["dashcards[].card_id", "dashcards[].visualization_settings"],
};

export class OpenApiChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  private readonly validators = new Map<string, ValidateFunction | "uncompilable">();

  constructor(
    readonly document: OpenApiDocument,
    private readonly log: Logger,
  ) {}

  /** The document's path template for a concrete path (`/api/card/7` → `/api/card/{id}`), if any; literal segments win. */
  findTemplate(method: HttpMethod, path: string): string | undefined {
    const wanted = split(path);
    const verb = method.toLowerCase();
    const isParam = (segment: string) => /^\{[^}]+\}$/.test(segment);
    const matches = Object.keys(this.document.paths).filter((template) => {
      const parts = split(template);
      return (
        this.document.paths[template]?.[verb] !== undefined &&
        parts.length === wanted.length &&
        parts.every((p, i) => isParam(p) || p === wanted[i])
      );
    });
    const params = (template: string) => split(template).filter(isParam).length;
    return matches.sort((a, b) => params(a) - params(b))[0];
  }

  /** Throws PayloadRejectedError if `body` breaks the schema; logs a warning for unlisted keys. */
  check(method: HttpMethod, path: string, body: unknown): void {
    const template = this.findTemplate(method, path);
    const operation = `${method} ${template ?? path.split("?")[0]}`;
    if (template === undefined) throw new PayloadRejectedError(operation, ["the instance's OpenAPI document has no such operation"]);
    const schema = this.document.paths[template]?.[method.toLowerCase()]?.requestBody?.content?.["application/json"]?.schema;
    if (schema === undefined) {
      this.log.warn({ operation }, "the OpenAPI document declares no JSON body for this operation; Metabase may ignore the body");
      return;
    }
    const validate = this.validator(operation, schema);
    if (validate !== "uncompilable" && !validate(body)) {
      const problems = (validate.errors ?? []).map((e) => `${e.instancePath || "(body)"} ${e.message ?? "is invalid"}`);
      throw new PayloadRejectedError(operation, [...new Set(problems)]);
    }
    const allowed = new Set(KNOWN_EXTRA_KEYS[`${method} ${template}`] ?? []);
    const extra = unknownKeys(body, schema, this.document).filter((k) => !allowed.has(k));
    if (extra.length > 0) {
      this.log.warn({ operation, keys: extra }, "request keys not in Metabase's OpenAPI schema: Metabase will likely drop them silently");
    }
  }

  private validator(operation: string, schema: JsonSchema): ValidateFunction | "uncompilable" {
    let validate = this.validators.get(operation);
    if (validate === undefined) {
      try {
        // The components travel with the schema so that "#/components/schemas/..." refs resolve.
        validate = this.ajv.compile({ ...schema, components: this.document.components ?? {} });
      } catch (error) {
        this.log.warn({ operation, error: (error as Error).message }, "cannot compile this operation's OpenAPI schema; its bodies are sent unchecked");
        validate = "uncompilable";
      }
      this.validators.set(operation, validate);
    }
    return validate;
  }
}

function split(path: string): string[] {
  return (path.split("?")[0] ?? "").split("/").filter((p) => p !== "");
}
