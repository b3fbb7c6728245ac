// ResuMate's web app in a real browser (issue 13, points 5, 7 and 8): Debian's chromium through
// playwright-core, against the real server that run.mjs started (RESUMATE_WEB_BASE). The tests
// run in order and share one browser; later ones reuse the account the first one registers
// (or register one through the API when it could not).
//
// Elements are chosen by role and accessible name, as web/README.md's table lists them.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import {
  BASE,
  FIGURES_FILE,
  STAFF,
  api,
  axeSerious,
  eventually,
  formatViolations,
  launchBrowser,
  login,
  median,
  newContext,
  register,
  screenshot,
  takeProblems,
  unique,
} from './lib.mjs';

const RUN = unique('').slice(-6);
const INPUT =
  'Five years as a backend developer at a logistics company, mostly Python and PostgreSQL; ' +
  'led the move to Kubernetes and mentored two juniors; BSc in Computer Science from Leeds.';

/** Shared across the tests (they run one after another). */
const state = {
  browser: null,
  user: null, // { username, password, ctx, page, resumeId, resumeTitle }
  staff: null, // { ctx, page }
  visitor: null, // { ctx, page }: never logs in
  figures: {},
};

before(async () => {
  state.browser = await launchBrowser();
});

after(async () => {
  await state.browser?.close();
  if (FIGURES_FILE) writeFileSync(FIGURES_FILE, JSON.stringify(state.figures, null, 2));
});

function label(app) {
  return app.company_name ? `${app.job_title} at ${app.company_name}` : app.job_title;
}

/** A board column: the section headed by the status (its name also holds the count). */
function column(page, status) {
  return page.getByRole('region', { name: new RegExp(`^${status}\\b`) });
}

function nav(page) {
  return page.getByRole('navigation', { name: 'Main' });
}

async function assertNoProblems(ctx, page, where) {
  const p = await takeProblems(ctx, page);
  const lines = [
    ...p.pageErrors.map((e) => `uncaught: ${e}`),
    ...p.console.map((e) => `console error: ${e}`),
    ...p.csp.map((e) => `CSP violation: ${e}`),
  ];
  assert.deepEqual(lines, [], `${where}: ${lines.join('\n')}`);
}

async function uiLogin(page, username, password, next = '/resumes') {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
  await page.waitForURL((u) => u.pathname === next);
}

async function visitor() {
  if (!state.visitor) {
    const ctx = await newContext(state.browser);
    state.visitor = { ctx, page: await ctx.newPage() };
  }
  return state.visitor;
}

/** The job seeker's context, logged in: the one the first scenario made, or a new one. */
async function user() {
  if (state.user?.page && !state.user.page.isClosed()) return state.user;
  const username = unique('seeker_');
  const password = `Kite-river-${RUN}-Tq7!`;
  await register(username, password);
  const { access } = await login(username, password);
  const title = `Fallback resume ${RUN}`;
  const r = await api('POST', '/api/resumes/', { token: access, body: { title, content: '# Jane Doe\n\n## Experience\n\n- Backend developer' } });
  const ctx = await newContext(state.browser);
  const page = await ctx.newPage();
  await uiLogin(page, username, password);
  state.user = { username, password, ctx, page, resumeId: r.body.id, resumeTitle: title };
  return state.user;
}

async function userToken() {
  const u = await user();
  return (await login(u.username, u.password)).access;
}

async function staff() {
  if (state.staff) return state.staff;
  const ctx = await newContext(state.browser);
  const page = await ctx.newPage();
  await uiLogin(page, STAFF.username, STAFF.password);
  state.staff = { ctx, page };
  return state.staff;
}

