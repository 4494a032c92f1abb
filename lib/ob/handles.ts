/**
 * Handles: opaque objects a routine hands out, and the table that remembers what each one refers to,
 * the access it was granted, and which handle table (kernel or a process's) it lives in.
 *
 * @module
 */

const inspect = Symbol.for("Deno.customInspect");
const nodeInspect = Symbol.for("nodejs.util.inspect.custom");

/**
 * An opaque handle, as `HANDLE` is in C. Its `value` prints like a real one: kernel handles have
 * the high bit pattern `0xffffffff8xxxxxxx`, process handles are small multiples of 4.
 */
export class Handle {
  /** The handle value as WinDbg prints it. */
  readonly value: string;
  /** Creates a handle with a value. */
  constructor(value: string) {
    this.value = value;
    Object.freeze(this);
  }
  /** The handle value. */
  toString(): string {
    return this.value;
  }
  /** The handle value, for JSON. */
  toJSON(): string {
    return this.value;
  }
  /** How Deno prints a handle. */
  [inspect](): string {
    return `HANDLE ${this.value}`;
  }
  /** How node:util prints a handle. */
  [nodeInspect](): string {
    return `HANDLE ${this.value}`;
  }
}

/**
 * `INVALID_HANDLE_VALUE`, `(HANDLE)-1`: what CreateFile returns when it fails ("CreateFileW": "If the
 * function fails, the return value is INVALID_HANDLE_VALUE"). No table holds it, so closing it or
 * using it is STATUS_INVALID_HANDLE.
 */
export const INVALID_HANDLE_VALUE: Handle = new Handle("0xffffffffffffffff");

/** What a handle refers to. */
export interface HandleEntry<T> {
  readonly object: T;
  /** The access mask granted at open. */
  readonly granted: number;
  /** Opened with OBJ_KERNEL_HANDLE: lives in the kernel handle table. */
  readonly kernel: boolean;
  /** The process whose handle table holds a non-kernel handle. */
  readonly process: string;
  /** Who opened it (caller name), for the verifier and `!handle`-style listings. */
  readonly openedBy: string;
  /** The driver that opened it, when a driver did. */
  readonly driver: string | null;
  /** The routine that opened it (ZwOpenKey, IoOpenDeviceRegistryKey ...). */
  readonly routine: string;
}

/** A handle table: kernel handles and every process's handles, told apart by the entry. */
export class HandleTable<T> {
  readonly #entries = new Map<Handle, HandleEntry<T>>();
  readonly #serials = new WeakMap<Handle, number>();
  readonly #closed = new WeakSet<Handle>();
  #serial = 0;
  #nextKernel = 1;
  readonly #nextByProcess = new Map<string, number>();

  /** Adds an entry and returns its new handle. */
  open(entry: HandleEntry<T>): Handle {
    let value: string;
    if (entry.kernel) {
      value = "0xffffffff8" + (this.#nextKernel++ * 4).toString(16).padStart(7, "0");
    } else {
      const n = (this.#nextByProcess.get(entry.process) ?? 1) + 0;
      this.#nextByProcess.set(entry.process, n + 1);
      value = "0x" + (n * 4).toString(16).padStart(8, "0");
    }
    const handle = new Handle(value);
    this.#entries.set(handle, entry);
    this.#serials.set(handle, ++this.#serial);
    return handle;
  }

  /** The entry behind a handle, if the handle is open. */
  get(handle: unknown): HandleEntry<T> | undefined {
    return handle instanceof Handle ? this.#entries.get(handle) : undefined;
  }

  /** Removes a handle; returns whether it was open. */
  close(handle: Handle): boolean {
    const had = this.#entries.delete(handle);
    if (had) this.#closed.add(handle);
    return had;
  }

  /** How many handles were ever opened (each handle's serial is its position in that count). */
  get serial(): number {
    return this.#serial;
  }

  /** A handle's serial (0 for an unknown handle). */
  serialOf(handle: Handle): number {
    return this.#serials.get(handle) ?? 0;
  }

  /** Whether a handle was open once and has been closed. */
  wasClosed(handle: unknown): boolean {
    return handle instanceof Handle && this.#closed.has(handle);
  }

  /** Every open handle with its entry. */
  entries(): [Handle, HandleEntry<T>][] {
    return [...this.#entries.entries()];
  }

  /** The number of open handles. */
  get size(): number {
    return this.#entries.size;
  }

  /** Forgets every handle (a reboot). */
  clear(): void {
    this.#entries.clear();
  }
}
