import { ConfigError } from "../../config/errors.ts";

/** The ConfigError that `build` throws; fails the test if it throws nothing or something else. */
export function configError(build: () => unknown): ConfigError {
  try {
    build();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError, but the configuration was accepted");
}
