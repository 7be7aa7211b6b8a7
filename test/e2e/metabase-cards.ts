// Reads the provisioned dashboard's cards through Metabase's API, and says what is wrong with the
// numbers a card returns. Used by test/e2e/compose.test.ts.

export interface CardResult {
  id: number;
  name: string;
  columns: string[];
  rows: unknown[][];
}

async function call<T>(baseUrl: string, path: string, init: { method?: string; session?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? "GET",
    headers: {
      "content-type": "application/json",
      ...(init.session ? { "x-metabase-session": init.session } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${path} → ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function logIn(baseUrl: string, email: string, password: string): Promise<string> {
  const { id } = await call<{ id: string }>(baseUrl, "/api/session", { method: "POST", body: { username: email, password } });
  return id;
}

/** The question cards on a dashboard (text cards have no card_id). */
export async function dashboardCards(baseUrl: string, session: string, dashboardId: number): Promise<Array<{ id: number; name: string }>> {
  type Dashcard = { card_id: number | null; card?: { name?: string } };
  const dashboard = await call<{ dashcards?: Dashcard[]; ordered_cards?: Dashcard[] }>(baseUrl, `/api/dashboard/${dashboardId}`, { session });
  return (dashboard.dashcards ?? dashboard.ordered_cards ?? [])
    .filter((d): d is Dashcard & { card_id: number } => typeof d.card_id === "number")
    .map((d) => ({ id: d.card_id, name: d.card?.name ?? `card ${d.card_id}` }));
}

export async function runCard(baseUrl: string, session: string, card: { id: number; name: string }): Promise<CardResult> {
  type QueryResult = { status: string; error?: string; data?: { cols: Array<{ name: string }>; rows: unknown[][] } };
  const result = await call<QueryResult>(baseUrl, `/api/card/${card.id}/query`, { method: "POST", session, body: {} });
  if (result.status !== "completed" || !result.data) throw new Error(`card "${card.name}": ${result.status} ${result.error ?? ""}`);
  return { ...card, columns: result.data.cols.map((c) => c.name), rows: result.data.rows };
}

const RATIO_COLUMNS = new Set(["precision", "recall", "f1_score", "conversion_rate"]);
const BUCKETS = new Set(["control", "experiment", "unknown"]);

/** What is wrong with one value of a column, judged by the column's name; undefined when fine. */
function valueProblem(column: string, value: unknown): string | undefined {
  const isNumber = typeof value === "number" && Number.isFinite(value);
  if (RATIO_COLUMNS.has(column) || column.endsWith("_rate") || column.endsWith("_share")) {
    // A ratio with a zero denominator is NULL by design (e.g. precision with no predicted buyers).
    return value === null || (isNumber && value >= 0 && value <= 1) ? undefined : "a ratio in [0, 1]";
  }
  if (column === "num_leads") return isNumber && Number.isInteger(value) && value > 0 ? undefined : "a whole number > 0";
  if (column.startsWith("num_")) return isNumber && Number.isInteger(value) && value >= 0 ? undefined : "a whole number ≥ 0";
  if (column.endsWith("_dollars") || column.endsWith("_cents")) return isNumber ? undefined : "a finite amount of money";
  if (column === "window_end") return typeof value === "string" && Number.isFinite(Date.parse(value)) ? undefined : "a timestamp";
  if (column === "experiment_bucket") return typeof value === "string" && BUCKETS.has(value) ? undefined : "control, experiment or unknown";
  return undefined;
}

/**
 * Cards that are right to show no row in a run without incidents (the stack's default): nothing
 * fires, nothing was injected.
 */
const EMPTY_WHEN_ALL_IS_WELL = new Set(["Alerts firing now", "Incidents so far (ground truth)"]);

/** Every problem with a card's result: no rows, or values out of range. Empty when the card is fine. */
export function cardProblems(card: CardResult): string[] {
  if (card.rows.length === 0) return EMPTY_WHEN_ALL_IS_WELL.has(card.name) ? [] : [`"${card.name}": no rows yet`];
  const problems = card.rows.flatMap((row, r) =>
    card.columns.flatMap((column, c) => {
      const wanted = valueProblem(column, row[c]);
      return wanted ? [`"${card.name}" row ${r} ${column} = ${JSON.stringify(row[c])}, wanted ${wanted}`] : [];
    }));
  const allNullRatios = card.columns.filter((column, c) => RATIO_COLUMNS.has(column) && card.rows.every((row) => row[c] === null));
  return [...problems, ...allNullRatios.map((column) => `"${card.name}": ${column} is NULL in every row`)];
}
