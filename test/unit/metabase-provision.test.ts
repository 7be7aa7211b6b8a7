// The provisioner's real logic against a recorded-shape API double (metabase/testing/
// metabase-api-double.ts), NOT against Metabase: the double only answers with the request and
// response shapes recorded from Metabase's documentation and sources. The real thing is exercised
// by test/materialize/metabase-provision.test.ts.

import { afterEach, describe, expect, it } from "vitest";
import { metabaseConfig } from "../../config/metabase.ts";
import { loadDashboardDefinition, type DashboardDefinition } from "../../metabase/definition.ts";
import { PayloadRejectedError, ProvisionError } from "../../metabase/errors.ts";
import { provision, type ProvisionOptions } from "../../metabase/provision.ts";
import { captureLog } from "../../metabase/testing/capture-log.ts";
import { MetabaseApiDouble, type DoubleOptions } from "../../metabase/testing/metabase-api-double.ts";
import { recordedOpenApi } from "../../metabase/testing/openapi-recorded.ts";

const definition = loadDashboardDefinition();
const cardCount = definition.cards.length;
let double: MetabaseApiDouble | undefined;

afterEach(async () => {
  await double?.stop();
  double = undefined;
});

async function run(options: DoubleOptions = {}, extra: Partial<ProvisionOptions> & { env?: Record<string, string> } = {}) {
  double ??= new MetabaseApiDouble(options);
  const url = await startOnce(double);
  const captured = captureLog();
  const config = metabaseConfig({ METABASE_URL: url, METABASE_TIMEOUT_SECONDS: "1", ...extra.env });
  const result = await provision({ config, definition, log: captured.log, pollMs: 20, retry: { retryWindowMs: 200, retryDelayMs: 20 }, ...extra });
  return { result, captured, double };
}

const urls = new WeakMap<MetabaseApiDouble, string>();
async function startOnce(d: MetabaseApiDouble): Promise<string> {
  if (!urls.has(d)) urls.set(d, await d.start());
  return urls.get(d)!;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the provisioner to fail");
}

