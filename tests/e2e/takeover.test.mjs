// Settings and consent steps at once: a tap on "settings" shows the purposes and their switches
// from the first module, working, and their details follow from the notice's details file; the
// consent steps (PIPL separate consent, the GPC opt-in) are drawn by the first module too, once
// the details they disclose are there. The full widget (Yew) is fetched only for the full notice,
// and then takes over where the visitor is. The two renderings of the banner, the settings
// (details and steps waiting included) and the consent steps are the same DOM for every shipped
// locale.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, openPage, ready, recordEvents, shippedLocales, focusedTestId, waitFor,
  nextReceipt, storedReceipt, states, emulateGpc, bundle, plain,
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

const FULL = /\/consentry-full(_bg)?\.[0-9a-f]+\.(js|wasm)$/;

/**
 * Holds back the full widget's files in `context` until `release()` (or fails them with
 * `fail()`), so a test sees what the visitor sees while they are on their way.
 */
async function holdFullWidget(context) {
  let open;
  const gate = new Promise((resolve) => {
    open = resolve;
  });
  await context.route(FULL, async (route) => {
    if ((await gate) === 'fail') return route.abort('failed');
    return route.continue();
  });
  return { release: () => open('go'), fail: () => open('fail') };
}

/** Whether the first module's markup is still in the shadow root (no take-over yet). */
const firstShown = (page) =>
  page.evaluate(() => !!document.querySelector('#consentry').shadowRoot.querySelector('[data-first]'));

/** Waits until the full widget has taken over (the first module's markup is gone). */
const takenOver = (page) =>
  page.waitForFunction(() => !document.querySelector('#consentry').shadowRoot.querySelector('[data-first]'));

const switchState = (page, id) =>
  page.getByTestId('consentry-settings').getByTestId(`consentry-purpose-${id}`).getAttribute('aria-checked');

test('the settings show at once from the first module, work, and fill in their details without the full widget', async () => {
  const context = await browser.newContext();
  const events = await recordEvents(context);
  const full = [];
  context.on('request', (r) => {
    if (FULL.test(r.url())) full.push(r.url());
  });
  const { page, problems } = await openPage(context, `${server.url}/e2e/notice.html?region=DE&language=en`);
  await ready(page);
  await page.getByTestId('consentry-open-settings').focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('consentry-settings');
  await dialog.waitFor();
  assert.ok(await firstShown(page), 'drawn by the first module');
  assert.equal(await focusedTestId(page), 'consentry-settings', 'focus on the dialog, announced from its title');
  // Every purpose of the notice, named, each with its switch; the required one on and fixed.
  const switches = dialog.locator('[role="switch"]');
  assert.ok((await switches.count()) >= 6, `${await switches.count()} switches`);
  assert.equal(await switchState(page, 'service-delivery'), 'true');
  assert.equal(await dialog.getByTestId('consentry-purpose-service-delivery').isDisabled(), true);
  for (const sw of await switches.all()) {
    const name = await sw.getAttribute('aria-labelledby');
    assert.ok((await dialog.locator(`[id="${name}"]`).innerText()).trim().length > 0, `${name} has a name`);
  }
  // The details follow from the notice's details file: a description and facts per purpose.
  await dialog.locator('details').first().waitFor({ state: 'attached' });
  assert.equal(await dialog.locator('details').count(), await switches.count());
  const en = await bundle('en');
  const analytics = dialog.locator('.cy-purpose', { has: page.getByTestId('consentry-purpose-service-analytics') });
  await analytics.locator('summary').click();
  assert.equal(
    (await analytics.locator('.cy-purpose__description').innerText()).trim(),
    plain(en.purposes.find((p) => p.id === 'service-analytics').description).trim(),
  );
  assert.ok((await analytics.locator('dl.cy-facts dt').count()) >= 2);
  // A switch moves; Esc and reopening start again from the choices in force (nothing was
  // decided), and focus returns to the opener.
  assert.equal(await switchState(page, 'chat-transcript'), 'false');
  await dialog.getByTestId('consentry-purpose-chat-transcript').click();
  assert.equal(await switchState(page, 'chat-transcript'), 'true');
  assert.equal(await focusedTestId(page), 'consentry-purpose-chat-transcript', 'focus stays on the switch');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await focusedTestId(page), 'consentry-open-settings');
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  assert.equal(await switchState(page, 'chat-transcript'), 'false', 'closing decided nothing');
  await dialog.getByTestId('consentry-purpose-chat-transcript').click();
  await dialog.getByTestId('consentry-purpose-service-analytics').click();
  await dialog.getByTestId('consentry-purpose-service-analytics').click();
  assert.equal(events.filter((e) => e.type === 'change').length, 0, 'nothing decided yet');
  await dialog.getByTestId('consentry-save').click();
  await waitFor('the decision', () => events.some((e) => e.type === 'change'));
  const change = events.find((e) => e.type === 'change');
  assert.equal(change.detail.method, 'save_choices');
  assert.equal(change.detail.decisions['chat-transcript'], true);
  assert.equal(change.detail.decisions['service-analytics'], false);
  assert.equal(await focusedTestId(page), 'consentry-privacy-settings');
  assert.deepEqual(full, [], 'the settings needed nothing of the full widget');
  assert.deepEqual(problems, []);
  await context.close();
});

