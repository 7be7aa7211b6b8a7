// The idempotent provisioning algorithm. Each run makes Metabase match the definition:
//
//   1. wait for GET /api/health; fetch the OpenAPI document (every later body is checked against it)
//   2. first-time setup, or log in
//   3. database entry for Materialize   (by name; created once, connection retried until reachable)
//   4. collection                       (by name; created once)
//   5. cards                            (by name in the collection; created once, PUT when changed)
//   6. dashboard                        (by name in the collection; one PUT of all dashcards, only when changed)
//   7. public link                      (Metabase returns the existing one if there is one)
//   8. smoke check: run every card once
//
// Run it twice: the second run creates nothing and changes nothing.

import type { Logger } from "pino";
import type { MetabaseConfig } from "../config/metabase.ts";
import { ensureCards, type CollectionItem } from "./cards.ts";
import { MetabaseClient, type RetryPolicy } from "./client.ts";
import { planDashcards, type ExistingDashcard } from "./dashcards.ts";
import { ensureDatabase } from "./database.ts";
import type { DashboardDefinition } from "./definition.ts";
import { MetabaseHttpError, ProvisionError } from "./errors.ts";
import { authenticate, loadOpenApiChecker, waitForHealthy } from "./session.ts";
import { smokeCheck, type SmokeResult } from "./smoke.ts";

export interface ProvisionOptions {
  config: MetabaseConfig;
  definition: DashboardDefinition;
  log: Logger;
  publicLink?: boolean;
  smokeCheck?: boolean;
  allowMissingOpenApi?: boolean;
  /** Pause between polls while waiting for Metabase or Materialize (default 2 s). */
  pollMs?: number;
  retry?: Partial<RetryPolicy>;
}

export interface ProvisionResult {
  dashboardId: number;
  dashboardUrl: string;
  publicUrl: string | undefined;
  created: { database: boolean; collection: boolean; dashboard: boolean; cards: string[] };
  updatedCards: string[];
  dashboardChanged: boolean;
  smoke: SmokeResult[];
}

export async function provision(o: ProvisionOptions): Promise<ProvisionResult> {
  const { config, definition, log } = o;
  const timeoutMs = config.timeoutSeconds * 1000;
  const pollMs = o.pollMs ?? 2_000;
  const client = new MetabaseClient(config.url, log, o.retry);

  await waitForHealthy(client, timeoutMs, pollMs, log);
  const checker = await loadOpenApiChecker(client, o.allowMissingOpenApi ?? false, log);
  if (checker) client.bodyCheck = (method, path, body) => checker.check(method, path, body);
  await authenticate(client, config, log);

  const database = await ensureDatabase(client, { name: definition.database.name, config, timeoutMs, pollMs, log });
  const collection = await ensureCollection(client, definition.collection);
  const items = await collectionItems(client, collection.id);
  const cards = await ensureCards(client, definition.cards, items, database.id, collection.id, log);
  const dashboard = await ensureDashboard(client, definition, items, collection.id, cards.ids);
  const uuid = o.publicLink === false ? undefined : await ensurePublicLink(client, dashboard.id);
  const cardList = definition.cards.map((c) => ({ name: c.name, id: cards.ids.get(c.key) ?? 0 }));
  const smoke = o.smokeCheck === false ? [] : await smokeCheck(client, cardList, log);

  return {
    dashboardId: dashboard.id,
    dashboardUrl: `${config.siteUrl}/dashboard/${dashboard.id}#refresh=1`,
    publicUrl: uuid === undefined ? undefined : `${config.siteUrl}/public/dashboard/${uuid}#refresh=1`,
    created: { database: database.created, collection: collection.created, dashboard: dashboard.created, cards: cards.created },
    updatedCards: cards.updated,
    dashboardChanged: dashboard.changed,
    smoke,
  };
}

interface CollectionRow {
  id: number | string;
  name: string;
  archived?: boolean;
  personal_owner_id?: number | null;
}

async function ensureCollection(client: MetabaseClient, wanted: DashboardDefinition["collection"]): Promise<{ id: number; created: boolean }> {
  const rows = await client.get<CollectionRow[]>("/api/collection");
  const found = rows.find((c) => typeof c.id === "number" && c.name === wanted.name && !c.archived && c.personal_owner_id == null);
  if (found) return { id: found.id as number, created: false };
  const created = await client.post<{ id: number }>("/api/collection", { name: wanted.name, description: wanted.description });
  return { id: created.id, created: true };
}

async function collectionItems(client: MetabaseClient, collectionId: number): Promise<CollectionItem[]> {
  const listed = await client.get<{ data?: CollectionItem[] }>(`/api/collection/${collectionId}/items?models=card&models=dashboard`);
  return listed.data ?? [];
}

interface DashboardState {
  id: number;
  description?: string | null;
  width?: string;
  dashcards?: ExistingDashcard[];
}

async function ensureDashboard(
  client: MetabaseClient,
  definition: DashboardDefinition,
  items: readonly CollectionItem[],
  collectionId: number,
  cardIds: ReadonlyMap<string, number>,
): Promise<{ id: number; created: boolean; changed: boolean }> {
  const wanted = definition.dashboard;
  const found = items.filter((i) => i.model === "dashboard" && i.name === wanted.name).sort((a, b) => a.id - b.id)[0];
  const id = found?.id ?? (await client.post<{ id: number }>("/api/dashboard", { name: wanted.name, description: wanted.description, collection_id: collectionId })).id;
  const current = await client.get<DashboardState>(`/api/dashboard/${id}`);
  const plan = planDashcards(definition, cardIds, current.dashcards ?? []);
  const changed = plan.changed || current.width !== wanted.width || (current.description ?? "") !== wanted.description;
  if (changed) await client.put(`/api/dashboard/${id}`, { description: wanted.description, width: wanted.width, dashcards: plan.dashcards });
  return { id, created: found === undefined, changed };
}

async function ensurePublicLink(client: MetabaseClient, dashboardId: number): Promise<string> {
  try {
    const { uuid } = await client.post<{ uuid: string }>(`/api/dashboard/${dashboardId}/public_link`);
    return uuid;
  } catch (error) {
    if (!(error instanceof MetabaseHttpError) || error.status >= 500) throw error;
    throw new ProvisionError(
      `Metabase refused a public link for dashboard ${dashboardId} (${error.serverMessage}). Public sharing must be on: ` +
        `set MB_ENABLE_PUBLIC_SHARING=true in Metabase's environment, or run the provisioner with --no-public-link.`,
    );
  }
}
