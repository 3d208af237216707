/** Bounded concurrency for per-ward work: at most `limit` calls in flight, results in input order. */

/**
 * Map `items` through `fn` with at most `limit` calls running at once, so a town of 3,000
 * wards never holds 3,000 workbooks in memory. A rejection rejects the whole (as Promise.all).
 *
 * @example await mapLimit(wards, 2, (ward) => processWard(ward, catalogues, sheets))
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