test('settings opened by the page (show()) return focus to the page\'s own control when closed', async () => {
  const context = await browser.newContext();
  const { page, problems } = await openPage(context, `${server.url}/e2e/notice.html?region=DE&language=en`);
  await ready(page);
  await page.evaluate(() => {
    const b = document.createElement('button');
    b.id = 'page-privacy';
    b.textContent = 'Cookie settings';
    b.addEventListener('click', () => globalThis.Consentry.show());
    document.body.append(b);
  });
  await page.locator('#page-privacy').focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('consentry-settings');
  await dialog.waitFor();
  assert.equal(await focusedTestId(page), 'consentry-settings');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'page-privacy');
  assert.deepEqual(problems, []);
  await context.close();
});

test('when the full widget cannot load, the settings still decide: saved, announced and receipted; asking for the full notice says why', async () => {
  const context = await browser.newContext();
  const events = await recordEvents(context);
  const held = await holdFullWidget(context);
  held.fail();
  const { page } = await openPage(context, `${server.url}/e2e/notice.html?region=DE&language=en`);
  await ready(page);
  await page.getByTestId('consentry-open-settings').click();
  const dialog = page.getByTestId('consentry-settings');
  await dialog.getByTestId('consentry-purpose-chat-transcript').click();
  // The full notice needs the full widget: the page hears why, the settings stay and work.
  await dialog.getByTestId('consentry-open-notice').click();
  await waitFor('widget_unavailable', () => events.some((e) => e.type === 'error' && e.detail.code === 'widget_unavailable'));
  assert.equal(await switchState(page, 'chat-transcript'), 'true');
  const posted = nextReceipt(page);
  await dialog.getByTestId('consentry-save').click();
  const { ack } = await posted;
  const change = events.find((e) => e.type === 'change');
  assert.equal(change.detail.method, 'save_choices');
  assert.equal(change.detail.decisions['chat-transcript'], true);
  const { receipt } = await storedReceipt(server, ack.receipt_id);
  assert.equal(states(receipt)['chat-transcript'], 'given');
  assert.equal(states(receipt)['service-analytics'], 'refused');
  assert.equal(await page.locator('#consentry').getAttribute('data-consentry-state'), 'ready');
  await page.getByTestId('consentry-privacy-settings').waitFor();
  await context.close();
});

