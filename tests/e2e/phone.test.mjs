// The phone: on a 390 × 844 screen, in every shipped language, the banner takes at most 40 % of
// the screen, every switch of the demo notice is on the first screen of the settings, no text
// runs out of its box and axe finds nothing in the banner, the settings and the full notice,
// light and dark. In right-to-left text, every
// Latin name, address and e-mail address is isolated, so it reads in its own order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, ready, axe, shippedLocales } from './harness.mjs';

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

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };

function report(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n');
}

/** Elements of the widget whose content is wider than their box, or that leave the screen. */
function overflowing(page) {
  return page.evaluate(() => {
    const root = document.querySelector('#consentry').shadowRoot;
    const out = [];
    for (const el of root.querySelectorAll('.cy *')) {
      const r = el.getBoundingClientRect();
      if (!r.width || getComputedStyle(el).visibility === 'hidden' || el.closest('.cy-visually-hidden')) continue;
      // A scrolling region may hold more than it shows; what it holds must still fit across.
      const scrolls = /auto|scroll/.test(getComputedStyle(el).overflowX);
      if (!scrolls && el.tagName !== 'SELECT' && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
        out.push(`${el.tagName}.${el.className} "${el.textContent.slice(0, 40)}": ${el.scrollWidth} > ${el.clientWidth}`);
      }
      if (r.left < -1 || r.right > innerWidth + 1) out.push(`${el.tagName}.${el.className} leaves the screen`);
    }
    return out;
  });
}

for (const scheme of ['light', 'dark']) {
  test(`phone, ${scheme}: banner ≤ 40 % of the screen, every switch on the first settings screen, no overflow and axe 0 in banner, settings and full notice, every shipped locale`, async () => {
    const failures = [];
    for (const tag of await shippedLocales()) {
      const context = await browser.newContext({ ...PHONE, colorScheme: scheme, bypassCSP: true });
      const { page, problems } = await openPage(context, `${server.url}/e2e/notice.html?region=DE&language=${tag}`);
      await ready(page);
      const banner = await page.getByTestId('consentry-banner').boundingBox();
      if (banner.height > 0.4 * 844) failures.push(`${tag}: banner ${Math.round(banner.height)} px of 844`);
      // The decisions are in view, not scrolled away.
      for (const id of ['consentry-accept-all', 'consentry-reject-all', 'consentry-open-settings']) {
        const b = await page.getByTestId(id).boundingBox();
        if (b.y < 0 || b.y + b.height > 844) failures.push(`${tag}: ${id} off screen`);
      }
      failures.push(...(await overflowing(page)).map((o) => `${tag} banner: ${o}`));
      const bannerAxe = await axe(page);
      if (bannerAxe.length) failures.push(`${tag} banner axe:\n${report(bannerAxe)}`);

      await page.getByTestId('consentry-open-settings').click();
      await page.getByTestId('consentry-settings').waitFor();
      const switches = await page.evaluate(() => {
        const root = document.querySelector('#consentry').shadowRoot;
        const body = root.querySelector('.cy-dialog__body').getBoundingClientRect();
        return [...root.querySelectorAll('[role=switch]')].map((s) => {
          const r = s.querySelector('.cy-switch__track').getBoundingClientRect();
          return { id: s.dataset.testid, seen: r.top >= body.top && r.bottom <= body.bottom };
        });
      });
      assert.ok(switches.length >= 6, `${tag}: the demo notice has six purposes`);
      for (const s of switches) if (!s.seen) failures.push(`${tag}: ${s.id} is below the first settings screen`);
      failures.push(...(await overflowing(page)).map((o) => `${tag} settings: ${o}`));
      const settingsAxe = await axe(page);
      if (settingsAxe.length) failures.push(`${tag} settings axe:\n${report(settingsAxe)}`);
      // The full notice, the longest view: nothing runs out of its box, axe finds nothing.
      await page.getByTestId('consentry-settings').getByTestId('consentry-open-notice').click();
      await page.getByTestId('consentry-notice').waitFor();
      failures.push(...(await overflowing(page)).map((o) => `${tag} notice: ${o}`));
      const noticeAxe = await axe(page);
      if (noticeAxe.length) failures.push(`${tag} notice axe:\n${report(noticeAxe)}`);
      if (problems.length) failures.push(`${tag}: ${problems.join('; ')}`);
      await context.close();
    }
    assert.deepEqual(failures, []);
  });
}

test('right to left: every Latin name, address and e-mail address in the Arabic notice is isolated, in its own order', async () => {
  const context = await browser.newContext(PHONE);
  const { page, problems } = await openPage(context, `${server.url}/e2e/notice.html?region=CN&language=ar`);
  await ready(page);
  await page.getByTestId('consentry-open-settings').click();
  await page.getByTestId('consentry-settings').waitFor();
  // The settings show at once; each purpose's details follow with the full widget.
  await page.locator('#consentry details').first().waitFor({ state: 'attached' });
  for (const d of await page.locator('#consentry details').all()) await d.locator('summary').click();
  const seen = [];
  const check = () => page.evaluate(() => {
    const root = document.querySelector('#consentry').shadowRoot;
    const latin = /[A-Za-z]/;
    const rtl = /[\u0590-\u08FF]/;
    const found = { isolated: [], bare: [] };
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = n.textContent.trim();
      const el = n.parentElement;
      // Text with Latin letters only (a name, an address, an e-mail address), shown inside
      // right-to-left text; the language names of the switcher are options of their own.
      if (!latin.test(t) || rtl.test(t) || el.closest('option, .cy-visually-hidden')) continue;
      if (getComputedStyle(el.closest('p, li, dd, dt, h2, h3, h4, div, label, section')).direction !== 'rtl') continue;
      let iso = null;
      for (let e = el; e && e !== root; e = e.parentElement) {
        const cs = getComputedStyle(e);
        if (/isolate|plaintext/.test(cs.unicodeBidi) && cs.direction === 'ltr') { iso = e; break; }
        if (/isolate|plaintext/.test(cs.unicodeBidi)) break;
      }
      (iso ? found.isolated : found.bare).push(t);
    }
    return found;
  });
  let r = await check();
  seen.push(...r.bare.map((t) => `settings: ${t}`));
  assert.ok(r.isolated.some((t) => t.includes('Centre Pte. Ltd.')), `the recipient in Singapore is among them: ${JSON.stringify(r.isolated)}`);
  assert.ok(r.isolated.some((t) => t.includes('@example.com')), 'an e-mail address is among them');
  await page.getByTestId('consentry-settings').getByTestId('consentry-open-notice').click();
  await page.getByTestId('consentry-notice').waitFor();
  r = await check();
  seen.push(...r.bare.map((t) => `full notice: ${t}`));
  assert.ok(r.isolated.length >= 5, JSON.stringify(r.isolated));
  assert.deepEqual(seen, []);
  assert.deepEqual(problems, []);
  await context.close();
});
