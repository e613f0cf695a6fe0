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
  assert.equal(response.status(), 201, `POST answered ${response.status()}: ${JSON.stringify(ack)}`);
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

test('China visitor: accept all leaves cross-border transfer (and third-party disclosure) to their own consent steps, keyboard only', async () => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const { page, problems } = await openPage(context, `${server.url}/?lang=zh-CN&region=CN`);
  await ready(page);
  const zh = await bundle('zh-CN');
  assert.equal(await page.locator('#consentry').getAttribute('data-consentry-regime'), 'cn-pipl');
  // PIPL Arts. 23, 29, 39: a purpose that sends data abroad, discloses it to a third party,
  // involves sensitive data or is flagged needs its own consent act.
  const separate = zh.purposes
    .filter((p) => !p.required && (p.separate_consent || p.sensitive || p.transfers.length > 0
      || p.recipients.some((r) => !(p.processors ?? []).includes(r))))
    .map((p) => p.id);
  assert.deepEqual(separate, ['cross-border-transfer', 'marketing']);

  let posted = nextReceipt(page);
  await press(page, 'consentry-accept-all');
  const first = await verifiedReceipt(posted);
  assert.equal(first.jurisdiction.regime, 'cn-pipl');
  assert.equal(first.event.interaction, 'accept_all');
  const s1 = states(first);
  for (const p of OPTIONAL) {
    assert.equal(s1[p], separate.includes(p) ? 'refused' : 'given', `${p}: not bundled with the rest`);
  }

  // The separate steps open by themselves, one by one, focused, in Chinese.
  const step = page.getByTestId('consentry-separate');
  let prev = first;
  for (const id of separate) {
    await step.waitFor();
    const p = zh.purposes.find((x) => x.id === id);
    await page.waitForFunction(
      (name) => document.querySelector('#consentry').shadowRoot
        .querySelector('[data-testid="consentry-separate-purpose"]')?.textContent.trim() === name,
      plain(p.name),
    );
    if (id === 'cross-border-transfer') {
      assert.ok((await step.innerText()).includes(plain(zh.messages['country-SG'])), 'the destination is shown');
    }
    posted = nextReceipt(page);
    await press(page, 'consentry-agree');
    const r = await verifiedReceipt(posted);
    assert.equal(r.event.interaction, 'separate_consent');
    const d = r.decisions.find((x) => x.purpose_id === id);
    assert.equal(d.state, 'given', id);
    assert.equal(r.chain.prev_receipt_id, prev.receipt_id);
    assert.equal(r.notice.locale, 'zh-CN');
    prev = r;
  }
  await step.waitFor({ state: 'detached' });
  for (const p of OPTIONAL) assert.equal(await page.evaluate((x) => Consentry.get(x), p), true, p);
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
  assert.equal(r.jurisdiction.child_age, 14);
  assert.deepEqual(problems, []);
  await context.close();
});

