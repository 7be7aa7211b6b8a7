import { defineConfig } from "vitest/config";

// One project per test layer. `npm test` runs them all; a layer whose services are
// missing skips itself with a printed reason (see test/helpers/services.ts).
const layer = (name: string, timeoutMs: number) => ({
  test: {
    name,
    include: [`test/${name}/**/*.test.ts`],
    testTimeout: timeoutMs,
    hookTimeout: Math.max(timeoutMs, 120_000),
  },
});

export default defineConfig({
  test: {
    projects: [
      layer("unit", 30_000),
      layer("sql", 120_000),
      layer("integration", 180_000),
      layer("materialize", 600_000),
      layer("e2e", 900_000),
    ],
  },
});
