/**
 * A signal that aborts when `parent` does, or when `abort` is called. `AbortSignal.any` does the
 * same, but on Node 20 each one registers weak references on its sources and each abort without
 * a reason builds a DOMException with its stack: on the chat path, once per message, that was a
 * tenth of the chat service's CPU (bench/README.md, `request-overhead`).
 */
export interface LinkedSignal {
  signal: AbortSignal;
  /** Aborts the signal (if `parent` has not) and lets go of `parent`. */
  abort(reason: Error): void;
}

export function linkedSignal(parent: AbortSignal): LinkedSignal {
  const controller = new AbortController();
  const follow = () => controller.abort(parent.reason);
  if (parent.aborted) follow();
  else parent.addEventListener('abort', follow, { once: true });
  return {
    signal: controller.signal,
    abort: (reason) => {
      parent.removeEventListener('abort', follow);
      controller.abort(reason);
    },
  };
}
