// The console (issue 15 items 1 and 6), in a real browser against the real receipt server:
// sign-in with a wrong password and a lockout, an agent who cannot open the compliance
// pages (the server refuses, the page says so, the trail records it), and an auditor who
// sees the dashboard's charts drawn from the receipts two visitors just made (axe 0), the
// receipts explorer with each receipt verified, one receipt with the text the person saw and
// its place in the log, the log's health and the audit trail; all under the console's CSP.
// Then two notice versions built with the real CLI: the page of versions shows what changed
// in each language (Arabic right to left) and what the lint found when each was built.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startServer, launchBrowser, openPage, ready, recordEvents, waitFor, axe,
  addAccount, buildNotice,
} from './harness.mjs';

const PASSWORD = 'correct horse battery staple';

let browser;
let dir;
let server;

async function decide(region, button) {
  const context = await browser.newContext();
  try {
    const events = await recordEvents(context);
    const { page } = await openPage(context, `${server.url}/e2e/notice.html?region=${region}`);
    await ready(page);
    await page.getByTestId(button).click();
    await waitFor(`a stored receipt (${region})`, () => events.find((e) => e.type === 'receipt' && e.detail.status === 'stored'));
  } finally {
    await context.close();
  }
}

/** The browser's note of the signed-out page's first `GET /console/api/me` (401). */
const SIGNED_OUT = /status of 401 \(Unauthorized\)/;

/** A console page of its own context; `problems` collects console errors (CSP included). */
async function consolePage(url = server.url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${url}/console/`);
  await page.getByRole('heading', { name: 'Sign in to the Consentry console' }).waitFor();
  return { context, page, problems };
}

async function signIn(page, name, password = PASSWORD) {
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

before(async () => {
  browser = await launchBrowser();
  dir = await mkdtemp(join(tmpdir(), 'consentry-console-'));
  const db = join(dir, 'console.sqlite');
  await addAccount(db, 'auditor.ng', 'auditor', PASSWORD);
  await addAccount(db, 'agent.li', 'agent', PASSWORD);
  await addAccount(db, 'dpo.weber', 'dpo', PASSWORD);
  server = await startServer({ extraArgs: ['--console-db', db] });
  await decide('DE', 'consentry-accept-all');
  await decide('BR', 'consentry-reject-all');
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the console page is served under a strict CSP that allows only its own files', async () => {
  const r = await fetch(`${server.url}/console/`);
  assert.equal(r.status, 200);
  const csp = r.headers.get('content-security-policy');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.equal((await fetch(`${server.url}/console`, { redirect: 'manual' })).status, 308);
  // The same file reached as a static file carries the policy in the page itself.
  const direct = await (await fetch(`${server.url}/console/index.html`)).text();
  assert.match(direct, /http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'wasm-unsafe-eval'/);
});

test('a wrong password is refused, and five lock the name', async () => {
  const { context, page, problems } = await consolePage();
  try {
    await signIn(page, 'dpo.weber', 'not the password at all');
    await assert.doesNotReject(page.getByRole('alert').filter({ hasText: 'Wrong name or password.' }).waitFor());
    for (let i = 0; i < 4; i += 1) {
      await signIn(page, 'dpo.weber', `wrong password ${i}!`);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
    }
    // The right password no longer opens it.
    await signIn(page, 'dpo.weber');
    await page.getByRole('alert').filter({ hasText: 'locked for 15 minutes' }).waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Console' }).count(), 0);
    assert.deepEqual(problems.filter((p) => !/status of (401|429)/.test(p)), []);
  } finally {
    await context.close();
  }
});

test('an agent sees no compliance page: the links are not there and the server refuses the page', async () => {
  const { context, page, problems } = await consolePage();
  try {
    await signIn(page, 'agent.li');
    await page.getByRole('heading', { name: 'Signed in as agent.li' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Console' });
    assert.equal(await nav.getByRole('link', { name: 'Dashboard' }).count(), 0);
    assert.equal(await nav.getByRole('link', { name: 'Audit trail' }).count(), 0);
    await page.goto(`${server.url}/console/#/dashboard`);
    await page.getByRole('alert').filter({ hasText: 'Not open to your role' }).waitFor();
    assert.equal(await page.locator('svg').count(), 0, 'no data shown');
    // The agent's own session cookie, used directly, is refused too.
    const [cookie] = await context.cookies();
    const r = await fetch(`${server.url}/console/api/receipts`, { headers: { cookie: `${cookie.name}=${cookie.value}` } });
    assert.equal(r.status, 403);
    assert.deepEqual(problems.filter((p) => !/status of 403/.test(p) && !SIGNED_OUT.test(p)), []);
  } finally {
    await context.close();
  }
});

