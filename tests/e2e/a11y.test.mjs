// Accessibility: axe-core finds nothing on the banner, the settings and the full notice, for
// every shipped locale, in light and dark; at 320 px and at 200 % zoom nothing is cut off;
// Arabic is laid out right to left, mirrored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, openPage, ready, axe, shippedLocales, copySite, arabicNotice,
  press, nextReceipt, storedReceipt, focusedTestId, NOTICES,
} from './harness.mjs';
import { join } from 'node:path';

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

function report(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n');
}

/** axe on the banner, the settings, the full notice and a separate consent step. */
async function checkViews(page, label) {
  const views = [];
  await ready(page);
  views.push(['banner', await axe(page)]);
  await page.getByTestId('consentry-open-settings').click();
  await page.getByTestId('consentry-settings').waitFor();
  // Open every per-purpose disclosure, so the details are checked too.
  for (const d of await page.locator('#consentry details').all()) await d.locator('summary').click();
  views.push(['settings', await axe(page)]);
  await page.getByTestId('consentry-settings').getByTestId('consentry-open-notice').click();
  await page.getByTestId('consentry-notice').waitFor();
  views.push(['full notice', await axe(page)]);
  for (const [view, violations] of views) {
    assert.equal(violations.length, 0, `${label}, ${view}:\n${report(violations)}`);
  }
}

for (const scheme of ['light', 'dark']) {
  test(`axe: no violations on banner, settings and full notice, every shipped locale, ${scheme}`, async () => {
    for (const tag of await shippedLocales()) {
      // axe injects <style> elements of its own: CSP is checked elsewhere (embedding.test.mjs).
      const context = await browser.newContext({ colorScheme: scheme, bypassCSP: true });
      const { page, problems } = await openPage(context, `${server.url}/e2e/notice.html?region=DE&language=${tag}`);
      await checkViews(page, `${tag} ${scheme}`);
      assert.deepEqual(problems, []);
      await context.close();
    }
  });
}

test('axe: the PIPL separate step and the CCPA GPC view have no violations either', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  await context.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });
  });
  const { page, problems } = await openPage(context, `${server.url}/e2e/notice.html?region=US-CA`);
  await ready(page);
  assert.deepEqual(report(await axe(page)), '');
  await page.getByTestId('consentry-open-settings').click();
  assert.deepEqual(report(await axe(page)), '');
  await page.getByTestId('consentry-purpose-marketing').click();
  await page.getByTestId('consentry-gpc-opt-in').waitFor();
  assert.deepEqual(report(await axe(page)), '');
  await page.goto(`${server.url}/e2e/notice.html?region=CN&language=zh-CN`);
  await ready(page);
  assert.deepEqual(report(await axe(page)), '');
  await page.getByTestId('consentry-accept-all').click();
  await page.getByTestId('consentry-separate').waitFor();
  assert.deepEqual(report(await axe(page)), '');
  assert.deepEqual(problems, []);
  await context.close();
});

