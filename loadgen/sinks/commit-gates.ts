// When the Postgres writer may commit a batch that Kafka is still sending (sink.ts, overlapping
// sinks). The writer copies a batch's rows while the producer sends its predictions, and waits
// for that batch's gate just before COMMIT. Gates are numbered 1, 2, 3, … in the order of the
// batches, and settle in that order (Kafka takes one batch after another): each opens when
// Kafka has its batch, or is refused when Kafka failed it, and so is every gate after it.
// Two numbers and the writes waiting hold the whole state, however many batches a run writes.

export class GateRefusedError extends Error {
  constructor(readonly gate: number) {
    super(`batch ${gate} was not committed: the sink before Postgres (Kafka) did not take it`);
    this.name = "GateRefusedError";
  }
}

export class CommitGates {
  /** Every gate up to this one is open. */
  private openedThrough = 0;
  /** This gate and every later one are refused. */
  private refusedFrom = Number.POSITIVE_INFINITY;
  private waiters: { gate: number; resolve(): void; reject(error: Error): void }[] = [];

  open(gate: number): void {
    this.openedThrough = Math.max(this.openedThrough, gate);
    this.settle();
  }

  refuse(gate: number): void {
    this.refusedFrom = Math.min(this.refusedFrom, gate);
    this.settle();
  }

  /** Resolves once the gate is open; rejects with GateRefusedError if it is refused. */
  passed(gate: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ gate, resolve, reject });
      this.settle();
    });
  }

  private settle(): void {
    this.waiters = this.waiters.filter((waiter) => {
      if (waiter.gate >= this.refusedFrom) waiter.reject(new GateRefusedError(waiter.gate));
      else if (waiter.gate <= this.openedThrough) waiter.resolve();
      else return true;
      return false;
    });
  }
}
