/**
 * The fetch wrapper every screen uses: same-origin JSON with the session cookie, the
 * current UI language in Accept-Language, the CSRF token on state-changing requests, and
 * problem+json answers turned into a typed ApiError.
 */
import type { FieldProblem } from './types';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldProblem[];
  readonly requestId: string | undefined;
  /** Extra members of the problem document (e.g. current_version, locked_until, retry_after). */
  readonly extra: Record<string, unknown>;

  constructor(status: number, body: Record<string, unknown> | null, fallbackTitle: string) {
    const title = typeof body?.title === 'string' ? body.title : fallbackTitle;
    super(title);
    this.name = 'ApiError';
    this.status = status;
    this.code = typeof body?.code === 'string' ? body.code : status === 0 ? 'network' : `http_${status}`;
    this.title = title;
    this.detail = typeof body?.detail === 'string' ? body.detail : '';
    this.errors = Array.isArray(body?.errors) ? (body.errors as FieldProblem[]) : [];
    this.requestId = typeof body?.request_id === 'string' ? body.request_id : undefined;
    const extra: Record<string, unknown> = {};
    if (body) {
      for (const [key, value] of Object.entries(body)) {
        if (!['type', 'status', 'code', 'title', 'detail', 'errors', 'request_id'].includes(key)) extra[key] = value;
      }
    }
    this.extra = extra;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export type Query = Record<string, string | number | null | undefined>;

interface ClientState {
  language: string;
  csrfToken: string | null;
  /** Called when an authenticated call answers 401: the session has ended. */
  onUnauthenticated: (() => void) | null;
  /** Called after every answered request that carried the session cookie. */
  onActivity: (() => void) | null;
  /** Fallback text for errors without a problem document. */
  messages: { network: string; unexpected: string };
  /** When the last answered request that the user caused (not a background poll) came back. */
  lastForegroundAt: number;
}

const state: ClientState = {
  language: 'zh-Hant',
  csrfToken: null,
  onUnauthenticated: null,
  onActivity: null,
  messages: { network: 'Network error', unexpected: 'Unexpected error' },
  lastForegroundAt: 0,
};

export function configureClient(update: Partial<ClientState>): void {
  Object.assign(state, update);
}

export function currentLanguage(): string {
  return state.language;
}

/**
 * Milliseconds since the last request the user caused. Every request refreshes the server's idle
 * timer, so background polls ask this first: they must not keep an unattended session alive.
 */
export function sinceForegroundRequest(): number {
  return Date.now() - state.lastForegroundAt;
}

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  if (query) {
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** The sign-in call itself: a 401 there is an answer, not an ended session. */
  anonymous?: boolean;
  /** A poll the user did not ask for (see sinceForegroundRequest). */
  background?: boolean;
  accept?: string;
  /** A raw body (e.g. a CSV file) sent as is with this Content-Type instead of JSON. */
  raw?: { body: Blob | string; type: string };
}

function headersFor(method: string, options: RequestOptions): Headers {
  const headers = new Headers({
    Accept: options.accept ?? 'application/json, application/problem+json',
    'Accept-Language': state.language,
  });
  if (options.raw) headers.set('Content-Type', options.raw.type);
  else if (options.body !== undefined) headers.set('Content-Type', 'application/json');
  if (method !== 'GET' && method !== 'HEAD' && state.csrfToken) headers.set('X-CSRF-Token', state.csrfToken);
  return headers;
}

async function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers: headersFor(method, options),
      body: options.raw ? options.raw.body : options.body === undefined ? null : JSON.stringify(options.body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, { code: 'network', title: state.messages.network }, state.messages.network);
  }
  if (!response.ok) {
    let body: Record<string, unknown> | null = null;
    try {
      const type = response.headers.get('Content-Type') ?? '';
      if (type.includes('json')) body = (await response.json()) as Record<string, unknown>;
    } catch {
      body = null;
    }
    const retryAfter = response.headers.get('Retry-After');
    if (retryAfter && body && body.retry_after === undefined) body.retry_after = retryAfter;
    const error = new ApiError(response.status, body, state.messages.unexpected);
    if (response.status === 401 && !options.anonymous && error.code === 'unauthenticated') {
      state.onUnauthenticated?.();
    }
    throw error;
  }
  if (!options.anonymous) {
    if (!options.background) state.lastForegroundAt = Date.now();
    state.onActivity?.();
  }
  return response;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, options);
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return undefined as T;
  return (await response.json()) as T;
}

/** Offers a file made in the browser (or downloaded) to the user under a name. */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Downloads a file answer (e.g. CSV or PDF) with the cookie and the headers of an API call. */
export async function download(path: string, query: Query, fallbackName: string, accept = 'text/csv'): Promise<void> {
  const response = await send('GET', path, { query, accept: `${accept}, application/problem+json` });
  const blob = await response.blob();
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const match = /filename="?([^";]+)"?/i.exec(disposition);
  saveFile(blob, match?.[1] ?? fallbackName);
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) =>
    request<T>('GET', path, { ...(query ? { query } : {}), ...(signal ? { signal } : {}) }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body === undefined ? {} : { body }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body === undefined ? {} : { body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body === undefined ? {} : { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
