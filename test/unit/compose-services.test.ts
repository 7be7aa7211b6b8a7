// Static checks of docker-compose.yml (no Docker needed): the rules its header promises.
// Long-running services restart `unless-stopped`; one-shots restart `on-failure[:N]`.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { images } from "../helpers/images.ts";

const composePath = fileURLToPath(new URL("../../docker-compose.yml", import.meta.url));

interface Service {
  image?: string;
  build?: { context?: string; args?: Record<string, string> };
  restart?: string;
  healthcheck?: { test?: unknown; start_period?: string };
  depends_on?: Record<string, { condition?: string }> | string[];
  ports?: Array<string | { host_ip?: string }>;
  volumes?: Array<string | { type?: string; source?: string }>;
  mem_limit?: string;
  deploy?: { resources?: { limits?: { memory?: string } } };
}

interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

// `merge: true` resolves the `<<` keys the file uses to share settings, as Compose does.
const compose = parse(readFileSync(composePath, "utf8"), { merge: true }) as ComposeFile;
const services = Object.entries(compose.services);

const isLongRunning = (s: Service) => s.restart === "unless-stopped" || s.restart === "always";
const isOneShot = (s: Service) => /^on-failure(:\d+)?$/.test(s.restart ?? "");
const memoryLimitOf = (s: Service) => s.mem_limit ?? s.deploy?.resources?.limits?.memory;

/** Bytes of a Compose memory size such as "512m", "1536m", "4g". */
function bytesOf(size: string): number {
  const match = /^(\d+(?:\.\d+)?)([bkmg])?$/i.exec(size.trim());
  if (!match) throw new Error(`not a memory size: ${size}`);
  const power = { b: 0, k: 1, m: 2, g: 3 }[(match[2] ?? "b").toLowerCase() as "b" | "k" | "m" | "g"];
  return Number(match[1]) * 1024 ** power;
}

function dependencies(service: Service): Array<[string, string | undefined]> {
  const dependsOn = service.depends_on ?? {};
  if (Array.isArray(dependsOn)) return dependsOn.map((name) => [name, undefined]);
  return Object.entries(dependsOn).map(([name, spec]) => [name, spec?.condition]);
}