test('PIPL consent steps: numbered, Close keeps the steps for later, the guardian is asked once and holds for every step', async () => {
  const context = await browser.newContext();
  const { page, problems } = await openPage(context, `${server.url}/?region=CN`);
  await ready(page);
  const en = await bundle('en');
  // "Step { $step } of { $steps }", the two numbers filled in.
  const stepText = (n, of) => en.messages['separate-consent-step']
    .map((s) => (typeof s === 'string' ? s : String({ step: n, steps: of }[s.var]))).join('');
  await press(page, 'consentry-guardian', 'Space');
  let posted = nextReceipt(page);
  await press(page, 'consentry-accept-all');
  assert.equal((await verifiedReceipt(posted)).event.indicated_by, 'guardian');
  const step = page.getByTestId('consentry-step');
  await page.getByTestId('consentry-separate').waitFor();
  const first = await page.getByTestId('consentry-separate-purpose').innerText();
  assert.equal((await step.innerText()).trim(), stepText(1, 2));
  // No second guardian question inside the steps.
  assert.equal(await page.getByTestId('consentry-separate').locator('input[type=checkbox]').count(), 0);

  // Close on step 1: nothing decided, nothing dropped.
  await page.getByTestId('consentry-close').click();
  await page.getByTestId('consentry-separate').waitFor({ state: 'detached' });
  await page.getByTestId('consentry-privacy-settings').click();
  await page.getByTestId('consentry-settings').waitFor();
  assert.equal(await page.getByTestId('consentry-dialog-guardian').isChecked(), true, 'the answer is kept, not asked afresh');
  await page.getByTestId('consentry-steps-waiting').waitFor();
  await page.getByTestId('consentry-resume-steps').click();
  assert.equal(await page.getByTestId('consentry-separate-purpose').innerText(), first, 'step 1 again');
  assert.equal((await step.innerText()).trim(), stepText(1, 2));
  posted = nextReceipt(page);
  await page.getByTestId('consentry-agree').click();
  let r = await verifiedReceipt(posted);
  assert.equal(r.event.indicated_by, 'guardian', 'step 1 is the guardian\'s too');
  assert.equal((await step.innerText()).trim(), stepText(2, 2));
  const second = await page.getByTestId('consentry-separate-purpose').innerText();
  assert.notEqual(second, first);
  posted = nextReceipt(page);
  await page.getByTestId('consentry-agree').click();
  r = await verifiedReceipt(posted);
  assert.equal(r.event.indicated_by, 'guardian', 'step 2 is the guardian\'s too');
  await page.getByTestId('consentry-separate').waitFor({ state: 'detached' });
  // Nothing waits any more.
  await page.getByTestId('consentry-privacy-settings').click();
  await page.getByTestId('consentry-settings').waitFor();
  assert.equal(await page.getByTestId('consentry-steps-waiting').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('California visitor with GPC: nothing on before a click; what is sold or shared stays off through accept all; a two-step opt-in lifts it, keyboard only', async () => {
  const context = await browser.newContext();
  await emulateGpc(context);
  const { page, problems } = await openPage(context, `${server.url}/?region=US-CA`);
  await ready(page);
  assert.equal(await page.locator('#consentry').getAttribute('data-consentry-regime'), 'us-ca-ccpa');
  assert.equal(await page.locator('#consentry').getAttribute('data-consentry-regimes'), 'us-ca-ccpa cn-pipl');
  const en = await bundle('en');
  const sold = en.purposes.filter((p) => p.sold_or_shared).map((p) => p.id);
  assert.deepEqual(sold, ['marketing'], 'the notice marks what is sold or shared');
  const note = page.getByTestId('consentry-gpc');
  await note.waitFor();
  assert.equal((await note.innerText()).trim(), plain(en.messages['gpc-honoured']));
  // Before any click: the signal is honoured, and nothing that rests on consent is on.
  for (const p of OPTIONAL) assert.equal(await page.evaluate((id) => Consentry.get(id), p), false, p);

  let posted = nextReceipt(page);
  await press(page, 'consentry-accept-all');
  const r = await verifiedReceipt(posted);
  assert.equal(r.jurisdiction.regime, 'us-ca-ccpa');
  assert.deepEqual(r.gpc, { signal_present: true, honoured: true });
  // Accept all: the signal holds what is sold or shared; the transfer abroad waits for its
  // own step (the controller's PIPL).
  for (const p of OPTIONAL) {
    const want = sold.includes(p) || p === 'cross-border-transfer' ? 'refused' : 'given';
    assert.equal(states(r)[p], want, p);
  }
  assert.equal(await page.evaluate(() => Consentry.get('marketing')), false, 'a click does not undo GPC');
  // The transfer's step: left unanswered (Esc).
  await page.getByTestId('consentry-separate').waitFor();
  await page.keyboard.press('Escape');
  await page.getByTestId('consentry-separate').waitFor({ state: 'detached' });

  // Step 1: the held switch (off, operable) explains what the signal means.
  await press(page, 'consentry-privacy-settings');
  await page.getByTestId('consentry-settings').waitFor();
  const sw = page.getByTestId('consentry-purpose-marketing');
  assert.equal(await sw.getAttribute('aria-checked'), 'false');
  assert.equal(await sw.isDisabled(), false);
  await press(page, 'consentry-purpose-marketing', 'Space');
  const step = page.getByTestId('consentry-gpc-opt-in');
  await step.waitFor();
  assert.ok((await step.innerText()).includes(plain(en.messages['gpc-opt-in-intro']).slice(0, 40)));
  // Step 2: the visitor agrees; that act alone grants it, recorded as a GPC opt-in, and as a
  // step of its own.
  posted = nextReceipt(page);
  await press(page, 'consentry-agree');
  const opted = await verifiedReceipt(posted);
  assert.equal(opted.event.interaction, 'gpc_opt_in');
  assert.deepEqual(opted.gpc, { signal_present: true, honoured: true, opted_in: ['marketing'] });
  const m = opted.decisions.find((d) => d.purpose_id === 'marketing');
  assert.deepEqual([m.state, m.separate_consent], ['given', true]);
  assert.equal(opted.chain.prev_receipt_id, r.receipt_id);
  assert.equal(await page.evaluate(() => Consentry.get('marketing')), true);
  await page.getByTestId('consentry-settings').waitFor();
  assert.equal(await sw.getAttribute('aria-checked'), 'true');
  await page.keyboard.press('Escape');
  await page.getByTestId('consentry-settings').waitFor({ state: 'detached' });
  assert.deepEqual(problems, []);
  await context.close();
});

test('California visitor without GPC: the notice at collection with the opt-out link on the banner; nothing on before a click, keyboard only', async () => {
  const context = await browser.newContext();
  const { page, problems } = await openPage(context, `${server.url}/?region=US-CA`);
  await ready(page);
  const en = await bundle('en');
  // Nothing that rests on consent is on before a decision, in California too.
  for (const p of OPTIONAL) assert.equal(await page.evaluate((id) => Consentry.get(id), p), false, p);
  assert.equal(await page.getByTestId('consentry-gpc').count(), 0);
  const link = page.getByTestId('consentry-opt-out-link');
  assert.equal(await link.getAttribute('href'), en.links[en.ccpa.opt_out_link].href);
  const posted = nextReceipt(page);
  await press(page, 'consentry-reject-all');
  const r = await verifiedReceipt(posted);
  assert.deepEqual(r.gpc, { signal_present: false });
  for (const p of OPTIONAL) assert.equal(states(r)[p], 'refused', p);
  // Analytics rests on notice with a right to opt out in California alone, but on consent
  // under the PIPL the controller brings: the strictest is recorded.
  assert.equal(r.decisions.find((d) => d.purpose_id === 'service-analytics').legal_basis, 'consent');
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
  await press(page, 'consentry-purpose-service-analytics', 'Enter');
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
    'service-analytics': 'given',
    marketing: 'refused',
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
  assert.deepEqual(r.jurisdiction, {
    regime: 'eu-gdpr',
    region: 'DE',
    determined_by: 'user_selection',
    regimes: [
      { regime: 'eu-gdpr', reason: 'visitor_region' },
      { regime: 'cn-pipl', reason: 'controller_establishment' },
    ],
    child_age: 16,
  });
  assert.deepEqual(problems, []);
  await context.close();
});
