// Starts the repo's docker-compose.yml with testcontainers, on free host ports, and reads what a
// one-shot service printed. Used by test/e2e/compose.test.ts.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  DockerComposeEnvironment,
  RandomPortGenerator,
  StartupCheckStrategy,
  Wait,
  getContainerRuntimeClient,
  type StartedDockerComposeEnvironment,
  type StartupStatus,
} from "testcontainers";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

const STARTUP_TIMEOUT_MS = 600_000;

/** undefined when a container runtime answers, else why not. */
export async function containerRuntimeMissing(): Promise<string | undefined> {
  try {
    await getContainerRuntimeClient();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export interface LabStack {
  environment: StartedDockerComposeEnvironment;
  projectName: string;
  metabaseUrl: string;
}

/** Builds the tools' image, then `docker compose up` of the whole lab; `extraEnv` is added to Compose's environment. */
export async function startLabStack(projectName: string, extraEnv: Record<string, string>): Promise<LabStack> {
  const ports = new RandomPortGenerator();
  const hostPorts = {
    POSTGRES_PORT: await ports.generatePort(),
    REDPANDA_KAFKA_PORT: await ports.generatePort(),
    MATERIALIZE_SQL_PORT: await ports.generatePort(),
    MATERIALIZE_CONSOLE_PORT: await ports.generatePort(),
    METABASE_PORT: await ports.generatePort(),
  };
  buildToolsImage(projectName);
  const environment = await new DockerComposeEnvironment(repoRoot, "docker-compose.yml")
    .withProjectName(projectName)
    // No .withBuild(): the tools' image was just built from the working tree, and `up` skips
    // building an image that exists.
    .withEnvironment({ ...Object.fromEntries(Object.entries(hostPorts).map(([k, v]) => [k, String(v)])), ...extraEnv })
    // Long-running services have healthchecks; the one-shot may still be running when `up` returns.
    // (`setup` has exited by then: the containers listed afterwards are the running ones only.)
    .withDefaultWaitStrategy(Wait.forHealthCheck())
    .withWaitStrategy("metabase-setup-1", new OneShotFinished())
    .withStartupTimeout(STARTUP_TIMEOUT_MS)
    .up();
  return { environment, projectName, metabaseUrl: `http://127.0.0.1:${hostPorts.METABASE_PORT}` };
}

/**
 * Waits until a one-shot container has stopped for good (not while Docker restarts it), whatever its
 * exit code. Wait.forOneShotStartup() would throw on a non-zero exit, and `up()` would then tear the
 * stack down before the test could read and print what the one-shot said.
 */
class OneShotFinished extends StartupCheckStrategy {
  override async checkStartupState(
    dockerClient: Parameters<StartupCheckStrategy["checkStartupState"]>[0],
    containerId: string,
  ): Promise<StartupStatus> {
    const { State: state } = await dockerClient.getContainer(containerId).inspect();
    return state.Running || state.Restarting || state.Paused ? "PENDING" : "SUCCESS";
  }
}

/**
 * Builds the tools' image from the working tree through `setup`, the one service that declares its
 * build (loadgen and metabase-setup run the same tag), so `up` finds it and does not build again.
 */
function buildToolsImage(projectName: string): void {
  const result = spawnSync("docker", ["compose", "-f", "docker-compose.yml", "-p", projectName, "build", "setup"], {
    cwd: repoRoot,
    encoding: "utf8",
    stdio: ["ignore", "inherit", "pipe"],
    timeout: STARTUP_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`docker compose build setup failed (${result.error?.message ?? `exit ${result.status}`}):\n${(result.stderr ?? "").slice(-4_000)}`);
  }
}

export interface OneShotResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Waits for a one-shot service's container to exit and returns its output. */
export async function oneShotResult(projectName: string, service: string, timeoutMs = STARTUP_TIMEOUT_MS): Promise<OneShotResult> {
  const { dockerode } = (await getContainerRuntimeClient()).container;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const [info] = await dockerode.listContainers({
      all: true,
      filters: { label: [`com.docker.compose.project=${projectName}`, `com.docker.compose.service=${service}`] },
    });
    if (info) {
      const container = dockerode.getContainer(info.Id);
      const state = (await container.inspect()).State;
      if (!state.Running && !state.Restarting) {
        const logs = await container.logs({ stdout: true, stderr: true, follow: false });
        return { exitCode: state.ExitCode, ...demultiplex(Buffer.from(logs)) };
      }
    }
    if (performance.now() > deadline) throw new Error(`${service} did not finish within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

/** Docker's log stream for a container without a TTY: frames of [stream, 0, 0, 0, size(4, BE)] + payload. */
export function demultiplex(raw: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length) {
    const stream = raw[offset];
    const size = raw.readUInt32BE(offset + 4);
    const payload = raw.subarray(offset + 8, offset + 8 + size);
    (stream === 2 ? err : out).push(payload);
    offset += 8 + size;
  }
  return { stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}