describe("docker-compose.yml", () => {
  it("parses and defines the lab's seven services", () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ["loadgen", "materialize", "metabase", "metabase-setup", "postgres", "redpanda", "setup"],
    );
  });

  it("gives every service a restart policy that is either long-running or one-shot", () => {
    const neither = services.filter(([, s]) => !isLongRunning(s) && !isOneShot(s)).map(([name]) => name);
    expect(neither).toEqual([]);
  });

  it("gives every long-running service a healthcheck", () => {
    const missing = services.filter(([, s]) => isLongRunning(s) && !s.healthcheck?.test).map(([name]) => name);
    expect(missing).toEqual([]);
  });

  it("lets Metabase's healthcheck wait at least 120 s for the first boot", () => {
    const startPeriod = compose.services.metabase?.healthcheck?.start_period ?? "0s";
    expect(Number(/^(\d+)s$/.exec(startPeriod)?.[1] ?? 0)).toBeGreaterThanOrEqual(120);
  });

  it("gives every depends_on a condition", () => {
    const bare = services.flatMap(([name, s]) =>
      dependencies(s).filter(([, condition]) => condition === undefined).map(([dep]) => `${name} → ${dep}`));
    expect(bare).toEqual([]);
  });

  it("waits with service_healthy only on services that have a healthcheck", () => {
    const wrong = services.flatMap(([name, s]) =>
      dependencies(s)
        .filter(([dep, condition]) => condition === "service_healthy" && !compose.services[dep]?.healthcheck?.test)
        .map(([dep]) => `${name} → ${dep}`));
    expect(wrong).toEqual([]);
  });

  it("waits with service_completed_successfully only on one-shots", () => {
    const wrong = services.flatMap(([name, s]) =>
      dependencies(s)
        .filter(([dep, condition]) => {
          const target = compose.services[dep];
          return condition === "service_completed_successfully" && (!target || !isOneShot(target));
        })
        .map(([dep]) => `${name} → ${dep}`));
    expect(wrong).toEqual([]);
  });

  it("uses only the conditions service_healthy and service_completed_successfully", () => {
    const conditions = new Set(services.flatMap(([, s]) => dependencies(s).map(([, condition]) => condition)));
    expect([...conditions].filter((c) => c !== "service_healthy" && c !== "service_completed_successfully")).toEqual([]);
  });

  it("starts setup only after Postgres, Redpanda and Materialize are healthy", () => {
    expect(Object.fromEntries(dependencies(compose.services.setup ?? {}))).toEqual({
      postgres: "service_healthy",
      redpanda: "service_healthy",
      materialize: "service_healthy",
    });
  });

  it("publishes every port on 127.0.0.1 only", () => {
    const exposed = services.flatMap(([name, s]) =>
      (s.ports ?? [])
        .filter((port) => (typeof port === "string" ? !port.startsWith("127.0.0.1:") : port.host_ip !== "127.0.0.1"))
        .map((port) => `${name}: ${JSON.stringify(port)}`));
    expect(exposed).toEqual([]);
  });

  it("keeps state in named volumes only, so `down -v` leaves nothing behind", () => {
    const declared = new Set(Object.keys(compose.volumes ?? {}));
    const notNamed = services.flatMap(([name, s]) =>
      (s.volumes ?? [])
        .map((v) => (typeof v === "string" ? v.split(":")[0] ?? "" : v.type === "volume" ? (v.source ?? "") : ""))
        .filter((source) => !declared.has(source))
        .map((source) => `${name}: ${source || "(bind or tmpfs)"}`));
    expect(notNamed).toEqual([]);
    expect([...declared].sort()).toEqual(["metabase-data", "postgres-data", "redpanda-data"]);
  });

  it("sets a memory limit on every service, within a 16 GB laptop's budget", () => {
    const unlimited = services.filter(([, s]) => memoryLimitOf(s) === undefined).map(([name]) => name);
    expect(unlimited).toEqual([]);
    const longRunningBytes = services
      .filter(([, s]) => isLongRunning(s))
      .reduce((sum, [, s]) => sum + bytesOf(memoryLimitOf(s) ?? "0"), 0);
    expect(longRunningBytes).toBeLessThanOrEqual(10 * 1024 ** 3);
  });

  it("runs Postgres with logical WAL, for Materialize's replication", () => {
    const command = JSON.stringify((compose.services.postgres as { command?: unknown }).command);
    expect(command).toContain("wal_level=logical");
  });

  it("builds the tools' image in one service only, so no two builds export the same tag at once", () => {
    const builders = services.filter(([, s]) => s.build !== undefined).map(([name]) => name);
    expect(builders).toEqual(["setup"]);
  });

  it("runs the tools' image in loadgen and metabase-setup, each started after the service that builds it", () => {
    const builtImage = compose.services.setup?.image;
    const users = services.filter(([name, s]) => name !== "setup" && s.image === builtImage);
    expect(users.map(([name]) => name).sort()).toEqual(["loadgen", "metabase-setup"]);
    for (const [name, s] of users) {
      expect(Object.fromEntries(dependencies(s)).setup, `${name} → setup`).toBe("service_completed_successfully");
    }
  });
});

describe("the images docker-compose.yml runs", () => {
  /** `${KEY:-default}` → [KEY, default]; anything else is not the agreed form. */
  const interpolated = (value: string | undefined) => /^\$\{([A-Z_]+):-([^}]+)\}$/.exec(value ?? "");
  // Pulled from a registry: every image no service of this file builds.
  const builtHere = new Set(services.filter(([, s]) => s.build !== undefined).map(([, s]) => s.image));
  const pulled = services.filter(([, s]) => !builtHere.has(s.image));
  const imagesEnv: Record<string, string> = {
    POSTGRES_IMAGE: images.postgres,
    REDPANDA_IMAGE: images.redpanda,
    MATERIALIZE_IMAGE: images.materialize,
    METABASE_IMAGE: images.metabase,
    NODE_IMAGE: images.node,
  };

  it("are written as ${KEY:-default} with a key from images.env", () => {
    const odd = pulled.filter(([, s]) => !(interpolated(s.image)?.[1]! in imagesEnv)).map(([name, s]) => `${name}: ${s.image}`);
    expect(odd).toEqual([]);
  });

  it("default to exactly the tags in images.env", () => {
    const drift = pulled.flatMap(([name, s]) => {
      const [, key = "", fallback = ""] = interpolated(s.image) ?? [];
      return fallback === imagesEnv[key] ? [] : [`${name}: ${fallback} ≠ images.env ${key}=${imagesEnv[key]}`];
    });
    expect(drift).toEqual([]);
  });

  it("are pinned to a release tag, never latest", () => {
    for (const [, s] of pulled) {
      const tag = interpolated(s.image)?.[2] ?? "";
      expect(tag).toMatch(/:[\w.-]+$/);
      expect(tag).not.toMatch(/:latest$/);
    }
  });

  it("build the tools on the Node image from images.env", () => {
    for (const [, s] of services.filter(([, s]) => s.build !== undefined)) {
      expect(interpolated(s.build?.args?.NODE_IMAGE)?.slice(1)).toEqual(["NODE_IMAGE", images.node]);
    }
  });
});
