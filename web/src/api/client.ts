import { readEvents, type StreamEvent } from './sse';
import type { ChatRequest, Conversation, ConversationSummary, ErrorBody, FileContext, LimitChange, LocalToken, MonthReport, Page, SiteConfig, UploadSlot, UsageSummary } from './types';

/** An error the API answered with (`{"error": {"code", "message", "requestId"}}`), or a network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    /** From `Retry-After` (429): seconds until trying again can succeed. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Worth trying again as is: the network, a busy model, a server hiccup (not a month's spent budget). */
  get retryable(): boolean {
    if (this.code === 'USAGE_LIMIT_REACHED') return false;
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

export interface ApiClientOptions {
  /** The browser's fetch, or a test's. */
  fetch: typeof fetch;
  baseUrl: string;
  /** The current ID token (refreshed by the session when needed). */
  getToken: () => Promise<string | undefined>;
  /** A new ID token after a 401 (the refresh token's), or undefined when there is no way to get one. */
  refreshToken?: () => Promise<string | undefined>;
  /** The API refused the session even after a refresh: the user has to sign in again. */
  onUnauthorized?: () => void;
}

/**
 * What `POST /chat` asks: a new message (its words may be empty when files are attached), or a
 * new answer in place of the conversation's latest one (`regenerate`).
 */
export type SendMessage = ChatRequest;

export interface ChatOptions {
  signal?: AbortSignal;
  /** Sent as `Idempotency-Key`: the same key again replays the stored answer instead of a second one. */
  idempotencyKey?: string;
}

/**
 * `GET /chat/streams/{id}` answered 404: no stream under that id for this user (never one, or
 * kept no longer: streams are kept a day). Nothing more will come by resuming it.
 */
export class StreamNotFoundError extends ApiError {
  constructor(requestId?: string) {
    super(404, 'STREAM_NOT_FOUND', 'This answer can no longer be followed.', requestId);
    this.name = 'StreamNotFoundError';
  }
}

/** What `POST /chat/streams/{id}/stop` says of the answer: stopping now, or how it had ended already. */
export type StopStatus = 'stopping' | 'done' | 'error' | 'stopped';

export type ApiClient = ReturnType<typeof createApiClient>;

/** Every call the SPA makes to the API. It knows HTTP, not the stores. */
export function createApiClient(options: ApiClientOptions) {
  const base = options.baseUrl.replace(/\/$/, '');

  let renewing: Promise<string | undefined> | undefined;

  /**
   * A token to try once more with after `refused` was answered 401: one another call renewed
   * meanwhile, else a refresh shared by every call refused at the same moment.
   */
  async function renewedToken(refused: string | undefined): Promise<string | undefined> {
    if (!options.refreshToken) return undefined;
    const current = await options.getToken();
    if (current && current !== refused) return current;
    renewing ??= options.refreshToken().finally(() => (renewing = undefined));
    return renewing;
  }

  async function send(path: string, init: RequestInit, token: string | undefined): Promise<Response> {
    const headers = new Headers(init.headers);
    if (token) headers.set('Authorization', `Bearer ${token}`);
    if (init.body !== undefined && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
    try {
      return await options.fetch(`${base}${path}`, { ...init, headers });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiError(0, 'NETWORK_ERROR', 'The server cannot be reached. Check your connection and try again.');
    }
  }

  /**
   * One call, with the current token. Refused with 401 (expired or revoked), it is sent once more
   * with a renewed token (nothing was done the first time: the token is checked before anything
   * else); refused again, or with nothing to renew with, the session is over.
   */
  async function request(path: string, init: RequestInit = {}): Promise<Response> {
    const token = await options.getToken();
    let response = await send(path, init, token);
    if (response.status === 401) {
      const renewed = await renewedToken(token);
      if (renewed) response = await send(path, init, renewed);
    }
    if (response.ok) return response;
    const error = await toApiError(response);
    // Told once the error is in hand: from here to the caller's catch, nothing waits on the network.
    if (response.status === 401) options.onUnauthorized?.();
    throw error;
  }

  const json = async <T>(path: string, init?: RequestInit): Promise<T> => (await (await request(path, init)).json()) as T;
  const body = (value: unknown): RequestInit['body'] => JSON.stringify(value);

  return {
    listConversations: (cursor?: string, limit = 30) =>
      json<Page<ConversationSummary>>(`/conversations?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
    /** The newest messages that fit one read, or with `before` (a message id) the ones older than it. */
    getConversation: (id: string, { before }: { before?: string } = {}) =>
      json<Conversation>(`/conversations/${encodeURIComponent(id)}${before === undefined ? '' : `?before=${encodeURIComponent(before)}`}`),
    renameConversation: (id: string, title: string) =>
      json<ConversationSummary>(`/conversations/${encodeURIComponent(id)}`, { method: 'PATCH', body: body({ title }) }),
    deleteConversation: async (id: string) => {
      await request(`/conversations/${encodeURIComponent(id)}`, { method: 'DELETE' });
    },

    /**
     * `POST /chat` as Server-Sent Events, a message or a Regenerate. Each event has its `eventId`.
     * Aborting the signal only stops reading: the answer goes on and is stored (see `stopChat`).
     */
    async *chat(message: SendMessage, { signal, idempotencyKey }: ChatOptions = {}): AsyncGenerator<StreamEvent> {
      const response = await request('/chat', {
        method: 'POST',
        headers: { Accept: 'text/event-stream', ...(idempotencyKey && { 'Idempotency-Key': idempotencyKey }) },
        body: body(message),
        ...(signal && { signal }),
      });
      if (!response.body) throw new ApiError(0, 'NETWORK_ERROR', 'The answer did not arrive. Try again.');
      yield* readEvents(response.body);
    },

    /**
     * The answer `messageId`'s events after `afterId` (the last one read), then the rest live until
     * `done` or `error`: a stream that broke, picked up where it broke. Throws StreamNotFoundError
     * when there is no such stream (any more).
     */
    async *resumeChat(messageId: string, afterId: number, { signal }: { signal?: AbortSignal } = {}): AsyncGenerator<StreamEvent> {
      // `?after=` rather than the Last-Event-ID header, which the server reads the same: a header the
      // API's CORS preflight does not list would keep a cross-origin SPA from resuming at all.
      let response: Response;
      try {
        response = await request(`/chat/streams/${encodeURIComponent(messageId)}?after=${afterId}`, {
          headers: { Accept: 'text/event-stream' },
          ...(signal && { signal }),
        });
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) throw new StreamNotFoundError(error.requestId);
        throw error;
      }
      if (!response.body) throw new ApiError(0, 'NETWORK_ERROR', 'The answer did not arrive. Try again.');
      yield* readEvents(response.body);
    },

    /** Stops the answer `messageId`, whichever server instance is writing it; what it had written is kept. */
    stopChat: async (messageId: string) =>
      (await json<{ status: StopStatus }>(`/chat/streams/${encodeURIComponent(messageId)}/stop`, { method: 'POST' })).status,

    /** Every page: a list over 5 MB of JSON (thousands of files) comes in pages with `nextCursor`. */
    listFiles: async () => {
      const items: FileContext[] = [];
      let cursor: string | undefined;
      do {
        const page = await json<Page<FileContext>>(`/files${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return { items };
    },
    uploadInline: (file: { fileName: string; contentType: string; data: string }) =>
      json<FileContext>('/files', { method: 'POST', body: body(file) }),
    createUpload: (file: { fileName: string; contentType: string; size: number }) =>
      json<UploadSlot>('/files/uploads', { method: 'POST', body: body(file) }),
    processFile: (fileId: string) => json<FileContext>(`/files/${encodeURIComponent(fileId)}/process`, { method: 'POST' }),
    deleteFile: async (fileId: string) => {
      await request(`/files/${encodeURIComponent(fileId)}`, { method: 'DELETE' });
    },

    /** The signed-in user's month: spent, limit, when it resets, and whether they are an admin. */
    getUsage: () => json<UsageSummary>('/usage'),
    /** Admins only (403 FORBIDDEN otherwise): every user's usage in `month` (default: this one), a page at a time. */
    getAdminUsage: ({ month, cursor, limit }: { month?: string; cursor?: string; limit?: number } = {}) => {
      const query = new URLSearchParams();
      if (month) query.set('month', month);
      if (limit !== undefined) query.set('limit', String(limit));
      if (cursor) query.set('cursor', cursor);
      const search = query.toString();
      return json<MonthReport>(`/admin/usage${search ? `?${search}` : ''}`);
    },
    /** Admins only: a user's own monthly limit in USD, or null to clear it (the default applies again). */
    setUserLimit: (userId: string, limitUsd: number | null) =>
      json<LimitChange>(`/admin/users/${encodeURIComponent(userId)}/limit`, { method: 'PUT', body: body({ limitUsd }) }),
  };
}

/**
 * `/config.json`, read before anything else (it says where the API is and how to sign in).
 * index.html preloads it: this request, the same URL, mode and credentials, takes that response
 * instead of asking again. It is never stale: CloudFront and the local server send it with
 * `Cache-Control: no-cache`, so no `cache` option is needed here.
 */
export async function fetchSiteConfig(fetchFn: typeof fetch, url = '/config.json'): Promise<SiteConfig> {
  const response = await fetchFn(url);
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as SiteConfig;
}

/** Local mode's sign-in (`npm start` only): a name in, Cognito-shaped tokens out. */
export async function localSignIn(fetchFn: typeof fetch, apiUrl: string, username: string): Promise<Pick<LocalToken, 'idToken' | 'expiresIn'>> {
  const response = await fetchFn(`${apiUrl.replace(/\/$/, '')}/local-auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username }),
  });
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as LocalToken;
}

export async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = retryAfterSeconds(response.headers.get('Retry-After'));
  try {
    // Partial: a proxy or API Gateway itself may answer with a body of its own.
    const { error } = (await response.json()) as Partial<{ error: Partial<ErrorBody['error']> }>;
    if (error?.code && error.message) return new ApiError(response.status, error.code, error.message, error.requestId, retryAfter);
  } catch {
    // not our JSON: fall through
  }
  // API Gateway's Cognito authorizer refuses an expired token before our code runs, with its own body.
  if (response.status === 401) return new ApiError(401, 'UNAUTHORIZED', 'Your session has ended. Sign in again.');
  return new ApiError(response.status, 'HTTP_ERROR', `The server answered ${response.status}. Try again.`, undefined, retryAfter);
}

/** `Retry-After` as seconds from now: a number of seconds, or an HTTP date. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
