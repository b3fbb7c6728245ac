// The browser test suite's entry point (issue 13, point 8).
//
//   node tests/web/run.mjs <path-to-resumate-binary> <path-to-web-dist>
//
// Starts the real server on an ephemeral port in a temporary directory (migrate, createsuperuser,
// serve), runs the scenarios in browser.test.mjs with Node's test runner against it (Debian's
// chromium driven by playwright-core), stops the server with SIGTERM (it must exit 0 within 10 s),
// and prints the figures: first-load JavaScript (gzip), time to usable, the suite's run time.
//
// RESUMATE_SCREENSHOTS=<dir> also saves full-page screenshots of the main pages there.
// The temporary directory (with server.log) is kept and printed when anything failed.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const here = path.dirname(fileURLToPath(import.meta.url));
const started = Date.now();

function usage(message) {
  if (message) console.error(message);
  console.error('usage: node tests/web/run.mjs <path-to-resumate-binary> <path-to-web-dist>');
  process.exit(2);
}

const [binaryArg, distArg] = process.argv.slice(2);
if (!binaryArg || !distArg) usage();
const binary = path.resolve(binaryArg);
const dist = path.resolve(distArg);
if (!existsSync(binary)) usage(`no such binary: ${binary}`);
if (!existsSync(path.join(dist, 'index.html'))) usage(`no index.html in ${dist} (build the web app first)`);
if (!existsSync('/usr/bin/chromium')) usage('Debian\'s chromium is not installed (/usr/bin/chromium)');
if (!existsSync(path.join(here, 'node_modules', 'playwright-core'))) usage(`run \`npm ci\` in ${here} first`);

const tmp = mkdtempSync(path.join(tmpdir(), 'resumate-web-'));
const secret = randomBytes(36).toString('base64url').slice(0, 48);
const staff = {
  username: 'admin', // a database of its own each run; a steady name for the screenshots
  email: 'staff@example.com',
  password: `Staff-${randomBytes(9).toString('base64url')}!`,
};
const serverEnv = {
  PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
  HOST: '127.0.0.1',
  PORT: '0',
  RESUMATE_PORT_FILE: path.join(tmp, 'port'),
  RESUMATE_DATA_DIR: path.join(tmp, 'data'),
  SECRET_KEY: secret,
  RESUMATE_WEB_DIR: dist,
  RESUMATE_THROTTLE: 'off',
  RESUMATE_OFFLINE_STREAM_PACE_MS: '15',
};
const logFile = path.join(tmp, 'server.log');

let failed = false;
let server = null;

function log(line) {
  console.log(`# ${line}`);
}

function runStep(args, extraEnv = {}) {
  const r = spawnSync(binary, args, { cwd: tmp, env: { ...serverEnv, ...extraEnv }, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) {
    throw new Error(`${path.basename(binary)} ${args.join(' ')} exited ${r.status ?? r.signal}:\n${r.stdout}${r.stderr}`);
  }
}

async function startServer() {
  runStep(['migrate']);
  runStep(['createsuperuser', '--noinput'], {
    DJANGO_SUPERUSER_USERNAME: staff.username,
    DJANGO_SUPERUSER_EMAIL: staff.email,
    DJANGO_SUPERUSER_PASSWORD: staff.password,
  });
  const out = openSync(logFile, 'a');
  server = spawn(binary, ['serve'], { cwd: tmp, env: serverEnv, stdio: ['ignore', out, out] });
  closeSync(out);
  const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve({ code, signal })));
  server.exited = exited;
  let state = 'running';
  exited.then(() => (state = 'exited'));

  const deadline = Date.now() + 30_000;
  let port = null;
  while (Date.now() < deadline && state === 'running') {
    try {
      const text = readFileSync(serverEnv.RESUMATE_PORT_FILE, 'utf8').trim();
      if (/^\d+$/.test(text)) {
        port = Number(text);
        break;
      }
    } catch {
      // not written yet
    }
    await sleep(50);
  }
  if (!port) throw new Error(`the server wrote no port within 30 s (${state}); see ${logFile}`);
  const base = `http://127.0.0.1:${port}`;
  while (Date.now() < deadline && state === 'running') {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.status === 200) return base;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error(`GET /healthz did not answer 200 within 30 s (${state}); see ${logFile}`);
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) {
    const code = server?.exitCode;
    return code === 0 ? null : `the server had already exited (${code ?? server?.signalCode})`;
  }
  server.kill('SIGTERM');
  const result = await Promise.race([server.exited, sleep(10_000).then(() => null)]);
  if (!result) {
    server.kill('SIGKILL');
    await server.exited;
    return 'the server did not exit within 10 s of SIGTERM';
  }
  if (result.code !== 0) return `the server exited with ${result.code ?? result.signal} after SIGTERM`;
  return null;
}

