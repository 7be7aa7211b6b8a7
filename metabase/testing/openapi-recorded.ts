// A MINIMAL OpenAPI document for the test double (metabase-api-double.ts), covering only the
// operations the provisioner uses. It is NOT Metabase's document: it is written by hand from the
// request schemas in the metabase/metabase repository (dashboards_rest/api.clj DashUpdates and
// UpdatedDashboardCard, queries_rest/api/card.clj CardCreateSchema and CardUpdateSchema, the
// generated frontend/src/scripting/core-api/docs/Api*Request.md pages for setup, session, database,
// collection and card query) and from how Metabase turns malli schemas into JSON Schema
// (api/macros/defendpoint/open_api.clj: paths like /api/card/{id}, root routes with a trailing
// slash, [:maybe X] → oneOf [X, {type: null}], open maps without additionalProperties, shared
// schemas under #/components/schemas/<namespace.name>).

import type { JsonSchema } from "../openapi-keys.ts";
import type { OpenApiDocument } from "../openapi-check.ts";

const nonBlank = { $ref: "#/components/schemas/metabase.lib.schema.common.non-blank-string" };
const positiveInt = { type: "integer", minimum: 1 };
const maybe = (schema: JsonSchema) => ({ oneOf: [schema, { type: "null" }] });
const map = { type: "object", description: "Value must be a map." };
const obj = (properties: Record<string, JsonSchema>, required: string[] = []) => ({ type: "object", properties, required });
const body = (schema: JsonSchema) => ({ requestBody: { content: { "application/json": { schema } } } });
const noBody = { responses: {} };

const dashcard = obj(
  {
    id: { type: "integer" },
    size_x: positiveInt,
    size_y: positiveInt,
    row: { type: "integer", minimum: 0 },
    col: { type: "integer", minimum: 0 },
    parameter_mappings: maybe({ type: "array", items: map }),
    inline_parameters: maybe({ type: "array", items: nonBlank }),
    series: maybe({ type: "array", items: map }),
  },
  ["id", "size_x", "size_y", "row", "col"],
);

const cardFields = {
  name: nonBlank,
  type: maybe({ type: "string", enum: ["question", "metric", "model"] }),
  dataset_query: map,
  description: maybe(nonBlank),
  display: nonBlank,
  visualization_settings: map,
  collection_id: maybe(positiveInt),
  collection_position: maybe(positiveInt),
  cache_ttl: maybe(positiveInt),
  dashboard_id: maybe(positiveInt),
  dashboard_tab_id: maybe(positiveInt),
};

export function recordedOpenApi(): OpenApiDocument {
  return {
    openapi: "3.1.0",
    paths: {
      "/api/health": { get: noBody },
      "/api/session/properties": { get: noBody },
      "/api/setup/": {
        post: body(
          obj(
            {
              token: nonBlank,
              user: obj({ email: { type: "string" }, password: { type: "string" }, first_name: maybe(nonBlank), last_name: maybe(nonBlank) }, ["email", "password"]),
              prefs: obj({ site_name: nonBlank, site_locale: maybe(nonBlank) }, ["site_name"]),
              invite: maybe(map),
            },
            ["token", "user", "prefs"],
          ),
        ),
      },
      "/api/session/": { post: body(obj({ username: nonBlank, password: nonBlank }, ["username", "password"])) },
      "/api/database/": {
        get: noBody,
        post: body(
          obj(
            {
              name: nonBlank,
              engine: nonBlank,
              details: map,
              is_full_sync: { type: "boolean", default: true },
              is_on_demand: { type: "boolean", default: false },
              schedules: maybe(map),
              auto_run_queries: maybe({ type: "boolean" }),
              cache_ttl: maybe(positiveInt),
              connection_source: { type: "string", enum: ["admin", "setup"], default: "admin" },
            },
            ["name", "engine", "details"],
          ),
        ),
      },
      "/api/database/{id}": { put: body(obj({ name: maybe(nonBlank), engine: maybe(nonBlank), details: maybe(map), is_full_sync: maybe({ type: "boolean" }) })) },
      "/api/database/{id}/sync_schema": { post: noBody },
      "/api/collection/": {
        get: noBody,
        post: body(obj({ name: nonBlank, description: maybe(nonBlank), parent_id: maybe(positiveInt), namespace: maybe(nonBlank), authority_level: maybe({ type: "string", enum: ["official"] }) }, ["name"])),
      },
      "/api/collection/{id}/items": { get: noBody },
      "/api/card/": { post: body(obj(cardFields, ["name", "dataset_query", "display", "visualization_settings"])) },
      "/api/card/{id}": { get: noBody, put: body(obj({ ...cardFields, name: maybe(nonBlank), dataset_query: maybe(map), display: maybe(nonBlank), visualization_settings: maybe(map), description: maybe({ type: "string" }), archived: maybe({ type: "boolean" }) })) },
      "/api/card/{card-id}/query": { post: body(obj({ ignore_cache: { type: "boolean", default: false }, collection_preview: maybe({ type: "boolean" }), dashboard_id: maybe(positiveInt) })) },
      "/api/dashboard/": { post: body(obj({ name: nonBlank, description: maybe({ type: "string" }), parameters: maybe({ type: "array", items: map }), cache_ttl: maybe(positiveInt), collection_id: maybe(positiveInt), collection_position: maybe(positiveInt) }, ["name"])) },
      "/api/dashboard/{id}": {
        get: noBody,
        put: body(
          obj({
            name: maybe(nonBlank),
            description: maybe({ type: "string" }),
            width: { type: "string", enum: ["fixed", "full"] },
            archived: maybe({ type: "boolean" }),
            collection_id: maybe(positiveInt),
            parameters: maybe({ type: "array", items: map }),
            dashcards: maybe({ type: "array", items: dashcard }),
            tabs: maybe({ type: "array", items: obj({ id: { type: "integer" }, name: nonBlank }, ["id", "name"]) }),
          }),
        ),
      },
      "/api/dashboard/{dashboard-id}/public_link": { post: noBody },
    },
    components: { schemas: { "metabase.lib.schema.common.non-blank-string": { type: "string", minLength: 1 } } },
  } as unknown as OpenApiDocument;
}