test('320 px wide and 200 % zoom: every control visible and usable, nothing scrolls sideways', async () => {
  // 320 CSS px wide (WCAG reflow); and a 1280 × 800 window at 200 % browser zoom, which is a
  // 640 × 400 CSS px viewport at two device pixels per CSS pixel.
  for (const [viewport, deviceScaleFactor] of [[{ width: 320, height: 640 }, 1], [{ width: 640, height: 400 }, 2]]) {
    const context = await browser.newContext({ viewport, deviceScaleFactor });
    const { page, problems } = await openPage(context, `${server.url}/e2e/notice.html?region=DE`);
    await ready(page);
    const inside = async (testid) => {
      const box = await page.getByTestId(testid).boundingBox();
      assert.ok(box, `${testid} has a box`);
      const vw = await page.evaluate(() => document.documentElement.clientWidth);
      assert.ok(box.x >= 0 && box.x + box.width <= vw + 0.5, `${testid} fits in ${vw}px: ${JSON.stringify(box)}`);
    };
    for (const id of ['consentry-accept-all', 'consentry-reject-all', 'consentry-open-settings']) await inside(id);
    await page.getByTestId('consentry-open-settings').click();
    await page.getByTestId('consentry-settings').waitFor();
    for (const id of ['consentry-save', 'consentry-close', 'consentry-purpose-marketing']) {
      await page.getByTestId(id).scrollIntoViewIfNeeded();
      await inside(id);
    }
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
    assert.equal(sideways, false, 'no horizontal scrolling');
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('Arabic is laid out right to left and mirrored; a decision records the Arabic notice', async () => {
  const site = await copySite();
  const manifest = await arabicNotice(site.dir);
  // The test-only Arabic build is published beside the shipped notice.
  const own = await startServer({ site: site.dir, notices: manifest === '/notice/manifest.json' ? undefined : [NOTICES, join(site.dir, 'e2e-ar')] });
  const context = await browser.newContext({ locale: 'ar', bypassCSP: true });
  try {
    const { page, problems } = await openPage(context, `${own.url}/e2e/notice.html?region=DE&language=ar&manifest=${manifest}`);
    await ready(page);
    const root = page.locator('#consentry .cy');
    assert.equal(await root.getAttribute('dir'), 'rtl');
    assert.equal(await root.getAttribute('lang'), 'ar');
    const banner = page.getByTestId('consentry-banner');
    assert.equal(await banner.evaluate((el) => getComputedStyle(el).direction), 'rtl');
    // The first button of the row sits on the right: the row is mirrored.
    const accept = await page.getByTestId('consentry-accept-all').boundingBox();
    const reject = await page.getByTestId('consentry-reject-all').boundingBox();
    assert.ok(accept.x > reject.x, `accept ${accept.x} should be right of reject ${reject.x}`);
    // Text starts at the right edge of the banner.
    const title = await page.locator('#cy-banner-title').evaluate((el) => getComputedStyle(el).textAlign);
    assert.ok(['start', 'right'].includes(title), title);
    // In the settings, the switch sits left of the purpose name (mirrored from LTR).
    await page.getByTestId('consentry-open-settings').click();
    await page.getByTestId('consentry-settings').waitFor();
    const sw = await page.getByTestId('consentry-purpose-chat-transcript').boundingBox();
    const name = await page.locator('#cy-purpose-chat-transcript-name').boundingBox();
    assert.ok(sw.x + sw.width <= name.x + 1, `switch ${JSON.stringify(sw)} left of name ${JSON.stringify(name)}`);
    // An "on" switch has its thumb on the left in RTL.
    const thumbSide = () => page.locator('[data-testid="consentry-purpose-chat-transcript"]').evaluate((sw) => {
      const track = sw.querySelector('.cy-switch__track').getBoundingClientRect();
      const thumb = sw.querySelector('.cy-switch__thumb').getBoundingClientRect();
      return thumb.left + thumb.width / 2 < track.left + track.width / 2 ? 'left' : 'right';
    });
    assert.equal(await thumbSide(), 'right', 'off: the thumb starts at the right (the start in RTL)');
    await page.getByTestId('consentry-purpose-chat-transcript').click();
    assert.equal(await page.getByTestId('consentry-purpose-chat-transcript').getAttribute('aria-checked'), 'true');
    // On: the thumb ends at the left (it slides there: wait for the move, not for a time).
    await page.locator('[data-testid="consentry-purpose-chat-transcript"] .cy-switch__thumb').evaluate(
      (el) => Promise.all(el.getAnimations().map((a) => a.finished)),
    );
    assert.equal(await thumbSide(), 'left', 'on: the thumb moved to the left end');
    assert.equal(report(await axe(page)), '');
    const posted = nextReceipt(page);
    await press(page, 'consentry-save');
    const r = (await storedReceipt(own, (await posted).ack.receipt_id)).receipt;
    assert.equal(r.notice.locale, 'ar');
    assert.equal(r.decisions.find((d) => d.purpose_id === 'chat-transcript').state, 'given');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await own.stop();
    await site.remove();
  }
});

test('the dialog is a real modal: focus moves in, Tab stays inside, Esc closes, focus returns', async () => {
  const context = await browser.newContext();
  const { page, problems } = await openPage(context, `${server.url}/e2e/notice.html?region=DE`);
  await ready(page);
  await press(page, 'consentry-open-settings');
  const dialog = page.getByTestId('consentry-settings');
  await dialog.waitFor();
  assert.equal(await focusedTestId(page), 'consentry-settings', 'focus moved into the dialog');
  const where = () => page.evaluate(() => {
    let a = document.activeElement;
    const host = document.getElementById('consentry');
    if (a !== host) return `outside: ${a?.tagName}`;
    a = host.shadowRoot.activeElement;
    return a && a.closest('dialog') ? 'dialog' : `widget, not the dialog: ${a?.tagName}`;
  });
  const seen = new Set();
  for (let i = 0; i < 60; i += 1) {
    await page.keyboard.press('Tab');
    seen.add(await focusedTestId(page));
    const w = await where();
    // Past the last control focus may rest on the browser itself (no element), never the page.
    assert.ok(w === 'dialog' || w === 'outside: BODY' || w === 'outside: undefined', `Tab ${i}: ${w}`);
  }
  for (const id of ['consentry-close', 'consentry-purpose-marketing', 'consentry-save', 'consentry-reject-all']) {
    assert.ok(seen.has(id), `${id} reachable by Tab`);
  }
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await focusedTestId(page), 'consentry-open-settings', 'focus returned to the opener');
  // The focused control shows a visible outline.
  const outline = await page.getByTestId('consentry-open-settings').evaluate((el) => getComputedStyle(el).outlineStyle);
  assert.notEqual(outline, 'none');
  assert.deepEqual(problems, []);
  await context.close();
});
