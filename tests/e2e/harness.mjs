// Shared end-to-end harness: the real receipt server (spawned from the built binary, on
// 127.0.0.1 with a fresh SQLite file), the system Chromium driven by playwright-core, and the
// real `consentry` CLI. `cargo xtask test` sets the three paths below.
import { spawn, execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** Starts the receipt server on a free port; resolves once it has printed its URL. */
export async function startServer({ notices = NOTICES, site = SITE } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'consentry-e2e-'));
  const db = join(dir, 'receipts.sqlite');
  const child = spawn(
    SERVER_BIN,
    ['--listen', '127.0.0.1:0', '--db', db, '--key-dir', join(dir, 'keys'), '--notices', notices, '--site', site],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
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
  return {
    url,
    db,
    dir,
    log,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
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
export async function verify(envelopeBytes, { notices = NOTICES, keys } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'consentry-verify-'));
  const file = join(dir, 'receipt.json');
  await writeFile(file, envelopeBytes);
  const args = ['verify', file, '--notices', notices];
  if (keys) {
    await writeFile(join(dir, 'keys.json'), keys);
    args.push('--keys', join(dir, 'keys.json'));
  }
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

/** The compiled locale bundle for `tag`, read through the published manifest. */
export async function bundle(tag) {
  const manifest = JSON.parse(await readFile(join(NOTICES, 'manifest.json'), 'utf8'));
  const entry = manifest.locales[tag];
  if (!entry) throw new Error(`locale ${tag} is not in the manifest`);
  return JSON.parse(await readFile(join(NOTICES, entry.path), 'utf8'));
}

/** Plain text of a compiled rich-text value (a string, or an array of strings and links). */
export function plain(rich) {
  return typeof rich === 'string' ? rich : rich.map((s) => (typeof s === 'string' ? s : s.text)).join('');
}

/** Decodes an envelope's payload into an object. */
export function payloadOf(envelope) {
  return JSON.parse(Buffer.from(envelope.payload, 'base64url').toString('utf8'));
}
