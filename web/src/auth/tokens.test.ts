import { describe, expect, it, vi } from 'vitest';
import { ApiError, NetworkError } from '../api/errors';
import { createClient } from '../api/client';
import { fakeJwt } from '../test/jwt';
import { REFRESH_KEY, TokenManager, jwtExpiry, type KeyValueStorage, type RefreshAnswer } from './tokens';

function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & { map: Map<string, string> } {
  const map = new Map(Object.entries(initial));
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

function setup(refresh: (token: string) => Promise<RefreshAnswer>, initial: Record<string, string> = { [REFRESH_KEY]: "r1" }) {
  let now = 1_000_000_000_000;
  const timers: { fn: () => void; at: number }[] = [];
  const storage = memoryStorage(initial);
  const manager = new TokenManager({
    storage,
    refresh,
    now: () => now,
    setTimer: (fn, ms) => {
      const t = { fn, at: now + ms };
      timers.push(t);
      return t;
    },
    clearTimer: (h) => {
      const i = timers.indexOf(h as (typeof timers)[number]);
      if (i >= 0) timers.splice(i, 1);
    },
  });
  return {
    manager,
    storage,
    timers,
    advance: (ms: number) => {
      now += ms;
    },
    nowSeconds: () => Math.floor(now / 1000),
  };
}

describe('jwtExpiry', () => {
  it('reads exp from the payload in milliseconds', () => {
    expect(jwtExpiry(fakeJwt(1700000000))).toBe(1700000000 * 1000);
  });
  it('is null for something that is not a JWT', () => {
    expect(jwtExpiry('nonsense')).toBeNull();
    expect(jwtExpiry('a.!!!.c')).toBeNull();
  });
});

describe('TokenManager', () => {
  it('refreshes when there is no access token yet (after a reload) and reuses a fresh one', async () => {
    const t = setup(async () => ({ access: fakeJwt(0) }));
    const refresh = vi.fn(async () => ({ access: fakeJwt(t.nowSeconds() + 300) }));
    const { manager } = setup(refresh);
    const first = await manager.getAccessToken();
    expect(first).toMatch(/\./);
    expect(await manager.getAccessToken()).toBe(first);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(refresh).toHaveBeenCalledWith('r1');
  });

  it('shares one refresh between concurrent callers', async () => {
    let resolve!: (a: RefreshAnswer) => void;
    const refresh = vi.fn(() => new Promise<RefreshAnswer>((r) => (resolve = r)));
    const { manager, nowSeconds } = setup(refresh);
    const a = manager.getAccessToken();
    const b = manager.getAccessToken();
    const token = fakeJwt(nowSeconds() + 300);
    resolve({ access: token });
    expect(await a).toBe(token);
    expect(await b).toBe(token);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('refreshes silently a minute before the access token expires', async () => {
    const t = setup(async () => ({ access: 'unused' }));
    let n = 0;
    const refresh = vi.fn(async () => ({ access: fakeJwt(t.nowSeconds() + 300, { n: n++ }) }));
    const s = setup(refresh);
    s.manager.setSession(fakeJwt(s.nowSeconds() + 300), 'r1', 'jane');
    expect(s.timers).toHaveLength(1);
    // Scheduled 4 minutes ahead: 5-minute lifetime less the minute of leeway.
    const timer = s.timers.shift()!;
    expect(timer.at - 1_000_000_000_000).toBe(240_000);
    s.advance(240_000);
    timer.fn();
    await vi.waitFor(() => expect(refresh).toHaveBeenCalledTimes(1));
    expect(s.timers).toHaveLength(1); // the next refresh is scheduled
  });

  it('refreshes when the access token is about to expire', async () => {
    const refresh = vi.fn(async () => ({ access: 'new.token.x' }));
    const s = setup(refresh);
    s.manager.setSession(fakeJwt(s.nowSeconds() + 300), 'r1', 'jane');
    s.advance(295_000); // 5 seconds left: too little for a request
    expect(await s.manager.getAccessToken()).toBe('new.token.x');
  });

  it('keeps a rotated refresh token', async () => {
    const s = setup(async () => ({ access: 'a.b.c', refresh: 'r2' }));
    await s.manager.getAccessToken();
    expect(s.storage.map.get(REFRESH_KEY)).toBe('r2');
  });

  it('ends the session when the server refuses the refresh token', async () => {
    const s = setup(async () => {
      throw new ApiError(401, { detail: 'Token is invalid or expired', code: 'token_not_valid' });
    });
    const events: string[] = [];
    s.manager.subscribe((e) => events.push(e));
    expect(await s.manager.getAccessToken()).toBeNull();
    expect(s.manager.isLoggedIn()).toBe(false);
    expect(s.storage.map.has(REFRESH_KEY)).toBe(false);
    expect(events).toEqual(['expired']);
  });

  it('keeps the session when the server cannot be reached (offline)', async () => {
    const s = setup(async () => {
      throw new NetworkError();
    });
    expect(await s.manager.getAccessToken()).toBeNull();
    expect(s.manager.isLoggedIn()).toBe(true);
  });

  it('asks for nothing when logged out', async () => {
    const refresh = vi.fn();
    const s = setup(refresh, {});
    expect(await s.manager.getAccessToken()).toBeNull();
    expect(refresh).not.toHaveBeenCalled();
  });
});

describe('the API client', () => {
  function json(status: number, body: unknown) {
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  }

  it('retries once with a fresh token after a 401', async () => {
    const calls: { url: string; auth: string | null }[] = [];
    const stale = fakeJwt(Math.floor(Date.now() / 1000) + 300, { v: 1 });
    const fresh = fakeJwt(Math.floor(Date.now() / 1000) + 300, { v: 2 });
    const fetchImpl = vi.fn(async (url: string, init?: RequestInit) => {
      const auth = new Headers(init?.headers).get('Authorization');
      calls.push({ url, auth });
      if (url === '/api/auth/token/refresh/') return json(200, { access: fresh });
      if (auth === `Bearer ${fresh}`) return json(200, [{ id: 1 }]);
      return json(401, { detail: 'Given token not valid for any token type', code: 'token_not_valid' });
    });
    const client = createClient(fetchImpl, memoryStorage());
    client.tokens.setSession(stale, 'r1', 'jane');
    const result = await client.get<{ id: number }[]>('/api/resumes/');
    expect(result.data).toEqual([{ id: 1 }]);
    expect(calls.map((c) => c.url)).toEqual(['/api/resumes/', '/api/auth/token/refresh/', '/api/resumes/']);
    expect(calls[0].auth).toBe(`Bearer ${stale}`);
    expect(calls[2].auth).toBe(`Bearer ${fresh}`);
  });

  it('does not loop when the fresh token is refused too', async () => {
    let n = 0;
    const fetchImpl = vi.fn(async (url: string) => {
      if (url === '/api/auth/token/refresh/') return json(200, { access: fakeJwt(Math.floor(Date.now() / 1000) + 300, { n: n++ }) });
      return json(401, { detail: 'Given token not valid for any token type' });
    });
    const client = createClient(fetchImpl, memoryStorage());
    client.tokens.setSession(fakeJwt(Math.floor(Date.now() / 1000) + 300), 'r1', 'jane');
    await expect(client.json('GET', '/api/resumes/')).rejects.toMatchObject({ status: 401 });
    expect(fetchImpl).toHaveBeenCalledTimes(3); // request, refresh, one retry
  });

  it('asks again as a visitor when the session has ended', async () => {
    const fetchImpl = vi.fn(async (url: string, init?: RequestInit) => {
      if (url === '/api/auth/token/refresh/') return json(401, { detail: 'Token is invalid or expired' });
      const auth = new Headers(init?.headers).get('Authorization');
      return auth ? json(401, { detail: 'Given token not valid for any token type' }) : json(200, { data: [] });
    });
    const client = createClient(fetchImpl, memoryStorage());
    client.tokens.setSession(fakeJwt(Math.floor(Date.now() / 1000) + 300), 'r1', 'jane');
    const result = await client.get('/api/ai/models/');
    expect(result.data).toEqual({ data: [] });
    expect(client.tokens.isLoggedIn()).toBe(false);
  });

  it('turns a failed fetch into a NetworkError and reports the offline copy', async () => {
    const down = createClient(async () => {
      throw new TypeError('Failed to fetch');
    }, memoryStorage());
    await expect(down.json('GET', '/api/resumes/')).rejects.toBeInstanceOf(NetworkError);
    const cached = createClient(
      async () => new Response('[]', { status: 200, headers: { 'X-ResuMate-Offline': '1' } }),
      memoryStorage(),
    );
    expect(await cached.get('/api/resumes/')).toEqual({ data: [], offline: true });
  });
});
