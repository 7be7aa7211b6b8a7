// The one place in the project that reads process.env.
//
// Every other module receives configuration as arguments. Tools call `readEnv()`
// once at start-up, validate what they need (see the other files in config/), and
// pass plain frozen objects down. A unit test fails if `process.env` appears anywhere
// else in the source tree.

export type Env = Readonly<Record<string, string | undefined>>;

export function readEnv(): Env {
  return Object.freeze({ ...process.env });
}
