// A TEST DOUBLE of Metabase's REST API — not Metabase. A small node:http server that answers with
// the request and response shapes of Metabase's API documentation and the metabase/metabase
// sources (see openapi-recorded.ts), keeping just enough state to check that the
// provisioner is idempotent. It validates nothing the real server would; the provisioner's own
// OpenAPI check is what guards request bodies. Scenarios are switched with DoubleOptions.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { OpenApiDocument } from "../openapi-check.ts";
import { recordedOpenApi } from "./openapi-recorded.ts";

export interface DoubleOptions {
  /** /api/health answers 503 {"status":"initializing"} this many times first (Infinity: never healthy). */
  unhealthyResponses?: number;
  /** An admin that already exists (has-user-setup true); otherwise the first /api/setup creates it. */
  existingAdmin?: { email: string; password: string };
  /** POST/PUT /api/database answers 400 this many times first, as while Materialize is down (Infinity: always). */
  materializeDownResponses?: number;
  /** Cards whose query fails (by card name). */
  failingCards?: readonly string[];
  /** Store card queries in the MBQL 5 shape (stages[0].native), as recent versions return them. */
  mbql5Queries?: boolean;
  /** The OpenAPI document to serve (default: the recorded minimal one); null answers 404. */
  openapi?: OpenApiDocument | null;
  publicSharing?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

type Json = Record<string, unknown>;

export class MetabaseApiDouble {
  readonly requests: RecordedRequest[] = [];
  readonly databases: Json[] = [];
  readonly collections: Json[] = [{ id: "root", name: "Our analytics" }, { id: 1, name: "Lab Admin's Personal Collection", personal_owner_id: 1 }];
  readonly cards = new Map<number, Json>();
  readonly dashboards = new Map<number, Json>();
  admin: { email: string; password: string } | undefined;
  private readonly sessions = new Set<string>();
  private nextId = 100;
  private server: Server | undefined;
  private healthAnswers = 0;
  private databaseAnswers = 0;

  constructor(readonly options: DoubleOptions = {}) {
    this.admin = options.existingAdmin;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Requests with this method whose path (without query) matches. */
  calls(method: string, pattern: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && pattern.test(r.path.split("?")[0] ?? ""));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const body = text === "" ? undefined : (JSON.parse(text) as unknown);
    const path = req.url ?? "/";
    const method = req.method ?? "GET";
    this.requests.push({ method, path, body });
    const [status, answer] = this.route(method, path.split("?")[0] ?? "/", body as Json, req.headers["x-metabase-session"]);
    res.writeHead(status, { "content-type": "application/json" });
    res.end(answer === undefined ? "" : JSON.stringify(answer));
  }

  private route(method: string, path: string, body: Json, session: unknown): [number, unknown] {
    const key = `${method} ${path.replace(/\/\d+(?=\/|$)/g, "/:id")}`;
    switch (key) {
      case "GET /api/health":
        return this.healthAnswers++ < (this.options.unhealthyResponses ?? 0) ? [503, { status: "initializing", progress: 0.5 }] : [200, { status: "ok" }];
      case "GET /api/docs/openapi.json":
        return this.options.openapi === null ? [404, "Not found."] : [200, this.options.openapi ?? recordedOpenApi()];
      case "GET /api/session/properties":
        return [200, { "has-user-setup": this.admin !== undefined, "setup-token": "b3f1c2d4-setup-token", version: { tag: "v0.65.2" } }];
      case "POST /api/setup":
        return this.setup(body);
      case "POST /api/session":
        return this.admin && body.username === this.admin.email && body.password === this.admin.password
          ? [200, { id: this.newSession() }]
          : [401, { errors: { password: "did not match stored password" } }];
    }
    if (typeof session !== "string" || !this.sessions.has(session)) return [401, "Unauthenticated"];
    return this.authenticated(key, path, body);
  }

