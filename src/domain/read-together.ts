/**
 * Waits for reads started together and gives their results in order. When some fail, the error
 * thrown is the first one by position, not by time: a request that is wrong in two ways is told
 * the same thing whichever store answered first.
 */
export async function readTogether<T extends readonly unknown[]>(reads: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(reads);
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
