// Who is logged in, and whether they are staff (GET /api/admin/ai-models/ answers 200); the
// account changes that end sessions (a new password, deleting the account).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api } from '../api/client';
import { ApiError } from '../api/errors';
import type {
  AccountDeleted,
  AccountDeleteRequest,
  Detail,
  PasswordChangeRequest,
  RegisterRequest,
  RegisterResponse,
  TokenBlacklistRequest,
  TokenObtainRequest,
  TokenPair,
} from '../api/types';
import { useToasts } from '../components/Toasts';
import { pending } from '../lib/pending';
import { REFRESH_KEY } from './tokens';

export interface AuthValue {
  username: string | null;
  /** null while not known yet. */
  isStaff: boolean | null;
  login(username: string, password: string): Promise<void>;
  register(data: RegisterRequest): Promise<void>;
  logout(): Promise<void>;
  /**
   * Changes the password. The server then refuses every refresh token and access token issued
   * before, so this logs in again at once with the new password: true when the session goes on,
   * false when that failed and the session was ended (the person must log in again). Throws the
   * ApiError of a refused change (field errors), with the session untouched.
   */
  changePassword(data: PasswordChangeRequest): Promise<boolean>;
  /** Deletes the account and everything in it, then ends the session here as logout does. */
  deleteAccount(password: string): Promise<AccountDeleted>;
}

const AuthContext = createContext<AuthValue | null>(null);

export function useAuth(): AuthValue {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

export const API_CACHE = 'resumate-api-v1';

async function clearApiCache() {
  try {
    navigator.serviceWorker?.controller?.postMessage({ type: 'clear-api-cache' });
    if (typeof caches !== 'undefined') await caches.delete(API_CACHE);
  } catch {
    // No Cache Storage here (an insecure origin or a test): nothing was cached.
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const toasts = useToasts();
  const [username, setUsername] = useState<string | null>(() => api.tokens.username);
  const [isStaff, setIsStaff] = useState<boolean | null>(null);

  useEffect(() => {
    const off = api.tokens.subscribe((event) => {
      if (event === 'login') setUsername(api.tokens.username);
      if (event === 'logout' || event === 'expired') {
        setUsername(null);
        setIsStaff(null);
        void clearApiCache();
      }
      if (event === 'expired') {
        toasts.show({ tone: 'error', message: 'Your session has ended. Please log in again.' });
      }
    });
    const onStorage = (e: StorageEvent) => {
      if (e.key === REFRESH_KEY || e.key === null) {
        api.tokens.syncFromStorage();
        setUsername(api.tokens.username);
      }
    };
    window.addEventListener('storage', onStorage);
    return () => {
      off();
      window.removeEventListener('storage', onStorage);
    };
  }, [toasts]);

  // Staff or not: asked once per login.
  useEffect(() => {
    if (!username) return;
    let cancelled = false;
    api
      .request('GET', '/api/admin/ai-models/')
      .then((res) => {
        if (!cancelled) setIsStaff(res.status === 200);
      })
      .catch(() => {
        if (!cancelled) setIsStaff(false);
      });
    return () => {
      cancelled = true;
    };
  }, [username]);

  const login = useCallback(async (name: string, password: string) => {
    const pair = await api.json<TokenPair>('POST', '/api/auth/token/', {
      body: { username: name, password } satisfies TokenObtainRequest,
      auth: false,
    });
    await clearApiCache();
    api.tokens.setSession(pair.access, pair.refresh, name.trim());
  }, []);

  const register = useCallback(
    async (data: RegisterRequest) => {
      const created = await api.json<RegisterResponse>('POST', '/api/auth/register/', {
        body: data,
        auth: false,
      });
      await login(created.username, data.password);
    },
    [login],
  );

  const logout = useCallback(async () => {
    // Deletes still waiting behind an Undo toast are sent while the token still works.
    await pending.runAll();
    const refresh = api.tokens.refreshToken;
    if (refresh) {
      try {
        await api.json('POST', '/api/auth/token/blacklist/', {
          body: { refresh } satisfies TokenBlacklistRequest,
          auth: false,
        });
      } catch (err) {
        // Already refused or unreachable: the token is forgotten here either way.
        if (!(err instanceof ApiError)) console.warn('logout: could not reach the server', err);
      }
    }
    api.tokens.clear('logout');
    await clearApiCache();
  }, []);

  const changePassword = useCallback(async (data: PasswordChangeRequest) => {
    const name = api.tokens.username;
    await api.json<Detail>('POST', '/api/auth/password/change/', { body: data });
    if (name) {
      try {
        const pair = await api.json<TokenPair>('POST', '/api/auth/token/', {
          body: { username: name, password: data.new_password } satisfies TokenObtainRequest,
          auth: false,
        });
        // The same person: the offline copies of their data stay.
        api.tokens.setSession(pair.access, pair.refresh, name);
        return true;
      } catch (err) {
        console.warn('password changed, but logging in again failed', err);
      }
    }
    // The old tokens no longer work: forget them.
    api.tokens.clear('logout');
    await clearApiCache();
    return false;
  }, []);

  const deleteAccount = useCallback(async (password: string) => {
    const result = await api.json<AccountDeleted>('DELETE', '/api/auth/account/', {
      body: { password } satisfies AccountDeleteRequest,
    });
    // Deletes waiting behind an Undo toast have nothing left to delete.
    pending.discardAll();
    api.tokens.clear('logout');
    await clearApiCache();
    return result;
  }, []);

  const value = useMemo<AuthValue>(
    () => ({ username, isStaff, login, register, logout, changePassword, deleteAccount }),
    [username, isStaff, login, register, logout, changePassword, deleteAccount],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