test('a details file that does not verify is refused and reported; the settings keep working without its words', async () => {
  const context = await browser.newContext();
  const events = await recordEvents(context);
  // One letter changed in the details file on its way: its SHA-256 no longer matches the one
  // the (verified) first layer names.
  await context.route(/\/notice\.en\.details\.[0-9a-f]+\.json$/, async (route) => {
    const response = await route.fetch();
    const text = await response.text();
    const i = text.indexOf('description') + 20;
    await route.fulfill({ response, body: text.slice(0, i) + (text[i] === 'x' ? 'y' : 'x') + text.slice(i + 1) });
  });
  const { page } = await openPage(context, `${server.url}/e2e/notice.html?region=DE&language=en`);
  await ready(page);
  await page.getByTestId('consentry-open-settings').click();
  const dialog = page.getByTestId('consentry-settings');
  await waitFor('locale_unverified', () => events.some((e) => e.type === 'error' && e.detail.code === 'locale_unverified'));
  assert.equal(await dialog.locator('details').count(), 0, 'no unverified word is shown');
  await dialog.getByTestId('consentry-purpose-chat-transcript').click();
  await dialog.getByTestId('consentry-save').click();
  await waitFor('the decision', () => events.some((e) => e.type === 'change'));
  assert.equal(events.find((e) => e.type === 'change').detail.decisions['chat-transcript'], true);
  await context.close();
});

/** Holds back the notice's details files in `context` until `release()`. */
async function holdDetails(context) {
  let open;
  const gate = new Promise((resolve) => {
    open = resolve;
  });
  await context.route(/\/notice\.[^/]+\.details\.[0-9a-f]+\.json$/, async (route) => {
    await gate;
    return route.continue();
  });
  return { release: () => open() };
}

/** The English settings' rows of the purposes asked for on their own (their badge says so). */
async function separateRows(page, settings) {
  const label = plain((await bundle('en')).messages['separate-consent-label']);
  return settings.locator('.cy-purpose').filter({ has: page.locator('.cy-badge', { hasText: label }) });
}

test('a purpose asked for on its own opens its step in the first module once its details are there; decided without the full widget', async () => {
  const context = await browser.newContext();
  const events = await recordEvents(context);
  const full = [];
  context.on('request', (r) => {
    if (FULL.test(r.url())) full.push(r.url());
  });
  const held = await holdDetails(context);
  const { page } = await openPage(context, `${server.url}/e2e/notice.html?region=CN&language=en`);
  await ready(page);
  await page.getByTestId('consentry-open-settings').click();
  const dialog = page.getByTestId('consentry-settings');
  const separate = await separateRows(page, dialog);
  assert.ok((await separate.count()) > 0, 'PIPL asks for some purpose on its own');
  const sw = separate.first().locator('[role="switch"]');
  const id = (await sw.getAttribute('data-testid')).replace('consentry-purpose-', '');
  await sw.click();
  assert.equal(await sw.getAttribute('aria-busy'), 'true', 'the step waits for what it must disclose');
  assert.equal(await sw.getAttribute('aria-checked'), 'false', 'nothing granted by the tap itself');
  assert.equal(await page.getByTestId('consentry-separate').count(), 0, 'no step without its details');
  held.release();
  const step = page.getByTestId('consentry-separate');
  await step.waitFor();
  assert.ok(await firstShown(page), 'drawn by the first module');
  assert.equal(await focusedTestId(page), 'consentry-separate', 'focus on the step, announced from its title');
  assert.ok((await step.getByTestId('consentry-separate-purpose').innerText()).trim().length > 0);
  assert.equal(await step.locator('dl.cy-facts').count(), 1, 'what is asked for, disclosed: recipients, transfers, retention');
  await step.getByTestId('consentry-agree').click();
  await waitFor('the separate consent', () => events.some((e) => e.type === 'change'));
  const change = events.find((e) => e.type === 'change');
  assert.equal(change.detail.method, 'separate_consent');
  assert.equal(change.detail.decisions[id], true);
  await step.waitFor({ state: 'detached' });
  assert.equal(await focusedTestId(page), 'consentry-privacy-settings');
  assert.deepEqual(full, [], 'the full widget is not fetched for a consent step');
  await context.close();
});

