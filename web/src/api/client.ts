// The fetch wrapper every API call goes through: JSON in and out, the access token attached
// (refreshed when near expiry), and one retry with a fresh token after a 401.
import { ApiError, NetworkError, errorFromResponse, isAbortError } from './errors';
import { TokenManager, type KeyValueStorage } from '../auth/tokens';
import type { TokenRefreshRequest, TokenRefreshResponse } from './types';

export interface RequestOptions {
  body?: unknown;
  /** Send the access token (default true). */
  auth?: boolean;
  signal?: AbortSignal;
  /** Let the request outlive the page (a delayed delete flushed when the tab closes). */
  keepalive?: boolean;
  headers?: Record<string, string>;
}

export interface JsonResult<T> {
  data: T;
  /** The service worker answered with its last-seen copy: the network is down. */
  offline: boolean;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiClient {
  tokens: TokenManager;
  /** The raw response (after the 401 retry); throws NetworkError when the server is unreachable. */
  request(method: string, path: string, options?: RequestOptions): Promise<Response>;
  /** Parsed JSON of a 2xx answer (undefined for 204); throws ApiError otherwise. */
  json<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
  get<T>(path: string, options?: RequestOptions): Promise<JsonResult<T>>;
}

export function createClient(fetchImpl: Fetch, storage: KeyValueStorage): ApiClient {
  async function send(method: string, path: string, options: RequestOptions, token: string | null) {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await fetchImpl(path, {
        method,
        headers,
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
        signal: options.signal,
        keepalive: options.keepalive,
        credentials: 'same-origin',
      });
    } catch (err) {
      if (isAbortError(err)) throw err;
      throw new NetworkError(err instanceof Error ? err.message : String(err));
    }
  }

  const tokens = new TokenManager({
    storage,
    refresh: async (refresh) => {
      const res = await send('POST', '/api/auth/token/refresh/', { body: { refresh } satisfies TokenRefreshRequest }, null);
      if (!res.ok) throw await errorFromResponse(res);
      return (await res.json()) as TokenRefreshResponse;
    },
  });

  async function request(method: string, path: string, options: RequestOptions = {}) {
    const auth = options.auth ?? true;
    const token = auth ? await tokens.getAccessToken() : null;
    const res = await send(method, path, options, token);
    if (res.status === 401 && auth && tokens.isLoggedIn()) {
      // The token expired or was refused: refresh once and retry once.
      const fresh = await tokens.getAccessToken({ force: true });
      if (fresh && fresh !== token) return send(method, path, options, fresh);
      // The session ended: ask again as a visitor (some routes are open to everyone).
      if (!tokens.isLoggedIn() && token) return send(method, path, options, null);
    }
    return res;
  }

  async function json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await request(method, path, options);
    if (!res.ok) throw await errorFromResponse(res);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async function get<T>(path: string, options: RequestOptions = {}): Promise<JsonResult<T>> {
    const res = await request('GET', path, options);
    if (!res.ok) throw await errorFromResponse(res);
    return { data: (await res.json()) as T, offline: res.headers.get('X-ResuMate-Offline') === '1' };
  }

  return { tokens, request, json, get };
}

function browserStorage(): KeyValueStorage {
  try {
    const probe = '__resumate_probe__';
    window.localStorage.setItem(probe, '1');
    window.localStorage.removeItem(probe);
    return window.localStorage;
  } catch {
    const map = new Map<string, string>();
    return {
      getItem: (k) => map.get(k) ?? null,
      setItem: (k, v) => void map.set(k, v),
      removeItem: (k) => void map.delete(k),
    };
  }
}

export const api: ApiClient = createClient((input, init) => fetch(input, init), browserStorage());

export { ApiError };