  private authenticated(key: string, path: string, body: Json): [number, unknown] {
    const id = Number(/\/(\d+)(?:\/|$)/.exec(path)?.[1]);
    switch (key) {
      case "GET /api/database":
        return [200, { data: this.databases, total: this.databases.length }];
      case "POST /api/database":
      case "PUT /api/database/:id":
        return this.saveDatabase(body, key.startsWith("PUT") ? id : undefined);
      case "POST /api/database/:id/sync_schema":
        return [200, { status: "ok" }];
      case "GET /api/collection":
        return [200, this.collections];
      case "POST /api/collection":
        return [200, this.save(this.collections, { ...body, archived: false, personal_owner_id: null, location: "/" })];
      case "GET /api/collection/:id/items":
        return [200, this.items(id)];
      case "POST /api/card":
        return [200, this.saveCard(this.nextId++, body)];
      case "GET /api/card/:id":
        return this.cards.has(id) ? [200, this.cards.get(id)] : [404, "Not found."];
      case "PUT /api/card/:id":
        return this.cards.has(id) ? [200, this.saveCard(id, { ...this.cards.get(id), ...body })] : [404, "Not found."];
      case "POST /api/card/:id/query":
        return [202, this.query(id)];
      case "POST /api/dashboard": {
        const dashboard = { ...body, id: this.nextId++, width: "fixed", dashcards: [], public_uuid: null, archived: false };
        this.dashboards.set(dashboard.id, dashboard);
        return [200, dashboard];
      }
      case "GET /api/dashboard/:id":
        return this.dashboards.has(id) ? [200, this.dashboards.get(id)] : [404, "Not found."];
      case "PUT /api/dashboard/:id":
        return this.dashboards.has(id) ? [200, this.updateDashboard(id, body)] : [404, "Not found."];
      case "POST /api/dashboard/:id/public_link":
        return this.publicLink(id);
    }
    return [404, `the double does not implement ${key}`];
  }

  private setup(body: Json): [number, unknown] {
    if (this.admin) return [403, "The /api/setup route can only be used to create the first user, however a user currently exists."];
    const user = body.user as { email: string; password: string };
    const common = ["password1", "admin123", "metabase1"].includes(user.password);
    if (common || !/\d/.test(user.password) || user.password.length < 6) return [400, { errors: { password: "password is too common." } }];
    this.admin = { email: user.email, password: user.password };
    return [200, { id: this.newSession() }];
  }

  private saveDatabase(body: Json, id: number | undefined): [number, unknown] {
    if (this.databaseAnswers++ < (this.options.materializeDownResponses ?? 0)) {
      return [400, { message: "Connection refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.", errors: { host: "check your host settings", port: "check your port settings" } }];
    }
    if (id === undefined) return [200, this.save(this.databases, { ...body })];
    const row = this.databases.find((d) => d.id === id);
    Object.assign(row ?? {}, body);
    return [200, row];
  }

  private saveCard(id: number, body: Json): Json {
    const query = body.dataset_query as Json;
    const native = (query.native as Json | undefined)?.query ?? (query.stages as Json[] | undefined)?.[0]?.native;
    const stored = this.options.mbql5Queries
      ? { "lib/type": "mbql/query", database: query.database, stages: [{ "lib/type": "mbql.stage/native", native, "template-tags": {} }] }
      : { database: query.database, type: "native", native: { query: native, "template-tags": {} } };
    const card = { archived: false, ...body, id, dataset_query: stored, visualization_settings: { ...(body.visualization_settings as Json) } };
    this.cards.set(id, card);
    return card;
  }

  private items(collectionId: number): Json {
    const cards = [...this.cards.values()].filter((c) => c.collection_id === collectionId && !c.archived).map((c) => ({ id: c.id, name: c.name, model: "card" }));
    const dashboards = [...this.dashboards.values()].filter((d) => d.collection_id === collectionId).map((d) => ({ id: d.id, name: d.name, model: "dashboard" }));
    const data = [...dashboards, ...cards];
    return { data, total: data.length, models: ["card", "dashboard"] };
  }

  private query(cardId: number): Json {
    const card = this.cards.get(cardId);
    if (!card) return { status: "failed", error: `Card ${cardId} not found` };
    if (this.options.failingCards?.includes(String(card.name))) return { status: "failed", error: 'ERROR: unknown catalog item \'classifier_metrics\'' };
    return { status: "completed", row_count: 0, data: { rows: [], cols: [] } };
  }

  private updateDashboard(id: number, body: Json): Json {
    const dashboard = this.dashboards.get(id)!;
    const { dashcards, ...rest } = body;
    Object.assign(dashboard, rest);
    if (Array.isArray(dashcards)) {
      // The list replaces every dashcard; negative ids are new ones.
      dashboard.dashcards = (dashcards as Json[]).map((d) => ({ ...d, id: (d.id as number) < 0 ? this.nextId++ : d.id, dashboard_id: id }));
    }
    return dashboard;
  }

  private publicLink(id: number): [number, unknown] {
    if (this.options.publicSharing === false) return [400, "Public sharing is not enabled."];
    const dashboard = this.dashboards.get(id);
    if (!dashboard) return [404, "Not found."];
    dashboard.public_uuid ??= `0b7f5a9e-0000-4000-8000-${String(id).padStart(12, "0")}`;
    return [200, { uuid: dashboard.public_uuid }];
  }

  private save(list: Json[], row: Json): Json {
    const saved = { ...row, id: this.nextId++ };
    list.push(saved);
    return saved;
  }

  private newSession(): string {
    const id = `session-${this.nextId++}`;
    this.sessions.add(id);
    return id;
  }
}
