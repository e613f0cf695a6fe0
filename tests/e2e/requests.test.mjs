// Data-subject requests from the widget's privacy settings (issue 15 item 8, ADR 0019): the
// visitor picks what they ask for, may add details, and the request is signed with the device
// key that signed their receipts, names their latest logged receipt and lands in the DPO's
// queue with channel web_settings and the deadline of their law. In same-origin mode the
// receipts module signs it; in frame mode (ADR 0012) the signing frame does, through a message
// of its own that signs nothing but a request draft (and the receipt jobs never a draft).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startServer, launchBrowser, openPage, ready, recordEvents, waitFor, addAccount, axe, storedRows, payloadOf,
} from './harness.mjs';

const PASSWORD = 'correct horse battery staple';

/** What a page reported, but for the `<style>` axe-core itself adds while it checks (refused by
 *  the strict page CSP; not the widget's). */
const own = (problems) => problems.filter((p) => !/inline style|style-src-elem inline/.test(p));
let browser;
let dir;
let server; // same-origin mode: the demo site and the receipt server with its console
let site; // frame mode: the site's origin
let signer; // frame mode: the receipt server with its signing frame and its console

before(async () => {
  browser = await launchBrowser();
  dir = await mkdtemp(join(tmpdir(), 'consentry-requests-'));
  for (const name of ['same.sqlite', 'frame.sqlite']) await addAccount(join(dir, name), 'dpo.weber', 'dpo', PASSWORD);
  server = await startServer({ extraArgs: ['--console-db', join(dir, 'same.sqlite')] });
  site = await startServer();
  signer = await startServer({ signerOrigins: [site.url], extraArgs: ['--console-db', join(dir, 'frame.sqlite')] });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await signer?.stop();
  await site?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The DPO's queue on `srv`, read through the console's API as the DPO. */
async function queue(srv) {
  const login = await fetch(`${srv.url}/console/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-consentry-csrf': '1' },
    body: JSON.stringify({ username: 'dpo.weber', password: PASSWORD }),
  });
  assert.equal(login.status, 200, await login.text());
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const r = await fetch(`${srv.url}/console/api/requests`, { headers: { cookie } });
  assert.equal(r.status, 200);
  return (await r.json()).requests;
}

const frameUrl = (query) => `${site.url}/e2e/signer.html?signer=${encodeURIComponent(`${signer.url}/signer/`)}&${query}`;

const storedEvent = (events) => waitFor('a stored receipt', () => events.find((e) => e.type === 'receipt' && e.detail.status === 'stored')?.detail);

/** Opens the privacy settings after a decision and waits for the request form (drawn once the details are there). */
async function openForm(page) {
  await page.getByTestId('consentry-privacy-settings').click();
  const form = page.getByTestId('consentry-settings').getByTestId('consentry-request');
  await form.getByTestId('consentry-request-send').waitFor();
  return form;
}

/** Sends an erasure request with `details` from the open form; resolves to what the status line shows. */
async function sendErasure(page, form, details) {
  await form.getByRole('radio', { name: /deleted/ }).check();
  await form.getByRole('textbox', { name: /Details/ }).fill(details);
  await form.getByTestId('consentry-request-send').click();
  const status = form.getByTestId('consentry-request-status');
  await page.waitForFunction(
    () => ['sent', 'failed', 'no-receipt'].includes(document.querySelector('#consentry').shadowRoot
      .querySelector('[data-testid="consentry-request-status"]')?.dataset.state),
  );
  const state = await status.getAttribute('data-state');
  const sent = state === 'sent';
  return {
    state,
    text: await status.innerText(),
    id: sent ? await status.getByTestId('consentry-request-id').innerText() : null,
    deadline: sent ? await status.getByTestId('consentry-request-deadline').getAttribute('datetime') : null,
  };
}

test('same-origin mode: a visitor decides, then sends an erasure request from the privacy settings; it is in the DPO\'s queue with its deadline', async () => {
  const context = await browser.newContext();
  const events = await recordEvents(context);
  const posts = [];
  context.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/v1/requests')) posts.push(r);
  });
  const { page, problems } = await openPage(context, `${server.url}/?region=DE&lang=en`);
  await ready(page);
  // Before any choice the form says plainly that a choice comes first; there is nothing to send.
  await page.getByTestId('consentry-open-settings').click();
  const settings = page.getByTestId('consentry-settings');
  const early = settings.getByTestId('consentry-request');
  await early.getByTestId('consentry-request-status').waitFor();
  assert.equal(await early.getByTestId('consentry-request-status').getAttribute('data-state'), 'no-receipt');
  assert.match(await early.innerText(), /Save your choices first/);
  assert.equal(await early.getByTestId('consentry-request-send').count(), 0);
  await page.keyboard.press('Escape');

  await page.getByTestId('consentry-reject-all').click();
  await storedEvent(events);
  const form = await openForm(page);
  // Accessible: a fieldset with its legend, labelled radios and text box, a live status line.
  assert.equal(await form.locator('fieldset legend').innerText(), 'What do you ask for?');
  assert.deepEqual(await form.getByRole('radio').evaluateAll((rs) => rs.map((r) => r.value)),
    ['access', 'rectification', 'erasure', 'portability', 'objection']);
  assert.equal(await form.getByRole('radio', { checked: true }).count(), 0, 'nothing picked for the visitor');
  assert.equal(await form.getByTestId('consentry-request-status').getAttribute('aria-live'), 'polite');
  assert.deepEqual(await axe(page), []);

  // Without a kind: said so, nothing sent.
  await form.getByTestId('consentry-request-send').click();
  assert.equal(await form.getByTestId('consentry-request-status').getAttribute('data-state'), 'invalid');
  assert.match(await form.getByTestId('consentry-request-status').innerText(), /Choose what you ask for/);
  assert.equal(posts.length, 0);

  // The server unavailable: a clear error, and what the visitor typed stays.
  const details = 'Please delete my chat transcripts.';
  await context.route('**/v1/requests', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"overloaded","message":"try later"}}' }));
  const failed = await sendErasure(page, form, details);
  assert.equal(failed.state, 'failed');
  assert.match(failed.text, /could not be sent.*\(overloaded\)/s);
  assert.equal(await form.getByRole('textbox', { name: /Details/ }).inputValue(), details);
  assert.equal(await form.getByRole('radio', { name: /deleted/ }).isChecked(), true);
  await context.unroute('**/v1/requests');

  // Sent: the request number and the deadline the server answered.
  const sent = await sendErasure(page, form, details);
  assert.equal(sent.state, 'sent', sent.text);
  assert.match(sent.text, /We have your request/);
  assert.match(sent.id, /^urn:uuid:[0-9a-f-]{36}$/);
  assert.ok(sent.deadline);
  assert.equal(await form.getByRole('textbox', { name: /Details/ }).inputValue(), '', 'a sent request is not sent again by mistake');
  assert.equal(posts.length, 2);
  const envelope = JSON.parse(posts[1].postData());
  assert.equal(JSON.parse(Buffer.from(envelope.signatures[0].protected, 'base64url')).typ, 'consentry-request+jws');
  const payload = payloadOf(envelope);
  assert.equal(payload.channel, 'web_settings');
  assert.equal(payload.kind, 'erasure');
  // Signed by the key of the visitor's receipts, naming the latest one the server logged.
  const ack = await page.evaluate(() => localStorage.getItem('consentry:receipt-ack'));
  assert.equal(payload.receipt.receipt_id, ack.split('\n')[0]);
  assert.equal(payload.receipt.receipt_sha256, JSON.parse(ack.split('\n').slice(1).join('\n')).receipt_sha256);
  assert.equal(payload.subject.pseudonym, payloadOf(JSON.parse(ack.split('\n').slice(1).join('\n')).receipt).subject.pseudonym);

  // In the DPO's queue: channel web_settings, and the deadline of the shortest law the
  // receipt applied (this notice's controller is bound by PIPL for every visitor: its
  // "timely", read as 15 days, is shorter than GDPR's month).
  const row = (await queue(server)).find((r) => r.request_id === sent.id);
  assert.ok(row, 'the request is in the queue');
  assert.equal(row.kind, 'erasure');
  assert.equal(row.channel, 'web_settings');
  assert.equal(row.details, details);
  assert.equal(row.deadline, sent.deadline);
  assert.equal(row.status, 'received');
  const days = (Date.parse(row.deadline) - Date.parse(row.received_at)) / 86_400_000;
  assert.equal(days, 15, `PIPL's 15 days: ${days}`);
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(own(problems).filter((p) => !/status of 503/.test(p)), []);
  await context.close();
});

test('right to left: the form in Arabic, labelled and announced, sends a request', async () => {
  const context = await browser.newContext();
  const events = await recordEvents(context);
  const { page, problems } = await openPage(context, `${server.url}/e2e/notice.html?region=DE&language=ar`);
  await ready(page);
  await page.getByTestId('consentry-reject-all').click();
  await storedEvent(events);
  const form = await openForm(page);
  assert.deepEqual(problems, []);
  assert.equal(await page.locator('#consentry').evaluate((h) => h.shadowRoot.querySelector('.cy').dir), 'rtl');
  assert.equal(await form.locator('fieldset legend').innerText(), 'ما الذي تطلبه؟');
  assert.equal(await form.getByRole('textbox').getAttribute('dir'), 'auto');
  assert.deepEqual(await axe(page), []);
  // Keyboard only: into the kinds, pick one with the arrow keys, type, send.
  await form.getByRole('radio').first().focus();
  await page.keyboard.press('ArrowDown');
  const picked = await form.getByRole('radio', { checked: true }).getAttribute('value');
  assert.ok(picked);
  await form.getByRole('textbox').focus();
  await page.keyboard.type('يرجى تصحيح عنواني');
  await form.getByTestId('consentry-request-send').focus();
  await page.keyboard.press('Enter');
  await form.locator('[data-testid="consentry-request-status"][data-state="sent"]').waitFor();
  const id = await form.getByTestId('consentry-request-id').innerText();
  const row = (await queue(server)).find((r) => r.request_id === id);
  assert.equal(row.kind, picked);
  assert.equal(row.details, 'يرجى تصحيح عنواني');
  assert.equal(row.channel, 'web_settings');
  assert.deepEqual(own(problems), []);
  await context.close();
});

test('frame mode: the signing frame signs the request with its key and sends it to its own origin; it is in the queue', async () => {
  const context = await browser.newContext();
  const events = await recordEvents(context);
  const posts = [];
  context.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/v1/requests')) posts.push(r);
  });
  const { page, problems } = await openPage(context, frameUrl('region=DE&language=en'));
  await ready(page);
  await page.getByTestId('consentry-reject-all').click();
  const stored = await storedEvent(events);
  const form = await openForm(page);
  const sent = await sendErasure(page, form, 'Bitte löschen Sie meine Daten.');
  assert.equal(sent.state, 'sent', sent.text);
  // From the frame, to the receipt server's origin; the page has no device key at all.
  assert.equal(posts.length, 1);
  assert.ok(posts[0].frame().url().startsWith(`${signer.url}/signer/`), posts[0].frame().url());
  assert.ok(posts[0].url().startsWith(signer.url));
  assert.deepEqual(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name)), []);
  const row = (await queue(signer)).find((r) => r.request_id === sent.id);
  assert.ok(row, 'the request is in the receipt server\'s queue');
  assert.equal(row.kind, 'erasure');
  assert.equal(row.channel, 'web_settings');
  assert.equal(row.deadline, sent.deadline);
  const payload = payloadOf(JSON.parse(posts[0].postData()));
  assert.equal(payload.receipt.receipt_id, stored.receiptId, 'names the receipt the frame had logged');
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  assert.deepEqual(problems, []);
  await context.close();
});

