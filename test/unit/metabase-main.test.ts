// The provisioner's command line (metabase/main.ts): exit codes, and stdout whose last line is the
// dashboard URL. Runs against a recorded-shape API double, not Metabase.

import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../metabase/main.ts";
import { captureLog } from "../../metabase/testing/capture-log.ts";
import { MetabaseApiDouble, type DoubleOptions } from "../../metabase/testing/metabase-api-double.ts";
import { runTool } from "../helpers/run-tool.ts";

let double: MetabaseApiDouble | undefined;
afterEach(async () => {
  await double?.stop();
  double = undefined;
});

async function cli(argv: string[], env: Record<string, string>, options?: DoubleOptions) {
  double = new MetabaseApiDouble(options);
  const url = await double.start();
  const out: string[] = [];
  const captured = captureLog();
  const code = await main(argv, { METABASE_URL: url, METABASE_TIMEOUT_SECONDS: "1", ...env }, { out: (l) => out.push(l), log: captured.log });
  return { code, out, url, captured };
}

describe("the provision command against a recorded-shape API double", () => {
  it("exits 0 and prints the public URL, then the dashboard URL as the last line", async () => {
    const { code, out } = await cli([], { METABASE_SITE_URL: "http://127.0.0.1:3000" });
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^public dashboard \(no login\): http:\/\/127\.0\.0\.1:3000\/public\/dashboard\/[0-9a-f-]{36}#refresh=1$/);
    expect(out.at(-1)).toMatch(/^http:\/\/127\.0\.0\.1:3000\/dashboard\/\d+#refresh=1$/);
  });

  it("exits 3 when a card's query fails, still printing the dashboard URL last", async () => {
    const { code, out, captured } = await cli(["--no-public-link"], {}, { failingCards: ["Recall per window"] });
    expect(code).toBe(3);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/\/dashboard\/\d+#refresh=1$/);
    expect(captured.warnings().join("\n")).toContain("Recall per window");
  });

  it("exits 1 with the explanation when Metabase never becomes healthy", async () => {
    const { code, out, captured, url } = await cli([], {}, { unhealthyResponses: Infinity });
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(captured.warnings().join("\n")).toContain(`Metabase at ${url} is not ready`);
  });

  it("exits 2 on an invalid setting, naming the variable, the value and what is allowed", async () => {
    const { code, captured } = await cli([], { METABASE_MZ_SSL: "maybe" });
    expect(code).toBe(2);
    expect(captured.warnings().join("\n")).toMatch(/METABASE_MZ_SSL = \\"maybe\\"; allowed: true or false/);
    expect(double!.requests).toEqual([]);
  });

  it("exits 2 when the definition file cannot be read", async () => {
    const { code, captured } = await cli(["--definition", "/nonexistent/dashboard.yaml"], {});
    expect(code).toBe(2);
    expect(captured.warnings().join("\n")).toContain("/nonexistent/dashboard.yaml");
  });

  it("runs as a script with tsx and documents its flags", async () => {
    const help = await runTool("metabase/main.ts", ["--help"], { timeoutMs: 60_000 });
    expect(help.code).toBe(0);
    for (const flag of ["--definition", "--no-public-link", "--no-smoke-check", "--allow-missing-openapi", "--log-level"]) expect(help.stdout).toContain(flag);
    const bad = await runTool("metabase/main.ts", [], { env: { METABASE_MZ_PORT: "0" }, timeoutMs: 60_000 });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("METABASE_MZ_PORT");
  });
});
