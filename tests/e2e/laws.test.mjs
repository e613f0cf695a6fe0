// Every law that applies to a visitor, at once, on the demo support site with the real server:
// nothing that rests on consent is on before a yes in any region (mapped or not), each new
// regime's own rules in a flow, the controller's law beside the visitor's, GDPR Art. 9 and 49
// steps (with a notice whose controller is in the EU), and the child flows. Every receipt is
// verified by the server and offline with the real CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  startServer, launchBrowser, openPage, verify, bundle, plain, emulateGpc, press, ready, axe,
  nextReceipt, storedReceipt, states, copySite, buildNotice, recordEvents,
} from './harness.mjs';

let server;
let browser;
let en;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  en = await bundle('en');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The stored receipt of a POST, checked by the server (201) and offline with `consentry verify`. */
async function verifiedReceipt(posted, { on = server, notices } = {}) {
  const { response, ack } = await posted;
  assert.equal(response.status(), 201, `POST answered ${response.status()}: ${JSON.stringify(ack)}`);
  const stored = await storedReceipt(on, ack.receipt_id);
  const v = await verify(stored.bytes, notices ? { notices } : {});
  assert.equal(v.code, 0, `consentry verify: ${v.stdout}${v.stderr}`);
  return stored.receipt;
}

/** A purpose's legal basis under `regime`, as the compiled notice says (overrides, else main). */
const basisFor = (p, regime) => p.legal_bases?.[regime] ?? p.legal_basis;

/** The regimes the widget applies, from the host's `data-consentry-regimes`. */
async function regimesOf(page) {
  return (await page.locator('#consentry').getAttribute('data-consentry-regimes')).split(' ');
}

/** Answers each separate consent step with "I agree" (keyboard), `n` of them; returns the receipts. */
async function agreeToSteps(page, n) {
  const out = [];
  for (let i = 0; i < n; i += 1) {
    await page.getByTestId('consentry-separate').waitFor();
    const name = (await page.getByTestId('consentry-separate-purpose').innerText()).trim();
    const posted = nextReceipt(page);
    await press(page, 'consentry-agree');
    out.push(await verifiedReceipt(posted));
    // The next step shows another purpose (or the dialog closes).
    await page.waitForFunction(
      (before) => {
        const el = document.querySelector('#consentry').shadowRoot.querySelector('[data-testid="consentry-separate-purpose"]');
        return !el || el.textContent.trim() !== before;
      },
      name,
    );
  }
  return out;
}

// Every home region of the built-in table (the EEA, GB, CH, CN, JP, KR, IN, CA, CA-QC, the US
// states with a law of their own, BR) and regions no law of the table covers.
const EEA = ['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV',
  'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO'];
const HOMES = ['GB', 'CH', 'CN', 'JP', 'KR', 'IN', 'CA', 'CA-QC', 'US-CA', 'US-VA', 'US-CO', 'US-CT', 'US-TX',
  'US-OR', 'BR'];
const UNLISTED = ['NG', 'ZA', 'MX', 'SG', 'AU', 'US-NY', 'AE', 'TR', 'ID', 'VN', 'AR'];

test('before any click, in 56 regions: every purpose that rests on consent is off, no blocked script ran, Consent Mode is denied', async () => {
  const regions = [...EEA, ...HOMES, ...UNLISTED];
  assert.ok(regions.length >= 40);
  const mapped = Object.keys(en.regions?.map ?? {});
  for (const r of mapped) if (!regions.includes(r)) regions.push(r);
  // Consent Mode types and the purposes they follow (www/e2e/blocking.html).
  const failures = [];
  for (const region of regions) {
    const context = await browser.newContext();
    const { page, problems } = await openPage(context, `${server.url}/e2e/blocking.html?region=${region}`);
    await ready(page);
    const regimes = await regimesOf(page);
    const consent = en.purposes.filter((p) => !p.required && regimes.some((g) => basisFor(p, g) === 'consent'));
    const got = await page.evaluate((ids) => ids.map((id) => [id, Consentry.get(id)]), consent.map((p) => p.id));
    for (const [id, on] of got) if (on !== false) failures.push(`${region} (${regimes}): ${id} is on`);
    const runs = await page.evaluate(() => window.__analyticsRuns ?? 0);
    if (runs !== 0) failures.push(`${region}: the blocked analytics script ran`);
    const mode = JSON.parse(await page.evaluate(() => document.body.dataset.consentMode));
    const last = await page.evaluate(() => window.dataLayer.filter((e) => e[0] === 'consent').at(-1)[2]);
    for (const [type, purpose] of Object.entries(mode)) {
      const p = en.purposes.find((x) => x.id === purpose);
      const want = p.required ? 'granted' : 'denied';
      if (last[type] !== want) failures.push(`${region}: Consent Mode ${type} is ${last[type]}`);
    }
    if (problems.length) failures.push(`${region}: ${problems.join('; ')}`);
    await context.close();
  }
  assert.deepEqual(failures, []);
});

