/* ResuMate service worker: keeps the app shell and the last-seen resumes and job applications
 * readable offline. The build writes the shell's file list and version in place of the two
 * placeholders below (vite.config.ts, precacheManifest). Never caches /api/auth/*. */
const VERSION = '__BUILD_VERSION__';
const SHELL = [/*__PRECACHE__*/];
const SHELL_CACHE = `resumate-shell-${VERSION}`;
const API_CACHE = 'resumate-api-v1';

// GET answers kept for offline reading (network first, this copy when the network fails).
const API_CACHED = [
  /^\/api\/resumes\/$/,
  /^\/api\/resumes\/\d+\/$/,
  /^\/api\/job-applications\/$/,
  /^\/api\/job-applications\/\d+\/$/,
];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((k) => k.startsWith('resumate-shell-') && k !== SHELL_CACHE)
            .map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'clear-api-cache') {
    event.waitUntil(caches.delete(API_CACHE));
  }
});

async function networkFirstApi(request) {
  const cache = await caches.open(API_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request.url, response.clone());
    return response;
  } catch (err) {
    const cached = await cache.match(request.url);
    if (!cached) throw err;
    // Tell the app that this is the last-seen copy, not a fresh answer.
    const headers = new Headers(cached.headers);
    headers.set('X-ResuMate-Offline', '1');
    return new Response(cached.body, { status: cached.status, statusText: cached.statusText, headers });
  }
}

async function navigation(request) {
  try {
    return await fetch(request);
  } catch (err) {
    const cache = await caches.open(SHELL_CACHE);
    const shell = await cache.match('/');
    if (shell) return shell;
    throw err;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  return fetch(request);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/auth/')) return; // never cached
  if (url.pathname.startsWith('/api/')) {
    if (API_CACHED.some((re) => re.test(url.pathname)) && !url.search) {
      event.respondWith(networkFirstApi(request));
    }
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(navigation(request));
    return;
  }
  if (url.pathname.startsWith('/assets/') || SHELL.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});
