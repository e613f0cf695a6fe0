// One flow per regime, each completed with the keyboard only (Tab, Enter, Space; no clicks),
// on the demo support site with the real server: the stored, signed receipt must carry the
// regime, how the region was determined, and the per-purpose decisions the rules demand.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, openPage, verify, bundle, plain, emulateGpc, press, tabTo, ready,
  nextReceipt, storedReceipt, states, focusedTestId,
} from './harness.mjs';

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

/** The stored receipt of a POST, checked offline with `consentry verify`. */
async function verifiedReceipt(posted) {
  const { response, ack } = await posted;
  assert.equal(response.status(), 201, `POST answered ${response.status()}`);
  const stored = await storedReceipt(server, ack.receipt_id);
  const v = await verify(stored.bytes);
  assert.equal(v.code, 0, `consentry verify: ${v.stdout}${v.stderr}`);
  return stored.receipt;
}

const OPTIONAL = ['hotline-call-recording', 'chat-transcript', 'cross-border-transfer', 'service-analytics', 'marketing'];

test('EU visitor: nothing optional before a decision, reject on the first layer, keyboard only', async () => {
  const context = await browser.newContext();
  const { page, problems } = await openPage(context, `${server.url}/?region=DE`);
  await ready(page);
  assert.equal(await page.locator('#consentry').getAttribute('data-consentry-regime'), 'eu-gdpr');
  // Opt-in: nothing optional is on before a decision.
  for (const p of OPTIONAL) assert.equal(await page.evaluate((id) => Consentry.get(id), p), false, p);
  // Reject sits on the first layer, as a button exactly like accept.
  const classes = await Promise.all(['consentry-accept-all', 'consentry-reject-all', 'consentry-open-settings']
    .map((id) => page.getByTestId(id).getAttribute('class')));
  assert.deepEqual(classes, ['cy-button', 'cy-button', 'cy-button']);

  const posted = nextReceipt(page);
  await press(page, 'consentry-reject-all');
  const r = await verifiedReceipt(posted);
  assert.equal(r.jurisdiction.regime, 'eu-gdpr');
  assert.equal(r.jurisdiction.region, 'DE');
  assert.equal(r.jurisdiction.determined_by, 'site_option');
  assert.equal(r.event.channel, 'web_banner');
  assert.equal(r.event.interaction, 'reject_all');
  assert.deepEqual(states(r), {
    'service-delivery': 'not_applicable',
    ...Object.fromEntries(OPTIONAL.map((p) => [p, 'refused'])),
  });
  // After the decision, focus rests on the persistent privacy-settings button.
  await page.getByTestId('consentry-privacy-settings').waitFor();
  assert.equal(await focusedTestId(page), 'consentry-privacy-settings');
  assert.deepEqual(problems, []);
  await context.close();
});

test('China visitor: accept all leaves cross-border transfer to its own consent step, keyboard only', async () => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const { page, problems } = await openPage(context, `${server.url}/?lang=zh-CN&region=CN`);
  await ready(page);
  const zh = await bundle('zh-CN');
  assert.equal(await page.locator('#consentry').getAttribute('data-consentry-regime'), 'cn-pipl');

  let posted = nextReceipt(page);
  await press(page, 'consentry-accept-all');
  const first = await verifiedReceipt(posted);
  assert.equal(first.jurisdiction.regime, 'cn-pipl');
  assert.equal(first.event.interaction, 'accept_all');
  const s1 = states(first);
  assert.equal(s1['cross-border-transfer'], 'refused', 'not bundled with the rest');
  for (const p of OPTIONAL.filter((x) => x !== 'cross-border-transfer')) assert.equal(s1[p], 'given', p);

  // The separate step opened by itself, focused, naming the transfer in Chinese.
  const step = page.getByTestId('consentry-separate');
  await step.waitFor();
  const name = plain(zh.purposes.find((p) => p.id === 'cross-border-transfer').name);
  assert.equal((await page.getByTestId('consentry-separate-purpose').innerText()).trim(), name);
  assert.ok((await step.innerText()).includes('SG'), 'the destination is shown');
  posted = nextReceipt(page);
  await press(page, 'consentry-agree');
  const second = await verifiedReceipt(posted);
  assert.equal(second.event.interaction, 'separate_consent');
  const transfer = second.decisions.find((d) => d.purpose_id === 'cross-border-transfer');
  assert.equal(transfer.state, 'given');
  assert.equal(transfer.separate_consent, true);
  assert.equal(second.chain.prev_receipt_id, first.receipt_id);
  assert.equal(second.notice.locale, 'zh-CN');
  assert.deepEqual(problems, []);
  await context.close();
});

test('China visitor: a guardian consents for a child under 14, recorded as such', async () => {
  const context = await browser.newContext();
  const { page, problems } = await openPage(context, `${server.url}/?region=CN`);
  await ready(page);
  await press(page, 'consentry-guardian', 'Space');
  assert.equal(await page.getByTestId('consentry-guardian').isChecked(), true);
  const posted = nextReceipt(page);
  await press(page, 'consentry-reject-all');
  const r = await verifiedReceipt(posted);
  assert.equal(r.event.indicated_by, 'guardian');
  assert.deepEqual(problems, []);
  await context.close();
});