// After the two tests above: their refusals and the lock are in the trail it reads.
test('an auditor sees the charts of the receipts just made, each receipt verified with the text shown, the log and the trail', async () => {
  const { context, page, problems } = await consolePage();
  try {
    await signIn(page, 'auditor.ng');
    await page.getByRole('heading', { name: 'Signed in as auditor.ng' }).waitFor();
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByText('2 receipts received from').waitFor();
    // One chart per purpose asked for consent, drawn from the two receipts.
    const charts = page.locator('figure.chart svg[role="img"]');
    assert.ok(await charts.count() >= 1);
    const marketing = page.locator('figure.chart').filter({ hasText: 'Consent rate per day: marketing' });
    assert.match(await marketing.locator('svg').textContent(), /0\/2/, 'marketing: refused by both');
    const analytics = page.locator('figure.chart').filter({ hasText: 'Consent rate per day: service-analytics' });
    assert.match(await analytics.locator('svg').textContent(), /1\/2/, 'analytics: given by one of two');
    const table = page.locator('table').first();
    assert.equal(await table.locator('tbody tr').filter({ hasText: 'service-analytics' }).filter({ hasText: 'DE' }).locator('td').last().textContent(), '100.0 %');
    assert.deepEqual(await axe(page, 'body'), []);
    assert.match(await page.getByRole('link', { name: 'Download the evidence pack' }).getAttribute('href'), /^\/console\/api\/evidence\?from=.*&to=/);

    await page.getByRole('link', { name: 'Receipts' }).click();
    const rows = page.locator('table tbody tr');
    await waitFor('two receipts listed', async () => (await rows.count()) === 2);
    assert.equal(await page.getByText('verified', { exact: true }).count(), 2);
    await page.getByRole('link', { name: '1', exact: true }).click();
    await page.getByRole('heading', { name: 'Receipt, ledger entry 1' }).waitFor();
    const notice = page.locator('pre.notice');
    assert.match(await notice.textContent(), /Notice shown \(/);
    assert.equal(await notice.getAttribute('dir'), 'ltr');
    assert.match(await page.locator('dl.facts').textContent(), /entry 1 is in checkpoint size 2/);
    assert.deepEqual(await axe(page, 'body'), []);

    await page.getByRole('link', { name: 'Log health' }).click();
    await page.getByText('Entries in the latest checkpoint').waitFor();
    assert.match(await page.locator('dl.facts').textContent(), /Entries in the latest checkpoint2/);

    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByText("The trail's hash chain is intact.").waitFor();
    const trail = await page.locator('table').textContent();
    assert.match(trail, /agent\.liforbidden\/console\/api\/dashboard as agent/);
    assert.match(trail, /dpo\.weberlocked/);
    assert.match(trail, /auditor\.ngread\/console\/api\/receipts\/1/);
    assert.deepEqual(await axe(page, 'body'), []);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the Consentry console' }).waitFor();
    assert.deepEqual(problems.filter((p) => !SIGNED_OUT.test(p)), []);
  } finally {
    await context.close();
  }
});

test('an auditor sees every notice version, what changed in each language and what the lint found', async () => {
  const out = join(dir, 'notices');
  await buildNotice(out);
  let version;
  await buildNotice(out, async (src) => {
    const toml = join(src, 'notice.toml');
    const text = await readFile(toml, 'utf8');
    version = `${text.match(/^version = "([^"]+)"/m)[1]}.1`;
    await writeFile(toml, text.replace(/^version = "[^"]+"/m, `version = "${version}"`));
    // French: the English title left untranslated (lint M015, a warning); Arabic: a new word.
    const fr = join(src, 'fr.ftl');
    await writeFile(fr, (await readFile(fr, 'utf8')).replace(/^banner-title = .*$/m, 'banner-title = Your privacy at { -brand } Support'));
    const ar = join(src, 'ar.ftl');
    await writeFile(ar, (await readFile(ar, 'utf8')).replace(/^close = .*$/m, 'close = أغلق النافذة'));
  });
  const db = join(dir, 'console-notices.sqlite');
  await addAccount(db, 'auditor.ng', 'auditor', PASSWORD);
  const second = await startServer({ notices: out, extraArgs: ['--console-db', db] });
  const { context, page, problems } = await consolePage(second.url);
  try {
    await signIn(page, 'auditor.ng');
    await page.getByRole('heading', { name: 'Signed in as auditor.ng' }).waitFor();
    await page.getByRole('link', { name: 'Notice versions' }).click();
    await page.getByRole('heading', { name: 'Notice versions' }).waitFor();
    const rows = page.locator('table tbody tr');
    await waitFor('two versions listed', async () => (await rows.count()) === 2);
    const newest = rows.first();
    assert.equal(await newest.locator('th').textContent(), version);
    assert.match(await newest.textContent(), /current/);
    assert.match(await newest.textContent(), /ar: close; fr: banner-title/);
    assert.match(await newest.textContent(), /1 warning/);
    assert.match(await rows.nth(1).textContent(), /first version published/);
    assert.match(await rows.nth(1).textContent(), /no findings/);
    assert.deepEqual(await axe(page, 'body'), []);

    await newest.getByRole('link', { name: version }).click();
    await page.getByRole('heading', { name: `Notice support-privacy version ${version}` }).waitFor();
    const arabic = page.getByRole('region', { name: 'Messages changed in ar' });
    const after = arabic.locator('tbody tr').filter({ hasText: 'close' }).locator('td').nth(2);
    assert.equal(await after.textContent(), 'أغلق النافذة');
    assert.equal(await after.getAttribute('dir'), 'rtl');
    assert.equal(await after.getAttribute('lang'), 'ar');
    const french = page.getByRole('region', { name: 'Messages changed in fr' });
    assert.match(await french.textContent(), /banner-titlechangedVotre vie privée/);
    const findings = page.getByRole('region', { name: 'Lint findings at build' });
    assert.match(await findings.textContent(), /^CodeSeverityWhereFindingM015warningfr\.ftl:\d+message `banner-title` has the same text as in en$/);
    assert.deepEqual(await axe(page, 'body'), []);

    // The back link, and the reads in the trail.
    await page.getByRole('link', { name: '← All notice versions' }).click();
    await page.getByRole('heading', { name: 'Notice versions' }).waitFor();
    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByText("The trail's hash chain is intact.").waitFor();
    const trail = await page.locator('table').textContent();
    assert.ok(trail.includes(`auditor.ngread/console/api/notices/support-privacy/${version}`), trail);
    assert.deepEqual(problems.filter((p) => !SIGNED_OUT.test(p)), []);
  } finally {
    await context.close();
    await second.stop();
  }
});
