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
    if (this.#head === this.#items.length) {
      // Empty: drop the taken actions now, or the list (and every action's closure) stays as long
      // as the largest burst it ever held.
      this.#items.length = 0;
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
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
    // The names of the latest actions, in a ring: when the bound is reached, the family that fills
    // it (numbers blanked, so "enumerate X\\7" and "X\\8" are one) is what keeps being queued, and
    // the error names that family's latest action as it was queued, GUIDs and instance IDs intact.
    // Kept as names only, so that a normal drain does no string work per action.
    const recent = new Array<string>(RECENT);
    for (let a = this.shift(); a; a = this.shift()) {
      if (++count > this.limit) {
        this.#items.length = 0;
        this.#head = 0;
        throw new RunawayQueueError(
          mostRepeated(recent, (count - 1) % RECENT) ?? a.name,
          count - 1,
        );
      }
      recent[count % RECENT] = a.name;
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

/** How many of the latest action names a drain keeps for its runaway error. */
const RECENT = 4096;

/**
 * The latest name of the family (numbers blanked) that fills most of the ring `names`, whose
 * newest entry is at `newest`.
 */
function mostRepeated(names: readonly (string | undefined)[], newest: number): string | undefined {
  const seen = new Map<string, { count: number; name: string; order: number }>();
  let order = 0;
  for (let i = 1; i <= names.length; i++) {
    // Oldest first, so that each family ends with its latest name.
    const name = names[(newest + i) % names.length];
    if (name === undefined) continue;
    const family = name.replace(/\d+/g, "#");
    const entry = seen.get(family);
    if (entry) {
      entry.count++;
      entry.name = name;
    } else seen.set(family, { count: 1, name, order: order++ });
  }
  return [...seen.values()].sort((x, y) => y.count - x.count || x.order - y.order)[0]?.name;
}
