/**
 * Idempotency: a retried `POST /chat` with the same client key must not store or bill twice. The
 * first request claims the key with the ids it is about to use; a retry finds the claim and
 * replays what was stored under those ids instead of calling the model again.
 */
export interface RequestClaim {
  key: string;
  /** What was asked, reduced to a hash: the same key with another request is refused. */
  fingerprint: string;
  conversationId: string;
  userMessageId: string;
  answerMessageId: string;
  /** ISO 8601; stores keep claims for a day. */
  createdAt: string;
}

/** Keys are the client's: letters, digits and `_-:.`, at most 128 of them. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_\-:.]{1,128}$/;

/** What defines a request for its fingerprint: a message, or a Regenerate of an answer. */
export interface FingerprintedRequest {
  conversationId?: string;
  message?: string;
  fileIds?: string[];
  regenerate?: { messageId: string };
}

/**
 * FNV-1a (64-bit) of what defines the request: stable, small, and free of any I/O library. A
 * message's fingerprint is what it was before Regenerate existed: claims made then still match.
 */
export function requestFingerprint(request: FingerprintedRequest): string {
  const parts: unknown[] = [request.conversationId ?? null, request.message ?? '', [...new Set(request.fileIds ?? [])].sort()];
  if (request.regenerate) parts.push({ regenerate: request.regenerate.messageId });
  const text = JSON.stringify(parts);
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}
