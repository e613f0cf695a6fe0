// The thin-but-real path through every layer: the demo page embeds the widget, a visitor
// decides, the widget signs a receipt in the browser, the real server verifies and stores it,
// countersigns it, and the real `consentry verify` accepts it offline (countersignature
// included), and rejects it after one flipped byte.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, verify, bundle, plain, payloadOf } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function fetchStored(receiptId) {
  const res = await fetch(`${server.url}/v1/receipts/${encodeURIComponent(receiptId)}`);
  assert.equal(res.status, 200, `GET stored receipt ${receiptId}`);
  return Buffer.from(await res.arrayBuffer());
}

function nextReceiptPost(page) {
  return page.waitForResponse((r) => r.url().endsWith('/v1/receipts') && r.request().method() === 'POST');
}

test('reject all → signed receipt stored → verifies offline; one flipped byte does not', async () => {
  const context = await browser.newContext();
  const { page, problems } = await openPage(context, `${server.url}/`);
  const en = await bundle('en');

  const banner = page.getByTestId('consentry-banner');
  await banner.waitFor();
  const bannerText = await banner.innerText();
  assert.ok(bannerText.includes(plain(en.messages['banner-title'])), `expected the en title in: ${bannerText}`);

  const posted = nextReceiptPost(page);
  await page.getByTestId('consentry-reject-all').click();
  const response = await posted;
  assert.equal(response.status(), 201);
  const ack = await response.json();
  assert.equal(ack.status, 'stored');

  const stored = await fetchStored(ack.receipt_id);
  // The server keeps exactly the bytes the browser sent …
  const received = await fetch(`${server.url}/v1/receipts/${encodeURIComponent(ack.receipt_id)}/received`);
  assert.equal(Buffer.from(await received.arrayBuffer()).toString('utf8'), response.request().postData());
  // … and returns them countersigned: the device's payload and signature unchanged, plus its own.
  const sent = JSON.parse(response.request().postData());
  const countersigned = JSON.parse(stored.toString('utf8'));
  assert.equal(countersigned.payload, sent.payload);
  assert.deepEqual(countersigned.signatures[0], sent.signatures[0]);
  assert.equal(countersigned.signatures.length, 2);
  assert.deepEqual(ack.receipt, countersigned);

  const keys = Buffer.from(await (await fetch(`${server.url}/.well-known/consentry/keys.json`)).arrayBuffer());
  const ok = await verify(stored, { keys });
  assert.equal(ok.code, 0, `consentry verify failed: ${ok.stderr}`);
  assert.match(ok.stdout, new RegExp(ack.receipt_id));
  assert.match(ok.stdout, /countersigned: by server key/);
  assert.match(ok.stdout, /Notice shown \(en/);

  const envelope = JSON.parse(stored.toString('utf8'));
  const receipt = payloadOf(envelope);
  assert.equal(receipt.receipt_id, ack.receipt_id);
  assert.equal(receipt.event.interaction, 'reject_all');
  assert.equal(receipt.notice.locale, 'en');
  for (const d of receipt.decisions) {
    const purpose = en.purposes.find((p) => p.id === d.purpose_id);
    assert.ok(purpose, `receipt names unknown purpose ${d.purpose_id}`);
    assert.equal(d.state, purpose.legal_basis === 'consent' ? 'refused' : 'not_applicable', d.purpose_id);
  }
  assert.equal(receipt.decisions.length, en.purposes.length);

  // Flip one byte of the stored payload: the device signature no longer verifies.
  const payload = Buffer.from(envelope.payload, 'base64url');
  payload[Math.floor(payload.length / 2)] ^= 0x01;
  const tampered = Buffer.from(JSON.stringify({ ...envelope, payload: payload.toString('base64url') }));
  const bad = await verify(tampered);
  assert.equal(bad.code, 1, `tampered receipt must fail with exit 1, got ${bad.code}: ${bad.stdout}${bad.stderr}`);
  assert.match(bad.stderr, /signature_invalid/);

  assert.deepEqual(problems, []);
  await context.close();
});

test('a decision persists across reloads; each later decision adds one chained, verified receipt', async () => {
  const context = await browser.newContext();
  const { page, problems } = await openPage(context, `${server.url}/`);
  await page.getByTestId('consentry-banner').waitFor();

  let posted = nextReceiptPost(page);
  await page.getByTestId('consentry-accept-all').click();
  const first = await (await posted).json();

  await page.reload();
  await page.locator('#consentry[data-consentry-state="ready"]').waitFor();
  await page.getByTestId('consentry-privacy-settings').waitFor();
  assert.equal(await page.getByTestId('consentry-banner').count(), 0, 'banner must not return after a decision');

  // Change of mind: withdraw the chat transcripts in the settings view.
  await page.getByTestId('consentry-privacy-settings').click();
  await page.getByTestId('consentry-settings').waitFor();
  const chat = page.getByTestId('consentry-purpose-chat-transcript');
  assert.equal(await chat.getAttribute('aria-checked') ?? String(await chat.isChecked()), 'true');
  await chat.click();
  posted = nextReceiptPost(page);
  await page.getByTestId('consentry-save').click();
  const response = await posted;
  assert.equal(response.status(), 201);
  const second = await response.json();
  assert.notEqual(second.receipt_id, first.receipt_id);

  const stored = await fetchStored(second.receipt_id);
  const ok = await verify(stored);
  assert.equal(ok.code, 0, ok.stderr);
  const receipt = payloadOf(JSON.parse(stored.toString('utf8')));
  assert.equal(receipt.chain.prev_receipt_id, first.receipt_id);
  assert.equal(receipt.chain.prev_receipt_sha256, first.receipt_sha256);
  assert.equal(receipt.chain.subject_seq, 1);
  assert.equal(receipt.decisions.find((d) => d.purpose_id === 'chat-transcript').state, 'withdrawn');

  await page.reload();
  await page.locator('#consentry[data-consentry-state="ready"]').waitFor();
  assert.equal(await page.getByTestId('consentry-banner').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the banner appears in Chinese with ?lang=zh-CN, from the verified zh-CN bundle', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const { page, problems } = await openPage(context, `${server.url}/?lang=zh-CN`);
  const zh = await bundle('zh-CN');
  const banner = page.getByTestId('consentry-banner');
  await banner.waitFor();
  const text = await banner.innerText();
  assert.ok(text.includes(plain(zh.messages['banner-title'])), `expected the zh-CN title in: ${text}`);
  assert.ok(text.includes(plain(zh.messages['reject-all'])));
  assert.equal(await page.locator('[lang="zh-CN"]').count() > 0, true, 'widget root must carry lang="zh-CN"');

  const posted = nextReceiptPost(page);
  await page.getByTestId('consentry-accept-all').click();
  const ack = await (await posted).json();
  const stored = await fetchStored(ack.receipt_id);
  assert.equal((await verify(stored)).code, 0);
  assert.equal(payloadOf(JSON.parse(stored.toString('utf8'))).notice.locale, 'zh-CN');
  assert.deepEqual(problems, []);
  await context.close();
});