/** POST /api/ai/generate/stream/ anonymously: when (ms) each read carrying a delta arrived. */
async function streamArrivals(body) {
  const start = performance.now();
  const r = await fetch(`${BASE}/api/ai/generate/stream/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
    body: JSON.stringify(body),
  });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /^text\/event-stream/);
  const arrivals = [];
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of r.body) {
    const piece = decoder.decode(chunk, { stream: true });
    text += piece;
    if (piece.includes('"delta"')) arrivals.push(Math.round(performance.now() - start));
  }
  assert.match(text, /event: done/, 'the stream did not end with a done event');
  return arrivals;
}

// ---------------------------------------------------------------------------------------------

test('serving: / is the app with a strict CSP, no console errors or CSP violations, a manifest with icons', async () => {
  const r = await fetch(`${BASE}/`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /^text\/html/);
  const csp = r.headers.get('content-security-policy') ?? '';
  assert.ok(csp.includes("script-src 'self'"), `CSP without script-src 'self': ${csp}`);
  const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src')) ?? '';
  assert.doesNotMatch(scriptSrc, /unsafe-inline|unsafe-eval|\*/, `script-src allows more than the origin: ${scriptSrc}`);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(r.headers.get('referrer-policy'), 'no Referrer-Policy');
  assert.equal(r.headers.get('cache-control'), 'no-cache');

  const { ctx, page } = await visitor();
  await page.goto('/');
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.match(await page.title(), /ResuMate/);
  // A few pages through the navigation, as a visitor.
  await nav(page).getByRole('link', { name: 'Tracker' }).click();
  await page.getByRole('article').first().waitFor();
  await nav(page).getByRole('link', { name: 'Generate' }).click();
  await page.getByLabel('Model').waitFor();
  await nav(page).getByRole('link', { name: 'Resumes' }).click();
  await page.getByRole('link', { name: 'Log in to continue' }).waitFor();
  await page.getByRole('link', { name: 'Log in', exact: true }).click();
  await page.getByLabel('Username', { exact: true }).waitFor();
  await assertNoProblems(ctx, page, 'visiting /, /tracker, /generate, /resumes, /login');

  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  assert.ok(href, 'no <link rel="manifest">');
  const m = await fetch(new URL(href, BASE));
  assert.equal(m.status, 200);
  const manifest = JSON.parse(await m.text());
  assert.ok(manifest.name && manifest.short_name && manifest.start_url, 'manifest without name/short_name/start_url');
  assert.ok(Array.isArray(manifest.icons) && manifest.icons.length > 0, 'manifest without icons');
  assert.ok(manifest.icons.some((i) => /\b(192x192|512x512)\b/.test(i.sizes ?? '')), 'no 192 or 512 px icon');
  for (const icon of manifest.icons) {
    const ir = await fetch(new URL(icon.src, BASE));
    assert.equal(ir.status, 200, `${icon.src}: ${ir.status}`);
    assert.match(ir.headers.get('content-type') ?? '', /^image\//, `${icon.src}: not an image`);
    await ir.arrayBuffer();
  }
});

test('a visitor sees the example board, registers, generates a resume that streams in, edits and saves it', async (t) => {
  const examples = await api('GET', '/api/example-job-applications/');
  assert.equal(examples.status, 200);
  assert.equal(examples.body.data.length, 5, 'the server should seed 5 example applications');

  const ctx = await newContext(state.browser);
  const page = await ctx.newPage();
  const username = unique('seeker_');
  const password = `Kite-river-${RUN}-Tq7!`;

  // The example board, read-only.
  await page.goto('/tracker');
  for (const app of examples.body.data) {
    const card = column(page, app.status).getByRole('article', { name: label(app) });
    await card.waitFor();
  }
  assert.equal(await page.getByRole('button', { name: /^Delete / }).count(), 0, 'the example board offers Delete');
  await page.getByRole('link', { name: 'Log in to your tracker' }).waitFor();
  await screenshot(page, 'example-board');

  // Register from there.
  await page.getByRole('link', { name: 'Register to track yours' }).click();
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Email', { exact: true }).fill(`${username}@example.com`);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
  await page.waitForURL((u) => u.pathname === '/tracker');
  state.user = { username, password, ctx, page };

  // Generate with the offline model: the text arrives in pieces.
  await nav(page).getByRole('link', { name: 'Generate' }).click();
  const title = `Browser test resume ${RUN}`;
  await page.getByLabel('Model').selectOption({ label: 'ResuMate Offline' });
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('Describe your experience').fill(INPUT);
  await page.getByText(/characters: enough to start/).waitFor();
  // Observed in the page itself, at every change of the DOM (no polling to miss pieces): the
  // length of the Generated resume article's text, until the "Open in editor" link appears.
  await page.evaluate(() => {
    const seen = (window.__generatedLengths = []);
    window.__generationDone = false;
    const observer = new MutationObserver(() => {
      if (window.__generationDone) return;
      if ([...document.querySelectorAll('a')].some((a) => a.textContent.trim() === 'Open in editor')) {
        window.__generationDone = true;
        observer.disconnect();
        return;
      }
      const n = document.querySelector('article[aria-label="Generated resume"]')?.textContent.length ?? -1;
      if (n > 0 && n !== seen.at(-1)) seen.push(n);
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.getByRole('article', { name: 'Generated resume' }).waitFor();
  await page.getByRole('link', { name: 'Open in editor' }).waitFor({ timeout: 30_000 });
  const lengths = await page.evaluate(() => window.__generatedLengths);
  assert.ok(lengths.length >= 3, `the text should arrive in pieces; lengths seen before the end: ${lengths.join(', ')}`);
  for (let i = 1; i < lengths.length; i++) {
    assert.ok(lengths[i] > lengths[i - 1], `the text shrank while streaming: ${lengths.join(', ')}`);
  }
  t.diagnostic(`generated text lengths seen while streaming: ${lengths.length} (${lengths.slice(0, 6).join(', ')}, … ${lengths.at(-1)})`);
  // The app reveals text piece by piece whatever the network does; the server must stream too:
  // its events arrive spread over time, not in one burst at the end.
  const arrivals = await streamArrivals({ model: 'ResuMate Offline', user_input: INPUT });
  const spread = arrivals.at(-1) - arrivals[0];
  t.diagnostic(`the stream's deltas arrived in ${arrivals.length} reads over ${spread} ms`);
  assert.ok(arrivals.length >= 3 && spread >= 100, `the server did not stream: ${arrivals.length} reads over ${spread} ms`);
  const finalText = await page.getByRole('article', { name: 'Generated resume' }).textContent();
  assert.ok(finalText.length >= lengths.at(-1), 'the final text is shorter than what streamed');
  await page.getByRole('status').filter({ hasText: 'Saved as' }).waitFor();
  await screenshot(page, 'generate');

  // Open it in the editor, append a line, save.
  await page.getByRole('link', { name: 'Open in editor' }).click();
  await page.waitForURL(/\/resumes\/\d+$/);
  const resumeId = Number(new URL(page.url()).pathname.split('/').at(-1));
  const markdown = page.getByLabel('Markdown', { exact: true });
  await markdown.waitFor();
  assert.equal(await page.getByLabel('Title', { exact: true }).inputValue(), title);
  const original = await markdown.inputValue();
  assert.ok(original.length > 100, 'the editor opened an empty resume');
  const line = `- Added in the browser ${RUN}`;
  await markdown.fill(`${original.trimEnd()}\n\n${line}\n`);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'All changes saved.' }).waitFor();

  // Reload: the edit is there, in the textarea and the preview.
  await page.reload();
  await markdown.waitFor();
  assert.ok((await markdown.inputValue()).includes(line), 'the saved line is not in the textarea after a reload');
  await page.getByRole('article', { name: 'Resume preview' }).getByText(`Added in the browser ${RUN}`).waitFor();
  await screenshot(page, 'editor');

  const token = await userToken();
  const saved = await api('GET', `/api/resumes/${resumeId}/`, { token });
  assert.ok(saved.body.content.includes(line), 'the API does not have the edit');
  Object.assign(state.user, { resumeId, resumeTitle: title });

  await nav(page).getByRole('link', { name: 'Resumes' }).click();
  await page.getByRole('link', { name: title, exact: true }).waitFor();
  await screenshot(page, 'resumes');
  await assertNoProblems(ctx, page, 'the visitor flow');
});