/** A fresh visitor in `mode` ('same-origin' or 'frame'), in German region, English: its
 *  browser context, the events and the request POSTs it records, its page, and the receipt
 *  server whose queue its requests reach. */
async function visitor(mode) {
  const frame = mode === 'frame';
  const context = await browser.newContext();
  const events = await recordEvents(context);
  const posts = [];
  context.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/v1/requests')) posts.push(r);
  });
  const { page, problems } = await openPage(context, frame ? frameUrl('region=DE&language=en') : `${server.url}/?region=DE&lang=en`);
  return { srv: frame ? signer : server, context, events, posts, page, problems };
}

for (const mode of ['same-origin', 'frame']) {
  test(`${mode} mode: an answer lost on the way, the visitor sends again: the same request goes again, and the queue has it once`, async () => {
    const { srv, context, events, posts, page } = await visitor(mode);
    await ready(page);
    await page.getByTestId('consentry-reject-all').click();
    await storedEvent(events);
    const form = await openForm(page);
    // The request reaches the server and is stored; its answer never comes back.
    let reached = 0;
    await context.route('**/v1/requests', async (route) => {
      const answer = await route.fetch();
      reached += answer.status() === 201 ? 1 : 0;
      await route.abort('connectionreset');
    });
    const details = `Lost answer ${randomUUID()}`;
    const lost = await sendErasure(page, form, details);
    assert.equal(lost.state, 'failed');
    assert.match(lost.text, /network_error/);
    assert.equal(reached, 1, 'the server stored it');
    await context.unroute('**/v1/requests');
    // Sent again, unchanged: the same bytes, so the server answers with what it stored.
    const sent = await sendErasure(page, form, details);
    assert.equal(sent.state, 'sent', sent.text);
    assert.equal(posts.length, 2);
    assert.equal(posts[1].postData(), posts[0].postData(), 'the same signed request');
    assert.equal(payloadOf(JSON.parse(posts[0].postData())).request_id, sent.id);
    const rows = (await queue(srv)).filter((r) => r.details === details);
    assert.deepEqual(rows.map((r) => r.request_id), [sent.id], 'queued once');
    // A new request after it was sent is a new one, with a new id.
    const next = await sendErasure(page, form, details);
    assert.equal(next.state, 'sent', next.text);
    assert.notEqual(next.id, sent.id);
    await context.close();
  });

  test(`${mode} mode, after a take-over: the full widget's settings send the request the same way, once; it is in the DPO's queue`, async () => {
    const frame = mode === 'frame';
    const { srv, context, events, posts, page, problems } = await visitor(mode);
    await ready(page);
    await page.getByTestId('consentry-reject-all').click();
    const stored = await storedEvent(events);
    const firstModule = () => page.evaluate(() => !!document.querySelector('#consentry').shadowRoot.querySelector('[data-first]'));
    // The first module's form, then the full notice: the full widget takes over.
    let form = await openForm(page);
    assert.ok(await firstModule(), 'the first module draws the settings');
    await page.getByTestId('consentry-settings').getByTestId('consentry-open-notice').click();
    await page.getByTestId('consentry-notice').waitFor();
    await page.waitForFunction(() => !document.querySelector('#consentry').shadowRoot.querySelector('[data-first]'));
    await page.keyboard.press('Escape');
    await page.getByTestId('consentry-notice').waitFor({ state: 'detached' });
    if (await page.getByTestId('consentry-settings').count()) await page.keyboard.press('Escape');
    // The full widget's settings: the same form.
    form = await openForm(page);
    assert.equal(await firstModule(), false, 'the full widget draws the settings');
    assert.equal(await form.locator('fieldset legend').innerText(), 'What do you ask for?');
    assert.deepEqual(await form.getByRole('radio').evaluateAll((rs) => rs.map((r) => r.value)),
      ['access', 'rectification', 'erasure', 'portability', 'objection']);
    assert.equal(await form.getByRole('radio', { checked: true }).count(), 0, 'nothing picked for the visitor');
    assert.equal(await form.getByRole('textbox', { name: /Details/ }).getAttribute('maxlength'), '1000');
    assert.deepEqual(await axe(page), []);
    await form.getByTestId('consentry-request-send').click();
    assert.equal(await form.getByTestId('consentry-request-status').getAttribute('data-state'), 'invalid');
    assert.match(await form.getByTestId('consentry-request-status').innerText(), /Choose what you ask for/);
    assert.equal(posts.length, 0);

    // Sent once however fast the button is pressed twice: held on its way, it says so.
    let release;
    const held = new Promise((r) => { release = r; });
    await context.route('**/v1/requests', async (route) => {
      await held;
      await route.continue();
    });
    const details = 'Please delete my chat transcripts.';
    await form.getByRole('radio', { name: /deleted/ }).check();
    await form.getByRole('textbox', { name: /Details/ }).fill(details);
    await form.getByTestId('consentry-request-send').dblclick();
    await form.locator('[data-testid="consentry-request-status"][data-state="sending"]').waitFor();
    assert.equal(await form.getByTestId('consentry-request-send').getAttribute('aria-disabled'), 'true');
    release();
    await form.locator('[data-testid="consentry-request-status"][data-state="sent"]').waitFor();
    await context.unroute('**/v1/requests');
    assert.equal(posts.length, 1, 'one request sent');
    if (frame) assert.ok(posts[0].frame().url().startsWith(`${signer.url}/signer/`), 'signed and sent by the signing frame');
    const status = form.getByTestId('consentry-request-status');
    assert.match(await status.innerText(), /We have your request/);
    const id = await status.getByTestId('consentry-request-id').innerText();
    const deadline = await status.getByTestId('consentry-request-deadline').getAttribute('datetime');
    assert.match(id, /^urn:uuid:[0-9a-f-]{36}$/);
    assert.equal(await form.getByRole('textbox', { name: /Details/ }).inputValue(), '', 'a sent request is not sent again by mistake');
    assert.equal(await form.getByRole('radio', { checked: true }).count(), 0);
    const payload = payloadOf(JSON.parse(posts[0].postData()));
    assert.equal(payload.channel, 'web_settings');
    assert.equal(payload.receipt.receipt_id, stored.receiptId, 'names the receipt logged for the same key');
    const row = (await queue(srv)).find((r) => r.request_id === id);
    assert.ok(row, 'the request is in the DPO\'s queue');
    assert.equal(row.kind, 'erasure');
    assert.equal(row.channel, 'web_settings');
    assert.equal(row.details, details);
    assert.equal(row.deadline, deadline);
    assert.deepEqual(await axe(page), []);
    assert.deepEqual(own(problems), []);
    await context.close();
  });
}

