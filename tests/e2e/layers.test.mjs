// The layers of the notice, end to end: the full notice one click away, a new notice version
// asks again, withdrawal is as easy as consent (and blocked scripts stay blocked after it),
// Google Consent Mode follows every decision, "download my receipt", the language switcher.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  startServer, launchBrowser, openPage, bundle, plain, press, ready, nextReceipt, storedReceipt,
  states, copySite, buildNotice, shippedLocales, verify,
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

test('the full notice is one click from the banner and shows every section', async () => {
  const context = await browser.newContext();
  const { page, problems } = await openPage(context, `${server.url}/e2e/notice.html?region=DE`);
  await ready(page);
  const en = await bundle('en');
  await page.getByTestId('consentry-open-notice').click();
  const notice = page.getByTestId('consentry-notice');
  await notice.waitFor();
  assert.equal(await notice.getAttribute('aria-modal'), 'true');
  const text = await notice.innerText();
  const has = (s, what) => assert.ok(text.includes(s), `${what}: ${JSON.stringify(s)}`);
  for (const p of en.purposes) {
    has(plain(p.name), `purpose ${p.id}`);
    has(plain(p.description).slice(0, 40), `description of ${p.id}`);
    for (const r of p.recipients) has(r, 'recipient');
    for (const c of p.data_categories ?? []) has(plain(en.messages[`data-category-${c}`]), 'data category');
    for (const c of p.channels ?? []) has(plain(en.messages[`channel-${c}`]), 'channel');
    for (const t of p.transfers) has(plain(en.messages[`country-${t.destination}`]), 'destination');
  }
  // Only what applies to this visitor (in Germany, with the controller in China: the GDPR and
  // PIPL): their transfer safeguards, not the UK's or Brazil's.
  assert.equal(await page.locator('#consentry').getAttribute('data-consentry-regimes'), 'eu-gdpr cn-pipl');
  const lacks = (s, what) => assert.ok(!text.includes(s), `${what} shown to a visitor it does not apply to: ${JSON.stringify(s)}`);
  has(plain(en.messages['safeguard-eu-scc']), 'the GDPR safeguard');
  has(plain(en.messages['safeguard-pipl-standard-contract']), 'the PIPL safeguard');
  lacks(plain(en.messages['safeguard-uk-idta']), "the UK's safeguard");
  lacks(plain(en.messages['safeguard-lgpd-scc']), "Brazil's safeguard");
  // Retention in words (the browser's Intl.DurationFormat), not as ISO 8601 codes.
  has('3 years', 'retention');
  has('90 days', 'retention');
  assert.ok(!/\bP\d+[YMWD]\b/.test(text), 'no raw ISO 8601 durations');
  // Processors and third parties apart; the legal basis; sale or sharing with its opt-out link.
  has(plain(en.messages['processors-label']), 'processors');
  has(plain(en.messages['third-parties-label']), 'third parties');
  has(plain(en.messages['sold-or-shared-label']), 'sold or shared');
  // Controller, DPO (with phone), EU representative, rights and how, complaints, policy.
  has(en.controller.name, 'the controller');
  has(en.controller.dpo_email, 'the DPO');
  has(en.controller.dpo_phone, 'the DPO phone');
  has(en.controller.eu_representative.name, 'the EU representative');
  // The rights the GDPR and the PIPL give; not California's opt-out or Brazil's anonymisation.
  const right = (id) => plain(en.rights.find((r) => r.id === id).text);
  for (const id of ['access', 'erasure', 'objection', 'portability', 'explanation']) has(right(id), `right ${id}`);
  for (const id of ['opt-out-of-sale', 'anonymisation', 'appeal', 'nominate']) lacks(right(id), `right ${id}`);
  // { $deadline }: the shorter of the GDPR's month and the PIPL's 15 days.
  has('We answer within 15 days', 'the deadline of the laws in force');
  has(plain(en.messages['controller-heading']), 'headings');
  // Complaints: the authorities of the laws in force; the others behind "Other regions".
  const complaint = (g) => plain(en.complaints.find((c) => c.regime === g).text).slice(0, 40);
  has(complaint('eu-gdpr'), 'the GDPR complaint route');
  has(complaint('cn-pipl'), 'the PIPL complaint route');
  lacks(complaint('uk-gdpr'), "the UK's complaint route (closed)");
  const others = page.getByTestId('consentry-other-regions');
  await others.locator('summary').click();
  assert.ok((await others.innerText()).includes(complaint('uk-gdpr')), 'other regions, on request');
  const hrefs = await notice.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const name of [en.policy_link, ...en.rights_how, ...en.complaints.map((c) => c.link)]) {
    assert.ok(hrefs.includes(en.links[name].href), `link ${name}`);
  }
  assert.ok(!hrefs.includes(en.links[en.ccpa.opt_out_link].href), 'no US opt-out link outside the US');
  const rules = await page.getByTestId('consentry-jurisdiction').innerText();
  assert.match(rules, /GDPR/);
  assert.match(rules, /PIPL/);
  assert.ok(rules.includes(plain(en.messages['regime-reason-controller-establishment'])), rules);
  // From the notice to the settings, then back out with Esc: no decision was made.
  await page.getByTestId('consentry-notice-settings').click();
  await page.getByTestId('consentry-settings').waitFor();
  await page.keyboard.press('Escape');
  await page.getByTestId('consentry-settings').waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('consentry-banner').count(), 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('every shipped locale has text for every control: no message id shows anywhere, and facts show translated', async () => {
  // Every message id of the default locale (which `consentry lint` holds to the full list the
  // widget uses): a locale missing one would show the id itself.
  const ids = Object.keys((await bundle('en')).messages);
  for (const tag of await shippedLocales()) {
    const b = await bundle(tag);
    // The facts this locale translates (<tag>.facts.toml): never shown as notice.toml writes
    // them, only as translated (which may keep a registered name inside).
    const names = Object.entries(b.names ?? {});
    const context = await browser.newContext();
    const { page, problems } = await openPage(context, `${server.url}/e2e/notice.html?region=CN&language=${tag}`);
    await ready(page);
    const seen = [];
    const look = async (view) => {
      const t = await page.locator('#consentry').innerText();
      for (const id of ids) if (t.includes(id)) seen.push(`${tag} ${view}: ${id}`);
      for (const [fact, shown] of names) {
        if (t.split(shown).join('').includes(fact)) seen.push(`${tag} ${view}: untranslated ${fact}`);
      }
    };
    await look('banner');
    await page.getByTestId('consentry-open-settings').click();
    // The settings show at once; each purpose's details follow with the full widget.
    await page.locator('#consentry details').first().waitFor({ state: 'attached' });
    for (const d of await page.locator('#consentry details').all()) await d.locator('summary').click();
    await look('settings');
    await page.getByTestId('consentry-settings').getByTestId('consentry-open-notice').click();
    await page.getByTestId('consentry-notice').waitFor();
    await look('full notice');
    const controller = b.names?.[b.controller.name];
    if (controller) {
      assert.ok((await page.getByTestId('consentry-notice').innerText()).includes(controller), `${tag}: ${controller}`);
    }
    await page.keyboard.press('Escape');
    await page.getByTestId('consentry-accept-all').click();
    await page.getByTestId('consentry-separate').waitFor();
    await look('separate consent');
    assert.deepEqual(seen, []);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('a new notice version asks again, and the renewal is chained to the earlier receipt', async () => {
  const site = await copySite();
  // Version 2 of the notice, built with the real CLI from locales/ with the version bumped.
  let v2 = '';
  await buildNotice(join(site.dir, 'e2e-v2'), async (dir) => {
    const toml = join(dir, 'notice.toml');
    const text = await readFile(toml, 'utf8');
    const m = /^version = "([^"]+)"/m.exec(text);
    v2 = `${m[1]}.1`;
    await writeFile(toml, text.replace(m[0], `version = "${v2}"`));
  });
  // This server has both versions published.
  const own = await startServer({ site: site.dir, notices: [join(site.dir, 'notice'), join(site.dir, 'e2e-v2')] });
  const context = await browser.newContext();
  try {
    const { page, problems } = await openPage(context, `${own.url}/e2e/notice.html?region=DE`);
    await ready(page);
    let posted = nextReceipt(page);
    await press(page, 'consentry-accept-all');
    const first = (await posted).ack;

    await page.reload();
    await ready(page);
    assert.equal(await page.getByTestId('consentry-banner').count(), 0, 'decided: no banner');

    await page.goto(`${own.url}/e2e/notice.html?region=DE&manifest=/e2e-v2/manifest.json`);
    await ready(page);
    await page.getByTestId('consentry-banner').waitFor();
    assert.equal(await page.evaluate(() => Consentry.get('marketing')), false, 'stale consent does not count');
    posted = nextReceipt(page);
    await press(page, 'consentry-accept-all');
    const second = (await posted).ack;
    const r = (await storedReceipt(own, second.receipt_id)).receipt;
    assert.equal(r.notice.version, v2);
    assert.equal(r.event.type, 'renewal');
    assert.equal(r.chain.prev_receipt_id, first.receipt_id);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await own.stop();
    await site.remove();
  }
});

test('withdrawal is as easy as consent; blocked scripts run once, and never again until reload', async () => {
  const context = await browser.newContext();
  const { page, problems } = await openPage(context, `${server.url}/e2e/blocking.html?region=DE`);
  await ready(page);
  const runs = () => page.evaluate(() => window.__analyticsRuns ?? 0);
  const violations = () => page.evaluate(() => window.__analyticsViolations ?? 0);
  const consent = () => page.evaluate(() => window.dataLayer.filter((e) => e[0] === 'consent').map((e) => [e[1], e[2]]));
  assert.equal(await runs(), 0, 'the page says the blocked script has not run');
  assert.equal(await page.locator('script[src="/e2e/analytics.js"][type="text/plain"]').count(), 1);
  // Consent Mode: the default (all seven types denied) came first, then the update at ready.
  let gcm = await consent();
  assert.equal(gcm[0][0], 'default');
  assert.deepEqual(Object.keys(gcm[0][1]).filter((k) => k !== 'wait_for_update').sort(), [
    'ad_personalization', 'ad_storage', 'ad_user_data', 'analytics_storage',
    'functionality_storage', 'personalization_storage', 'security_storage',
  ]);
  assert.ok(Object.entries(gcm[0][1]).every(([k, v]) => k === 'wait_for_update' || v === 'denied'));
  assert.equal(gcm.at(-1)[0], 'update');
  assert.equal(gcm.at(-1)[1].security_storage, 'granted', 'mapped to the required purpose');
  assert.equal(gcm.at(-1)[1].analytics_storage, 'denied');

  // Consent: one key press on the banner (the whole flow is keyboard only), then the two steps
  // of their own the laws in force ask for (PIPL: the transfer abroad, the ad network).
  let posted = nextReceipt(page);
  await press(page, 'consentry-accept-all');
  await posted;
  for (let i = 0; i < 2; i += 1) {
    await page.getByTestId('consentry-separate').waitFor();
    posted = nextReceipt(page);
    await press(page, 'consentry-agree');
    await posted;
  }
  await page.waitForFunction(() => window.__analyticsRuns === 1);
  gcm = await consent();
  assert.equal(gcm.at(-1)[1].analytics_storage, 'granted');
  assert.equal(gcm.at(-1)[1].ad_storage, 'granted');

  // Withdrawal: the persistent button, then reject all: two presses.
  posted = nextReceipt(page);
  await press(page, 'consentry-privacy-settings');
  await page.getByTestId('consentry-settings').waitFor();
  await press(page, 'consentry-reject-all');
  const { ack } = await posted;
  const r = (await storedReceipt(server, ack.receipt_id)).receipt;
  assert.equal(states(r)['service-analytics'], 'withdrawn');
  assert.equal(states(r).marketing, 'withdrawn');
  gcm = await consent();
  assert.equal(gcm.at(-1)[1].analytics_storage, 'denied');
  assert.equal(gcm.at(-1)[1].ad_user_data, 'denied');

  // Consent again on the same page: Consent Mode follows, the script does not run again.
  posted = nextReceipt(page);
  await press(page, 'consentry-privacy-settings');
  await page.getByTestId('consentry-settings').waitFor();
  await press(page, 'consentry-accept-all');
  await posted;
  for (let i = 0; i < 2; i += 1) {
    await page.getByTestId('consentry-separate').waitFor();
    posted = nextReceipt(page);
    await press(page, 'consentry-agree');
    await posted;
  }
  assert.equal((await consent()).at(-1)[1].analytics_storage, 'granted');
  // A later blocked script of the withdrawn purpose stays blocked too (until reload).
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.type = 'text/plain';
    s.dataset.consentryPurpose = 'service-analytics';
    s.src = '/e2e/analytics.js';
    document.head.append(s);
  });
  await page.evaluate(() => new Promise((r) => setTimeout(r, 0))); // MutationObserver has run
  assert.equal(
    await page.locator('script[data-consentry-purpose="service-analytics"][type="text/plain"]').count(),
    1,
    'the new blocked script stays blocked',
  );
  assert.equal(await page.locator('script[data-consentry-activated]').count(), 1, 'only the first ever ran');
  assert.equal(await runs(), 1, 'never again after a withdrawal until the page reloads');

  // The API withdraws too.
  posted = nextReceipt(page);
  await page.evaluate(() => Consentry.withdraw('marketing'));
  const w = (await storedReceipt(server, (await posted).ack.receipt_id)).receipt;
  assert.equal(w.event.type, 'withdrawal');
  assert.equal(states(w).marketing, 'withdrawn');
  assert.equal(await page.evaluate(() => Consentry.get('marketing')), false);

  // After a reload the consent in force runs the script once.
  await page.reload();
  await ready(page);
  await page.waitForFunction(() => window.__analyticsRuns === 1);
  assert.equal(await violations(), 0, 'the script never ran without consent');
  assert.match(await page.locator('#csp-report').innerText(), /CSP violations: 0/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('"download my receipt" gives the signed receipt with the server\'s answer', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const { page, problems } = await openPage(context, `${server.url}/e2e/notice.html?region=DE`);
  await ready(page);
  const posted = nextReceipt(page);
  await page.getByTestId('consentry-reject-all').click();
  const { ack } = await posted;
  await page.getByTestId('consentry-privacy-settings').click();
  const downloaded = page.waitForEvent('download');
  await page.getByTestId('consentry-download').click();
  const download = await downloaded;
  assert.match(download.suggestedFilename(), /^consentry-receipt-[0-9a-f-]{36}\.json$/);
  const doc = JSON.parse(await readFile(await download.path(), 'utf8'));
  // Both halves: the envelope the browser signed and sent, and the server's answer with its
  // countersignature over it.
  const received = await fetch(`${server.url}/v1/receipts/${encodeURIComponent(ack.receipt_id)}/received`);
  assert.equal(received.status, 200);
  assert.deepEqual(doc.receipt, JSON.parse(await received.text()), 'exactly the envelope the browser sent');
  const stored = await storedReceipt(server, ack.receipt_id);
  assert.deepEqual(doc.server.receipt, stored.envelope, 'the countersigned receipt the server stored');
  assert.equal(doc.server.receipt.signatures.length, 2);
  assert.equal(doc.server.receipt_id, ack.receipt_id);
  // … and the proof that it is in the transparency log, checked offline against the log key
  // the server publishes.
  assert.match(doc.server.tlog_proof, /^c2sp\.org\/tlog-proof@v1\n/);
  const log = await (await fetch(`${server.url}/.well-known/consentry/log.json`)).json();
  const keys = Buffer.from(await (await fetch(`${server.url}/.well-known/consentry/keys.json`)).arrayBuffer());
  const checked = await verify(Buffer.from(JSON.stringify(doc)), { keys, logKey: log.log_key });
  assert.equal(checked.code, 0, `${checked.stdout}${checked.stderr}`);
  assert.match(checked.stdout, /log/i);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the language switcher shows another verified locale and the receipt records it', async () => {
  const context = await browser.newContext();
  const { page, problems } = await openPage(context, `${server.url}/e2e/notice.html?region=DE&language=en`);
  await ready(page);
  const zh = await bundle('zh-CN');
  await page.getByTestId('consentry-language').selectOption('zh-CN');
  await page.locator('#consentry').getByText(plain(zh.messages['banner-title'])).waitFor();
  assert.equal(await page.locator('#consentry .cy').getAttribute('lang'), 'zh-CN');
  const posted = nextReceipt(page);
  await page.getByTestId('consentry-reject-all').click();
  const r = (await storedReceipt(server, (await posted).ack.receipt_id)).receipt;
  assert.equal(r.notice.locale, 'zh-CN');
  // The pick is remembered over the page's `language` option.
  await page.reload();
  await ready(page);
  assert.equal(await page.locator('#consentry .cy').getAttribute('lang'), 'zh-CN');
  assert.deepEqual(problems, []);
  await context.close();
});
