// Shared end-to-end harness: the real receipt server (spawned from the built binary, on
// 127.0.0.1 with a fresh SQLite file), the system Chromium driven by playwright-core, and the
// real `consentry` CLI. `cargo xtask test` sets the three paths below.
import { spawn, execFile } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdtemp, rm, writeFile, readFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

function required(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the end-to-end tests through \`cargo xtask test e2e\``);
  return v;
}

export const SITE = required('CONSENTRY_SITE');
export const SERVER_BIN = required('CONSENTRY_SERVER_BIN');
export const CLI_BIN = required('CONSENTRY_CLI_BIN');
export const NOTICES = join(SITE, 'notice');
/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Spawns the server binary with `args`; resolves to { child, url, log } once it listens. */
async function spawnServer(args, env = {}) {
  const child = spawn(SERVER_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const log = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => log.push(d));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log.join('')}`)), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${log.join('')}`));
    });
    lines.on('line', (line) => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  return { child, url, log };
}

/**
 * Starts the receipt server on a free port; resolves once it has printed its URL. `notices`
 * is the published notices it loads and watches (a `consentry build` output directory, or a
 * list of them); `notices: null` starts it with `--dev-any-notice`, checking signatures only,
 * not notice digests.
 *
 * The handle can also stop the server by its PID and start it again on the same port with
 * the same SQLite file (`halt()`, `resume()`), as an outage of the receipt service.
 */
