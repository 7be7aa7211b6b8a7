// A stand-in lab for test/unit/lab-record.test.ts: claims the state folder given as its first
// argument, prints "claimed" (then holds the folder for a few seconds, as a running lab would)
// or "busy". Started with `scripts/lab/main.ts` as an extra argument, so its command line
// names the lab's entry point, as `npm run lab`'s node does.

import { setTimeout as sleep } from "node:timers/promises";
import { claimRecord, LabBusyError } from "../../../scripts/lab/record.ts";

const stateDir = process.argv[2];
if (!stateDir) throw new Error("usage: claim-lab-record.ts <state dir> scripts/lab/main.ts");
try {
  const claimed = await claimRecord(stateDir, () => {});
  process.stdout.write("claimed\n");
  await sleep(3000);
  claimed.release();
} catch (error) {
  if (!(error instanceof LabBusyError)) throw error;
  process.stdout.write("busy\n");
}
