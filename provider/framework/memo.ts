/**
 * A memo of computed values that forgets everything at once when it holds `limit` of them: cheap
 * to keep (no recency to track) and bounded, for values that are cheap to compute again. Each memo
 * lives in the provider context (../caches.ts), so two contexts never share one.
 */
export class BoundedMemo<K, V> {
  private readonly values = new Map<K, V>();

  constructor(readonly limit: number) {}

  get size(): number {
    return this.values.size;
  }

  has(key: K): boolean {
    return this.values.has(key);
  }

  get(key: K): V | undefined {
    return this.values.get(key);
  }

  set(key: K, value: V): void {
    if (this.values.size >= this.limit && !this.values.has(key)) this.values.clear();
    this.values.set(key, value);
  }

  /** The value of `key`, computed on first use (and again after the memo was cleared). */
  of(key: K, compute: (key: K) => V): V {
    if (this.values.has(key)) return this.values.get(key) as V;
    const value = compute(key);
    this.set(key, value);
    return value;
  }
}