test('generate: Cancel stops the stream and nothing is saved', async (t) => {
  const u = await user();
  const page = u.page;
  const token = await userToken();
  const before = (await api('GET', '/api/resumes/', { token })).body.length;
  await page.goto('/generate');
  await page.getByLabel('Model').selectOption({ label: 'ResuMate Offline' });
  await page.getByLabel('Title', { exact: true }).fill(`Cancelled ${RUN}`);
  await page.getByLabel('Describe your experience').fill(INPUT);
  // Cancel is clicked by the page itself as soon as the first streamed text is on screen: a click
  // sent from here could come after the end of the paced stream on a busy machine, and then there
  // would be nothing left to cancel.
  await page.evaluate(() => {
    const w = window;
    w.__cancel = { clicked: false, chars: -1 };
    const observer = new MutationObserver(() => {
      const text = document.getElementById('generated-resume')?.textContent ?? '';
      const cancel = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Cancel');
      if (text.length > 0 && cancel) {
        w.__cancel = { clicked: true, chars: text.length };
        cancel.click();
        observer.disconnect();
      }
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Cancelled. Nothing was saved.' }).waitFor();
  const cancelled = await page.evaluate(() => window.__cancel);
  assert.ok(cancelled.clicked, 'Cancel was not clicked while the text streamed in');
  t.diagnostic(`Cancel clicked with ${cancelled.chars} characters of the resume on screen`);
  assert.equal(await page.getByRole('link', { name: 'Open in editor' }).count(), 0);
  await page.waitForTimeout(1500); // past the end of the stream, had it gone on
  const after = (await api('GET', '/api/resumes/', { token })).body;
  assert.equal(after.length, before, `a cancelled generation was saved: ${after.map((r) => r.title).join(', ')}`);
  // The form works again.
  await page.getByRole('button', { name: 'Generate', exact: true }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Generate', exact: true }).isEnabled(), true);
});

test('the preview is sanitized: no script from a resume runs', async (t) => {
  const u = await user();
  const token = await userToken();
  const content = [
    '# Mallory',
    '',
    '<script>window.__pwned=1</script>',
    '',
    '<img src=x onerror="window.__pwned=1">',
    '',
    '[x](javascript:window.__pwned=1)',
    '',
    '[ok](https://example.com/)',
  ].join('\n');
  const r = await api('POST', '/api/resumes/', { token, body: { title: `Hostile ${RUN}`, content } });
  assert.equal(r.status, 201);
  const page = u.page;
  await page.goto(`/resumes/${r.body.id}`);
  const preview = page.getByRole('article', { name: 'Resume preview' });
  await preview.getByRole('heading', { name: 'Mallory' }).waitFor();
  await page.waitForTimeout(300); // an <img onerror> would have fired by now
  assert.equal(await page.evaluate(() => typeof window.__pwned), 'undefined');
  const found = await preview.evaluate((el) => ({
    scripts: el.querySelectorAll('script').length,
    onerror: el.querySelectorAll('[onerror]').length,
    imgs: el.querySelectorAll('img').length,
    jsLinks: [...el.querySelectorAll('a')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href') ?? '')).length,
    anyOn: [...el.querySelectorAll('*')].filter((n) => [...n.attributes].some((a) => a.name.startsWith('on'))).length,
  }));
  assert.deepEqual(found, { scripts: 0, onerror: 0, imgs: 0, jsLinks: 0, anyOn: 0 });
  t.diagnostic(`the javascript: link rendered as: ${await preview.locator('p').filter({ hasText: 'javascript' }).first().innerHTML().catch(() => '(nothing)')}`);
  // Click whatever the javascript: link became (text or a harmless link).
  const x = preview.getByText('x', { exact: true });
  const xLink = preview.getByRole('link', { name: 'x', exact: true });
  if (await xLink.count()) await xLink.click();
  else if (await x.count()) await x.first().click();
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => typeof window.__pwned), 'undefined');
  assert.equal(new URL(page.url()).pathname, `/resumes/${r.body.id}`);
  // The safe link is a link, kept from the opener.
  const ok = preview.getByRole('link', { name: 'ok' });
  assert.equal(await ok.getAttribute('href'), 'https://example.com/');
  assert.match((await ok.getAttribute('rel')) ?? '', /noopener/);
  await api('DELETE', `/api/resumes/${r.body.id}/`, { token });
});

test('tracker: add through the form, move by drag and by keyboard, list sort, delete with undo', { timeout: 90_000 }, async () => {
  const u = await user();
  const page = u.page;
  const token = await userToken();
  const company = `Acme ${RUN}`;
  const name = `Platform Engineer at ${company}`;

  // Add through the form, with the resume used chosen from the user's own.
  await page.goto('/tracker');
  await page.getByRole('link', { name: 'Add application' }).first().click();
  await page.waitForURL((x) => x.pathname === '/tracker/new');
  await page.getByLabel('Job title').fill('Platform Engineer');
  await page.getByLabel('Company').fill(company);
  await page.getByLabel('Status').selectOption('Applied');
  await page.getByLabel('Date applied').fill('2026-11-20');
  const resumeSelect = page.getByLabel('Resume used');
  await resumeSelect.locator('option', { hasText: u.resumeTitle }).waitFor({ state: 'attached' });
  await resumeSelect.selectOption({ label: u.resumeTitle });
  await page.getByLabel('Job description').fill('Run our PostgreSQL and Kubernetes platform.');
  await page.getByLabel('Notes').fill('Referred by Sam.');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.waitForURL((x) => x.pathname === '/tracker');
  const card = column(page, 'Applied').getByRole('article', { name });
  await card.waitFor();

  const list = await api('GET', '/api/job-applications/', { token });
  const created = list.body.find((a) => a.company_name === company);
  assert.ok(created, 'the application is not in the API');
  assert.equal(created.resume_used, u.resumeId);
  assert.equal(created.date_applied, '2026-11-20');
  assert.equal(created.status, 'Applied');
  const patched = (id) => (r) => r.url().endsWith(`/api/job-applications/${id}/`) && r.request().method() === 'PATCH';

  // A second one, through the API, for the menu and the sort.
  const other = await api('POST', '/api/job-applications/', {
    token,
    body: { job_title: 'Backend Developer', company_name: `Zeta ${RUN}`, date_applied: '2026-11-02', status: 'Applied' },
  });
  assert.equal(other.status, 201);
  const otherName = label(other.body);
  await page.reload();
  await column(page, 'Applied').getByRole('article', { name: otherName }).waitFor();

  // By drag: Applied → Interviewing.
  let saved = page.waitForResponse(patched(created.id));
  await card.dragTo(column(page, 'Interviewing'));
  assert.equal((await saved).status(), 200);
  await column(page, 'Interviewing').getByRole('article', { name }).waitFor();

  // By keyboard: → Offer, ← back to Interviewing; focus stays on the card.
  const moving = page.getByRole('article', { name });
  await moving.focus();
  saved = page.waitForResponse(patched(created.id));
  await page.keyboard.press('ArrowRight');
  assert.equal((await saved).status(), 200);
  await column(page, 'Offer').getByRole('article', { name }).waitFor();
  await eventually(() => moving.evaluate((el) => el === document.activeElement), 'focus to stay on the moved card', { timeout: 3000 });
  saved = page.waitForResponse(patched(created.id));
  await page.keyboard.press('ArrowLeft');
  assert.equal((await saved).status(), 200);
  await column(page, 'Interviewing').getByRole('article', { name }).waitFor();

  // The "Move to…" menu, by keyboard, for the other card: → Rejected.
  const otherCard = page.getByRole('article', { name: otherName });
  await otherCard.getByRole('button', { name: 'Move to…' }).focus();
  await page.keyboard.press('Enter');
  const target = otherCard.getByRole('button', { name: 'Move to Rejected' });
  await target.waitFor();
  await target.focus();
  saved = page.waitForResponse(patched(other.body.id));
  await page.keyboard.press('Enter');
  assert.equal((await saved).status(), 200);
  await column(page, 'Rejected').getByRole('article', { name: otherName }).waitFor();

  // Reload: still there.
  await page.reload();
  await column(page, 'Interviewing').getByRole('article', { name }).waitFor();
  await column(page, 'Rejected').getByRole('article', { name: otherName }).waitFor();
  assert.equal((await api('GET', `/api/job-applications/${created.id}/`, { token })).body.status, 'Interviewing');
  assert.equal((await api('GET', `/api/job-applications/${other.body.id}/`, { token })).body.status, 'Rejected');
  await screenshot(page, 'tracker-board');

  // The list view sorts by a column.
  await page.getByRole('button', { name: 'List', exact: true }).click();
  assert.equal(await page.getByRole('button', { name: 'List', exact: true }).getAttribute('aria-pressed'), 'true');
  const table = page.getByRole('table');
  await table.waitFor();
  const companyHeader = table.getByRole('columnheader', { name: /Company/ });
  const firstRowCompany = () => table.locator('tbody tr').first().locator('td').nth(1).textContent();
  await table.getByRole('button', { name: 'Company' }).click();
  assert.equal(await companyHeader.getAttribute('aria-sort'), 'ascending');
  assert.equal(await firstRowCompany(), company);
  await table.getByRole('button', { name: 'Company' }).click();
  assert.equal(await companyHeader.getAttribute('aria-sort'), 'descending');
  assert.equal(await firstRowCompany(), `Zeta ${RUN}`);
  await screenshot(page, 'tracker-list');
  await page.getByRole('button', { name: 'Board', exact: true }).click();
  await column(page, 'Interviewing').waitFor();

  // Delete, Undo: still there after a reload.
  await page.getByRole('button', { name: `Delete ${name}` }).click();
  await page.getByRole('article', { name }).waitFor({ state: 'detached' });
  const notifications = page.getByRole('region', { name: 'Notifications' });
  await notifications.getByText(`Deleted ${name}.`).waitFor();
  await notifications.getByRole('button', { name: 'Undo' }).click();
  await column(page, 'Interviewing').getByRole('article', { name }).waitFor();
  await page.waitForTimeout(500);
  await page.reload();
  await column(page, 'Interviewing').getByRole('article', { name }).waitFor();
  assert.equal((await api('GET', `/api/job-applications/${created.id}/`, { token })).status, 200, 'undone delete reached the server');

  // Delete without Undo: gone once the undo window has passed.
  const started = Date.now();
  await page.getByRole('button', { name: `Delete ${name}` }).click();
  await page.getByRole('article', { name }).waitFor({ state: 'detached' });
  await page.mouse.move(1, 1); // the toast pauses while hovered
  assert.equal((await api('GET', `/api/job-applications/${created.id}/`, { token })).status, 200, 'deleted before the undo window ended');
  await eventually(
    async () => (await api('GET', `/api/job-applications/${created.id}/`, { token })).status === 404,
    'the delete to reach the server after the undo window',
    { timeout: 12_000, interval: 250 },
  );
  const waited = Date.now() - started;
  assert.ok(waited >= 5000, `deleted after ${waited} ms, before the 6 s undo window`);
  await page.reload();
  await column(page, 'Rejected').getByRole('article', { name: otherName }).waitFor();
  assert.equal(await page.getByRole('article', { name }).count(), 0, 'the deleted application is back after a reload');
  await assertNoProblems(u.ctx, page, 'the tracker');
});

test('staff: disables a model, a visitor no longer sees it in the picker, re-enables it', async () => {
  const { ctx, page } = await staff();
  const link = nav(page).getByRole('link', { name: 'AI models' });
  await link.waitFor();
  await link.click();
  await page.waitForURL((u) => u.pathname === '/admin/models');
  await page.getByRole('link', { name: 'Add model' }).waitFor();
  await page.getByRole('button', { name: 'Disable Deepseek' }).waitFor();
  await screenshot(page, 'admin-models');

  const anon = await newContext(state.browser);
  const anonPage = await anon.newPage();
  const pickerOptions = async () => {
    await anonPage.goto('/generate');
    const model = anonPage.getByLabel('Model');
    await model.locator('option').first().waitFor({ state: 'attached' });
    return model.locator('option').allTextContents();
  };
  try {
    assert.ok((await pickerOptions()).some((o) => o.startsWith('Deepseek')), 'Deepseek is not offered to begin with');
    await page.getByRole('button', { name: 'Disable Deepseek' }).click();
    await page.getByRole('button', { name: 'Enable Deepseek' }).waitFor();
    const without = await pickerOptions();
    assert.ok(!without.some((o) => o.startsWith('Deepseek')), `a visitor still sees Deepseek: ${without.join(', ')}`);
    assert.ok(without.includes('ResuMate Offline'), `the offline model is gone: ${without.join(', ')}`);
    assert.ok(without.some((o) => o.startsWith('Google Gemini') && o.includes('(log in required)')), 'Gemini is not marked "log in required"');
  } finally {
    if (await page.getByRole('button', { name: 'Enable Deepseek' }).count()) {
      await page.getByRole('button', { name: 'Enable Deepseek' }).click();
      await page.getByRole('button', { name: 'Disable Deepseek' }).waitFor();
    }
  }
  assert.ok((await pickerOptions()).some((o) => o.startsWith('Deepseek')), 'Deepseek is not back after Enable');
  await assertNoProblems(ctx, page, 'the AI models page');
  await assertNoProblems(anon, anonPage, 'the generate page as a visitor');
  await anon.close();
});

test('accessibility: axe-core finds no serious or critical violation on the main pages', { timeout: 120_000 }, async (t) => {
  const u = await user();
  const s = await staff();
  const v = await visitor();
  const token = await userToken();
  const models = await api('GET', '/api/admin/ai-models/', { token: (await login(STAFF.username, STAFF.password)).access });
  const deepseek = models.body.find((m) => m.display_name === 'Deepseek') ?? models.body[0];
  const report = [];
  let pages = 0;
  const check = async (who, path, ready, labelText = path) => {
    pages += 1;
    await who.page.goto(path);
    await ready(who.page);
    await who.page.waitForTimeout(100);
    const violations = await axeSerious(who.page);
    if (violations.length) report.push(formatViolations(`${labelText}`, violations));
  };
  const heading = (p) => p.getByRole('heading', { level: 1 }).waitFor();

  await check(v, '/', heading, '/ (visitor)');
  await check(v, '/tracker', (p) => p.getByRole('article').first().waitFor(), '/tracker (example board)');
  await check(v, '/login', (p) => p.getByLabel('Username', { exact: true }).waitFor());
  await check(v, '/login', async (p) => {
    await p.getByLabel('Username', { exact: true }).fill('nobody');
    await p.getByLabel('Password', { exact: true }).fill('wrong-password');
    await p.getByRole('button', { name: 'Log in', exact: true }).click();
    await p.getByText('No active account found with the given credentials').waitFor();
  }, '/login (with an error)');
  await check(v, '/register', (p) => p.getByLabel('Confirm password').waitFor());
  await check(v, '/generate', (p) => p.getByLabel('Model').locator('option').first().waitFor({ state: 'attached' }), '/generate (visitor)');
  await check(u, '/resumes', (p) => p.getByRole('link', { name: u.resumeTitle, exact: true }).waitFor());
  await check(u, `/resumes/${u.resumeId}`, (p) => p.getByRole('article', { name: 'Resume preview' }).waitFor(), '/resumes/:id (editor)');
  await check(u, '/generate', (p) => p.getByLabel('Model').locator('option').first().waitFor({ state: 'attached' }), '/generate (logged in)');
  await u.page.getByLabel('Model').selectOption({ label: 'ResuMate Offline' });
  await u.page.getByLabel('Describe your experience').fill(INPUT);
  await u.page.getByRole('button', { name: 'Generate', exact: true }).click();
  await u.page.getByRole('link', { name: 'Open in editor' }).waitFor({ timeout: 30_000 });
  {
    const violations = await axeSerious(u.page);
    if (violations.length) report.push(formatViolations('/generate (with a generated resume)', violations));
    pages += 1;
  }
  // The tracker with at least one card.
  await api('POST', '/api/job-applications/', { token, body: { job_title: 'QA Engineer', company_name: `Axe ${RUN}`, status: 'Offer' } });
  await check(u, '/tracker', async (p) => {
    await p.getByRole('article').first().waitFor();
    if ((await p.getByRole('button', { name: 'Board', exact: true }).getAttribute('aria-pressed')) !== 'true') {
      await p.getByRole('button', { name: 'Board', exact: true }).click();
    }
    await p.getByRole('article').first().waitFor();
  }, '/tracker (board)');
  await u.page.getByRole('article').first().getByRole('button', { name: 'Move to…' }).click();
  await u.page.getByRole('button', { name: /^Move to [A-Z]/ }).first().waitFor();
  {
    const violations = await axeSerious(u.page);
    if (violations.length) report.push(formatViolations('/tracker (board, "Move to…" menu open)', violations));
    pages += 1;
  }
  await u.page.keyboard.press('Escape');
  await u.page.getByRole('button', { name: 'List', exact: true }).click();
  await u.page.getByRole('table').waitFor();
  {
    const violations = await axeSerious(u.page);
    if (violations.length) report.push(formatViolations('/tracker (list)', violations));
    pages += 1;
  }
  await u.page.getByRole('button', { name: 'Board', exact: true }).click();
  await check(u, '/tracker/new', (p) => p.getByLabel('Resume used').waitFor(), '/tracker/new (application form)');
  await check(u, '/settings', (p) => p.getByText(/You have no API keys|Last used/).first().waitFor(), '/settings');
  await check(s, '/admin/models', (p) => p.getByRole('button', { name: /^(Disable|Enable) / }).first().waitFor());
  await check(s, '/admin/models/new', (p) => p.getByLabel('Display name').waitFor(), '/admin/models/new (model form)');
  await check(s, `/admin/models/${deepseek.id}`, async (p) => {
    await p.getByLabel('Display name').waitFor();
    await eventually(async () => (await p.getByLabel('Display name').inputValue()) !== '', 'the model form to fill in', { timeout: 5000 });
  }, '/admin/models/:id (model form)');

  t.diagnostic(`axe-core ran on ${pages} page states`);
  assert.equal(report.length, 0, `serious or critical accessibility violations:\n${report.join('\n')}`);
});

test('register: the API\'s field errors are shown beside their fields', async () => {
  const u = await user();
  const { ctx, page } = await visitor();
  await page.goto('/register');
  await page.getByLabel('Username', { exact: true }).fill(u.username);
  await page.getByLabel('Email', { exact: true }).fill('not-an-email');
  await page.getByLabel('Password', { exact: true }).fill('123');
  await page.getByLabel('Confirm password', { exact: true }).fill('123');
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  const description = (field) =>
    page.getByLabel(field, { exact: true }).evaluate((el) =>
      (el.getAttribute('aria-describedby') ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' '),
    );
  await page.getByText('A user with that username already exists.').waitFor();
  assert.match(await description('Username'), /A user with that username already exists\./);
  assert.match(await description('Email'), /Enter a valid email address\./);
  assert.match(await description('Password'), /This password is too short/);
  assert.equal(await page.getByLabel('Username', { exact: true }).getAttribute('aria-invalid'), 'true');
  assert.equal(new URL(page.url()).pathname, '/register');
  await takeProblems(ctx, page); // the 400 answer is logged by the browser
});

test('keyboard: Tab through the login form reaches Username, Password, Log in in order, with visible focus', async () => {
  const { page } = await visitor();
  await page.goto('/login');
  await page.getByLabel('Username', { exact: true }).waitFor();
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const cs = getComputedStyle(el);
      const name =
        el.labels?.[0]?.textContent.trim() ?? el.getAttribute('aria-label') ?? el.textContent.trim();
      const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
      const shadow = cs.boxShadow !== 'none';
      return { tag: el.tagName, name, visible: outline || shadow, style: `outline: ${cs.outlineStyle} ${cs.outlineWidth}; box-shadow: ${cs.boxShadow}` };
    });
  let current = null;
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    current = await focused();
    if (current?.tag === 'INPUT' && current.name === 'Username') break;
  }
  assert.equal(current?.name, 'Username', 'Tab never reached the Username field');
  const order = [current];
  for (let i = 0; i < 2; i++) {
    await page.keyboard.press('Tab');
    order.push(await focused());
  }
  assert.deepEqual(order.map((o) => o?.name), ['Username', 'Password', 'Log in']);
  for (const o of order) assert.ok(o.visible, `no visible focus indicator on ${o.name} (${o.style})`);
});

test('mobile: at 375×740 the navigation is reachable, nothing scrolls sideways, pages are usable', { timeout: 90_000 }, async () => {
  const u = await user();
  const ctx = await newContext(state.browser, { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  const noSideScroll = async (where) => {
    const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(w <= 375, `${where}: the page is ${w} px wide at 375 px`);
  };
  await page.goto('/');
  await page.getByRole('heading', { level: 1 }).waitFor();
  await noSideScroll('/');
  await screenshot(page, 'mobile-home');

  const openMenu = async () => {
    const menu = page.getByRole('button', { name: /menu/i });
    if ((await menu.count()) && (await menu.first().isVisible()) && (await menu.first().getAttribute('aria-expanded')) !== 'true') {
      await menu.first().click();
    }
  };
  await openMenu();
  const tracker = nav(page).getByRole('link', { name: 'Tracker' });
  await tracker.waitFor();
  const box = await tracker.boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 375, `the Tracker link is outside the screen: ${JSON.stringify(box)}`);
  await tracker.tap();
  await page.getByRole('article').first().waitFor();
  await noSideScroll('/tracker (example board)');
  for (const path of ['/generate', '/register', '/login']) {
    await page.goto(path);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await noSideScroll(path);
  }
  // Log in on the phone and use the pages.
  await page.getByLabel('Username', { exact: true }).fill(u.username);
  await page.getByLabel('Password', { exact: true }).fill(u.password);
  await page.getByRole('button', { name: 'Log in', exact: true }).tap();
  await page.getByRole('link', { name: u.resumeTitle, exact: true }).waitFor();
  await noSideScroll('/resumes');
  await page.getByRole('link', { name: u.resumeTitle, exact: true }).tap();
  await page.getByLabel('Markdown', { exact: true }).waitFor();
  await page.getByRole('article', { name: 'Resume preview' }).waitFor();
  await noSideScroll('/resumes/:id');
  await page.goto('/settings');
  await page.getByRole('heading', { name: 'API keys' }).waitFor();
  await noSideScroll('/settings');
  const settingsLink = await page.getByRole('banner').getByRole('link', { name: 'Settings', exact: true }).boundingBox();
  assert.ok(settingsLink && settingsLink.x >= 0 && settingsLink.x + settingsLink.width <= 375, `the Settings link is outside the screen: ${JSON.stringify(settingsLink)}`);
  await page.goto('/tracker');
  await page.getByRole('article').first().waitFor();
  await noSideScroll('/tracker (board)');
  await screenshot(page, 'mobile-tracker');
  const violations = await axeSerious(page);
  assert.equal(violations.length, 0, `at 375 px:\n${formatViolations('/tracker (board, 375 px)', violations)}`);
  await assertNoProblems(ctx, page, 'the app at 375 px');
  await ctx.close();
});

test('offline: the service worker registers and keeps the app shell and the last-seen resumes readable', async () => {
  const u = await user();
  const { ctx, page } = u;
  await page.goto('/resumes');
  await page.getByRole('link', { name: u.resumeTitle, exact: true }).waitFor();
  const ready = await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    return { scope: reg.scope, active: !!reg.active };
  });
  assert.ok(ready.active, 'no active service worker');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 10_000 });
  // Seen while online (and so under the service worker).
  await page.reload();
  await page.getByRole('link', { name: u.resumeTitle, exact: true }).waitFor();
  await page.goto('/tracker');
  await page.getByRole('article').first().waitFor();
  const cardNames = await page.getByRole('article').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  await page.goto('/resumes');
  await page.getByRole('link', { name: u.resumeTitle, exact: true }).waitFor();

  await ctx.setOffline(true);
  try {
    await page.reload();
    await page.getByRole('link', { name: 'ResuMate home' }).waitFor();
    // Really offline: the browser says so, and an answer the service worker does not keep fails.
    assert.equal(await page.evaluate(() => navigator.onLine), false);
    await page.getByRole('status').filter({ hasText: 'You are offline' }).first().waitFor();
    const uncached = await page.evaluate(() =>
      fetch('/api/example-job-applications/').then((r) => `answered ${r.status}`, () => 'failed'),
    );
    assert.equal(uncached, 'failed', 'the network is still reachable with the context offline');
    await nav(page).getByRole('link', { name: 'Tracker' }).waitFor();
    await page.getByRole('link', { name: u.resumeTitle, exact: true }).waitFor();
    await nav(page).getByRole('link', { name: 'Tracker' }).click();
    await page.getByRole('article', { name: cardNames[0] }).waitFor();
  } finally {
    await ctx.setOffline(false);
  }
  await takeProblems(ctx, page); // failed fetches while offline are expected
});