test('accept all in the settings under PIPL: the steps follow in the same dialog, and closing one returns focus to the privacy-settings button that replaced the banner', async () => {
  const context = await browser.newContext();
  const { page } = await openPage(context, `${server.url}/e2e/notice.html?region=CN&language=en`);
  await ready(page);
  await page.getByTestId('consentry-open-settings').click();
  await page.getByTestId('consentry-settings').getByTestId('consentry-accept-all').click();
  const step = page.getByTestId('consentry-separate');
  await step.waitFor();
  assert.equal(await focusedTestId(page), 'consentry-separate');
  await page.keyboard.press('Escape');
  await step.waitFor({ state: 'detached' });
  assert.equal(await focusedTestId(page), 'consentry-privacy-settings', 'not lost with the banner\'s button');
  await context.close();
});

test('the page opens the settings while a step after accept all waits for its details: the step is kept for later, numbered as before', async () => {
  const context = await browser.newContext();
  const held = await holdDetails(context);
  const { page } = await openPage(context, `${server.url}/e2e/notice.html?region=CN&language=en`);
  await ready(page);
  await page.getByTestId('consentry-banner').getByTestId('consentry-accept-all').click();
  await page.getByTestId('consentry-privacy-settings').waitFor();
  await page.evaluate(() => Consentry.show());
  const settings = page.getByTestId('consentry-settings');
  await settings.waitFor();
  held.release();
  await settings.getByTestId('consentry-steps-waiting').waitFor();
  await settings.getByTestId('consentry-resume-steps').click();
  const step = page.getByTestId('consentry-separate');
  await step.waitFor();
  // "Step 1 of 2" in the English notice: the first number is the step's.
  const text = await step.getByTestId('consentry-step').innerText();
  assert.equal(text.match(/\d+/)?.[0], '1', `step 1 again, not dropped: ${text}`);
  await context.close();
});

test('the region corrected while a step waits for its details: the settings stay open and still close', async () => {
  const context = await browser.newContext();
  const held = await holdDetails(context);
  const { page } = await openPage(context, `${server.url}/e2e/notice.html?region=CN&language=en`);
  await ready(page);
  await page.getByTestId('consentry-open-settings').click();
  const settings = page.getByTestId('consentry-settings');
  const sw = (await separateRows(page, settings)).first().locator('[role="switch"]');
  await sw.click();
  assert.equal(await sw.getAttribute('aria-busy'), 'true');
  await settings.getByTestId('consentry-region').selectOption('DE');
  await settings.waitFor();
  await page.keyboard.press('Escape');
  await settings.waitFor({ state: 'detached' });
  held.release();
  await context.close();
});

/**
 * A dialog (or the banner) as a canonical tree: tags, sorted attributes, text; without references
 * to elements that are not there.
 */
function canonicalSettings(page, testid = 'consentry-settings') {
  return page.evaluate((testid) => {
    const root = document.querySelector('#consentry').shadowRoot;
    const dialog = root.querySelector(`[data-testid="${testid}"]`).cloneNode(true);
    const ids = new Set([...dialog.querySelectorAll('[id]')].map((e) => e.id));
    const walk = (n) => {
      if (n.nodeType === Node.TEXT_NODE) return n.data === '' ? [] : [JSON.stringify(n.data)];
      if (n.nodeType !== Node.ELEMENT_NODE) return [];
      const attrs = [...n.attributes]
        .filter((a) => a.name !== 'open' && !(a.name === 'aria-busy'))
        .map((a) => {
          // A boolean attribute is there or not, whatever its value.
          if (['disabled', 'checked', 'selected'].includes(a.name)) return a.name;
          if (a.name === 'aria-describedby') {
            const kept = a.value.split(/\s+/).filter((id) => ids.has(id) || id === 'cy-gpc-dialog');
            return kept.length ? `${a.name}="${kept.join(' ')}"` : null;
          }
          return `${a.name}="${a.value}"`;
        })
        .filter(Boolean)
        .sort();
      const kids = [...n.childNodes].flatMap(walk);
      // Adjacent text nodes read as one.
      const merged = [];
      for (const k of kids) {
        if (k.startsWith('"') && merged.length && merged[merged.length - 1].startsWith('"')) {
          merged[merged.length - 1] = JSON.stringify(JSON.parse(merged.at(-1)) + JSON.parse(k));
        } else merged.push(k);
      }
      return [`<${n.localName} ${attrs.join(' ')}>${merged.join('')}</${n.localName}>`];
    };
    return walk(dialog).join('');
  }, testid);
}

