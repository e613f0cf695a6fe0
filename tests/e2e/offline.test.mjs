// The offline outbox, end to end, against the real receipt server binary: the server is
// stopped by its PID while a visitor decides, changes their mind and reloads three times;
// restarted on the same port and SQLite file, it receives every receipt exactly once, in
// order, and each verifies with `consentry verify`, chained to the one before. The site's
// files come from disk (as from a CDN), so the pages load while the receipt service is down.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, openPage, ready, press, routeSite, storedRows, recordEvents,
  verify, payloadOf, states, buildNotice, copySite, waitFor, nextReceipt, receiptsModuleLoaded,
  receiptPosts, postedIds,
} from './harness.mjs';
import { join } from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** `min(60 s, 1 s × 2^(n − 1))`: the retry window after n failures (see outbox::retry_delay). */
const windowAfter = (n) => Math.min(60_000, 1_000 * 2 ** Math.max(0, n - 1));

/** The widget's outbox in the page's localStorage. */
const outbox = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('consentry:outbox') ?? '[]'));

test('server down: decide, change, reload 3×; back up: every receipt exactly once, in order, chained and verified', async () => {
  const server = await startServer();
  const context = await browser.newContext();
  try {
    await routeSite(context, server.url);
    const events = await recordEvents(context);
    const { page, problems } = await openPage(context, `${server.url}/e2e/notice.html?region=DE`);
    await ready(page);

    // The receipt service goes down (stopped by its PID).
    const pid = server.pid;
    await server.halt();
    assert.throws(() => process.kill(pid, 0), 'the process is gone');

    // The visitor decides (keyboard only), leaves the separate consent steps unanswered (Esc),
    // then changes their mind in the settings.
    await press(page, 'consentry-accept-all');
    await page.getByTestId('consentry-separate').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('consentry-separate').waitFor({ state: 'detached' });
    await press(page, 'consentry-privacy-settings');
    await page.getByTestId('consentry-settings').waitFor();
    await press(page, 'consentry-purpose-chat-transcript', 'Space');
    await press(page, 'consentry-save');
    await page.getByTestId('consentry-settings').waitFor({ state: 'detached' });
    const changes = events.filter((e) => e.type === 'change').map((e) => e.detail);
    assert.equal(changes.length, 2);
    assert.deepEqual(changes.map((c) => c.method), ['accept_all', 'save_choices']);
    assert.equal(changes[1].decisions['chat-transcript'], false);
    const ids = changes.map((c) => c.receiptId);
    // Both are kept, queued, oldest first; the page heard that they are queued.
    await page.waitForFunction(
      (n) => JSON.parse(localStorage.getItem('consentry:outbox') ?? '[]').length === n, 2,
    );
    assert.deepEqual((await outbox(page)).map((e) => [e.id, e.status]), ids.map((id) => [id, 'queued']));

    // Three reloads: the decision holds, and each mount tries the outbox again.
    for (let i = 0; i < 3; i += 1) {
      const before = events.filter((e) => e.type === 'receipt').length;
      await page.reload();
      await ready(page);
      assert.equal(await page.getByTestId('consentry-banner').count(), 0, 'decided: no banner');
      await waitFor(`a delivery attempt after reload ${i + 1}`, () => events.filter((e) => e.type === 'receipt').length > before);
    }
    const queued = events.filter((e) => e.type === 'receipt').map((e) => e.detail);
    assert.ok(queued.length >= 5, `attempts were reported: ${queued.length}`);
    // Backoff with full jitter: after the k-th consecutive failure on a page, the announced
    // retry lies between 0 and min(60 s, 1 s × 2^(k − 1)); each page load starts afresh.
    let k = 0;
    for (const { type, detail: d } of events) {
      if (type === 'page') k = 0;
      if (type !== 'receipt') continue;
      assert.equal(d.status, 'queued', JSON.stringify(d));
      assert.equal(d.httpStatus, null, 'no answer: the server is down');
      assert.equal(d.offline, false);
      if (d.receiptId !== ids[0]) continue; // a later receipt held behind the first
      k += 1;
      assert.ok(d.retryInMs >= 0 && d.retryInMs <= windowAfter(k), `failure ${k}: ${JSON.stringify(d)}`);
    }
    const box = await outbox(page);
    assert.deepEqual(box.map((e) => e.id), ids, 'still both, still in order');
    assert.ok(box[0].attempts >= 4, `the first was tried on each mount and retry: ${box[0].attempts}`);
    assert.deepEqual(await storedRows(server), [], 'nothing reached the server');

    // The service comes back on the same port with the same SQLite file; the open page's
    // next retry delivers everything, oldest first.
    await server.resume();
    await page.waitForFunction(() => (localStorage.getItem('consentry:outbox') ?? '[]') === '[]', null, { timeout: 90_000 });
    const stored = events.filter((e) => e.type === 'receipt' && e.detail.status === 'stored').map((e) => e.detail);
    assert.deepEqual(stored.map((d) => d.receiptId), ids, 'the page heard: stored, in order');

    // From the server's own data: exactly these receipts, each once, in decision order.
    const rows = await storedRows(server);
    assert.deepEqual(rows.map((r) => r.receiptId), ids);
    assert.deepEqual(rows.map((r) => r.position), [...rows.map((r) => r.position)].sort((a, b) => a - b));
    // Each verifies offline with `consentry verify`, and the chain links them.
    const verified = [];
    for (const row of rows) {
      const v = await verify(row.bytes);
      assert.equal(v.code, 0, `consentry verify: ${v.stdout}${v.stderr}`);
      const hash = /receipt hash: ([0-9a-f]{64})/.exec(v.stdout)[1];
      verified.push({ receipt: payloadOf(JSON.parse(row.bytes.toString('utf8'))), hash });
    }
    const [first, second] = verified;
    assert.equal(first.receipt.chain.subject_seq, 0);
    assert.equal(first.receipt.chain.prev_receipt_id, undefined);
    assert.equal(second.receipt.chain.subject_seq, 1);
    assert.equal(second.receipt.chain.prev_receipt_id, first.receipt.receipt_id);
    assert.equal(second.receipt.chain.prev_receipt_sha256, first.hash);
    assert.equal(states(first.receipt)['chat-transcript'], 'given');
    assert.equal(states(second.receipt)['chat-transcript'], 'withdrawn');
    assert.equal(second.receipt.subject.pseudonym, first.receipt.subject.pseudonym, 'one device');

    // Another reload sends nothing again: exactly once.
    await page.reload();
    await ready(page);
    await page.evaluate(() => new Promise((r) => setTimeout(r, 0)));
    assert.equal((await storedRows(server)).length, 2);
    assert.deepEqual(problems.filter((p) => !p.includes('ERR_CONNECTION_REFUSED') && !p.includes('Failed to load resource')), []);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('a receipt the server refuses (4xx) is kept, reported with its code, and never retried; later ones still go', async () => {
  // The page shows another text under the published notice's own version (swapped on the
  // way): the server refuses its receipts (notice_unknown), which retrying cannot fix.
  const site = await copySite();
  await buildNotice(join(site.dir, 'e2e-swapped'), async (dir) => {
    const ftl = join(dir, 'en.ftl');
    const text = await readFile(ftl, 'utf8');
    assert.ok(text.includes('accept-all = Accept all'));
    await writeFile(ftl, text.replace('accept-all = Accept all', 'accept-all = Allow all'));
  });
  const server = await startServer({ site: site.dir });
  const context = await browser.newContext();
  try {
    const events = await recordEvents(context);
    const posts = receiptPosts(context);
    const { page, problems } = await openPage(context, `${server.url}/e2e/notice.html?region=DE&manifest=/e2e-swapped/manifest.json`);
    await ready(page);
    await press(page, 'consentry-reject-all');
    await page.waitForFunction(() => JSON.parse(localStorage.getItem('consentry:outbox') ?? '[]')[0]?.status === 'rejected');
    const refused = events.find((e) => e.type === 'receipt').detail;
    assert.equal(refused.status, 'rejected');
    assert.equal(refused.httpStatus, 422);
    assert.equal(refused.code, 'notice_unknown');
    assert.equal(refused.retryInMs, null, 'no retry is scheduled');
    const [kept] = await outbox(page);
    assert.deepEqual([kept.status, kept.code, kept.attempts], ['rejected', 'notice_unknown', 1]);
    assert.equal(posts.length, 1);

    // The published text: its receipt goes through, past the refused one, which stays. The
    // version is the one already decided on, so the change is made in the settings.
    await page.goto(`${server.url}/e2e/notice.html?region=DE`);
    await ready(page);
    await press(page, 'consentry-privacy-settings');
    await page.getByTestId('consentry-settings').waitFor();
    await press(page, 'consentry-accept-all');
    const stored = (await waitFor('the stored receipt', () => events.find((e) => e.type === 'receipt' && e.detail.status === 'stored'))).detail;
    assert.equal(stored.httpStatus, 201);
    const ids = posts.map((r) => payloadOf(JSON.parse(r.postData())).receipt_id);
    assert.equal(ids.filter((id) => id === refused.receiptId).length, 1, 'the refused receipt was not sent again');
    assert.deepEqual((await outbox(page)).map((e) => e.status), ['rejected'], 'kept, never dropped');
    const rows = await storedRows(server);
    assert.deepEqual(rows.map((r) => r.receiptId), [stored.receiptId]);
    // The device's chain moved past the refused receipt, which the server never logged: the
    // server said so (409 chain_conflict) and the receipt resumed as the subject's first.
    const chain = payloadOf(JSON.parse(rows[0].bytes.toString('utf8'))).chain;
    assert.deepEqual(chain, { resumed: true, subject_seq: 0 });
    assert.deepEqual(problems.filter((p) => !p.includes('422') && !p.includes('409')), []);
  } finally {
    await context.close();
    await server.stop();
    await site.remove();
  }
});

test('a receipt for a notice version not published yet is kept and retried, and stored once it is; the old version still verifies', async () => {
  // Version 2 is on a page before the receipt server has it: its receipt is answered
  // 503 notice_pending, kept and retried; `consentry build` then publishes version 2 into the
  // archive the running server watches, and the next attempt stores it.
  const site = await copySite();
  const notices = join(site.dir, 'notice');
  let v2 = '';
  const bump = async (dir) => {
    const toml = join(dir, 'notice.toml');
    const text = await readFile(toml, 'utf8');
    const m = /^version = "([^"]+)"/m.exec(text);
    v2 = `${m[1]}.2`;
    await writeFile(toml, text.replace(m[0], `version = "${v2}"`));
  };
  await buildNotice(join(site.dir, 'e2e-v2'), bump);
  const server = await startServer({ site: site.dir, notices });
  const context = await browser.newContext();
  try {
    const events = await recordEvents(context);
    const { page, problems } = await openPage(context, `${server.url}/e2e/notice.html?region=DE`);
    await ready(page);
    let posted = nextReceipt(page);
    await press(page, 'consentry-reject-all');
    const first = await posted;
    assert.equal(first.response.status(), 201);

    await page.goto(`${server.url}/e2e/notice.html?region=DE&manifest=/e2e-v2/manifest.json`);
    await ready(page);
    posted = nextReceipt(page);
    await press(page, 'consentry-reject-all');
    const pending = await posted;
    assert.equal(pending.response.status(), 503);
    assert.equal(pending.ack.error.code, 'notice_pending');
    assert.ok(Number(pending.response.headers()['retry-after']) > 0, 'Retry-After');
    const queued = (await waitFor('the queued outcome', () => events.find((e) => e.type === 'receipt' && e.detail.httpStatus === 503))).detail;
    assert.equal(queued.status, 'queued');
    const [kept] = await outbox(page);
    assert.equal(kept.status, 'queued');
    assert.equal((await storedRows(server)).length, 1, 'not stored while pending');

    // Published while the server runs (same sources, so the same bytes as the page's).
    await buildNotice(notices, bump);
    await page.reload();
    await ready(page);
    const stored = (await waitFor('the stored outcome', () => events.find((e) => e.type === 'receipt' && e.detail.status === 'stored' && e.detail.receiptId === queued.receiptId), { timeout: 30_000 })).detail;
    assert.equal(stored.httpStatus, 201);
    assert.deepEqual((await storedRows(server)).map((r) => r.receiptId).sort(), [first.ack.receipt_id, queued.receiptId].sort());

    // Both versions verify offline against the archive, the first one after the second was
    // published.
    const keys = await (await fetch(`${server.url}/.well-known/consentry/keys.json`)).arrayBuffer();
    for (const id of [first.ack.receipt_id, queued.receiptId]) {
      const bytes = Buffer.from(await (await fetch(`${server.url}/v1/receipts/${encodeURIComponent(id)}`)).arrayBuffer());
      const r = await verify(bytes, { notices, keys: Buffer.from(keys) });
      assert.equal(r.code, 0, `${id}: ${r.stdout}${r.stderr}`);
    }
    assert.notEqual(payloadOf(first.ack.receipt).notice.version, v2, 'the first receipt is of version 1');
    assert.deepEqual(problems.filter((p) => !p.includes('503')), []);
  } finally {
    await context.close();
    await server.stop();
    await site.remove();
  }
});

test('offline: nothing is sent and no retry runs until the browser is back online', async () => {
  const server = await startServer();
  const context = await browser.newContext();
  try {
    const events = await recordEvents(context);
    const posts = receiptPosts(context);
    const { page, problems } = await openPage(context, `${server.url}/e2e/notice.html?region=DE`);
    await ready(page);
    // Offline once the receipts module is there (the next test goes offline before it is).
    await receiptsModuleLoaded(page);
    await context.setOffline(true);
    await press(page, 'consentry-reject-all');
    const queued = (await waitFor('the queued outcome', () => events.find((e) => e.type === 'receipt'))).detail;
    assert.deepEqual([queued.status, queued.offline, queued.retryInMs, queued.attempts], ['queued', true, null, 0]);
    assert.equal(posts.length, 0, 'nothing was sent while offline');
    // Back online: the `online` event resumes delivery at once.
    const posted = nextReceipt(page);
    await context.setOffline(false);
    const { response } = await posted;
    assert.equal(response.status(), 201);
    const stored = (await waitFor('the stored outcome', () => events.find((e) => e.type === 'receipt' && e.detail.status === 'stored'))).detail;
    assert.equal(stored.receiptId, queued.receiptId);
    assert.deepEqual((await storedRows(server)).map((r) => r.receiptId), [queued.receiptId]);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.stop();
  }
});

// Reject all: nothing else is loaded, so the job stays handed off until a page can make it.
// (Accept all would open the separate consent steps in the full widget, which takes the job
// over itself: the next test.)
test('receipts module unreachable when the visitor decides: the decision is kept at once, the receipt waits in storage, and the next page makes and delivers it, once', async () => {
  const server = await startServer();
  const context = await browser.newContext();
  try {
    const events = await recordEvents(context);
    const posts = receiptPosts(context);
    // The receipts module cannot be fetched (a flaky network, a blocked path).
    const blocked = (route) => route.abort('internetdisconnected');
    await context.route(/consentry-receipts/, blocked);
    const { page, problems } = await openPage(context, `${server.url}/e2e/notice.html?region=DE`);
    await ready(page);
    await press(page, 'consentry-reject-all');
    const change = (await waitFor('the change event', () => events.find((e) => e.type === 'change'))).detail;
    assert.equal(change.method, 'reject_all');
    assert.ok(change.receiptId, 'a receipt id is drawn at once');
    // The decision is stored at once; the receipt waits, handed off in storage; the page hears why.
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('consentry:support-privacy')));
    assert.equal(stored.choices['chat-transcript'], false);
    const handoff = await page.evaluate(() => JSON.parse(localStorage.getItem('consentry:handoff') ?? '[]'));
    assert.deepEqual(handoff.map((e) => e[0]), [change.receiptId]);
    const error = (await waitFor('receipts_unavailable', () => events.find((e) => e.type === 'error'))).detail;
    assert.equal(error.code, 'receipts_unavailable');
    assert.equal(posts.length, 0);
    // A receipts outage is not a broken widget: it stays ready (and usable) on the page.
    assert.equal(await page.locator('#consentry').getAttribute('data-consentry-state'), 'ready');

    // The next page can fetch it: the stored job is made into a receipt, delivered, and leaves
    // the hand-off list; the server has it exactly once.
    await context.unroute(/consentry-receipts/, blocked);
    // Either page may deliver it: the first page's own retry (the module reachable again) can
    // post it just as the reload cuts that page off (its answer's body is then gone), and the
    // next page sends the same bytes, which the server answers 200 as the copy it has. Only
    // the status is read here; that it is stored exactly once is checked below.
    const posted = context.waitForEvent('response', (r) => r.url().endsWith('/v1/receipts') && r.request().method() === 'POST');
    await page.reload();
    const response = await posted;
    assert.ok([200, 201].includes(response.status()), `status ${response.status()}`);
    const delivered = (await waitFor('the stored outcome', () => events.find((e) => e.type === 'receipt' && e.detail.status === 'stored'))).detail;
    assert.equal(delivered.receiptId, change.receiptId);
    await page.waitForFunction(() => localStorage.getItem('consentry:handoff') === null);
    assert.deepEqual((await storedRows(server)).map((r) => r.receiptId), [change.receiptId]);
    const row = (await storedRows(server))[0];
    assert.equal((await verify(row.bytes)).code, 0, 'it verifies offline');
    // Only the blocked fetches themselves were logged (by the browser).
    assert.deepEqual(problems.filter((p) => !p.includes('net::ERR_INTERNET_DISCONNECTED')), []);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('receipts module unreachable, accept all then the separate consent steps: every job waits in storage, and the full widget, loaded for the full notice, takes them and delivers each once', async () => {
  const server = await startServer();
  const context = await browser.newContext();
  try {
    const events = await recordEvents(context);
    const posts = receiptPosts(context);
    const blocked = (route) => route.abort('internetdisconnected');
    await context.route(/consentry-receipts/, blocked);
    const { page, problems } = await openPage(context, `${server.url}/e2e/notice.html?region=DE`);
    await ready(page);
    await press(page, 'consentry-accept-all');
    const change = (await waitFor('the change event', () => events.find((e) => e.type === 'change'))).detail;
    assert.equal(change.method, 'accept_all');
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('consentry:support-privacy')));
    assert.equal(stored.choices['chat-transcript'], true);
    assert.equal(stored.choices.marketing, false, 'a separate consent step is not part of accept all');
    // The first module draws the step; the receipts module still cannot be fetched, so its
    // receipt waits in storage beside the first.
    const changes = () => events.filter((e) => e.type === 'change').map((e) => e.detail);
    const step = page.getByTestId('consentry-separate');
    await step.waitFor();
    while (await step.count()) {
      const n = changes().length;
      await step.getByTestId('consentry-agree').click();
      await waitFor('the step\'s change event', () => changes().length > n || null);
    }
    const ids = changes().map((c) => c.receiptId);
    assert.ok(ids.length >= 2, 'accept all, then at least one step');
    assert.deepEqual(changes().slice(1).map((c) => c.method), ids.slice(1).map(() => 'separate_consent'));
    assert.equal(postedIds(posts).length, 0, 'nothing could be sent yet');
    // The full notice brings the full widget, which takes both jobs over and delivers them.
    await page.getByTestId('consentry-privacy-settings').click();
    await page.getByTestId('consentry-settings').getByTestId('consentry-open-notice').click();
    await page.getByTestId('consentry-notice').waitFor();
    const stores = () => events.filter((e) => e.type === 'receipt' && e.detail.status === 'stored');
    await waitFor('every stored outcome', () => stores().length >= ids.length || null);
    assert.deepEqual(stores().map((e) => e.detail.receiptId), ids);
    await page.waitForFunction(() => localStorage.getItem('consentry:handoff') === null);
    assert.deepEqual(postedIds(posts), ids, 'each posted once, in order');
    assert.deepEqual((await storedRows(server)).map((r) => r.receiptId), ids);
    for (const row of await storedRows(server)) {
      assert.equal((await verify(row.bytes)).code, 0, 'it verifies offline');
    }
    assert.deepEqual(problems.filter((p) => !p.includes('net::ERR_INTERNET_DISCONNECTED')), []);
  } finally {
    await context.close();
    await server.stop();
  }
});
