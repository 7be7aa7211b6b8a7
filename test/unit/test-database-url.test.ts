import { describe, expect, it } from "vitest";
import { withDatabase } from "../helpers/postgres.ts";

describe("a test database URL", () => {
  it("is the admin URL with only the database name replaced", () => {
    expect(withDatabase("postgres://postgres:secret@127.0.0.1:55432/postgres?sslmode=disable", "lab_test_0a1b")).toBe(
      "postgres://postgres:secret@127.0.0.1:55432/lab_test_0a1b?sslmode=disable",
    );
  });

  it("adds the database to a URL that names none", () => {
    expect(withDatabase("postgresql://test@db:5432", "lab_test_ff")).toBe("postgresql://test@db:5432/lab_test_ff");
  });
});
