// Frame mode (ADR 0012): the device key is generated, kept and used only in a signing frame
// on the receipt server's origin; the site's page (another origin) sends decision jobs and
// hears the outcome. These flows run the site on one server (http://127.0.0.1:<a>) and the
// receipt server with its frame on another (http://127.0.0.1:<b>): two origins, as on a site
// and consent.example.com. Each defence has a test here that fails without it (ADR 0012 lists the
// pairs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  startSigner, startServer, launchBrowser, openPage, recordEvents, routeSite, verify, storedReceipt, waitFor,
} from './harness.mjs';

let s;
let browser;

before(async () => {
  s = await startSigner();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await s?.stop();
});

async function frameContext() {
  const context = await browser.newContext();
  const events = await recordEvents(context);
  return { context, events };
}

/** Resolves to the `consentry:receipt` event with `status` (and `receiptId`, if given). */
function receiptEvent(events, status, receiptId) {
  return waitFor(`a ${status} receipt`, () => events.find(
    (e) => e.type === 'receipt' && e.detail.status === status && (!receiptId || e.detail.receiptId === receiptId),
  )?.detail);
}

function signerFrame(page) {
  return page.frames().find((f) => f.url().startsWith(s.signerUrl));
}

function pseudonymOf(stored) {
  return stored.receipt.subject.pseudonym;
}

/** RFC 7638 thumbprint of a public EC JWK. */
function thumbprint(jwk) {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * What a page script can do once: an extractable P-256 pair generated and stored where the
 * widget keeps its device key in the page's origin (IndexedDB `consentry`, store `keys`,
 * key `device`). Resolves to the public JWK.
 */
function plantKeyPair(page) {
  return page.evaluate(async () => {
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    await new Promise((resolve, reject) => {
      const req = indexedDB.open('consentry', 1);
      req.onupgradeneeded = () => req.result.createObjectStore('keys');
      req.onsuccess = () => {
        const tx = req.result.transaction('keys', 'readwrite');
        tx.objectStore('keys').put(pair, 'device');
        tx.oncomplete = () => {
          req.result.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error);
      };
      req.onerror = () => reject(req.error);
    });
    return crypto.subtle.exportKey('jwk', pair.publicKey);
  });
}

