// The pinned container images, read from images.env at the repo root (the one place tags live).

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface Images {
  postgres: string;
  redpanda: string;
  materialize: string;
  metabase: string;
  node: string;
}

const KEY_OF: Record<keyof Images, string> = {
  postgres: "POSTGRES_IMAGE",
  redpanda: "REDPANDA_IMAGE",
  materialize: "MATERIALIZE_IMAGE",
  metabase: "METABASE_IMAGE",
  node: "NODE_IMAGE",
};

export const IMAGES_ENV_PATH = fileURLToPath(new URL("../../images.env", import.meta.url));

/** Parses KEY=VALUE lines; blank lines and `#` comments are ignored, quotes around a value removed. */
export function parseEnvFile(text: string, source = "images.env"): Map<string, string> {
  const vars = new Map<string, string>();
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) return;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) throw new Error(`${source}:${index + 1}: expected KEY=VALUE, got ${JSON.stringify(rawLine)}`);
    const [, key = "", rawValue = ""] = match;
    vars.set(key, unquote(rawValue.replace(/\s+#.*$/, "")));
  });
  return vars;
}

function unquote(value: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return quoted ? (quoted[2] ?? "") : value;
}

export function imagesFrom(vars: Map<string, string>, source = "images.env"): Images {
  const pick = (key: string) => {
    const value = vars.get(key);
    if (!value) throw new Error(`${source} has no ${key}`);
    return value;
  };
  return {
    postgres: pick(KEY_OF.postgres),
    redpanda: pick(KEY_OF.redpanda),
    materialize: pick(KEY_OF.materialize),
    metabase: pick(KEY_OF.metabase),
    node: pick(KEY_OF.node),
  };
}

export const images: Images = imagesFrom(
  parseEnvFile(readFileSync(IMAGES_ENV_PATH, "utf8"), IMAGES_ENV_PATH),
  IMAGES_ENV_PATH,
);
