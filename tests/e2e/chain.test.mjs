// The subject chain is the server's to keep, and nothing a page script leaves in storage
// decides what is signed or where it goes (issue 13, items 3 and 4), against the real
// receipt server binary:
// - poisoned local chain state (a `seq` of 2^53 − 1) or lost state never silences a browser:
//   the server refuses the receipt with `409 chain_conflict` and says where the chain stands;
//   the widget signs the same decision again there (`chain.resumed`), and it is stored;
// - a planted hand-off job (all purposes granted, dated 400 days back, an endpoint on another
//   origin) is not signed, and nothing goes to that origin; a stored outbox entry naming
//   another endpoint goes only to the mount's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, openPage, ready, press, storedRows, recordEvents, verify,
  payloadOf, waitFor, receiptPosts, postedIds,
} from './harness.mjs';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

const CONSENT_KEY = 'consentry:support-privacy';

/** The receipt ids of the POSTs made so far, in order. */
/** Waits for the n-th `stored` receipt event (1-based) and returns its detail. */
const nthStored = (events, n) => waitFor(`stored receipt #${n}`, () => events.filter((e) => e.type === 'receipt' && e.detail.status === 'stored')[n - 1])
  .then((e) => e.detail);

test('poisoned or lost chain state: the server says where the chain stands and the receipt resumes there, stored and verified', async () => {
  const server = await startServer();
  const context = await browser.newContext();
  try {
    const events = await recordEvents(context);
    const posts = receiptPosts(context);
    const answers = [];
    context.on('response', async (r) => {
      if (r.url().endsWith('/v1/receipts') && r.request().method() === 'POST') {
        answers.push({ status: r.status(), body: await r.json().catch(() => null) });
      }
    });
    const { page, problems } = await openPage(context, `${server.url}/e2e/notice.html?region=DE`);
    await ready(page);
    await press(page, 'consentry-reject-all');
    const first = await nthStored(events, 1);

    // A script sets the stored sequence number to the largest a receipt can hold.
    await page.evaluate((key) => {
      const s = JSON.parse(localStorage.getItem(key));
      s.seq = 2 ** 53 - 1;
      localStorage.setItem(key, JSON.stringify(s));
    }, CONSENT_KEY);
    await page.reload();
    await ready(page);
    await press(page, 'consentry-privacy-settings');
    await page.getByTestId('consentry-settings').waitFor();
    await press(page, 'consentry-purpose-chat-transcript', 'Space');
    await press(page, 'consentry-save');
    const second = await nthStored(events, 2);
    assert.notEqual(second.receiptId, first.receiptId);
    // One refusal that says where the chain stands, then the resumed receipt.
    await waitFor('three answers', () => answers.length >= 3 || null);
    assert.deepEqual(answers.map((a) => a.status), [201, 409, 201]);
    assert.equal(answers[1].body.error.code, 'chain_conflict');
    assert.deepEqual(answers[1].body.error.expected, {
      prev_receipt_id: first.receiptId,
      prev_receipt_sha256: answers[0].body.receipt_sha256,
      subject_seq: 1,
    });
    assert.deepEqual(postedIds(posts), [first.receiptId, second.receiptId, second.receiptId]);

    let rows = await storedRows(server);
    assert.deepEqual(rows.map((r) => r.receiptId), [first.receiptId, second.receiptId]);
    const resumed = payloadOf(JSON.parse(rows[1].bytes.toString('utf8')));
    assert.deepEqual(resumed.chain, {
      prev_receipt_id: first.receiptId,
      prev_receipt_sha256: answers[0].body.receipt_sha256,
      resumed: true,
      subject_seq: 1,
    });
    assert.equal(resumed.decisions.find((d) => d.purpose_id === 'chat-transcript').state, 'given', 'the decision the visitor made');
    assert.equal(answers[2].body.subject_chain, 'linked');
    assert.equal((await verify(rows[1].bytes)).code, 0, 'it verifies offline');
    // The device's own state is repaired: the next receipt links without a refusal.
    const repaired = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)), CONSENT_KEY);
    assert.equal(repaired.seq, 1);

    // Lost state: the stored decision is gone (the device key stays); the banner is back and
    // the next decision continues the server's chain all the same.
    await page.evaluate((key) => localStorage.removeItem(key), CONSENT_KEY);
    await page.reload();
    await ready(page);
    await press(page, 'consentry-reject-all');
    const third = await nthStored(events, 3);
    rows = await storedRows(server);
    assert.deepEqual(rows.map((r) => r.receiptId), [first.receiptId, second.receiptId, third.receiptId]);
    const chain = payloadOf(JSON.parse(rows[2].bytes.toString('utf8'))).chain;
    assert.deepEqual([chain.prev_receipt_id, chain.subject_seq, chain.resumed], [second.receiptId, 2, true]);
    assert.deepEqual(problems.filter((p) => !p.includes('409')), []);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('a planted hand-off job is not signed and nothing goes where storage says; only the mount decides the endpoint', async () => {
  const server = await startServer();
  const context = await browser.newContext();
  try {
    const events = await recordEvents(context);
    const posts = receiptPosts(context);
    // Another origin that would gladly answer "stored".
    const evil = [];
    await context.route('https://evil.example/**', (route) => {
      evil.push(route.request().url());
      return route.fulfill({ status: 201, contentType: 'application/json', body: '{"status":"stored"}' });
    });
    // A genuine job, handed off because the receipts module cannot be fetched yet.
    const blocked = (route) => route.abort('internetdisconnected');
    await context.route(/consentry-receipts/, blocked);
    const { page, problems } = await openPage(context, `${server.url}/e2e/notice.html?region=DE`);
    await ready(page);
    await press(page, 'consentry-reject-all');
    const change = (await waitFor('the change event', () => events.find((e) => e.type === 'change'))).detail;
    const [genuine] = await page.evaluate(() => JSON.parse(localStorage.getItem('consentry:handoff')));
    assert.equal(genuine[0], change.receiptId);

    // A script rewrites the list: the genuine job now names another origin, and a forged one
    // (every choice granted, dated 400 days back, another receipt id) joins it.
    const forgedId = 'urn:uuid:0d0e0a0d-0b0e-4e0f-8a0d-000000000400';
    const job = JSON.parse(genuine[2]);
    const forged = {
      ...job,
      receipt_id: forgedId,
      method: 'accept_all',
      choices: job.choices.map(([p]) => [p, true]),
      now: Date.now() - 400 * 24 * 3600 * 1000,
    };
    await page.evaluate((list) => localStorage.setItem('consentry:handoff', JSON.stringify(list)), [
      [genuine[0], 'https://evil.example/v1/receipts', genuine[2], genuine[3]],
      [forgedId, 'https://evil.example/v1/receipts', JSON.stringify(forged), genuine[3]],
    ]);

    await context.unroute(/consentry-receipts/, blocked);
    await page.reload();
    const stored = await nthStored(events, 1);
    assert.equal(stored.receiptId, change.receiptId, 'the genuine job went to the mount\'s endpoint');
    const refused = (await waitFor('the refused job', () => events.find((e) => e.type === 'error' && /last 30 days/.test(e.detail.message)))).detail;
    assert.equal(refused.code, 'receipt_not_signed');
    // The forged job is kept where it was (never dropped) and never signed or sent.
    await page.waitForFunction(() => JSON.parse(localStorage.getItem('consentry:handoff') ?? '[]').length === 1);
    const left = await page.evaluate(() => JSON.parse(localStorage.getItem('consentry:handoff')));
    assert.deepEqual(left.map((e) => e[0]), [forgedId]);
    const outbox = await page.evaluate(() => JSON.parse(localStorage.getItem('consentry:outbox') ?? '[]'));
    assert.ok(outbox.every((e) => e.id !== forgedId && e.endpoint === undefined), JSON.stringify(outbox));
    assert.deepEqual((await storedRows(server)).map((r) => r.receiptId), [change.receiptId]);

    // An outbox entry a script points elsewhere goes to the mount's endpoint all the same.
    const [row] = await storedRows(server);
    await page.evaluate(([id, envelope]) => localStorage.setItem('consentry:outbox', JSON.stringify([
      { attempts: 0, endpoint: 'https://evil.example/v1/receipts', envelope, id, queued_at: Date.now(), status: 'queued' },
    ])), [row.receiptId, row.bytes.toString('utf8')]);
    const resent = context.waitForEvent('response', (r) => r.url() === `${server.url}/v1/receipts` && r.request().method() === 'POST');
    await page.reload();
    assert.equal((await resent).status(), 200, 'the server\'s copy, as already stored');
    await page.waitForFunction(() => localStorage.getItem('consentry:outbox') === '[]' || localStorage.getItem('consentry:outbox') === null);
    assert.deepEqual(evil, [], 'nothing went to the other origin');
    assert.ok(postedIds(posts).every((id) => id !== forgedId));
    assert.deepEqual(problems.filter((p) => !p.includes('net::ERR_INTERNET_DISCONNECTED')), []);
  } finally {
    await context.close();
    await server.stop();
  }
});