test('two origins: the frame signs and delivers; the receipt is stored and verifies offline', async () => {
  const { context, events } = await frameContext();
  const posts = [];
  context.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/v1/receipts')) posts.push(r);
  });
  const { page, problems } = await openPage(context, s.pageUrl());
  await page.getByTestId('consentry-banner').waitFor();
  await page.getByTestId('consentry-reject-all').click();
  const stored = await receiptEvent(events, 'stored');

  const receipt = await storedReceipt(s.server, stored.receiptId);
  const keys = Buffer.from(await (await fetch(`${s.server.url}/.well-known/consentry/keys.json`)).arrayBuffer());
  const ok = await verify(receipt.bytes, { keys });
  assert.equal(ok.code, 0, `consentry verify failed: ${ok.stderr}`);
  assert.match(ok.stdout, /countersigned: by server key/);
  assert.equal(receipt.receipt.event.interaction, 'reject_all');

  // Every POST came from the frame, to the receipt server's own origin.
  assert.ok(posts.length >= 1);
  for (const r of posts) {
    assert.ok(r.frame().url().startsWith(s.signerUrl), `POST from ${r.frame().url()}`);
    assert.ok(r.url().startsWith(s.server.url));
  }
  // The key exists in the frame's origin only; the page keeps nothing of the pipeline but
  // the copy of the latest receipt and the server's answer ("download my receipt").
  assert.ok((await signerFrame(page).evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).includes('consentry'));
  const onPage = await page.evaluate(async () => ({
    dbs: (await indexedDB.databases()).map((d) => d.name),
    handoff: localStorage.getItem('consentry:handoff'),
    outbox: localStorage.getItem('consentry:outbox'),
    ack: localStorage.getItem('consentry:receipt-ack'),
    csp: window.__cspViolations,
  }));
  assert.deepEqual(onPage.dbs, []);
  assert.equal(onPage.handoff, null);
  assert.equal(onPage.outbox, null);
  assert.ok(onPage.ack?.startsWith(`${stored.receiptId}\n`), 'the server answer is mirrored for the download');
  assert.deepEqual(onPage.csp, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a page script cannot read the device key: not in its storage, the frame\'s is out of reach', async () => {
  const { context, events } = await frameContext();
  const { page, problems } = await openPage(context, s.pageUrl());
  await page.getByTestId('consentry-accept-all').click();
  await receiptEvent(events, 'stored');
  // What a script on the page can try.
  const tried = await page.evaluate(async () => {
    const out = { dbs: (await indexedDB.databases()).map((d) => d.name) };
    const frame = document.querySelector('iframe');
    const attempt = (name, f) => {
      try {
        const v = f();
        out[name] = v === null || v === undefined ? 'nothing' : typeof v;
      } catch (e) {
        out[name] = e.name;
      }
    };
    attempt('frameLocalStorage', () => frame.contentWindow.localStorage);
    attempt('frameIndexedDB', () => frame.contentWindow.indexedDB);
    attempt('frameDocument', () => frame.contentDocument);
    // The widget's key store on the page's origin.
    out.pageKey = await new Promise((resolve) => {
      const req = indexedDB.open('consentry');
      req.onupgradeneeded = () => req.result.createObjectStore('keys');
      req.onsuccess = () => {
        const get = req.result.transaction('keys').objectStore('keys').get('device');
        get.onsuccess = () => resolve(get.result === undefined ? 'nothing' : 'a key');
      };
      req.onerror = () => resolve(req.error.name);
    });
    return out;
  });
  assert.deepEqual(tried, {
    dbs: [],
    frameLocalStorage: 'SecurityError',
    frameIndexedDB: 'SecurityError',
    frameDocument: 'nothing',
    pageKey: 'nothing',
  });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a key pair planted in the page\'s IndexedDB is never used: the next receipt has the same subject', async () => {
  const { context, events } = await frameContext();
  const { page, problems } = await openPage(context, s.pageUrl());
  await page.getByTestId('consentry-accept-all').click();
  const first = await storedReceipt(s.server, (await receiptEvent(events, 'stored')).receiptId);

  // The attack of issue 13: an extractable pair stored where the widget keeps its key.
  const planted = await plantKeyPair(page);
  await page.reload();
  await page.locator('#consentry[data-consentry-state="ready"]').waitFor();
  const before = events.length;
  await page.evaluate(() => globalThis.Consentry.withdraw());
  const second = await storedReceipt(
    s.server,
    (await waitFor('the second receipt', () => events.slice(before).find((e) => e.type === 'receipt' && e.detail.status === 'stored')?.detail)).receiptId,
  );
  assert.equal(second.receipt.event.interaction, 'withdraw');
  assert.notEqual(pseudonymOf(second), thumbprint(planted), 'signed with the planted key');
  assert.equal(pseudonymOf(second), pseudonymOf(first));
  assert.equal(second.receipt.chain.prev_receipt_id, first.receipt.receipt_id);

  // The full widget (settings) signs nothing on the page either: its decision goes to the frame.
  const later = events.length;
  await page.evaluate(() => globalThis.Consentry.show());
  await page.getByTestId('consentry-save').click();
  const third = await storedReceipt(
    s.server,
    (await waitFor('the third receipt', () => events.slice(later).find((e) => e.type === 'receipt' && e.detail.status === 'stored')?.detail)).receiptId,
  );
  assert.equal(third.receipt.event.interaction, 'save_choices');
  assert.equal(pseudonymOf(third), pseudonymOf(first));
  assert.equal(third.receipt.chain.prev_receipt_id, second.receipt.receipt_id);
  assert.deepEqual(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name)), ['consentry']);
  assert.deepEqual(problems, []);
  await context.close();
});

/** A job the widget handed off and no frame has taken (the frame is blocked in this context). */
async function pendingJob() {
  const { context } = await frameContext();
  await context.route(`${s.signerUrl}**`, (r) => r.abort());
  const { page } = await openPage(context, s.pageUrl());
  await page.getByTestId('consentry-reject-all').click();
  const list = await page.evaluate(() => JSON.parse(localStorage.getItem('consentry:handoff')));
  await context.close();
  assert.equal(list.length, 1);
  return list[0];
}

