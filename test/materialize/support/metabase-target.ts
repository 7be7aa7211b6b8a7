// Where Metabase's server finds Materialize, when both were given as URLs (e.g. the compose stack).
// The address is dialled from inside Metabase's container: a loopback host there is Metabase
// itself, and `host.docker.internal` exists on Docker Desktop but not on plain Docker on Linux.
// So a loopback URL needs an explicit LAB_METABASE_MZ_HOST; the test's own containers instead share
// a network (metabase-pair.ts) and need none of this.

export interface MetabaseTarget {
  host: string;
  port: string;
}

export interface TargetOverride {
  /** LAB_METABASE_MZ_HOST: Materialize's host as Metabase's server reaches it. */
  host?: string;
  /** LAB_METABASE_MZ_PORT. */
  port?: string;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** The address for METABASE_MZ_HOST / METABASE_MZ_PORT, or the reason there is none. */
export function materializeAsMetabaseSeesIt(sqlUrl: string, override: TargetOverride): MetabaseTarget | { reason: string } {
  const url = new URL(sqlUrl);
  const port = override.port || url.port || "6875";
  if (override.host) return { host: override.host, port };
  if (LOOPBACK_HOSTS.has(url.hostname)) {
    return {
      reason: `LAB_MZ_URL's host ${url.hostname} is Metabase's own loopback inside its container: set ` +
        "LAB_METABASE_MZ_HOST (and LAB_METABASE_MZ_PORT) to Materialize's address on Metabase's network " +
        "(the compose stack: materialize and 6875)",
    };
  }
  return { host: url.hostname, port };
}