test('frame mode: the frame signs no receipt through the request message, and no request through the receipt jobs', async () => {
  const context = await browser.newContext();
  const events = await recordEvents(context);
  const { page } = await openPage(context, frameUrl('region=DE&language=en'));
  await ready(page);
  await page.getByTestId('consentry-reject-all').click();
  const stored = await storedEvent(events);
  const before = { receipts: (await storedRows(signer)).length, requests: (await queue(signer)).length };
  // What a script on the page can post to the frame: the latest receipt's own payload, and a
  // receipt-typed document that also names a kind, as request drafts.
  const receiptPayload = await page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('consentry:receipt:'));
    const envelope = JSON.parse(localStorage.getItem(key).split('\n').slice(1).join('\n'));
    const b64 = envelope.payload.replace(/-/g, '+').replace(/_/g, '/');
    return new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
  });
  assert.equal(JSON.parse(receiptPayload).schema_version, 'consentry-receipt/1');
  const receiptTyped = JSON.stringify({
    kind: 'erasure',
    schema_version: 'consentry-receipt/1',
    receipt_id: `urn:uuid:${randomUUID()}`,
    decisions: JSON.parse(receiptPayload).decisions,
  });
  const answers = await page.evaluate(async ({ drafts, origin }) => {
    const frame = document.querySelector('iframe');
    const out = [];
    for (const [i, draft] of drafts.entries()) {
      const id = 900_000 + i;
      out.push(await new Promise((resolve) => {
        const listen = (e) => {
          if (e.source === frame.contentWindow && e.data?.type === 'requested' && e.data.id === id) {
            removeEventListener('message', listen);
            resolve(JSON.parse(e.data.outcome));
          }
        };
        addEventListener('message', listen);
        frame.contentWindow.postMessage({ 'consentry-signer': 1, type: 'request', id, draft }, origin);
      }));
    }
    return out;
  }, { drafts: [receiptPayload, receiptTyped], origin: signer.url });
  assert.deepEqual(answers, [
    { code: 'request_invalid', outcome: 'failed' },
    { code: 'request_invalid', outcome: 'failed' },
  ]);
  // And the reverse: a request draft handed in as a receipt job is not signed either.
  const draft = JSON.stringify({ kind: 'erasure' });
  await page.evaluate(({ job, origin }) => {
    document.querySelector('iframe').contentWindow.postMessage({ 'consentry-signer': 1, type: 'jobs', jobs: [job], outbox: [] }, origin);
  }, { job: [`urn:uuid:${randomUUID()}`, '/v1/receipts', draft, '{}'], origin: signer.url });
  await waitFor('the job refused', () => events.find((e) => e.type === 'error' && e.detail.code === 'receipt_not_signed'));
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await storedRows(signer)).length, before.receipts, 'no receipt signed');
  assert.equal((await queue(signer)).length, before.requests, 'no request signed');
  assert.equal(events.filter((e) => e.type === 'receipt' && e.detail.status === 'stored').length, 1, `only ${stored.receiptId}`);
  await context.close();
});
