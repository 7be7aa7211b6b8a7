import { describe, expect, it } from "vitest";
import { loadgenConfig } from "../../config/loadgen.ts";
import { migrateConfig } from "../../config/migrate.ts";
import { redactUrl, shownValue } from "../../config/redact.ts";
import { configError } from "../helpers/config-error.ts";

describe("keeping secrets out of messages", () => {
  it("replaces a URL's password, even one containing @", () => {
    expect(redactUrl("postgres://lab_loadgen:p%40ss@db:5432/lab")).toBe("postgres://lab_loadgen:***@db:5432/lab");
    expect(redactUrl("postgres://u:p@ss@db/lab")).not.toMatch(/p@ss|:p@/);
  });

  it("never echoes an unparseable URL", () => {
    expect(redactUrl("postgres://u:secret@[bad")).toBe("<unparseable URL>");
  });

  it("hides values of settings named like passwords", () => {
    expect(shownValue("mzPgPassword", "hunter22")).toBe("<hidden, 8 characters>");
  });

  it("does not print the password of a rejected Postgres URL", () => {
    const error = configError(() => loadgenConfig({}, { POSTGRES_URL: "postgres://lab_loadgen:S3CRET@db/lab\n" }));
    expect(error.field).toBe("POSTGRES_URL");
    expect(error.message).not.toContain("S3CRET");
    const migrate = configError(() => migrateConfig({ target: "postgres", url: "postgres://postgres:S3CRET@db/lab x" }, {}));
    expect(migrate.message).not.toContain("S3CRET");
  });
});
