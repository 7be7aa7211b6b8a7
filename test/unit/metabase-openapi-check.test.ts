// The OpenAPI body check (metabase/openapi-check.ts) against the recorded minimal document, and
// the client's retry window — both without Metabase.

import { describe, expect, it } from "vitest";
import { MetabaseClient } from "../../metabase/client.ts";
import { MetabaseUnreachableError, PayloadRejectedError } from "../../metabase/errors.ts";
import { OpenApiChecker } from "../../metabase/openapi-check.ts";
import { captureLog } from "../../metabase/testing/capture-log.ts";
import { MetabaseApiDouble } from "../../metabase/testing/metabase-api-double.ts";
import { recordedOpenApi } from "../../metabase/testing/openapi-recorded.ts";

const card = {
  name: "Recall per window",
  display: "line",
  dataset_query: { database: 1, type: "native", native: { query: "SELECT 1 AS one", "template-tags": {} } },
  visualization_settings: {},
  collection_id: 2,
};

describe("checking request bodies against the recorded OpenAPI document", () => {
  it("maps concrete paths to the document's templates, trailing slashes and named parameters included", () => {
    const checker = new OpenApiChecker(recordedOpenApi(), captureLog().log);
    expect(checker.findTemplate("POST", "/api/card")).toBe("/api/card/");
    expect(checker.findTemplate("PUT", "/api/card/42")).toBe("/api/card/{id}");
    expect(checker.findTemplate("POST", "/api/card/42/query")).toBe("/api/card/{card-id}/query");
    expect(checker.findTemplate("POST", "/api/dashboard/7/public_link")).toBe("/api/dashboard/{dashboard-id}/public_link");
    expect(checker.findTemplate("GET", "/api/collection/3/items?models=card&models=dashboard")).toBe("/api/collection/{id}/items");
    expect(checker.findTemplate("POST", "/api/dashboard/7/cards")).toBeUndefined();
  });

  it("prefers a literal segment over a path parameter", () => {
    const doc = recordedOpenApi();
    doc.paths["/api/dashboard/{id}"]!.post = {};
    doc.paths["/api/dashboard/save"] = { post: {} };
    const checker = new OpenApiChecker(doc, captureLog().log);
    expect(checker.findTemplate("POST", "/api/dashboard/save")).toBe("/api/dashboard/save");
    expect(checker.findTemplate("POST", "/api/dashboard/12")).toBe("/api/dashboard/{id}");
  });

  it("accepts a valid card and refuses one without visualization_settings, naming the key", () => {
    const checker = new OpenApiChecker(recordedOpenApi(), captureLog().log);
    expect(() => checker.check("POST", "/api/card", card)).not.toThrow();
    const { visualization_settings: _dropped, ...incomplete } = card;
    expect(() => checker.check("POST", "/api/card", incomplete)).toThrow(/visualization_settings/);
  });

  it("resolves shared schemas: an empty name breaks the non-blank-string component", () => {
    const checker = new OpenApiChecker(recordedOpenApi(), captureLog().log);
    expect(() => checker.check("POST", "/api/card", { ...card, name: "" })).toThrow(PayloadRejectedError);
  });

  it("warns about keys the schema does not list, which Metabase would drop silently", () => {
    const captured = captureLog();
    const checker = new OpenApiChecker(recordedOpenApi(), captured.log);
    checker.check("POST", "/api/card", { ...card, colection_id: 2 });
    checker.check("PUT", "/api/dashboard/5", { dashcards: [{ id: -1, card_id: 3, row: 0, col: 0, size_x: 4, size_y: 3, visualization_settings: {}, sizeX: 4 }] });
    const warnings = captured.warnings().join("\n");
    expect(warnings).toContain("colection_id");
    expect(warnings).toContain("dashcards[].sizeX");
    expect(warnings).not.toContain("dashcards[].card_id");
  });

  it("refuses a dashcard outside the schema's bounds before it reaches the grid", () => {
    const checker = new OpenApiChecker(recordedOpenApi(), captureLog().log);
    expect(() => checker.check("PUT", "/api/dashboard/5", { dashcards: [{ id: -1, card_id: 3, row: 0, col: -1, size_x: 4, size_y: 3 }] })).toThrow(/dashcards\/0\/col/);
  });
});

describe("the Metabase client against a recorded-shape API double", () => {
  it("retries 503 answers inside its retry window", async () => {
    const double = new MetabaseApiDouble({ unhealthyResponses: 2 });
    const client = new MetabaseClient(await double.start(), captureLog().log, { retryWindowMs: 1_000, retryDelayMs: 10 });
    expect(await client.get("/api/health")).toEqual({ status: "ok" });
    expect(double.calls("GET", /^\/api\/health$/)).toHaveLength(3);
    await double.stop();
  });

  it("gives up on a refused connection once its retry window has passed", async () => {
    const double = new MetabaseApiDouble();
    const url = await double.start();
    await double.stop();
    const client = new MetabaseClient(url, captureLog().log, { retryWindowMs: 100, retryDelayMs: 20 });
    await expect(client.get("/api/health")).rejects.toThrow(MetabaseUnreachableError);
  });
});
