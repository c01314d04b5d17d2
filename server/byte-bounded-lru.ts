// A least-recently-used map bounded by the bytes its values hold, not by how many there are: a
// cache keyed by something outside input can choose (here, a page of the list) must not be able to
// grow with heavier values. A value larger than an eighth of the bound is never kept, so one heavy
// entry cannot flush all the others.

export class ByteBoundedLru<V> {
  readonly #entries = new Map<string, { value: V; bytes: number }>();
  #bytes = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes held now (never above maxBytes). */
  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The value, which becomes the most recently used. */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key); // Map order is the LRU order: re-insert at the end
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Keeps `value` (weighing `bytes`), dropping the least recently used until it fits. Returns whether it was kept. */
  set(key: string, value: V, bytes: number): boolean {
    this.delete(key);
    if (bytes > this.maxBytes / 8) return false;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes + bytes <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
    }
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    return true;
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }
}