test('messages from an origin the signer does not list are ignored, both ways', async () => {
  const job = await pendingJob();
  const evilOrigin = 'http://evil.test';
  const { context, events } = await frameContext();
  await context.route(`${evilOrigin}/**`, (r) => r.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>evil</title>' }));
  const evil = await context.newPage();
  await evil.goto(`${evilOrigin}/`);
  // The attacker opens the site (the frame cannot be framed by evil.test itself) and talks to
  // the signing frame inside it.
  const [victim] = await Promise.all([
    evil.waitForEvent('popup'),
    evil.evaluate((url) => { window.victim = window.open(url); }, s.pageUrl()),
  ]);
  await victim.getByTestId('consentry-banner').waitFor();
  await waitFor('the signing frame', () => signerFrame(victim));
  await signerFrame(victim).waitForLoadState('load');
  await evil.evaluate((j) => {
    window.victim.frames[0].postMessage({ 'consentry-signer': 1, type: 'jobs', jobs: [j] }, '*');
  }, job);
  // Page side: a forged "taken" would drop the victim's waiting jobs.
  await victim.evaluate((j) => localStorage.setItem('consentry:handoff', JSON.stringify([j])), job);
  await evil.evaluate((id) => {
    window.victim.postMessage({ 'consentry-signer': 1, type: 'taken', ids: [id] }, '*');
  }, job[0]);
  await new Promise((r) => setTimeout(r, 1500));
  const inFrame = await signerFrame(victim).evaluate(() => localStorage.getItem('consentry:handoff') ?? '');
  assert.ok(!inFrame.includes(job[0]), 'the frame took a job from evil.test');
  assert.equal((await fetch(`${s.server.url}/v1/receipts/${encodeURIComponent(job[0])}`)).status, 404);
  const kept = await victim.evaluate(() => localStorage.getItem('consentry:handoff') ?? '');
  assert.ok(kept.includes(job[0]), 'the page dropped its job on a message from evil.test');

  // The same job from the page the frame serves is taken, signed and stored: only the
  // sender's origin made the difference (the next page load hands it over).
  await victim.reload();
  await receiptEvent(events, 'stored', job[0]);
  assert.equal((await fetch(`${s.server.url}/v1/receipts/${encodeURIComponent(job[0])}`)).status, 200);
  await context.close();
});

test('offline in frame mode: receipts wait in the frame, or on the page while the frame cannot load', async () => {
  const { context, events } = await frameContext();
  const { page, problems } = await openPage(context, s.pageUrl());
  await page.getByTestId('consentry-banner').waitFor();
  await waitFor('the signing frame', () => signerFrame(page));
  await signerFrame(page).waitForLoadState('load');
  // The frame's receipts module has arrived (its `ready` does not wait for it): halting the
  // server earlier would take the module down with it, not only the receipt service.
  await waitFor('the frame\'s receipts module', () => signerFrame(page).evaluate(() =>
    performance.getEntriesByType('resource').some((e) => /consentry-receipts_bg\.[0-9a-f]+\.wasm$/.test(e.name) && e.responseEnd > 0)));

  // The frame is up, the receipt service goes down: the receipt waits in the frame's outbox.
  await s.server.halt();
  await page.getByTestId('consentry-accept-all').click();
  const queued = await receiptEvent(events, 'queued');
  const outbox = await signerFrame(page).evaluate(() => localStorage.getItem('consentry:outbox'));
  assert.ok(outbox.includes(queued.receiptId));
  await s.server.resume();
  await receiptEvent(events, 'stored', queued.receiptId);

  // Down again before the next page: the frame cannot load, the job waits on the page …
  await s.server.halt();
  await page.reload();
  await page.locator('#consentry[data-consentry-state="ready"]').waitFor();
  const before = events.length;
  await page.evaluate(() => globalThis.Consentry.withdraw());
  const change = await waitFor('the change', () => events.slice(before).find((e) => e.type === 'change')?.detail);
  await waitFor('receipts_unavailable', () => events.slice(before).find((e) => e.type === 'error' && e.detail.code === 'receipts_unavailable'));
  assert.ok((await page.evaluate(() => localStorage.getItem('consentry:handoff') ?? '')).includes(change.receiptId));
  // … and is delivered once the frame loads again.
  await s.server.resume();
  await receiptEvent(events, 'stored', change.receiptId);
  assert.equal(await page.evaluate(() => localStorage.getItem('consentry:handoff')), null);
  const stored = await storedReceipt(s.server, change.receiptId);
  assert.equal(stored.receipt.chain.prev_receipt_id, queued.receiptId);
  assert.deepEqual(problems.filter((p) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(p)), []);
  await context.close();
});

test('turning frame mode on: receipts the page signed itself and could not send move to the frame, not lost', async () => {
  const { context, events } = await frameContext();
  // Same-origin mode first, while the receipt service of the site is down (its files are
  // still served, as from a CDN): the receipt is signed with the page's key and waits in the
  // page's outbox.
  await routeSite(context, s.siteOrigin);
  await s.site.halt();
  try {
    const { page, problems } = await openPage(context, `${s.siteOrigin}/e2e/signer.html`);
    await page.getByTestId('consentry-accept-all').click();
    const queued = await receiptEvent(events, 'queued');
    assert.ok((await page.evaluate(() => localStorage.getItem('consentry:outbox') ?? '')).includes(queued.receiptId));

    // The site turns frame mode on. The page no longer loads the module that would send it;
    // the signing frame takes it into its outbox, as signed, and delivers it. (The site's own server
    // serves the next page: Chromium's Local Network Access checks block a loopback frame in
    // a page Playwright fulfilled, whose address space it cannot tell.)
    // Routing ends first, waiting for handlers still running (a file read for a request the
    // navigation would cancel must not fulfil it afterwards).
    await context.unrouteAll({ behavior: 'wait' });
    await page.goto('about:blank');
    await s.site.resume();
    await page.goto(s.pageUrl());
    const stored = await receiptEvent(events, 'stored', queued.receiptId);
    assert.ok(stored.httpStatus >= 200 && stored.httpStatus < 300, JSON.stringify(stored));
    const receipt = await storedReceipt(s.server, queued.receiptId);
    const keys = Buffer.from(await (await fetch(`${s.server.url}/.well-known/consentry/keys.json`)).arrayBuffer());
    const ok = await verify(receipt.bytes, { keys });
    assert.equal(ok.code, 0, `consentry verify failed: ${ok.stderr}`);
    assert.equal(receipt.receipt.event.interaction, 'accept_all');
    assert.equal(await page.evaluate(() => localStorage.getItem('consentry:outbox')), null, 'the page outbox is empty');
    assert.deepEqual(problems.filter((p) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(p)), []);
  } finally {
    if (s.site.pid === null) await s.site.resume();
    await context.close();
  }
});

test('a page script cannot fill the frame\'s storage through the page\'s outbox', async () => {
  const { context, events } = await frameContext();
  const { page, problems } = await openPage(context, s.pageUrl());
  await page.getByTestId('consentry-banner').waitFor();
  // Ten made-up "queued" receipts of 60 KiB each (600 KiB) in the page's outbox, then a
  // decision: the frame takes none of them (its outbox would pass 512 KiB), so its own
  // receipt still has room, and the page keeps them.
  await page.evaluate(() => {
    const junk = Array.from({ length: 10 }, (_, i) => ({
      id: `urn:uuid:00000000-0000-4000-8000-00000000000${i}`,
      envelope: `{"payload":"${'A'.repeat(60 * 1024)}"}`,
      status: 'queued',
      queued_at: Date.now(),
      attempts: 0,
    }));
    localStorage.setItem('consentry:outbox', JSON.stringify(junk));
  });
  await page.getByTestId('consentry-reject-all').click();
  await receiptEvent(events, 'stored');
  const frameOutbox = await signerFrame(page).evaluate(() => (localStorage.getItem('consentry:outbox') ?? '').length);
  assert.ok(frameOutbox < 512 * 1024, `the frame's outbox holds ${frameOutbox} characters`);
  const pageOutbox = await page.evaluate(() => JSON.parse(localStorage.getItem('consentry:outbox') ?? '[]').length);
  assert.equal(pageOutbox, 10, 'the page keeps what the frame did not take');
  assert.deepEqual(problems, []);
  await context.close();
});

test('frame mode under PIPL: the separate consent steps are signed in the frame, on one chain', async () => {
  const { context, events } = await frameContext();
  const { page, problems } = await openPage(context, s.pageUrl('language=zh-CN&region=CN'));
  await page.getByTestId('consentry-accept-all').click();
  const first = await receiptEvent(events, 'stored');
  // The steps PIPL asks for (Arts. 23, 29, 39: transfer abroad, disclosure to a third party)
  // come from the full widget, which signs nothing itself in frame mode either.
  const step = page.getByTestId('consentry-separate');
  let prev = (await storedReceipt(s.server, first.receiptId)).receipt;
  assert.equal(prev.jurisdiction.regime, 'cn-pipl');
  for (let n = 0; n < 2; n += 1) {
    await step.waitFor();
    const before = events.length;
    await page.getByTestId('consentry-agree').click();
    const done = await waitFor('the step\'s receipt', () => events.slice(before).find(
      (e) => e.type === 'receipt' && e.detail.status === 'stored',
    )?.detail);
    const { receipt } = await storedReceipt(s.server, done.receiptId);
    assert.equal(receipt.event.interaction, 'separate_consent');
    assert.equal(receipt.chain.prev_receipt_id, prev.receipt_id, 'one chain, in the frame');
    assert.equal(receipt.subject.pseudonym, prev.subject.pseudonym, 'one device key, in the frame');
    prev = receipt;
  }
  await step.waitFor({ state: 'detached' });
  const onPage = await page.evaluate(async () => ({
    dbs: (await indexedDB.databases()).map((d) => d.name),
    handoff: localStorage.getItem('consentry:handoff'),
    outbox: localStorage.getItem('consentry:outbox'),
  }));
  assert.deepEqual(onPage, { dbs: [], handoff: null, outbox: null }, 'nothing of the pipeline on the page');
  assert.deepEqual(problems, []);
  await context.close();
});

test('no origin the server does not list can frame the signer (frame-ancestors)', async () => {
  // A third origin, a real server like the site's: its page names the signer, but the
  // receipt server lists only the site's origin.
  const other = await startServer();
  try {
    const { context, events } = await frameContext();
    const answered = [];
    context.on('response', (r) => {
      if (r.url() === s.signerUrl) answered.push(r.status());
    });
    const { page } = await openPage(context, `${other.url}/e2e/signer.html?signer=${encodeURIComponent(s.signerUrl)}`);
    await page.getByTestId('consentry-reject-all').click();
    await waitFor('receipts_unavailable', () => events.find((e) => e.type === 'error' && e.detail.code === 'receipts_unavailable'));
    assert.deepEqual(answered.slice(0, 1), [200], 'the server answered the frame request');
    assert.equal(signerFrame(page), undefined, 'the browser showed the signer inside an unlisted origin');
    assert.ok((await page.evaluate(() => localStorage.getItem('consentry:handoff') ?? '')).length > 2, 'the job waits');
    await context.close();
  } finally {
    await other.stop();
  }
});

test('same-origin mode: an extractable key pair planted where the widget keeps its key is refused', async () => {
  const { context, events } = await frameContext();
  const { page, problems } = await openPage(context, `${s.siteOrigin}/e2e/signer.html`);
  await page.getByTestId('consentry-accept-all').click();
  await receiptEvent(events, 'stored');
  const planted = await plantKeyPair(page);
  await page.reload();
  await page.locator('#consentry[data-consentry-state="ready"]').waitFor();
  const before = events.length;
  await page.evaluate(() => globalThis.Consentry.withdraw());
  const id = (await waitFor('the receipt', () => events.slice(before).find((e) => e.type === 'receipt' && e.detail.status === 'stored')?.detail)).receiptId;
  const { receipt } = await storedReceipt(s.site, id);
  assert.notEqual(receipt.subject.pseudonym, thumbprint(planted), 'signed with the planted key');
  // A fresh key starts a new pseudonym: the server answers the first try with 409
  // chain_conflict and the widget resumes its chain there (chain.test.mjs).
  assert.deepEqual(problems.filter((p) => !/status of 409/.test(p)), []);
  await context.close();
});
