// Cards: one native-SQL question per definition entry, matched by name inside the lab's
// collection. Missing → POST /api/card; different from the definition → PUT /api/card/:id;
// equal → nothing.

import { isDeepStrictEqual } from "node:util";
import type { Logger } from "pino";
import type { MetabaseClient } from "./client.ts";
import type { CardDefinition } from "./definition.ts";

export interface CollectionItem {
  id: number;
  name: string;
  model: string;
}

export interface CardState {
  display?: string;
  description?: string | null;
  collection_id?: number | null;
  archived?: boolean;
  dataset_query?: Record<string, unknown>;
  visualization_settings?: Record<string, unknown>;
}

export function cardBody(card: CardDefinition, databaseId: number, collectionId: number) {
  return {
    name: card.name,
    type: "question",
    display: card.display,
    description: card.description,
    collection_id: collectionId,
    dataset_query: { database: databaseId, type: "native", native: { query: card.sql, "template-tags": {} } },
    visualization_settings: card.visualization_settings,
  };
}

/** The SQL of a native card in the legacy shape (native.query) or the MBQL 5 shape (stages[0].native). */
export function nativeSql(query: Record<string, unknown> | undefined): string | undefined {
  const legacy = (query?.native as { query?: unknown } | undefined)?.query;
  if (typeof legacy === "string") return legacy;
  const stage = (query?.stages as Array<{ native?: unknown }> | undefined)?.[0]?.native;
  return typeof stage === "string" ? stage : undefined;
}

/** Which parts of the stored card differ from the definition (empty: nothing to update). */
export function cardDifferences(card: CardDefinition, databaseId: number, collectionId: number, current: CardState): string[] {
  const differences: string[] = [];
  if (current.display !== card.display) differences.push("display");
  if ((current.description ?? "") !== card.description) differences.push("description");
  if (current.collection_id !== collectionId) differences.push("collection_id");
  if (current.archived === true) differences.push("archived");
  if (nativeSql(current.dataset_query)?.trim() !== card.sql) differences.push("sql");
  if (current.dataset_query?.database !== databaseId) differences.push("database");
  const stored = current.visualization_settings ?? {};
  // Metabase may add settings of its own; the definition's must all be there, unchanged.
  if (!Object.entries(card.visualization_settings).every(([k, v]) => isDeepStrictEqual(stored[k], v))) differences.push("visualization_settings");
  return differences;
}

export interface CardOutcome {
  ids: Map<string, number>;
  created: string[];
  updated: string[];
}

export async function ensureCards(
  client: MetabaseClient,
  cards: readonly CardDefinition[],
  items: readonly CollectionItem[],
  databaseId: number,
  collectionId: number,
  log: Logger,
): Promise<CardOutcome> {
  const outcome: CardOutcome = { ids: new Map(), created: [], updated: [] };
  for (const card of cards) {
    const body = cardBody(card, databaseId, collectionId);
    const matches = items.filter((i) => i.model === "card" && i.name === card.name).sort((a, b) => a.id - b.id);
    const first = matches[0];
    if (matches.length > 1) log.warn({ card: card.name, ids: matches.map((m) => m.id) }, "several cards share this name; using the oldest");
    if (!first) {
      const created = await client.post<{ id: number }>("/api/card", body);
      outcome.ids.set(card.key, created.id);
      outcome.created.push(card.name);
      continue;
    }
    outcome.ids.set(card.key, first.id);
    const current = await client.get<CardState>(`/api/card/${first.id}`);
    const differences = cardDifferences(card, databaseId, collectionId, current);
    if (differences.length > 0) {
      await client.put(`/api/card/${first.id}`, { ...body, archived: false });
      outcome.updated.push(card.name);
      log.info({ card: card.name, id: first.id, differences }, "card updated");
    }
  }
  const known = new Set(cards.map((c) => c.name));
  const strays = items.filter((i) => i.model === "card" && !known.has(i.name)).map((i) => i.name);
  if (strays.length > 0) log.warn({ cards: strays }, "cards in the lab's collection that the definition no longer lists (left alone)");
  return outcome;
}