test('California visitor with GPC: honoured, shown as honoured, and accept all cannot undo it', async () => {
  const context = await browser.newContext();
  await emulateGpc(context);
  const { page, problems } = await openPage(context, `${server.url}/?region=US-CA`);
  await ready(page);
  assert.equal(await page.locator('#consentry').getAttribute('data-consentry-regime'), 'us-ca-ccpa');
  const note = page.getByTestId('consentry-gpc');
  await note.waitFor();
  assert.match(await note.innerText(), /Global Privacy Control/);
  // Honoured before any click: the signal is an opt-out of everything optional.
  for (const p of OPTIONAL) assert.equal(await page.evaluate((id) => Consentry.get(id), p), false, p);

  const posted = nextReceipt(page);
  await press(page, 'consentry-accept-all');
  const r = await verifiedReceipt(posted);
  assert.equal(r.jurisdiction.regime, 'us-ca-ccpa');
  assert.deepEqual(r.gpc, { signal_present: true, honoured: true });
  for (const p of OPTIONAL) assert.equal(states(r)[p], 'refused', `${p}: a click does not undo GPC`);
  for (const p of OPTIONAL) assert.equal(await page.evaluate((id) => Consentry.get(id), p), false, p);

  // In the settings the covered switches are off and cannot be turned on.
  await press(page, 'consentry-privacy-settings');
  await page.getByTestId('consentry-settings').waitFor();
  for (const p of OPTIONAL) {
    const sw = page.getByTestId(`consentry-purpose-${p}`);
    assert.equal(await sw.getAttribute('aria-checked'), 'false', p);
    assert.equal(await sw.isDisabled(), true, p);
  }
  await page.keyboard.press('Escape');
  await page.getByTestId('consentry-settings').waitFor({ state: 'detached' });
  assert.deepEqual(problems, []);
  await context.close();
});

test('California visitor without GPC: notice at collection with opt-out, keyboard only', async () => {
  const context = await browser.newContext();
  const { page, problems } = await openPage(context, `${server.url}/?region=US-CA`);
  await ready(page);
  // Opt-out regime: optional purposes apply until the visitor opts out.
  assert.equal(await page.evaluate(() => Consentry.get('marketing')), true);
  assert.equal(await page.getByTestId('consentry-gpc').count(), 0);
  const posted = nextReceipt(page);
  await press(page, 'consentry-reject-all');
  const r = await verifiedReceipt(posted);
  assert.deepEqual(r.gpc, { signal_present: false });
  for (const p of OPTIONAL) assert.equal(states(r)[p], 'refused', p);
  assert.equal(await page.evaluate(() => Consentry.get('marketing')), false);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Brazil visitor: one choice per purpose in the settings, keyboard only', async () => {
  const context = await browser.newContext();
  const { page, problems } = await openPage(context, `${server.url}/?region=BR`);
  await ready(page);
  assert.equal(await page.locator('#consentry').getAttribute('data-consentry-regime'), 'br-lgpd');
  for (const p of OPTIONAL) assert.equal(await page.evaluate((id) => Consentry.get(id), p), false, p);
  await press(page, 'consentry-open-settings');
  await page.getByTestId('consentry-settings').waitFor();
  await press(page, 'consentry-purpose-chat-transcript', 'Space');
  assert.equal(await page.getByTestId('consentry-purpose-chat-transcript').getAttribute('aria-checked'), 'true');
  await press(page, 'consentry-purpose-marketing', 'Enter');
  const posted = nextReceipt(page);
  await press(page, 'consentry-save');
  const r = await verifiedReceipt(posted);
  assert.equal(r.jurisdiction.regime, 'br-lgpd');
  assert.equal(r.event.channel, 'web_settings');
  assert.equal(r.event.interaction, 'save_choices');
  assert.deepEqual(states(r), {
    'service-delivery': 'not_applicable',
    'hotline-call-recording': 'refused',
    'chat-transcript': 'given',
    'cross-border-transfer': 'refused',
    'service-analytics': 'refused',
    marketing: 'given',
  });
  assert.deepEqual(problems, []);
  await context.close();
});

test('no region given: the time zone is a hint, recorded as such, and the visitor can correct it', async () => {
  const context = await browser.newContext({ timezoneId: 'America/Sao_Paulo' });
  const { page, problems } = await openPage(context, `${server.url}/`);
  await ready(page);
  assert.equal(await page.locator('#consentry').getAttribute('data-consentry-regime'), 'br-lgpd');
  // The visitor says they are in Germany, in the full notice, with the keyboard.
  await press(page, 'consentry-open-notice');
  await page.getByTestId('consentry-notice').waitFor();
  await tabTo(page, 'consentry-region');
  await page.getByTestId('consentry-region').selectOption('DE'); // a native select: keyboard-operable
  await page.locator('#consentry[data-consentry-regime="eu-gdpr"]').waitFor();
  await page.keyboard.press('Escape');
  const posted = nextReceipt(page);
  await press(page, 'consentry-reject-all');
  const r = await verifiedReceipt(posted);
  assert.deepEqual(r.jurisdiction, { regime: 'eu-gdpr', region: 'DE', determined_by: 'user_selection' });
  assert.deepEqual(problems, []);
  await context.close();
});