for (const [region, gpc] of [['DE', false], ['CN', false], ['US-CA', true], ['BR', false]]) {
  test(`the first module's settings and the full widget's are the same DOM, details included: every shipped locale, ${region}${gpc ? ' with GPC' : ''}`, async () => {
    const differ = [];
    for (const tag of await shippedLocales()) {
      const context = await browser.newContext();
      if (gpc) await emulateGpc(context);
      const { page } = await openPage(context, `${server.url}/e2e/notice.html?region=${region}&language=${tag}`);
      await ready(page);
      const dialog = page.getByTestId('consentry-settings');
      // The first module's settings, with their details.
      await page.getByTestId('consentry-open-settings').click();
      await dialog.locator('details').first().waitFor({ state: 'attached' });
      // The request form is drawn when the details file is in: compare once it is there.
      await dialog.getByTestId('consentry-request').waitFor({ state: 'attached' });
      assert.ok(await firstShown(page));
      const first = await canonicalSettings(page);
      // The full widget's: it takes over for the full notice; back, then the settings again.
      await dialog.getByTestId('consentry-open-notice').click();
      await page.getByTestId('consentry-notice').waitFor();
      await takenOver(page);
      await page.keyboard.press('Escape');
      await page.getByTestId('consentry-notice').waitFor({ state: 'detached' });
      if (await dialog.count()) await page.keyboard.press('Escape');
      await page.getByTestId('consentry-open-settings').click();
      await dialog.locator('details').first().waitFor({ state: 'attached' });
      await dialog.getByTestId('consentry-request').waitFor({ state: 'attached' });
      const full = await canonicalSettings(page);
      if (first !== full) {
        let i = 0;
        while (first[i] === full[i]) i += 1;
        differ.push(`${tag} ${region} at ${i}:\n  first: …${first.slice(i - 200, i + 200)}\n  full:  …${full.slice(i - 200, i + 200)}`);
      }
      await context.close();
    }
    assert.deepEqual(differ, []);
  });
}

for (const [region, gpc] of [['DE', false], ['CN', false], ['US-CA', false], ['US-CA', true]]) {
  test(`the first module's banner and the full widget's are the same DOM: every shipped locale, ${region}${gpc ? ' with GPC' : ''}`, async () => {
    const differ = [];
    for (const tag of await shippedLocales()) {
      const context = await browser.newContext();
      if (gpc) await emulateGpc(context);
      const { page } = await openPage(context, `${server.url}/e2e/notice.html?region=${region}&language=${tag}`);
      await ready(page);
      assert.ok(await firstShown(page));
      const first = await canonicalSettings(page, 'consentry-banner');
      // The full widget takes over for the full notice; closed, its own banner shows.
      await page.getByTestId('consentry-banner').getByTestId('consentry-open-notice').click();
      await page.getByTestId('consentry-notice').waitFor();
      await takenOver(page);
      await page.keyboard.press('Escape');
      await page.getByTestId('consentry-notice').waitFor({ state: 'detached' });
      const full = await canonicalSettings(page, 'consentry-banner');
      if (first !== full) {
        let i = 0;
        while (first[i] === full[i]) i += 1;
        differ.push(`${tag} ${region} at ${i}:\n  first: …${first.slice(i - 200, i + 200)}\n  full:  …${full.slice(i - 200, i + 200)}`);
      }
      await context.close();
    }
    assert.deepEqual(differ, []);
  });
}


/** `first` and `full` the same, else where they part, for `label`. */
function same(differ, label, first, full) {
  if (first === full) return;
  let i = 0;
  while (first[i] === full[i]) i += 1;
  differ.push(`${label} at ${i}:\n  first: …${first.slice(i - 200, i + 200)}\n  full:  …${full.slice(i - 200, i + 200)}`);
}

