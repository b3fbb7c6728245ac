// Helpers for the browser tests: the server's address and staff account (from run.mjs), the API
// over Node's fetch, Debian's chromium through playwright-core, axe-core, page watchers.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

export const BASE = process.env.RESUMATE_WEB_BASE;
if (!BASE) {
  throw new Error('RESUMATE_WEB_BASE is not set: run the suite with `node tests/web/run.mjs <binary> <dist>`');
}
export const DIST = process.env.RESUMATE_WEB_DIST;
export const STAFF = JSON.parse(process.env.RESUMATE_WEB_STAFF ?? '{}');
export const FIGURES_FILE = process.env.RESUMATE_WEB_FIGURES;
export const SCREENSHOTS = process.env.RESUMATE_SCREENSHOTS || null; // absolute (run.mjs resolves it)

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function unique(prefix) {
  return `${prefix}${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** The API over HTTP: { status, headers, body (parsed JSON when it is JSON), text }. */
export async function api(method, pathname, { token, body, headers = {} } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const r = await fetch(BASE + pathname, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: r.status, headers: r.headers, body: json, text };
}

export async function login(username, password) {
  const r = await api('POST', '/api/auth/token/', { body: { username, password } });
  if (r.status !== 200) throw new Error(`POST /api/auth/token/ for ${username}: ${r.status} ${r.text}`);
  return r.body;
}

export async function register(username, password) {
  const r = await api('POST', '/api/auth/register/', {
    body: { username, email: `${username}@example.com`, password, password2: password },
  });
  if (r.status !== 201) throw new Error(`POST /api/auth/register/ ${username}: ${r.status} ${r.text}`);
}

// Runs in every page before the app: records Content-Security-Policy violations.
function cspRecorder() {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
  });
}

/**
 * A browser context on the server with watchers on every page it opens: console errors, uncaught
 * exceptions and CSP violations are collected in `ctx.problems` (see problemsOf). Dialogs
 * (beforeunload, confirm) are accepted.
 */
export async function newContext(browser, options = {}) {
  const ctx = await browser.newContext({ baseURL: BASE, viewport: { width: 1280, height: 900 }, ...options });
  ctx.setDefaultTimeout(15_000);
  ctx.setDefaultNavigationTimeout(20_000);
  await ctx.addInitScript(cspRecorder);
  ctx.problems = { console: [], pageErrors: [], csp: [] };
  ctx.on('page', (page) => watch(page, ctx.problems));
  return ctx;
}

// Console errors that are not faults. The app finds out whether a user is staff by asking
// GET /api/admin/ai-models/ (the API has no "who am I" endpoint); for everyone else that answers
// 403, which Chromium logs as "Failed to load resource".
const EXPECTED_CONSOLE = [
  { resource: /\/api\/admin\/ai-models\/$/, text: /status of 403/ },
];

function watch(page, problems) {
  page.on('console', (msg) => {
    const text = msg.text();
    const resource = msg.location()?.url ?? '';
    const expected = EXPECTED_CONSOLE.some((e) => e.resource.test(resource) && e.text.test(text));
    if (msg.type() === 'error' && !expected) {
      problems.console.push(`${page.url()}: ${text}${resource && resource !== page.url() ? ` (${resource})` : ''}`);
    }
    if (/Content[- ]Security[- ]Policy/i.test(text)) problems.csp.push(`${page.url()}: ${text}`);
  });
  page.on('pageerror', (err) => problems.pageErrors.push(`${page.url()}: ${err.stack ?? err.message}`));
  page.on('dialog', (dialog) => dialog.accept().catch(() => {}));
}

/** Empties the context's problem lists and returns what they held (plus the page's CSP list). */
export async function takeProblems(ctx, page) {
  const out = {
    console: ctx.problems.console.splice(0),
    pageErrors: ctx.problems.pageErrors.splice(0),
    csp: ctx.problems.csp.splice(0),
  };
  if (page) {
    const seen = await page.evaluate(() => (window.__cspViolations ?? []).splice(0)).catch(() => []);
    out.csp.push(...seen);
  }
  return out;
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core over the page as it is now: the violations of impact "serious" or "critical".
 * The source goes in through page.evaluate (the DevTools protocol), since the app's
 * Content-Security-Policy rightly refuses inline script tags.
 */
export async function axeSerious(page) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    if (r.passes.length + r.incomplete.length + r.violations.length === 0) throw new Error('axe checked nothing');
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  });
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function formatViolations(label, violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`${label}: [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes.slice(0, 8)) {
      lines.push(`    at ${n.target}`);
      if (n.summary) lines.push(`      ${n.summary.replace(/\n/g, '\n      ')}`);
    }
    if (v.nodes.length > 8) lines.push(`    … and ${v.nodes.length - 8} more`);
  }
  return lines.join('\n');
}

/** A full-page PNG into RESUMATE_SCREENSHOTS, when it is set. */
export async function screenshot(page, name) {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  // No focus ring, caret or passing toast in the pictures (the toasts are hidden, not dismissed:
  // dismissing an Undo toast would commit its change).
  await page.evaluate(() => document.activeElement?.blur?.());
  const toasts = page.getByRole('region', { name: 'Notifications', includeHidden: true });
  const hide = (visibility) => toasts.evaluateAll((els, v) => els.forEach((el) => (el.style.visibility = v)), visibility);
  await hide('hidden');
  await page.waitForTimeout(250);
  try {
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: 'disabled', caret: 'hide' });
  } finally {
    await hide('');
  }
}

/** Waits until predicate() is truthy (polled), or throws with `what`. */
export async function eventually(predicate, what, { timeout = 10_000, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await predicate();
    if (last) return last;
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : Math.round((s[m - 1] + s[m]) / 2);
}
