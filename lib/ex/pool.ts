/**
 * Executive pool: ExAllocatePool2 and ExFreePoolWithTag, with what Driver Verifier's Pool Tracking
 * checks ("Pool Tracking": at unload every allocation a driver made must be freed, else bug check
 * 0xC4 with parameter 1 0x62 and the number of allocations in parameter 4). An allocation is a
 * zero-filled `Uint8Array` the driver keeps; the pool remembers who made it, its tag and its type.
 *
 * @module
 */
import { traceDescription } from "../describable.ts";

/** One allocation the pool tracks. */
export interface PoolAllocation {
  /** A number for the trace. */
  readonly id: number;
  /** The driver that allocated it (service name). */
  readonly driver: string;
  /** The pool tag, a ULONG (four characters, the first in the low byte). */
  readonly tag: number;
  /** Its size in bytes. */
  readonly size: number;
  /** POOL_FLAG_PAGED or POOL_FLAG_NON_PAGED. */
  readonly paged: boolean;
}

/** A tag as the debugger's `!poolused` writes it: `'Toas'`. */
export function tagText(tag: number): string {
  let s = "";
  for (let i = 0; i < 4; i++) {
    const c = (tag >>> (8 * i)) & 0xff;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : ".";
  }
  return s;
}

/** A pool block as a driver holds it: the bytes, described in the trace by its tag and size. */
export class PoolBlock extends Uint8Array {
  /** The allocation's bookkeeping (set by the pool). */
  allocation!: PoolAllocation;

  /** How the trace shows it. */
  [traceDescription](): string {
    return `POOL#${this.allocation.id} ('${tagText(this.allocation.tag)}', ${this.length} bytes)`;
  }
}

/** The pool of one machine. */
export class Pool {
  /** Live allocations by block. */
  readonly live: Map<PoolBlock, PoolAllocation> = new Map();
  #serial = 0;

  /** Allocates `size` zeroed bytes for `driver`. */
  allocate(driver: string, size: number, tag: number, paged: boolean): PoolBlock {
    const block = new PoolBlock(size);
    const allocation = { id: ++this.#serial, driver, tag: tag >>> 0, size, paged };
    block.allocation = allocation;
    this.live.set(block, allocation);
    return block;
  }

  /** Frees a block: "freed", or why it cannot be ("not pool", "already freed"). */
  free(block: unknown): "freed" | "not pool" | "already freed" {
    if (!(block instanceof PoolBlock)) return "not pool";
    if (!this.live.delete(block)) return "already freed";
    return "freed";
  }

  /** The allocations a driver has not freed, oldest first. */
  outstanding(driver: string): PoolAllocation[] {
    return [...this.live.values()].filter((a) => a.driver === driver);
  }

  /** Forgets everything (a reboot). */
  reset(): void {
    this.live.clear();
    this.#serial = 0;
  }
}