test('API docs: /api/docs/ renders the operations without console errors; /api/schema/ is valid OpenAPI 3.1', async () => {
  const schema = await api('GET', '/api/schema/');
  assert.equal(schema.status, 200);
  assert.match(schema.body?.openapi ?? '', /^3\.1\./);
  const validator = new Validator();
  const result = await validator.validate(schema.body);
  assert.ok(result.valid, `GET /api/schema/ is not valid OpenAPI 3.1: ${JSON.stringify(result.errors, null, 2)}`);

  const ctx = await newContext(state.browser);
  const page = await ctx.newPage();
  const r = await page.goto('/api/docs/');
  assert.equal(r.status(), 200);
  await page.locator('[data-path="/api/resumes/"]').first().waitFor();
  await page.getByText('/api/job-applications/{id}/', { exact: true }).first().waitFor();
  await assertNoProblems(ctx, page, '/api/docs/');
  await ctx.close();
});

/** A new account with one resume and one application, and a browser context of its own (not yet logged in). */
async function freshAccount(prefix) {
  const username = unique(prefix);
  const password = `Lamp-stone-${RUN}-Wx4!`;
  await register(username, password);
  const { access } = await login(username, password);
  const title = `Settings resume ${username}`;
  const r = await api('POST', '/api/resumes/', { token: access, body: { title, content: '# Sam Lee\n\n## Skills\n\n- Go' } });
  assert.equal(r.status, 201, r.text);
  const a = await api('POST', '/api/job-applications/', { token: access, body: { job_title: 'SRE', company_name: `Settings ${RUN}`, status: 'Applied' } });
  assert.equal(a.status, 201, a.text);
  const ctx = await newContext(state.browser);
  const page = await ctx.newPage();
  return { username, password, title, ctx, page };
}