describe("provisioning against a recorded-shape API double", () => {
  it("creates the admin, one database, one collection, every card and one dashboard on the first run", async () => {
    const { result, double, captured } = await run({ unhealthyResponses: 3 });
    expect(captured.warnings().filter((w) => /OpenAPI|schema/.test(w))).toEqual([]);
    expect(double.admin?.email).toBe("admin@lab.local");
    expect(double.databases).toHaveLength(1);
    expect(double.databases[0]).toMatchObject({ engine: "postgres", details: { host: "materialize", port: 6875, dbname: "materialize", user: "materialize", ssl: false } });
    expect(double.collections.filter((c) => c.name === definition.collection.name)).toHaveLength(1);
    expect(double.cards.size).toBe(cardCount);
    expect(double.dashboards.size).toBe(1);
    const dashboard = [...double.dashboards.values()][0]!;
    expect(dashboard.dashcards).toHaveLength(cardCount + definition.texts.length);
    expect(result.created).toEqual({ database: true, collection: true, dashboard: true, cards: definition.cards.map((c) => c.name) });
    expect(result.dashboardUrl).toMatch(new RegExp(`/dashboard/${dashboard.id}#refresh=1$`));
    expect(result.publicUrl).toMatch(/\/public\/dashboard\/[0-9a-f-]{36}#refresh=1$/);
    expect(result.smoke.every((s) => s.ok)).toBe(true);
  });

  it("creates nothing new and sends no POST that creates or PUT on a second run", async () => {
    await run();
    const before = double!.requests.length;
    const { result } = await run();
    const second = double!.requests.slice(before);
    const writes = second.filter((r) => r.method === "PUT" || (r.method === "POST" && !/\/(query|public_link)$|^\/api\/session$/.test(r.path)));
    expect(writes).toEqual([]);
    expect(double!.databases).toHaveLength(1);
    expect(double!.collections.filter((c) => c.name === definition.collection.name)).toHaveLength(1);
    expect(double!.dashboards.size).toBe(1);
    expect(double!.cards.size).toBe(cardCount);
    expect(result.created).toEqual({ database: false, collection: false, dashboard: false, cards: [] });
    expect(result.updatedCards).toEqual([]);
    expect(result.dashboardChanged).toBe(false);
  });

  it("is still a no-op on a second run when the cards come back in the MBQL 5 query shape", async () => {
    await run({ mbql5Queries: true });
    const { result } = await run();
    expect(result.updatedCards).toEqual([]);
    expect(double!.calls("PUT", /^\/api\/card\//)).toEqual([]);
  });

  it("updates the existing card with a PUT when its SQL changes in the definition", async () => {
    await run();
    const changed: DashboardDefinition = structuredClone(definition);
    const target = changed.cards.find((c) => c.key === "recall")!;
    target.sql = target.sql.replace("ORDER BY window_end, experiment_bucket", "ORDER BY window_end DESC, experiment_bucket");
    const { result } = await run({}, { definition: changed });
    const recallId = [...double!.cards.values()].find((c) => c.name === target.name)!.id;
    expect(result.updatedCards).toEqual([target.name]);
    expect(double!.calls("PUT", /^\/api\/card\/\d+$/).map((r) => r.path)).toEqual([`/api/card/${recallId}`]);
    expect(double!.calls("POST", /^\/api\/card\/?$/)).toHaveLength(cardCount);
    const stored = double!.cards.get(recallId as number)!.dataset_query as { native: { query: string } };
    expect(stored.native.query).toContain("ORDER BY window_end DESC");
  });

  it("moves a card on the dashboard with one PUT that keeps every dashcard id", async () => {
    await run();
    const dashboard = [...double!.dashboards.values()][0]!;
    const idsBefore = (dashboard.dashcards as Array<{ id: number }>).map((d) => d.id).sort();
    const moved: DashboardDefinition = structuredClone(definition);
    moved.cards.find((c) => c.key === "leads_per_window")!.position.row = 40;
    const { result } = await run({}, { definition: moved });
    expect(result.dashboardChanged).toBe(true);
    expect(double!.calls("PUT", /^\/api\/dashboard\/\d+$/)).toHaveLength(2);
    expect((dashboard.dashcards as Array<{ id: number }>).map((d) => d.id).sort()).toEqual(idsBefore);
  });

  it("names METABASE_ADMIN_PASSWORD when the login is refused", async () => {
    const error = await failure(run({ existingAdmin: { email: "admin@lab.local", password: "another-secret-1" } }));
    expect(error).toBeInstanceOf(ProvisionError);
    expect(error.message).toContain("METABASE_ADMIN_PASSWORD");
    expect(error.message).not.toContain("lab-metabase-2026");
  });

  it("names METABASE_ADMIN_PASSWORD when first-time setup refuses a common password", async () => {
    const error = await failure(run({}, { env: { METABASE_ADMIN_PASSWORD: "password1" } }));
    expect(error).toBeInstanceOf(ProvisionError);
    expect(error.message).toContain("METABASE_ADMIN_PASSWORD");
    expect(error.message).toContain("too common");
    expect(double!.admin).toBeUndefined();
  });

  it("gives up on a Metabase that never becomes healthy, naming its URL and METABASE_TIMEOUT_SECONDS", async () => {
    const error = await failure(run({ unhealthyResponses: Infinity }));
    expect(error).toBeInstanceOf(ProvisionError);
    expect(error.message).toContain(urls.get(double!)!);
    expect(error.message).toContain("METABASE_TIMEOUT_SECONDS=1");
    expect(error.message).toContain("initializing");
  });

  it("retries the database creation while Metabase cannot reach Materialize, then creates it once", async () => {
    const { result } = await run({ materializeDownResponses: 5 });
    expect(result.created.database).toBe(true);
    expect(double!.calls("POST", /^\/api\/database\/?$/)).toHaveLength(6);
    expect(double!.databases).toHaveLength(1);
  });

  it("says Materialize at host:port is unreachable when it stays down past the timeout", async () => {
    const error = await failure(run({ materializeDownResponses: Infinity }, { env: { METABASE_MZ_HOST: "mz.example", METABASE_MZ_PORT: "16875" } }));
    expect(error).toBeInstanceOf(ProvisionError);
    expect(error.message).toContain("Materialize at mz.example:16875 is unreachable");
    expect(error.message).toContain("Connection refused");
    expect(double!.databases).toHaveLength(0);
  });

  it("refuses a body that breaks the instance's OpenAPI schema before sending it", async () => {
    const strict = recordedOpenApi();
    const cardPost = strict.paths["/api/card/"]!.post!.requestBody!.content!["application/json"]!.schema as { required: string[] };
    cardPost.required.push("result_metadata");
    const error = await failure(run({ openapi: strict }));
    expect(error).toBeInstanceOf(PayloadRejectedError);
    expect(error.message).toContain("POST /api/card/");
    expect(error.message).toContain("result_metadata");
    expect(double!.calls("POST", /^\/api\/card\/?$/)).toEqual([]);
  });

  it("refuses to call an operation the instance's OpenAPI document does not list", async () => {
    const withoutPut = recordedOpenApi();
    delete withoutPut.paths["/api/dashboard/{id}"]!.put;
    const error = await failure(run({ openapi: withoutPut }));
    expect(error).toBeInstanceOf(PayloadRejectedError);
    expect(error.message).toContain("no such operation");
    expect(double!.calls("PUT", /^\/api\/dashboard\//)).toEqual([]);
  });

  it("fails without the OpenAPI document unless --allow-missing-openapi, which warns instead", async () => {
    const error = await failure(run({ openapi: null }));
    expect(error.message).toContain("/api/docs/openapi.json");
    expect(error.message).toContain("--allow-missing-openapi");
    const { captured, result } = await run({}, { allowMissingOpenApi: true });
    expect(result.created.database).toBe(true);
    expect(captured.warnings().join("\n")).toContain("UNCHECKED");
  });

  it("reports a card whose query fails in the smoke check without failing the provisioning", async () => {
    const broken = definition.cards[0]!.name;
    const { result } = await run({ failingCards: [broken] });
    const failed = result.smoke.filter((s) => !s.ok);
    expect(failed.map((s) => s.card)).toEqual([broken]);
    expect(failed[0]!.error).toContain("classifier_metrics");
  });

  it("explains MB_ENABLE_PUBLIC_SHARING when the public link is refused, and skips it on request", async () => {
    const error = await failure(run({ publicSharing: false }));
    expect(error.message).toContain("MB_ENABLE_PUBLIC_SHARING=true");
    const { result } = await run({}, { publicLink: false });
    expect(result.publicUrl).toBeUndefined();
  });
});