export async function startServer({
  notices = NOTICES, site = SITE, listen = '127.0.0.1:0', signerOrigins = [], extraArgs = [], env = {},
} = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'consentry-e2e-'));
  const db = join(dir, 'receipts.sqlite');
  const args = (listen) => {
    const a = ['--listen', listen, '--db', db, '--key-dir', join(dir, 'keys'), '--site', site];
    if (notices === null) a.push('--dev-any-notice');
    else for (const n of [notices].flat()) a.push('--notices', n);
    for (const o of signerOrigins) a.push('--signer-origin', o);
    // Read at every (re)start: a test may add arguments while the server is halted.
    a.push(...extraArgs);
    return a;
  };
  let running = await spawnServer(args(listen), env);
  const { url } = running;
  const log = [...running.log];
  const halt = async () => {
    if (running && running.child.exitCode === null && running.child.signalCode === null) {
      const exited = once(running.child, 'exit');
      process.kill(running.child.pid, 'SIGTERM');
      await exited;
    }
    if (running) log.push(...running.log);
    running = null;
  };
  return {
    url,
    db,
    dir,
    log,
    /** The PID of the running server process (`null` while halted). */
    get pid() {
      return running ? running.child.pid : null;
    },
    /** Stops the server by its PID (SIGTERM) and waits for it to exit; keeps its files. */
    halt,
    /** Starts the server again on the same port with the same SQLite file. */
    async resume() {
      if (running) throw new Error('the server is running');
      running = await spawnServer(args(new URL(url).host), env);
      if (running.url !== url) throw new Error(`restarted on ${running.url}, not ${url}`);
    },
    async stop() {
      await halt();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Frame mode on two origins (ADR 0012): the site on one server (http://127.0.0.1:<a>, static
 * files only as far as these tests go) and the receipt server with its signing frame on
 * another (http://127.0.0.1:<b>), which serves the frame to pages of the site's origin only,
 * as a site and consent.example.com would be deployed. Halting `server` leaves the site up.
 * `pageUrl(query)` is the frame-mode test page (strict CSP) with the signer named.
 */
export async function startSigner(options = {}) {
  const site = await startServer(options);
  const server = await startServer({ ...options, signerOrigins: [site.url] });
  const signerUrl = `${server.url}/signer/`;
  return {
    site,
    server,
    siteOrigin: site.url,
    signerUrl,
    pageUrl: (query = '') => `${site.url}/e2e/signer.html?signer=${encodeURIComponent(signerUrl)}${query ? `&${query}` : ''}`,
    async stop() {
      await server.stop();
      await site.stop();
    },
  };
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/**
 * Serves the site's files to the pages of `context` from disk, for every path of `origin`
 * except the receipt API (`/v1/…`), which still goes to the real server: the site stays up
 * (as on a CDN) while the receipt service is down.
 */
export async function routeSite(context, origin, site = SITE) {
  await context.route(`${origin}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path.startsWith('/v1/')) return route.continue();
    const file = join(site, decodeURIComponent(path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(site)) return route.fulfill({ status: 404, body: '' });
    try {
      const body = await readFile(file);
      return route.fulfill({ status: 200, body, contentType: MIME[extname(file)] ?? 'application/octet-stream' });
    } catch {
      return route.fulfill({ status: 404, body: '' });
    }
  });
}

/** Runs a read-only query on an SQLite file with the `sqlite3` command; resolves to rows. */
function sqlite(db, sql) {
  return new Promise((resolve, reject) => {
    execFile('sqlite3', ['-readonly', '-json', db, sql], (err, stdout, stderr) => {
      if (err) reject(new Error(`sqlite3 ${db}: ${err.message}\n${stderr}`));
      else resolve(stdout.trim() ? JSON.parse(stdout) : []);
    });
  });
}

/**
 * What the server stored, in its own order: [{ position, receiptId, bytes }] straight from
 * its SQLite file (the `receipts` table, or the hash-chained `ledger` where the server has one).
 */
export async function storedRows(server) {
  const tables = (await sqlite(server.db, "SELECT name FROM sqlite_master WHERE type = 'table'")).map((t) => t.name);
  const [table, position, body] = tables.includes('ledger')
    ? ['ledger', 'idx', 'received']
    : ['receipts', 'sequence', 'envelope'];
  const rows = await sqlite(
    server.db,
    `SELECT ${position} AS position, receipt_id, hex(${body}) AS body FROM ${table} ORDER BY ${position}`,
  );
  return rows.map((r) => ({ position: r.position, receiptId: r.receipt_id, bytes: Buffer.from(r.body, 'hex') }));
}

/**
 * Records the `consentry:*` events of every page of `context` (across reloads) into the
 * returned array as { type, detail }, each page load starting with { type: 'page' }.
 */
export async function recordEvents(context, { inFrames = false } = {}) {
  const events = [];
  await context.exposeBinding('__consentryRecord', (_source, type, detail) => events.push({ type, detail }));
  await context.addInitScript((inFrames) => {
    // The page's own events; a signing frame (frame mode) reports them to its page. With
    // `inFrames`, a widget framed by another page is heard too.
    if (window.top !== window && !inFrames) return;
    window.__consentryRecord('page', location.href);
    for (const t of ['ready', 'change', 'receipt', 'error']) {
      document.addEventListener(`consentry:${t}`, (e) => window.__consentryRecord(t, e.detail));
    }
  }, inFrames);
  return events;
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches the system Chromium (Playwright's own browser download is not used). */
export function launchBrowser() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * Opens a page that records page errors, console errors and CSP violations, so a test can
 * assert that none happened.
 */
export async function openPage(context, url) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  await page.goto(url);
  return { page, problems };
}

/**
 * Runs `consentry verify` on an envelope; resolves to { code, stdout, stderr }. With `keys`
 * (the server's keys.json bytes) the server's countersignature is required and checked too.
 */
export async function verify(envelopeBytes, { notices = NOTICES, keys, logKey } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'consentry-verify-'));
  const file = join(dir, 'receipt.json');
  await writeFile(file, envelopeBytes);
  const args = ['verify', file, '--notices', notices];
  if (keys) {
    await writeFile(join(dir, 'keys.json'), keys);
    args.push('--keys', join(dir, 'keys.json'));
  }
  if (logKey) args.push('--log-key', logKey);
  try {
    return await new Promise((resolve) => {
      execFile(CLI_BIN, args, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The complete compiled locale bundle for `tag`, read through the published manifest: the
 * locale's first layer names its details file (the complete bundle); a build from before the
 * split has the complete bundle there directly.
 */
export async function bundle(tag) {
  const manifest = JSON.parse(await readFile(join(NOTICES, 'manifest.json'), 'utf8'));
  const entry = manifest.locales[tag];
  if (!entry) throw new Error(`locale ${tag} is not in the manifest`);
  const file = JSON.parse(await readFile(join(NOTICES, entry.path), 'utf8'));
  return file.details ? JSON.parse(await readFile(join(NOTICES, file.details.path), 'utf8')) : file;
}

/** Plain text of a compiled rich-text value (a string, or an array of strings and links). */
export function plain(rich) {
  return typeof rich === 'string' ? rich : rich.map((s) => (typeof s === 'string' ? s : s.text)).join('');
}

/** Decodes an envelope's payload into an object. */
export function payloadOf(envelope) {
  return JSON.parse(Buffer.from(envelope.payload, 'base64url').toString('utf8'));
}

/**
 * Runs a `consentry-server` command (`service-token add`, `account add`, …), with `stdin` as
 * its input; resolves to its trimmed stdout, rejects with its stderr.
 */
export function serverCommand(args, stdin = '') {
  return new Promise((resolve, reject) => {
    const child = execFile(SERVER_BIN, args, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout.trim())));
    child.stdin.end(stdin);
  });
}

/** Makes a console account with the real `consentry-server account add`. */
export const addAccount = (db, username, role, password) => serverCommand(
  ['account', 'add', '--console-db', db, '--username', username, '--role', role],
  `${password}\n`,
);

/** Runs the real `consentry` CLI; resolves to { code, stdout, stderr }. */
export function cli(args) {
  return new Promise((resolve) => {
    execFile(CLI_BIN, args, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

/** A private copy of the built site (for tests that publish extra notice builds into it). */
export async function copySite() {
  const dir = await mkdtemp(join(tmpdir(), 'consentry-site-'));
  await cp(SITE, dir, { recursive: true });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Builds a notice with the real CLI: `locales/` copied, then `edit(dir)` applied to the copy,
 * then `consentry build` into `out`. Throws with the CLI's output if the build fails.
 */
export async function buildNotice(out, edit = async () => {}) {
  const src = await mkdtemp(join(tmpdir(), 'consentry-locales-'));
  try {
    await cp(join(ROOT, 'locales'), src, { recursive: true });
    await edit(src);
    const r = await cli(['build', src, '-o', out]);
    if (r.code !== 0) throw new Error(`consentry build failed (${r.code}):\n${r.stdout}${r.stderr}`);
  } finally {
    await rm(src, { recursive: true, force: true });
  }
}

/**
 * A notice build that has Arabic: the shipped one when `locales/` has `ar.ftl`, else a build
 * of `locales/` plus the test-only `tests/fixtures/locales-ar/ar.ftl`, published under
 * `/e2e-ar/` in `siteDir`. Resolves to the manifest URL path.
 */
export async function arabicNotice(siteDir) {
  const shipped = await access(join(ROOT, 'locales', 'ar.ftl')).then(() => true, () => false);
  if (shipped) return '/notice/manifest.json';
  await buildNotice(join(siteDir, 'e2e-ar'), async (dir) => {
    await cp(join(ROOT, 'tests', 'fixtures', 'locales-ar', 'ar.ftl'), join(dir, 'ar.ftl'));
  });
  return '/e2e-ar/manifest.json';
}

/** The locale tags of the shipped notice, from its manifest. */
export async function shippedLocales() {
  const manifest = JSON.parse(await readFile(join(NOTICES, 'manifest.json'), 'utf8'));
  return Object.keys(manifest.locales);
}

/** Makes `navigator.globalPrivacyControl` true in every page of `context`. */
export async function emulateGpc(context) {
  await context.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });
  });
}

/** The `data-testid` of the focused element, looking through open shadow roots. */
export function focusedTestId(page) {
  return page.evaluate(() => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    return a?.getAttribute('data-testid') ?? null;
  });
}

/** Presses Tab until the control with `testid` has focus (keyboard only: no clicks). */
export async function tabTo(page, testid, { max = 120 } = {}) {
  if ((await focusedTestId(page)) === testid) return;
  const seen = [];
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const id = await focusedTestId(page);
    if (id === testid) return;
    seen.push(id);
  }
  throw new Error(`Tab never reached ${testid}; focus went through ${seen.join(' → ')}`);
}

/** Tabs to `testid` and presses `key` on it (Enter for buttons, Space for switches). */
export async function press(page, testid, key = 'Enter') {
  await tabTo(page, testid);
  await page.keyboard.press(key);
}

/** Waits for the widget host to be ready (`data-consentry-state="ready"`). */
export async function ready(page, host = '#consentry') {
  await page.locator(`${host}[data-consentry-state="ready"]`).waitFor();
}

/**
 * Waits until the receipts module (fetched once the banner is up, when a decision is asked for
 * or receipts wait) has arrived.
 */
export async function receiptsModuleLoaded(page) {
  await page.waitForFunction(() =>
    performance.getEntriesByType('resource').some((e) => /\/consentry-receipts_bg\.[0-9a-f]+\.wasm$/.test(e.name)),
  );
}

/** Every receipt POST the pages of `context` make, as Playwright requests, in order. */
export function receiptPosts(context) {
  const posts = [];
  context.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/v1/receipts')) posts.push(r);
  });
  return posts;
}

/** The receipt ids of the POSTs `receiptPosts` recorded, in order. */
export const postedIds = (posts) => posts.map((r) => payloadOf(JSON.parse(r.postData())).receipt_id);

/** The next POST of a receipt: resolves to { response, ack } once the server answered. */
export async function nextReceipt(page) {
  const response = await page.waitForResponse(
    (r) => r.url().endsWith('/v1/receipts') && r.request().method() === 'POST',
  );
  return { response, ack: await response.json() };
}

/** The stored receipt `id` from the server: { bytes, envelope, receipt }. */
export async function storedReceipt(server, id) {
  const res = await fetch(`${server.url}/v1/receipts/${encodeURIComponent(id)}`);
  if (res.status !== 200) throw new Error(`GET receipt ${id}: ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  const envelope = JSON.parse(bytes.toString('utf8'));
  return { bytes, envelope, receipt: payloadOf(envelope) };
}

/** `{ purpose_id: state }` of a receipt payload. */
export function states(receipt) {
  return Object.fromEntries(receipt.decisions.map((d) => [d.purpose_id, d.state]));
}

const AXE = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
let axeSource = null;

/** Runs axe-core (WCAG 2.x A/AA + best practices) on the element `selector`. */
export async function axe(page, selector = '#consentry') {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    // Evaluated through the DevTools protocol, not as a <script> tag: the pages run under a
    // strict CSP that (rightly) refuses inline scripts.
    axeSource ??= await readFile(AXE, 'utf8');
    await page.evaluate(axeSource);
  }
  return page.evaluate(async (sel) => {
    // Let entry animations (the banner's rise) finish: axe measures the colours on screen.
    const root = document.querySelector(sel).shadowRoot;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const running = [...document.getAnimations(), ...(root ? root.getAnimations() : [])];
    await Promise.all(running.map((a) => a.finished.catch(() => {})));
    const result = await window.axe.run(document.querySelector(sel), {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
  }, selector);
}

/**
 * Waits until `cond()` (sync or async) is truthy, checking every 20 ms, for at most
 * `timeout` ms; throws naming `what` otherwise. For conditions outside the page (recorded
 * events, the server's files); inside the page use `page.waitForFunction`.
 */
export async function waitFor(what, cond, { timeout = 60_000 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