/** Like assertNoProblems, but the failed requests a scenario provokes on purpose (these statuses) are allowed. */
async function assertOnlyExpectedFailures(ctx, page, where, statuses) {
  const p = await takeProblems(ctx, page);
  const expected = new RegExp(`Failed to load resource: the server responded with a status of (${statuses.join('|')})\\b`);
  const lines = [
    ...p.pageErrors.map((e) => `uncaught: ${e}`),
    ...p.console.filter((e) => !expected.test(e)).map((e) => `console error: ${e}`),
    ...p.csp.map((e) => `CSP violation: ${e}`),
  ];
  assert.deepEqual(lines, [], `${where}: ${lines.join('\n')}`);
}

/** The texts that a field's aria-describedby points at. */
function fieldDescription(page, label) {
  return page.getByLabel(label, { exact: true }).evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

function storedRefresh(page) {
  return page.evaluate(() => localStorage.getItem('resumate.refresh'));
}

/** Logging in through the form is refused. */
async function uiLoginRefused(page, username, password) {
  await page.goto('/login');
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.getByText('No active account found with the given credentials').waitFor();
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(await page.getByRole('button', { name: 'Log out' }).count(), 0);
}

async function openSettings(page) {
  await page.getByRole('banner').getByRole('link', { name: 'Settings', exact: true }).click();
  await page.waitForURL((u) => u.pathname === '/settings');
  await page.getByRole('heading', { level: 1, name: 'Account settings' }).waitFor();
  assert.equal(await page.title(), 'Account settings · ResuMate');
}

test('settings: a user changes their password in the UI and goes on; then the old password fails and the new one works', async () => {
  const a = await freshAccount('pw_');
  const { ctx, page } = a;
  const newPassword = `Harbor-glass-${RUN}-Zp8!`;
  await uiLogin(page, a.username, a.password);
  await page.getByRole('link', { name: a.title, exact: true }).waitFor();
  await openSettings(page);
  const oldRefresh = await storedRefresh(page);
  assert.ok(oldRefresh, 'no refresh token stored after logging in');

  // A wrong current password: the error beside the field, nothing changed.
  await page.getByLabel('Current password', { exact: true }).fill('not-my-password');
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('Confirm new password', { exact: true }).fill(newPassword);
  await page.getByRole('button', { name: 'Change password', exact: true }).click();
  await page.getByText('Your old password was entered incorrectly. Please enter it again.').waitFor();
  assert.match(await fieldDescription(page, 'Current password'), /entered incorrectly/);
  assert.equal(await page.getByLabel('Current password', { exact: true }).getAttribute('aria-invalid'), 'true');

  await page.getByLabel('Current password', { exact: true }).fill(a.password);
  await page.getByRole('button', { name: 'Change password', exact: true }).click();
  await page.getByRole('region', { name: 'Notifications' }).getByText(/Your password has been changed\. You are still logged in here/).waitFor();
  assert.equal(new URL(page.url()).pathname, '/settings');
  assert.equal(await page.getByLabel('Current password', { exact: true }).inputValue(), '');
  await page.getByRole('button', { name: 'Log out' }).waitFor();
  const newRefresh = await storedRefresh(page);
  assert.ok(newRefresh && newRefresh !== oldRefresh, 'the session was not renewed');
  const refused = await api('POST', '/api/auth/token/refresh/', { body: { refresh: oldRefresh } });
  assert.equal(refused.status, 401, `the old refresh token still works: ${refused.status} ${refused.text}`);

  // Still using the app: the list loads with the new tokens, also after a reload.
  await nav(page).getByRole('link', { name: 'Resumes' }).click();
  await page.getByRole('link', { name: a.title, exact: true }).waitFor();
  await page.reload();
  await page.getByRole('link', { name: a.title, exact: true }).waitFor();
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('banner').getByRole('link', { name: 'Log in', exact: true }).waitFor();

  await uiLoginRefused(page, a.username, a.password);
  await uiLogin(page, a.username, newPassword);
  await page.getByRole('link', { name: a.title, exact: true }).waitFor();
  await assertOnlyExpectedFailures(ctx, page, 'changing the password', [400, 401]);
  await ctx.close();
});

test('settings: an API key made in the UI is shown once, works with fetch, and answers 401 once revoked in the UI', async () => {
  const a = await freshAccount('keys_');
  const { ctx, page } = a;
  await uiLogin(page, a.username, a.password, '/settings');
  await page.getByText('You have no API keys.').waitFor();
  await page.getByText('Authorization: Api-Key <key>').waitFor();

  const name = `Spreadsheet ${RUN}`;
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Expires after (days)', { exact: true }).fill('30');
  await page.getByRole('button', { name: 'Create key', exact: true }).click();
  const field = page.getByLabel('New API key', { exact: true });
  await field.waitFor();
  const key = await field.inputValue();
  assert.match(key, /^rm_\S{20,}$/);
  assert.equal(await field.evaluate((el) => el.readOnly && document.activeElement === el), true, 'the key field is not read-only and focused');
  assert.match(await fieldDescription(page, 'New API key'), /will not be shown again/);
  await page.getByRole('button', { name: 'Copy key', exact: true }).waitFor();

  const item = page.getByRole('listitem').filter({ hasText: name });
  await item.getByText('Read only').waitFor();
  const prefix = (await item.locator('code').textContent()).replace(/…$/, '');
  assert.ok(prefix.length >= 8 && key.startsWith(prefix), `the listed prefix ${prefix} is not the key's start`);
  assert.match(await item.textContent(), /Last used\s*never/);
  assert.ok(!(await item.textContent()).includes(key), 'the list shows the key');

  // The key itself, as an integration would send it.
  const withKey = (k) =>
    page.evaluate(async (k) => {
      const r = await fetch('/api/resumes/', { headers: { Authorization: 'Api-Key ' + k, Accept: 'application/json' } });
      return { status: r.status, text: await r.text() };
    }, k);
  const ok = await withKey(key);
  assert.equal(ok.status, 200, ok.text);
  assert.ok(ok.text.includes(a.title), 'the key did not read the user\'s resumes');

  // 360 px: the key box and the list fit.
  await page.setViewportSize({ width: 360, height: 740 });
  const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(width <= 360, `/settings is ${width} px wide at 360 px`);
  const link = await page.getByRole('banner').getByRole('link', { name: 'Settings', exact: true }).boundingBox();
  assert.ok(link && link.x >= 0 && link.x + link.width <= 360, `the Settings link is off screen: ${JSON.stringify(link)}`);
  const violations = await axeSerious(page);
  assert.equal(violations.length, 0, formatViolations('/settings (new key shown, 360 px)', violations));
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.getByRole('button', { name: 'Done', exact: true }).click();
  await page.getByLabel('Name', { exact: true }).waitFor();
  const shown = await page.evaluate((k) => document.body.innerText.includes(k) || [...document.querySelectorAll('input')].some((i) => i.value.includes(k)), key);
  assert.equal(shown, false, 'the key is still on the page after Done');
  await page.reload();
  await item.waitFor();
  assert.ok(!(await page.content()).includes(key), 'the key is shown again after a reload');

  await page.getByRole('button', { name: `Revoke ${name}`, exact: true }).click(); // the confirm dialog is accepted
  await page.getByRole('region', { name: 'Notifications' }).getByText(`API key “${name}” revoked.`).waitFor();
  await page.getByText('You have no API keys.').waitFor();
  const revoked = await withKey(key);
  assert.equal(revoked.status, 401, revoked.text);
  assert.match(revoked.text, /Invalid API key/);
  await assertOnlyExpectedFailures(ctx, page, 'API keys', [401]);
  await ctx.close();
});

test('settings: a user deletes their account in the UI, is logged out, and cannot log in afterwards', async () => {
  const a = await freshAccount('gone_');
  const { ctx, page } = a;
  await uiLogin(page, a.username, a.password);
  await page.getByRole('link', { name: a.title, exact: true }).waitFor();
  await openSettings(page);

  await page.getByLabel('Your password', { exact: true }).fill('not-my-password');
  await page.getByRole('button', { name: 'Delete my account', exact: true }).click(); // confirm accepted
  await page.getByText('Your password was entered incorrectly. Please enter it again.').waitFor();
  assert.match(await fieldDescription(page, 'Your password'), /entered incorrectly/);
  assert.equal(new URL(page.url()).pathname, '/settings');

  await page.getByLabel('Your password', { exact: true }).fill(a.password);
  await page.getByRole('button', { name: 'Delete my account', exact: true }).click();
  await page
    .getByRole('region', { name: 'Notifications' })
    .getByText('Your account has been deleted, along with 1 resume and 1 job application.')
    .waitFor();
  await page.waitForURL((u) => u.pathname === '/');
  await page.getByRole('banner').getByRole('link', { name: 'Log in', exact: true }).waitFor();
  assert.equal(await page.getByRole('banner').getByRole('link', { name: 'Settings', exact: true }).count(), 0);
  assert.equal(await storedRefresh(page), null, 'the refresh token is still stored');
  assert.equal(await page.evaluate(() => localStorage.getItem('resumate.username')), null, 'the username is still stored');

  await page.goto('/settings');
  await page.getByRole('link', { name: 'Log in to continue' }).waitFor();
  await uiLoginRefused(page, a.username, a.password);
  assert.equal((await api('POST', '/api/auth/token/', { body: { username: a.username, password: a.password } })).status, 401);
  await assertOnlyExpectedFailures(ctx, page, 'deleting the account', [400, 401]);
  await ctx.close();
});

test('logout: the data is gone from the page, the history and the cache; the refresh token is refused', async () => {
  const u = await user();
  const { ctx, page } = u;
  await page.goto('/resumes');
  await page.getByRole('link', { name: u.resumeTitle, exact: true }).waitFor();
  const refresh = await page.evaluate(() => {
    for (let i = 0; i < localStorage.length; i++) {
      const v = localStorage.getItem(localStorage.key(i)) ?? '';
      const part = v.split('.')[1];
      if (!part) continue;
      try {
        const claims = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
        if (claims.token_type === 'refresh') return v;
      } catch {
        // not a token
      }
    }
    return null;
  });
  assert.ok(refresh, 'no refresh token in localStorage');

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('link', { name: 'Log in', exact: true }).waitFor();
  assert.equal(await page.evaluate((t) => Object.values(localStorage).includes(t), refresh), false, 'the refresh token is still in localStorage');

  const noResumes = async (where) => {
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForTimeout(300);
    assert.equal(await page.getByText(u.resumeTitle).count(), 0, `${where}: the resume is still shown`);
  };
  await page.goBack();
  await noResumes('back after logout');
  await page.reload();
  await noResumes('reload after back');
  await page.goto('/resumes');
  await page.getByRole('link', { name: 'Log in to continue' }).waitFor();
  await noResumes('/resumes after logout');
  const cached = await page.evaluate(async () => {
    const hits = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) {
        if (/\/api\/(resumes|job-applications)\//.test(req.url)) hits.push(`${name}: ${req.url}`);
      }
    }
    return hits;
  });
  assert.deepEqual(cached, [], 'the user\'s API answers are still cached after logout');

  const r = await api('POST', '/api/auth/token/refresh/', { body: { refresh } });
  assert.equal(r.status, 401, `the refresh token still works after logout: ${r.status} ${r.text}`);
  await ctx.close();
  state.user = null;
});

