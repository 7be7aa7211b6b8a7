// Loaded into each of the lab's children (`node --import tsx --import <this file>`), which the lab
// starts with an IPC channel. Linux has PR_SET_PDEATHSIG, Node does not: so the child watches
// that channel instead. The channel closes when the lab exits, however it exits (SIGKILL
// included, since the kernel closes a dead process's end of it): the child then stops as on
// Ctrl-C (SIGTERM to itself: the generator and the bridge finish what is in flight), and is
// forced out should that take longer than EXIT_GRACE_MS.
// Started without a channel (npm run bridge by hand), this file does nothing.

const EXIT_GRACE_MS = 10_000;

if (process.channel) {
  process.channel.unref(); // the channel alone must not keep the child running
  process.once("disconnect", () => {
    process.stderr.write("[lab child] the lab is gone: stopping\n");
    setTimeout(() => process.exit(1), EXIT_GRACE_MS).unref();
    process.kill(process.pid, "SIGTERM");
  });
}
