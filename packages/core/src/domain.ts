import type { SlabAllocator } from './allocator.js';
import type { EpochId, Handle, Ptr } from './types.js';

export interface DomainOptions {
  /** Close the domain's epoch when the last exit() (or dispose) runs; default true. */
  autoClose?: boolean;
  /** Reset the epoch (free everything in it) and then close it at the end; default false. */
  reset?: boolean;
}

/**
 * A scope of allocations with its own epoch (the seed's epoch_domain_create/destroy): a request, a
 * level load, an AI plan. Nested enter()/exit() pairs count; the last exit, dispose or close() ends it.
 */
export class EpochDomain implements Disposable {
  readonly epoch: EpochId;
  readonly autoClose: boolean;
  readonly reset: boolean;
  private readonly heap: SlabAllocator;
  private depth = 0;
  private ended = false;

  constructor(heap: SlabAllocator, options: DomainOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError(`options must be an object or undefined, got ${String(options)}`);
    const { autoClose = true, reset = false } = options;
    if (typeof autoClose !== 'boolean') throw new TypeError(`options.autoClose must be a boolean, got ${String(autoClose)}`);
    if (typeof reset !== 'boolean') throw new TypeError(`options.reset must be a boolean, got ${String(reset)}`);
    this.heap = heap;
    this.autoClose = autoClose;
    this.reset = reset;
    this.epoch = heap.epochOpen();
  }

  /** True once the domain has closed its epoch. */
  get closed(): boolean {
    return this.ended;
  }

  /** Nesting depth of enter() calls not yet matched by exit(). */
  get entered(): number {
    return this.depth;
  }

  alloc(size: number): Handle {
    return this.heap.alloc(size, this.epoch);
  }

  malloc(size: number): Ptr {
    return this.heap.malloc(size, this.epoch);
  }

  enter(): this {
    if (this.ended) throw new RangeError(`domain of epoch ${this.epoch} is closed: enter() needs an open domain`);
    this.depth++;
    return this;
  }

  exit(): void {
    if (this.depth === 0) throw new RangeError(`exit() called on domain of epoch ${this.epoch} with no matching enter() (depth 0)`);
    if (--this.depth === 0 && (this.autoClose || this.reset)) this.end();
  }

  /** Ends the domain now, whatever the nesting: resets the epoch when `reset`, then closes it. */
  close(): void {
    this.depth = 0;
    this.end();
  }

  [Symbol.dispose](): void {
    if (this.ended) return;
    if (this.depth > 0) this.depth--;
    if (this.depth === 0 && (this.autoClose || this.reset)) this.end();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.reset) this.heap.epochReset(this.epoch);
    this.heap.epochClose(this.epoch);
  }
}
