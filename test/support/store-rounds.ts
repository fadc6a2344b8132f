import type { ChatModel } from '../../src/domain/ports/chat-model.js';

interface TrackedCall {
  name: string;
  started: number;
  ended?: number;
}

/**
 * Counts the store round trips a message waits for before its model is asked. Every async method
 * of the given stores is wrapped to note when it was called and when it settled (on one counter of
 * events), and the model's `stream` when it was called. A call that starts after another settled
 * waited for it: the longest such chain of calls settled before the model's call is the number
 * of round trips that stood in the message's way, however many calls each round held (a write
 * sent beside the model's call, such as the question's, is not in the way). The stores keep working
 * as before; their state is reached through their methods from then on.
 */
export function trackStoreRounds(stores: Record<string, object>, model: ChatModel) {
  let tick = 0;
  let calls: TrackedCall[] = [];
  let modelAskedAt: number | undefined;
  for (const [storeName, store] of Object.entries(stores)) {
    // The methods run on a twin holding the same state, so that a method calling another of its
    // store (a `read` made of `get` and `list`) counts as the one call it is to its caller.
    const twin = Object.assign(Object.create(Object.getPrototypeOf(store) as object) as object, store) as Record<string, (...args: unknown[]) => unknown>;
    for (const method of methodNames(store)) {
      const target = store as Record<string, (...args: unknown[]) => unknown>;
      const original = twin[method]!.bind(twin);
      target[method] = (...args: unknown[]) => {
        const call: TrackedCall = { name: `${storeName}.${method}`, started: ++tick };
        calls.push(call);
        const result = original(...args);
        if (!(result instanceof Promise)) {
          call.ended = ++tick;
          return result;
        }
        return result.finally(() => (call.ended = ++tick));
      };
    }
  }
  const stream = model.stream.bind(model);
  model.stream = (request, signal) => {
    modelAskedAt ??= ++tick;
    return stream(request, signal);
  };

  const beforeModel = () => {
    if (modelAskedAt === undefined) throw new Error('the model was not asked');
    return calls.filter((call) => call.ended !== undefined && call.ended < modelAskedAt!);
  };
  return {
    /** Forgets what was tracked: the next message is measured alone. */
    reset(): void {
      calls = [];
      modelAskedAt = undefined;
    },
    /** The store calls the model's call waited for (settled before it), as `store.method`, sorted. */
    callsBeforeModel: (): string[] => beforeModel().map((call) => call.name).sort(),
    /** Round trips the model's call waited for: the longest chain of calls, each started after the one before it settled. */
    roundsBeforeModel(): number {
      const calls = beforeModel();
      const depth = new Map<TrackedCall, number>();
      for (const call of calls) {
        const waitedFor = calls.filter((other) => other.ended !== undefined && other.ended < call.started);
        depth.set(call, 1 + Math.max(0, ...waitedFor.map((other) => depth.get(other)!)));
      }
      return Math.max(0, ...depth.values());
    },
  };
}

/** The methods an object answers to, its own and its classes', but not Object's. */
function methodNames(store: object): string[] {
  const names = new Set<string>();
  for (let proto: object | null = store; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name !== 'constructor' && typeof (store as Record<string, unknown>)[name] === 'function') names.add(name);
    }
  }
  return [...names];
}
