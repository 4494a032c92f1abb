/**
 * The PnP work queue. Windows' PnP worker threads become one FIFO queue of actions (enumerate a
 * bus, start a device, deliver a notification, finish a removal); `settle()` runs actions until the
 * queue is empty. A queue that keeps refilling itself is cut off with an error naming the action.
 *
 * @module
 */

/** One queued action. */
export interface QueuedAction {
  /** What the action does, in words the trace and errors show: `enumerate ROOT\\TOASTER\\0000`. */
  readonly name: string;
  /** Runs the action. */
  readonly run: () => void;
  /**
   * A system worker thread's job (a driver's work item) rather than the PnP manager's own work:
   * it may run while the PnP thread waits (for a pending IRP, or in a driver's wait).
   */
  readonly worker?: boolean;
}

/** Thrown by `settle()` when more actions ran than the bound allows: something keeps enqueueing work. */
export class RunawayQueueError extends Error {
  /** The action that repeated most. */
  readonly action: string;
  /** How many actions ran before the cut-off. */
  readonly count: number;
  /** Creates the error. */
  constructor(action: string, count: number) {
    super(
      `Cannot settle the machine: ${count} queued PnP actions ran without the queue emptying; ` +
        `'${action}' keeps being queued (raise maxQueuedActions if this is expected)`,
    );
    this.name = "RunawayQueueError";
    this.action = action;
    this.count = count;
  }
}

/** The FIFO queue of PnP actions. */
export class WorkQueue {
  readonly #items: QueuedAction[] = [];
  #head = 0;
  /** At most this many actions in one `drain()`. */
  limit: number;

  /** Creates a queue with a bound on one drain. */
  constructor(limit = 100_000) {
    this.limit = limit;
  }

  /** Adds an action at the end. */
  enqueue(action: QueuedAction): void {
    this.#items.push(action);
  }

  /** The number of actions waiting. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** The names of the waiting actions, oldest first. */
  pending(): string[] {
    return this.#items.slice(this.#head).map((a) => a.name);
  }

  /** Takes the next action, or undefined when empty. */
  shift(): QueuedAction | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const a = this.#items[this.#head++]!;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items.splice(0, this.#head);
      this.#head = 0;
    }
    return a;
  }

  /** Takes the oldest worker-thread action, leaving the others in order; undefined when there is none. */
  shiftWorker(): QueuedAction | undefined {
    for (let i = this.#head; i < this.#items.length; i++) {
      const a = this.#items[i]!;
      if (!a.worker) continue;
      if (i === this.#head) return this.shift();
      this.#items.splice(i, 1);
      return a;
    }
    return undefined;
  }

  /** Runs actions until none is left; `before` runs before each one (the clock tick). */
  drain(before: (a: QueuedAction) => void = () => {}): number {
    let count = 0;
    // Actions are counted by family (numbers blanked, so "enumerate X\\7" and "X\\8" are one), and
    // the error names the family's latest action as it was queued, GUIDs and instance IDs intact.
    const seen = new Map<string, { count: number; name: string }>();
    for (let a = this.shift(); a; a = this.shift()) {
      if (++count > this.limit) {
        const top = [...seen.values()].sort((x, y) => y.count - x.count)[0];
        this.#items.length = 0;
        this.#head = 0;
        throw new RunawayQueueError(top?.name ?? a.name, count - 1);
      }
      const family = a.name.replace(/\d+/g, "#");
      const entry = seen.get(family);
      if (entry) {
        entry.count++;
        entry.name = a.name;
      } else seen.set(family, { count: 1, name: a.name });
      before(a);
      a.run();
    }
    return count;
  }

  /** Drops every waiting action (a reboot or a bug check). */
  clear(): void {
    this.#items.length = 0;
    this.#head = 0;
  }
}
