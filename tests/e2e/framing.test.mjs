// Clickjacking (issue 13 item 7): a page of another origin that frames the site cannot have a
// visitor decide there. The site is served on https://site.example (as from a CDN); a page on
// https://evil.example frames it: the widget shows nothing, says `framed`, and nothing is on.
// A partner the site lists in `allowFramedBy` may frame it, and the site's own pages are
// unaffected.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, routeSite, recordEvents, waitFor } from './harness.mjs';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

const SITE = 'https://site.example';
const NOTICE = `${SITE}/e2e/notice.html?region=DE`;

/** Serves, at `origin`, a page that frames `src`. */
async function framingPage(context, origin, src) {
  await context.route(`${origin}/**`, (route) => route.fulfill({
    status: 200,
    contentType: 'text/html',
    body: `<!doctype html><html lang="en"><title>framing</title><iframe src="${src}" width="800" height="600"></iframe></html>`,
  }));
}

test('framed by another origin: nothing is shown and nothing can be decided; an allowed partner and the site itself are fine', async () => {
  const context = await browser.newContext();
  try {
    await routeSite(context, SITE);
    const events = await recordEvents(context, { inFrames: true });
    await framingPage(context, 'https://evil.example', NOTICE);
    await framingPage(context, 'https://partner.example', `${NOTICE}&allowFramedBy=https://partner.example`);
    const page = await context.newPage();

    await page.goto('https://evil.example/');
    const frame = page.frameLocator('iframe');
    await frame.locator('#consentry[data-consentry-state="error"]').waitFor({ state: 'attached' });
    const framed = (await waitFor('the framed error', () => events.find((e) => e.type === 'error'))).detail;
    assert.equal(framed.code, 'framed');
    assert.equal(framed.message, "framed by https://evil.example");
    assert.equal(await frame.getByTestId('consentry-banner').count(), 0, 'no banner to click');
    assert.equal(await frame.getByTestId('consentry-accept-all').count(), 0);
    const inside = page.frames().find((f) => f.url().startsWith(SITE));
    assert.deepEqual(await inside.evaluate(() => window.Consentry.get()), {}, 'nothing decided, nothing on');

    await page.goto('https://partner.example/');
    await page.frameLocator('iframe').getByTestId('consentry-banner').waitFor();

    await page.goto(NOTICE);
    await page.getByTestId('consentry-banner').waitFor();
    const errors = events.filter((e) => e.type === 'error').map((e) => `${e.detail.code}: ${e.detail.message}`);
    assert.equal(errors.filter((e) => e.startsWith('framed')).length, 1, errors.join('\n'));
    // The partner's frame is third-party: this browser denies it storage, and the widget says
    // so (the banner still shows; the decision would last for the page only).
    assert.ok(errors.every((e) => e.startsWith('framed') || e.startsWith('storage_failed')), errors.join('\n'));
  } finally {
    await context.close();
  }
});
