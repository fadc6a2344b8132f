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
 * The 64-bit product is worked out on two 32-bit halves, exactly (every partial product stays
 * under 2^53): the same digits as BigInt arithmetic gives, at a small part of its cost per character.
 */
export function requestFingerprint(request: FingerprintedRequest): string {
  const parts: unknown[] = [request.conversationId ?? null, request.message ?? '', [...new Set(request.fileIds ?? [])].sort()];
  if (request.regenerate) parts.push({ regenerate: request.regenerate.messageId });
  const text = JSON.stringify(parts);
  // The offset basis 0xcbf29ce484222325, and the prime 0x100000001b3 = 2^40 + 0x1b3.
  let high = 0xcbf29ce4;
  let low = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    low = (low ^ text.charCodeAt(i)) >>> 0;
    const lowTimes = low * 0x1b3;
    const carry = Math.floor(lowTimes / 0x100000000);
    high = (high * 0x1b3 + carry + ((low << 8) >>> 0)) % 0x100000000;
    low = lowTimes >>> 0;
  }
  return high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0');
}