function runTests(base) {
  const tap = path.join(tmp, 'results.tap');
  const figures = path.join(tmp, 'figures.json');
  const env = {
    ...process.env,
    RESUMATE_WEB_BASE: base,
    RESUMATE_WEB_DIST: dist,
    RESUMATE_WEB_TMP: tmp,
    RESUMATE_WEB_FIGURES: figures,
    RESUMATE_WEB_STAFF: JSON.stringify(staff),
  };
  if (process.env.RESUMATE_SCREENSHOTS) env.RESUMATE_SCREENSHOTS = path.resolve(process.env.RESUMATE_SCREENSHOTS);
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--test',
        '--test-concurrency=1',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=tap',
        `--test-reporter-destination=${tap}`,
        path.join(here, 'browser.test.mjs'),
      ],
      { cwd: here, env, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    // A hung browser must not hang the build: ctest's own timeout would leave the server running.
    const guard = setTimeout(() => {
      console.error('web_browser: the tests ran over 10 minutes; stopping them');
      child.kill('SIGKILL');
    }, 600_000);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      const counts = { pass: 0, fail: 0, skipped: 0, todo: 0 };
      try {
        const text = readFileSync(tap, 'utf8');
        for (const key of Object.keys(counts)) {
          const m = text.match(new RegExp(`^# ${key} (\\d+)$`, 'm'));
          if (m) counts[key] = Number(m[1]);
        }
      } catch {
        counts.fail = Math.max(counts.fail, 1);
      }
      let figs = null;
      try {
        figs = JSON.parse(readFileSync(figures, 'utf8'));
      } catch {
        // the figures test did not run
      }
      resolve({ code: code ?? 1, signal, counts, figures: figs });
    });
  });
}

function printFigures(figs, seconds) {
  console.log('');
  console.log('ResuMate web app figures');
  if (figs?.firstLoadJs) {
    const f = figs.firstLoadJs;
    console.log(
      `  first-load JavaScript: ${f.gzipKB.toFixed(1)} KB gzip (${f.brotliKB.toFixed(1)} KB brotli, ` +
        `${f.rawKB.toFixed(1)} KB uncompressed) in ${f.files.length} file(s): ${f.files.join(', ')}`,
    );
  } else {
    console.log('  first-load JavaScript: not measured');
  }
  if (figs?.timeToUsable) {
    const t = figs.timeToUsable;
    console.log(
      `  time to usable, median of ${t.home.samples.length} cold loads: ` +
        `${t.home.median} ms for / (heading and "Generate a resume" visible) ` +
        `[${t.home.samples.join(', ')}], ${t.tracker.median} ms for /tracker (first example card visible) ` +
        `[${t.tracker.samples.join(', ')}]; by the page's clock ${t.home.inPageMedian} ms and ${t.tracker.inPageMedian} ms`,
    );
  } else {
    console.log('  time to usable: not measured');
  }
  console.log(`  browser suite run time: ${seconds.toFixed(1)} s (server start and stop included)`);
}

let base;
let result = { code: 1, counts: { pass: 0, fail: 0, skipped: 0, todo: 0 }, figures: null };
let stopProblem = null;
let setupProblem = false;
try {
  log(`temporary directory ${tmp}`);
  base = await startServer();
  log(`server on ${base}, web app from ${dist} (built ${statSync(path.join(dist, 'index.html')).mtime.toISOString()})`);
  result = await runTests(base);
} catch (error) {
  console.error(`web_browser: ${error.stack ?? error}`);
  failed = true;
  setupProblem = true;
} finally {
  stopProblem = await stopServer();
}

if (stopProblem) {
  console.error(`web_browser: ${stopProblem}`);
  failed = true;
}
if (result.code !== 0 || result.counts.fail > 0) failed = true;

const seconds = (Date.now() - started) / 1000;
printFigures(result.figures, seconds);
if (result.figures) writeFileSync(path.join(tmp, 'figures.json'), JSON.stringify({ ...result.figures, suiteSeconds: seconds }, null, 2));

const { pass, fail, skipped, todo } = result.counts;
if (failed) {
  console.log(`\nweb_browser: kept ${tmp} (server.log, results.tap)`);
} else {
  rmSync(tmp, { recursive: true, force: true });
}
// The plain closing line: 'N passed, N failed[, N skipped]' (todo tests count as skipped).
const failures = fail + (stopProblem ? 1 : 0) + (setupProblem ? 1 : 0) + (failed && !fail && !stopProblem && !setupProblem ? 1 : 0);
const notRun = skipped + todo;
console.log(`browser: ${pass} passed, ${failures} failed${notRun ? `, ${notRun} skipped` : ''}`);
process.exit(failed ? 1 : 0);
