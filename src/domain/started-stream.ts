/**
 * An async iterable started now and read later: its first `next()` is called at once, so that a
 * model's request leaves while the caller finishes something else (storing the question). Its
 * first result, or failure, waits for whoever reads `events`.
 */
export interface StartedStream<T> {
  events: AsyncIterable<T>;
  /** Never to be read: lets the source finish and close (its own signal should be aborted first). */
  abandon(): void;
}

export function startEarly<T>(open: () => AsyncIterable<T>): StartedStream<T> {
  let iterator: AsyncIterator<T> | undefined;
  let first: Promise<IteratorResult<T>>;
  try {
    iterator = open()[Symbol.asyncIterator]();
    first = iterator.next();
  } catch (error) {
    // A source that throws at once (or is no iterable at all) fails when read, as one that fails later.
    first = Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  // Read below, or abandoned: either way not an unhandled rejection in the meantime.
  first.catch(() => undefined);
  async function* events(): AsyncGenerator<T, void, undefined> {
    let finished = false;
    try {
      for (let next = await first; !next.done; next = await iterator!.next()) yield next.value;
      finished = true;
    } finally {
      // The reader stopped early (Stop, the client gone): the source closes, as `for await` would close it.
      if (!finished) await iterator?.return?.();
    }
  }
  return {
    events: events(),
    abandon: () => void first.then(() => iterator?.return?.(), () => undefined).catch(() => undefined),
  };
}