test('two laws at once: a visitor in Germany gets the GDPR and, the controller being in China, the PIPL', async () => {
  const context = await browser.newContext();
  const events = await recordEvents(context);
  const { page, problems } = await openPage(context, `${server.url}/?region=DE`);
  await ready(page);
  assert.deepEqual(await regimesOf(page), ['eu-gdpr', 'cn-pipl']);
  // The page's own scripts learn the same from the events.
  const readyDetail = events.find((e) => e.type === 'ready').detail;
  assert.equal(readyDetail.regime, 'eu-gdpr');
  assert.deepEqual(readyDetail.regimes, ['eu-gdpr', 'cn-pipl']);
  let posted = nextReceipt(page);
  await press(page, 'consentry-accept-all');
  const r = await verifiedReceipt(posted);
  assert.deepEqual(r.jurisdiction.regimes, [
    { regime: 'eu-gdpr', reason: 'visitor_region' },
    { regime: 'cn-pipl', reason: 'controller_establishment' },
  ]);
  assert.equal(r.jurisdiction.child_age, 16, 'Germany 16, PIPL 14: the older');
  // PIPL Art. 39 (abroad) and Art. 23 (the ad network) each need their own act: accept all
  // leaves them refused, and not marked separate (that step has not happened).
  const d = Object.fromEntries(r.decisions.map((x) => [x.purpose_id, x]));
  for (const id of ['cross-border-transfer', 'marketing']) {
    assert.equal(d[id].state, 'refused', id);
    assert.equal(d[id].separate_consent, false, id);
  }
  for (const id of ['hotline-call-recording', 'chat-transcript', 'service-analytics']) {
    assert.equal(d[id].state, 'given', id);
    assert.equal(d[id].legal_basis, 'consent', id);
  }
  const steps = await agreeToSteps(page, 2);
  const last = Object.fromEntries(steps[1].decisions.map((x) => [x.purpose_id, x]));
  for (const id of ['cross-border-transfer', 'marketing']) {
    assert.equal(last[id].state, 'given', id);
    assert.equal(last[id].separate_consent, true, `${id}: given in its own step`);
  }
  assert.equal(steps[0].event.interaction, 'separate_consent');
  assert.deepEqual(problems, []);
  await context.close();
});

// One flow per regime added with the multi-law model: the regimes applied and why, what is
// asked on its own, the law's complaint route, and (US) the opt-out link on the banner.
const FLOWS = [
  { region: 'GB', regimes: ['uk-gdpr', 'cn-pipl'], complaint: 'uk-gdpr' },
  { region: 'CH', regimes: ['ch-fadp', 'cn-pipl'], complaint: 'ch-fadp' },
  { region: 'JP', regimes: ['jp-appi', 'cn-pipl'], complaint: 'jp-appi' },
  { region: 'KR', regimes: ['kr-pipa', 'cn-pipl'], complaint: 'kr-pipa' },
  { region: 'IN', regimes: ['in-dpdp', 'cn-pipl'], complaint: 'in-dpdp' },
  { region: 'CA', regimes: ['ca-pipeda', 'cn-pipl'], complaint: 'ca-pipeda' },
  { region: 'CA-QC', regimes: ['ca-qc-law25', 'ca-pipeda', 'cn-pipl'], complaint: 'ca-qc-law25' },
  { region: 'US-VA', regimes: ['us-va-vcdpa', 'cn-pipl'], complaint: 'us-va-vcdpa', us: true },
  { region: 'US-CO', regimes: ['us-co-cpa', 'cn-pipl'], complaint: 'us-co-cpa', us: true },
  { region: 'US-CT', regimes: ['us-ct-ctdpa', 'cn-pipl'], complaint: 'us-ct-ctdpa', us: true },
  { region: 'US-TX', regimes: ['us-tx-tdpsa', 'cn-pipl'], complaint: 'us-tx-tdpsa', us: true },
  { region: 'US-OR', regimes: ['us-or-ocpa', 'cn-pipl'], complaint: 'us-or-ocpa', us: true },
];