/** Leaves the full notice the full widget opened on taking over, and any dialog under it. */
async function leaveNotice(page) {
  await page.getByTestId('consentry-notice').waitFor();
  await takenOver(page);
  await page.keyboard.press('Escape');
  await page.getByTestId('consentry-notice').waitFor({ state: 'detached' });
  if (await page.locator('#consentry dialog').count()) await page.keyboard.press('Escape');
}

test("the first module's PIPL consent steps and the full widget's are the same DOM, and so are the settings with steps waiting: every shipped locale, CN", async () => {
  const differ = [];
  for (const tag of await shippedLocales()) {
    const context = await browser.newContext();
    const { page } = await openPage(context, `${server.url}/e2e/notice.html?region=CN&language=${tag}`);
    await ready(page);
    await page.getByTestId('consentry-banner').getByTestId('consentry-accept-all').click();
    const step = page.getByTestId('consentry-separate');
    await step.waitFor();
    assert.ok(await firstShown(page), `${tag}: the first module draws the steps`);
    const firstStep = await canonicalSettings(page, 'consentry-separate');
    // Closed unanswered: kept for later, said so in the settings.
    await step.getByTestId('consentry-close').click();
    await step.waitFor({ state: 'detached' });
    await page.getByTestId('consentry-privacy-settings').click();
    const settings = page.getByTestId('consentry-settings');
    await settings.getByTestId('consentry-steps-waiting').waitFor();
    await settings.locator('details').first().waitFor({ state: 'attached' });
    const firstSettings = await canonicalSettings(page);
    // The full widget takes over for the full notice, with the steps kept.
    await settings.getByTestId('consentry-open-notice').click();
    await leaveNotice(page);
    await page.getByTestId('consentry-privacy-settings').click();
    await settings.getByTestId('consentry-steps-waiting').waitFor();
    await settings.locator('details').first().waitFor({ state: 'attached' });
    same(differ, `${tag} settings with steps waiting`, firstSettings, await canonicalSettings(page));
    await settings.getByTestId('consentry-resume-steps').click();
    await step.waitFor();
    same(differ, `${tag} step 1`, firstStep, await canonicalSettings(page, 'consentry-separate'));
    await context.close();
  }
  assert.deepEqual(differ, []);
});

test("the first module's GPC opt-in step and the full widget's are the same DOM: every shipped locale, US-CA with GPC", async () => {
  const differ = [];
  const held = (await bundle('en')).purposes.find((p) => p.sold_or_shared).id;
  for (const tag of await shippedLocales()) {
    const context = await browser.newContext();
    await emulateGpc(context);
    const { page } = await openPage(context, `${server.url}/e2e/notice.html?region=US-CA&language=${tag}`);
    await ready(page);
    await page.getByTestId('consentry-open-settings').click();
    const settings = page.getByTestId('consentry-settings');
    await settings.getByTestId(`consentry-purpose-${held}`).click();
    const step = page.getByTestId('consentry-gpc-opt-in');
    await step.waitFor();
    assert.ok(await firstShown(page), `${tag}: the first module draws the step`);
    const first = await canonicalSettings(page, 'consentry-gpc-opt-in');
    // "I do not agree": back to the settings, nothing decided.
    await step.getByTestId('consentry-disagree').click();
    await settings.waitFor();
    assert.equal(await settings.getByTestId(`consentry-purpose-${held}`).getAttribute('aria-checked'), 'false');
    await settings.getByTestId('consentry-open-notice').click();
    await leaveNotice(page);
    await page.getByTestId('consentry-open-settings').click();
    await settings.getByTestId(`consentry-purpose-${held}`).click();
    await step.waitFor();
    same(differ, tag, first, await canonicalSettings(page, 'consentry-gpc-opt-in'));
    await context.close();
  }
  assert.deepEqual(differ, []);
});
