// Session tokens: the refresh token lives in localStorage (so a reload keeps you logged in), the
// access token only in memory. The access token is refreshed shortly before it expires and
// whenever the server refuses it; concurrent callers share one refresh request.
import { ApiError } from '../api/errors';

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface RefreshAnswer {
  access: string;
  refresh?: string;
}

export type SessionEvent = 'login' | 'logout' | 'expired' | 'refreshed';

export const REFRESH_KEY = 'resumate.refresh';
export const USERNAME_KEY = 'resumate.username';

/** The `exp` claim of a JWT, in milliseconds, or null when it cannot be read. */
export function jwtExpiry(token: string): number | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const payload = JSON.parse(atob(padded)) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : null;
  } catch {
    return null;
  }
}

export interface TokenManagerOptions {
  storage: KeyValueStorage;
  /** POST /api/auth/token/refresh/; throws ApiError when the server refuses the token. */
  refresh: (refreshToken: string) => Promise<RefreshAnswer>;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Refresh this long before the access token expires. */
  leewayMs?: number;
}

export class TokenManager {
  private access: string | null = null;
  private accessExpiry = 0;
  private inflight: Promise<string | null> | null = null;
  private timer: unknown = null;
  private listeners = new Set<(event: SessionEvent) => void>();
  private readonly opts: Required<TokenManagerOptions>;

  constructor(options: TokenManagerOptions) {
    this.opts = {
      now: () => Date.now(),
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      leewayMs: 60_000,
      ...options,
    };
  }

  get refreshToken(): string | null {
    return this.opts.storage.getItem(REFRESH_KEY);
  }

  get username(): string | null {
    return this.opts.storage.getItem(USERNAME_KEY);
  }

  isLoggedIn(): boolean {
    return this.refreshToken !== null;
  }

  subscribe(listener: (event: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: SessionEvent) {
    for (const l of [...this.listeners]) l(event);
  }

  /** After logging in. */
  setSession(access: string, refresh: string, username: string) {
    this.opts.storage.setItem(REFRESH_KEY, refresh);
    this.opts.storage.setItem(USERNAME_KEY, username);
    this.setAccess(access);
    this.emit('login');
  }

  /** Forgets both tokens (logging out, or the refresh token was refused). */
  clear(event: SessionEvent = 'logout') {
    const had = this.isLoggedIn() || this.access !== null;
    this.access = null;
    this.accessExpiry = 0;
    this.opts.storage.removeItem(REFRESH_KEY);
    this.opts.storage.removeItem(USERNAME_KEY);
    if (this.timer !== null) this.opts.clearTimer(this.timer);
    this.timer = null;
    if (had) this.emit(event);
  }

  /** Another tab changed the stored refresh token. */
  syncFromStorage() {
    if (!this.isLoggedIn()) this.clear('logout');
    else {
      this.access = null;
      this.accessExpiry = 0;
    }
  }

  private setAccess(access: string) {
    this.access = access;
    // A token whose expiry cannot be read is used for one minute.
    this.accessExpiry = jwtExpiry(access) ?? this.opts.now() + 60_000;
    if (this.timer !== null) this.opts.clearTimer(this.timer);
    const delay = Math.max(1_000, this.accessExpiry - this.opts.now() - this.opts.leewayMs);
    this.timer = this.opts.setTimer(() => {
      this.timer = null;
      void this.getAccessToken({ force: true });
    }, delay);
  }

  /** Whether the access token in memory is usable for a request starting now. */
  hasFreshAccess(): boolean {
    return this.access !== null && this.accessExpiry - this.opts.now() > 10_000;
  }

  /**
   * An access token for a request, refreshing first when the one in memory is missing, about to
   * expire, or `force`d (the server refused it). Null when not logged in, when the session has
   * ended (then 'expired' is emitted), or when the server cannot be reached (the session is kept).
   */
  async getAccessToken({ force = false } = {}): Promise<string | null> {
    if (!force && this.hasFreshAccess()) return this.access;
    if (!this.refreshToken) return null;
    if (!this.inflight) {
      this.inflight = this.doRefresh().finally(() => {
        this.inflight = null;
      });
    }
    return this.inflight;
  }

  private async doRefresh(): Promise<string | null> {
    const refresh = this.refreshToken;
    if (!refresh) return null;
    try {
      const answer = await this.opts.refresh(refresh);
      if (this.refreshToken !== refresh) return this.access; // logged out meanwhile
      if (answer.refresh) this.opts.storage.setItem(REFRESH_KEY, answer.refresh);
      this.setAccess(answer.access);
      this.emit('refreshed');
      return answer.access;
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 400)) {
        this.clear('expired');
      }
      return null;
    }
  }
}