// ---------------------------------------------------------------------------------------------

/** The raw (still compressed) size of a GET with the given Accept-Encoding. */
function compressedSize(url, encoding) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'Accept-Encoding': encoding } }, (res) => {
        let n = 0;
        res.on('data', (c) => (n += c.length));
        res.on('end', () => resolve({ status: res.statusCode, bytes: n, encoding: res.headers['content-encoding'] ?? 'identity' }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

test('figures: first-load JavaScript (gzip) under 200 KB, time to usable', { timeout: 120_000 }, async (t) => {
  const scripts = new Set();
  const home = [];
  const tracker = [];
  // The same, by the page's own clock (from the navigation's start, without the driver's overhead).
  const inPage = { '/': [], '/tracker': [] };
  for (let i = 0; i < 5; i++) {
    for (const [path, ready, samples] of [
      ['/', (p) => p.getByRole('link', { name: 'Generate a resume' }).waitFor(), home],
      ['/tracker', (p) => p.getByRole('article').first().waitFor(), tracker],
    ]) {
      const ctx = await newContext(state.browser);
      const page = await ctx.newPage();
      if (path === '/' && i === 0) {
        page.on('request', (req) => {
          const url = new URL(req.url());
          if (req.resourceType() === 'script' && url.origin === BASE && url.pathname !== '/sw.js') scripts.add(url.pathname);
        });
      }
      const start = performance.now();
      await page.goto(path, { waitUntil: 'commit' });
      await ready(page);
      samples.push(Math.round(performance.now() - start));
      inPage[path].push(Math.round(await page.evaluate(() => performance.now())));
      if (path === '/' && i === 0) await page.waitForLoadState('networkidle');
      await ctx.close();
    }
  }
  const files = [...scripts].sort();
  assert.ok(files.length > 0, 'no script loaded');
  let gzip = 0;
  let brotli = 0;
  let raw = 0;
  for (const f of files) {
    const g = await compressedSize(BASE + f, 'gzip');
    assert.equal(g.status, 200);
    assert.equal(g.encoding, 'gzip', `${f} is not served gzipped`);
    gzip += g.bytes;
    const b = await compressedSize(BASE + f, 'br');
    brotli += b.bytes;
    raw += (await compressedSize(BASE + f, 'identity')).bytes;
  }
  state.figures.firstLoadJs = { files, gzipKB: gzip / 1024, brotliKB: brotli / 1024, rawKB: raw / 1024 };
  state.figures.timeToUsable = {
    home: { median: median(home), samples: home, inPageMedian: median(inPage['/']) },
    tracker: { median: median(tracker), samples: tracker, inPageMedian: median(inPage['/tracker']) },
  };
  t.diagnostic(`first-load JS: ${(gzip / 1024).toFixed(1)} KB gzip in ${files.join(', ')}`);
  t.diagnostic(`time to usable: / ${median(home)} ms [${home}], /tracker ${median(tracker)} ms [${tracker}]`);
  t.diagnostic(`by the page's clock: / ${median(inPage['/'])} ms [${inPage['/']}], /tracker ${median(inPage['/tracker'])} ms [${inPage['/tracker']}]`);
  assert.ok(gzip < 200 * 1024, `first-load JavaScript is ${(gzip / 1024).toFixed(1)} KB gzip, over 200 KB`);
});