for (const f of FLOWS) {
  test(`${f.region}: ${f.regimes.join(' + ')}; accept all, then each step of its own; its complaint route`, async () => {
    const context = await browser.newContext();
    const { page, problems } = await openPage(context, `${server.url}/?region=${f.region}`);
    await ready(page);
    assert.deepEqual(await regimesOf(page), f.regimes);
    // The US opt-out link sits on the banner itself, only where a US state law applies.
    assert.equal(await page.getByTestId('consentry-opt-out-link').count(), f.us ? 1 : 0);
    let posted = nextReceipt(page);
    await press(page, 'consentry-accept-all');
    const r = await verifiedReceipt(posted);
    assert.deepEqual(r.jurisdiction.regimes.map((x) => x.regime), f.regimes);
    assert.equal(r.jurisdiction.regimes[0].reason, 'visitor_region');
    assert.equal(r.jurisdiction.regimes.at(-1).reason, 'controller_establishment');
    if (f.region === 'CA-QC') assert.equal(r.jurisdiction.regimes[1].reason, 'visitor_country');
    // What accept all left refused is exactly what needs its own act; none of it is marked
    // separate yet.
    const left = r.decisions.filter((d) => !d.required && d.state === 'refused');
    assert.deepEqual(left.map((d) => d.purpose_id).sort(), ['cross-border-transfer', 'marketing']);
    assert.ok(left.every((d) => !d.separate_consent));
    const steps = await agreeToSteps(page, left.length);
    for (const d of steps.at(-1).decisions.filter((x) => !x.required)) {
      assert.equal(d.state, 'given', d.purpose_id);
      assert.equal(d.separate_consent, left.some((l) => l.purpose_id === d.purpose_id), d.purpose_id);
    }
    // The full notice names this law's authority among those in force.
    await press(page, 'consentry-privacy-settings');
    await page.getByTestId('consentry-settings').waitFor();
    await page.getByTestId('consentry-settings').getByTestId('consentry-open-notice').click();
    const notice = page.getByTestId('consentry-notice');
    await notice.waitFor();
    const complaint = plain(en.complaints.find((c) => c.regime === f.complaint).text).slice(0, 40);
    const shown = await notice.innerText();
    assert.ok(shown.includes(complaint), `${f.complaint} complaint route in ${shown}`);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('California: the Do Not Sell or Share link is on the first layer (axe: no violations)', async () => {
  // axe injects <style> elements of its own: CSP is checked elsewhere (embedding.test.mjs).
  const context = await browser.newContext({ bypassCSP: true });
  const { page, problems } = await openPage(context, `${server.url}/?region=US-CA`);
  await ready(page);
  const link = page.getByTestId('consentry-opt-out-link');
  assert.equal(await link.innerText(), en.links[en.ccpa.opt_out_link].text);
  assert.equal(await link.getAttribute('href'), en.links[en.ccpa.opt_out_link].href);
  assert.ok(await link.isVisible());
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(problems, []);
  await context.close();
});

// Children: the guardian box says the age of the laws in force (the oldest); a guardian's
// decision is recorded as such with that age; where a law bars it, what is sold or shared is
// not offered to a child at all.
const CHILDREN = [
  { region: 'DE', age: 16 },
  { region: 'FR', age: 15 },
  { region: 'BE', age: 14 }, // Belgium 13, the PIPL (controller) 14
  { region: 'US-CA', age: 16 },
  { region: 'IN', age: 18, barred: ['marketing'] },
  { region: 'NG', age: 18 }, // unlisted: 18
];

for (const c of CHILDREN) {
  test(`${c.region}: a parent or guardian decides for a child under ${c.age}`, async () => {
    const context = await browser.newContext();
    const { page, problems } = await openPage(context, `${server.url}/?region=${c.region}`);
    await ready(page);
    const box = page.getByTestId('consentry-guardian');
    const label = await page.locator('label[for="cy-guardian-banner"]').innerText();
    assert.ok(label.includes(String(c.age)), `the age in "${label}"`);
    await press(page, 'consentry-guardian', 'Space');
    assert.equal(await box.isChecked(), true);
    const posted = nextReceipt(page);
    await press(page, 'consentry-accept-all');
    const r = await verifiedReceipt(posted);
    assert.equal(r.event.indicated_by, 'guardian');
    assert.equal(r.jurisdiction.child_age, c.age);
    for (const id of c.barred ?? []) assert.equal(states(r)[id], 'refused', `${id} is not for a child`);
    if (c.barred) {
      // Not even a step of its own grants it; the settings say why. (The PIPL's step for the
      // transfer abroad opens first, once the full widget has loaded: leave it undecided.)
      await page.getByTestId('consentry-separate').waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('consentry-separate').waitFor({ state: 'hidden' });
      await press(page, 'consentry-privacy-settings');
      await page.getByTestId('consentry-settings').waitFor();
      const sw = page.getByTestId(`consentry-purpose-${c.barred[0]}`);
      assert.equal(await sw.isDisabled(), true);
      assert.ok((await page.getByTestId('consentry-settings').innerText()).includes(plain(en.messages['barred-for-child-label'])));
    }
    // Asked once: the next page knows a guardian decides.
    await page.reload();
    await ready(page);
    await press(page, 'consentry-privacy-settings');
    await page.getByTestId('consentry-settings').waitFor();
    assert.equal(await page.getByTestId('consentry-dialog-guardian').isChecked(), true);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('GDPR Art. 9 and Art. 49: with the controller in the EU, sensitive data and a transfer on explicit consent are each asked on their own', async () => {
  const site = await copySite();
  const out = join(site.dir, 'e2e-gdpr');
  // The demo notice with the controller in Germany, English only, and two purposes: voice
  // verification on the hotline (biometric data: Art. 9(2)(a)) and a US repair partner reached
  // only on explicit consent (no adequacy, no SCCs: Art. 49(1)(a)).
  await buildNotice(out, async (dir) => {
    for (const f of ['ar', 'es', 'fr', 'pt-BR', 'zh-CN']) {
      await rm(join(dir, `${f}.ftl`));
      await rm(join(dir, `${f}.terms.toml`), { force: true });
      await rm(join(dir, `${f}.facts.toml`), { force: true });
    }
    const toml = join(dir, 'notice.toml');
    let t = await readFile(toml, 'utf8');
    t = t.replace('country = "CN"', 'country = "DE"');
    t = t.replace('[controller.uk_representative]', '[controller.china_representative]\nname = "Lumenwave (Shenzhen) Ltd."\naddress = "1 Example Road, Shenzhen 518000, China"\nemail = "cn-representative@example.com"\n\n[controller.uk_representative]');
    t = t.replace(/^version = "([^"]+)"/m, 'version = "$1-gdpr"');
    t += `
[[purposes]]
id = "voice-verification"
dpv = "IdentityVerification"
legal_basis = "consent"
sensitive = true
retention = "P1Y"
processors = ["Example Voice Services Ltd. (call recording)"]
data_categories = ["voiceprint"]
channels = ["hotline"]

[[purposes]]
id = "repair-partner"
dpv = "CustomerCare"
legal_basis = "consent"
retention = "P1Y"
processors = ["Example Repairs Inc."]
data_categories = ["product-details"]
channels = ["hotline", "web"]
transfers = [
    { destination = "US", safeguard = "explicit-consent", recipient = "Example Repairs Inc.", contact = "gtac-email" },
    { destination = "US", safeguard = "pipl-standard-contract", recipient = "Example Repairs Inc.", contact = "gtac-email" },
]
`;
    t = t.replace('opt_out_link = "do-not-sell"', 'opt_out_link = "do-not-sell"\nlimit_link = "do-not-sell"');
    await writeFile(toml, t);
    const ftl = join(dir, 'en.ftl');
    // The hotline is no longer in the controller's country: the lint (K006) would say so.
    const text = (await readFile(ftl, 'utf8')).replace('our after-sales hotline in China', 'our after-sales hotline');
    await writeFile(ftl, `${text}
purpose-voice-verification-name = Recognising you by your voice
purpose-voice-verification-description = If you agree, we check your identity on the hotline from a model of your voice instead of security questions. We keep the voice model for { $retention }.
purpose-voice-verification-sensitive-impact = A voice model is biometric data: it identifies you. We use it only to confirm who is calling and delete it when you withdraw.
data-category-voiceprint = A model of your voice
purpose-repair-partner-name = Repairs by our partner in the United States
purpose-repair-partner-description = If you agree to this separately, we send your product details to our repair partner in the United States, where the law does not protect your data as in the EU. We keep them for { $retention }.
country-US = United States
country-US-privacy-system = The United States have no general federal privacy law; the partner is bound by contract to protect your data.
safeguard-explicit-consent = Your explicit consent
hotline-script-purpose-voice-verification = Do you agree that we recognise you by your voice on the hotline instead of asking security questions? We keep the voice model for { $retention }.
hotline-script-purpose-voice-verification-separate = The next question is about your separate consent, and I ask it on its own. Do you agree that we make a model of your voice, which is biometric data, to recognise you when you call? We keep it for { $retention }. If you say no, nothing else changes: we ask you security questions instead.
hotline-script-purpose-repair-partner = Do you agree that we send your product details to our repair partner in the United States? We keep them for { $retention }.
hotline-script-purpose-repair-partner-separate = The next question is about your separate consent, and I ask it on its own. Do you agree that we send your product details to our repair partner in the United States, where the law does not protect your data as in the EU? We keep them for { $retention }. If you say no, nothing else changes: our own engineers repair your product.
`);
  });
  const own = await startServer({ site: site.dir, notices: out });
  const context = await browser.newContext();
  try {
    const { page, problems } = await openPage(context, `${own.url}/e2e/notice.html?region=DE&manifest=/e2e-gdpr/manifest.json`);
    await ready(page);
    assert.deepEqual(await regimesOf(page), ['eu-gdpr'], 'the controller in the EU brings no other law');
    let posted = nextReceipt(page);
    await press(page, 'consentry-accept-all');
    const r = await verifiedReceipt(posted, { on: own, notices: out });
    const d = Object.fromEntries(r.decisions.map((x) => [x.purpose_id, x]));
    // Under the GDPR alone: only the Art. 9 and Art. 49 purposes wait for their own act.
    assert.deepEqual(
      r.decisions.filter((x) => !x.required && x.state === 'refused').map((x) => x.purpose_id),
      ['voice-verification', 'repair-partner'],
    );
    assert.equal(d['cross-border-transfer'].state, 'given', 'SCCs: no consent of its own needed under the GDPR');
    assert.equal(d.marketing.state, 'given', 'no separate act for disclosure under the GDPR');
    assert.equal(d['voice-verification'].separate_consent, false);
    for (const id of ['voice-verification', 'repair-partner']) {
      await page.getByTestId('consentry-separate').waitFor();
      const name = (await page.getByTestId('consentry-separate-purpose').innerText()).trim();
      assert.ok(name.length > 0);
      posted = nextReceipt(page);
      await press(page, 'consentry-agree');
      const s = await verifiedReceipt(posted, { on: own, notices: out });
      const x = s.decisions.find((y) => y.purpose_id === id);
      assert.deepEqual([x.state, x.separate_consent], ['given', true], id);
      await page.waitForFunction(
        (before) => {
          const el = document.querySelector('#consentry').shadowRoot.querySelector('[data-testid="consentry-separate-purpose"]');
          return !el || el.textContent.trim() !== before;
        },
        name,
      );
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await own.stop();
    await site.remove();
  }
});
