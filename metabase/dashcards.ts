// The dashboard's cards ("dashcards") as PUT /api/dashboard/:id wants them: the list replaces
// every dashcard, existing ones keep their id, new ones take negative ids. Pure functions.

import { isDeepStrictEqual } from "node:util";
import type { DashboardDefinition, GridPosition } from "./definition.ts";

export interface ExistingDashcard {
  id: number;
  card_id: number | null;
  row: number;
  col: number;
  size_x: number;
  size_y: number;
  visualization_settings?: Record<string, unknown>;
}

export interface DashcardPayload extends GridPosition {
  id: number;
  card_id: number | null;
  series: [];
  parameter_mappings: [];
  visualization_settings: Record<string, unknown>;
}

/** A text card: a dashcard with no card, whose settings carry a "virtual card" of display "text". */
export function textSettings(markdown: string): Record<string, unknown> {
  return {
    virtual_card: { name: null, display: "text", visualization_settings: {}, dataset_query: {}, archived: false },
    text: markdown,
  };
}

function isText(d: ExistingDashcard): boolean {
  const virtual = d.visualization_settings?.virtual_card as { display?: string } | undefined;
  return d.card_id === null && virtual?.display === "text";
}

/**
 * The dashcards list for the definition, reusing existing dashcards: card dashcards by card id,
 * text dashcards by identical text first, then in order. `changed` is false when the dashboard
 * already shows exactly this.
 */
export function planDashcards(
  definition: DashboardDefinition,
  cardIds: ReadonlyMap<string, number>,
  existing: readonly ExistingDashcard[],
): { dashcards: DashcardPayload[]; changed: boolean } {
  const unused = [...existing];
  const take = (predicate: (d: ExistingDashcard) => boolean): ExistingDashcard | undefined => {
    const index = unused.findIndex(predicate);
    return index === -1 ? undefined : unused.splice(index, 1)[0];
  };
  let nextNewId = -1;
  const dashcards: DashcardPayload[] = [];
  const textReuse = definition.texts.map((t) => take((d) => isText(d) && d.visualization_settings?.text === t.markdown));
  definition.texts.forEach((text, i) => {
    const reused = textReuse[i] ?? take(isText);
    dashcards.push(payload(reused?.id ?? nextNewId--, null, text.position, textSettings(text.markdown)));
  });
  for (const card of definition.cards) {
    const cardId = cardIds.get(card.key);
    if (cardId === undefined) throw new Error(`no Metabase card id for ${card.key}`);
    const reused = take((d) => d.card_id === cardId);
    dashcards.push(payload(reused?.id ?? nextNewId--, cardId, card.position, {}));
  }
  const changed = unused.length > 0 || dashcards.some((d) => !matchesExisting(d, existing));
  return { dashcards, changed };
}

function payload(id: number, cardId: number | null, p: GridPosition, settings: Record<string, unknown>): DashcardPayload {
  return { id, card_id: cardId, row: p.row, col: p.col, size_x: p.size_x, size_y: p.size_y, series: [], parameter_mappings: [], visualization_settings: settings };
}

function matchesExisting(d: DashcardPayload, existing: readonly ExistingDashcard[]): boolean {
  const e = existing.find((x) => x.id === d.id);
  if (!e) return false;
  const sameGrid = e.card_id === d.card_id && e.row === d.row && e.col === d.col && e.size_x === d.size_x && e.size_y === d.size_y;
  if (!sameGrid) return false;
  return d.card_id !== null || e.visualization_settings?.text === d.visualization_settings.text;
}
