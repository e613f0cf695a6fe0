// Embedding: the custom element under exactly the strict CSP of the issue, the ES module API,
// a single-page app mounting and unmounting 100 times, and the npm-ready package directory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, access } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { startServer, launchBrowser, openPage, ready, nextReceipt, storedReceipt, SITE } from './harness.mjs';

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

test('strict CSP: the custom element runs a whole flow and the page sees no violation', async () => {
  const context = await browser.newContext();
  const { page, problems } = await openPage(context, `${server.url}/e2e/strict-csp.html`);
  const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]').content);
  assert.equal(csp, "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'");
  await ready(page, 'consentry-notice');
  // Every layer once: banner, full notice, settings with a switch, a decision, the button.
  await page.getByTestId('consentry-open-notice').click();
  await page.getByTestId('consentry-notice-settings').click();
  await page.getByTestId('consentry-purpose-chat-transcript').click();
  const posted = nextReceipt(page);
  await page.getByTestId('consentry-save').click();
  const { ack } = await posted;
  assert.equal(ack.status, 'stored');
  const r = (await storedReceipt(server, ack.receipt_id)).receipt;
  assert.equal(r.jurisdiction.region, 'DE', 'the region attribute');
  await page.getByTestId('consentry-privacy-settings').waitFor();
  // The widget's own styles came from its stylesheet (shadow root), not inline.
  const styled = await page.locator('consentry-notice').evaluate((el) => ({
    link: el.shadowRoot.querySelector('link[rel=stylesheet]')?.href ?? null,
    inline: el.shadowRoot.querySelectorAll('[style]').length,
    styleTags: el.shadowRoot.querySelectorAll('style').length,
  }));
  assert.match(styled.link, /\/widget\/consentry\.[0-9a-f]{12}\.css$/);
  assert.equal(styled.inline + styled.styleTags, 0);
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  assert.equal(await page.locator('#csp-report').innerText(), 'CSP violations: 0');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the ES module API: get, on, show, withdraw; the element reports bad attributes', async () => {
  const context = await browser.newContext();
  const { page, problems } = await openPage(context, `${server.url}/e2e/notice.html?region=DE`);
  await ready(page);
  const seen = await page.evaluate(() => {
    window.__events = [];
    const off = Consentry.on('change', (d) => window.__events.push(d.method));
    Consentry.on('consentry:receipt', (d) => window.__events.push(d.status));
    window.__off = off;
    return typeof off;
  });
  assert.equal(seen, 'function');
  const unknown = await page.evaluate(() => {
    try {
      Consentry.on('nope', () => {});
      return null;
    } catch (e) {
      return e.message;
    }
  });
  assert.match(unknown, /unknown event "nope"/);
  assert.equal(await page.evaluate(() => Consentry.get('chat-transcript')), false);
  await page.evaluate(() => Consentry.show());
  await page.getByTestId('consentry-settings').getByTestId('consentry-accept-all').click();
  await page.waitForFunction(() => window.__events.includes('stored'));
  assert.equal(await page.evaluate(() => Consentry.get('chat-transcript')), true);
  assert.equal(await page.evaluate(() => Object.keys(Consentry.get()).length), 6);
  await page.evaluate(() => window.__off());
  await page.evaluate(() => Consentry.withdraw('chat-transcript'));
  await page.waitForFunction(() => Consentry.get('chat-transcript') === false);
  assert.deepEqual(await page.evaluate(() => window.__events.filter((e) => e !== 'stored')), ['accept_all']);

  // A custom element with a bad attribute says so, with a clear message, and shows nothing.
  const bad = await page.evaluate(() => new Promise((resolve) => {
    const el = document.createElement('consentry-notice');
    el.setAttribute('manifest-url', '/notice/manifest.json');
    el.addEventListener('consentry:error', (e) => resolve({ detail: e.detail, state: el.dataset.consentryState }));
    document.body.append(el); // no endpoint
  }));
  assert.equal(bad.detail.code, 'invalid_attributes');
  assert.match(bad.detail.message, /`endpoint` is required/);
  assert.equal(bad.state, 'error');
  const consentMode = await page.evaluate(() => {
    try {
      Consentry.mount(document.createElement('div'), {
        manifestUrl: '/notice/manifest.json', endpoint: '/v1/receipts', consentMode: { ads: 'marketing' },
      });
      return null;
    } catch (e) {
      return e.message;
    }
  });
  assert.match(consentMode, /unknown consent type "ads"/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a single-page app mounts and unmounts 100 times: one widget, no growing listener count', async () => {
  const context = await browser.newContext();
  const { page, problems } = await openPage(context, `${server.url}/e2e/spa.html`);
  await ready(page, '.consentry-host');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics: m } = await cdp.send('Performance.getMetrics');
    return Object.fromEntries(m.map(({ name, value }) => [name, value]));
  };
  // Warm up (first-use caches: the device key, the stylesheet), then measure.
  await page.evaluate(() => window.spa.cycle(10));
  const before100 = await metrics();
  await page.evaluate(() => window.spa.cycle(100));
  const after100 = await metrics();
  assert.equal(await page.evaluate(() => window.spa.widgets()), 1, 'exactly one widget');
  assert.equal(await page.locator('.consentry-host').count(), 1);
  assert.ok(
    after100.JSEventListeners <= before100.JSEventListeners,
    `listeners grew: ${before100.JSEventListeners} → ${after100.JSEventListeners}`,
  );
  assert.ok(
    after100.Nodes <= before100.Nodes + 50,
    `DOM nodes grew: ${before100.Nodes} → ${after100.Nodes}`,
  );
  // Mount and unmount without waiting for the notice to load, too.
  await page.evaluate(() => window.spa.cycle(50, { wait: false }));
  await page.evaluate(() => window.spa.navigate());
  const settled = await metrics();
  assert.ok(
    settled.JSEventListeners <= before100.JSEventListeners,
    `listeners grew: ${before100.JSEventListeners} → ${settled.JSEventListeners}`,
  );
  assert.equal(await page.evaluate(() => window.spa.widgets()), 1);
  // The one widget left works.
  const posted = nextReceipt(page);
  await page.getByTestId('consentry-reject-all').click();
  assert.equal((await posted).ack.status, 'stored');
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the widget directory is an npm-ready package with types', async () => {
  const dir = join(SITE, 'widget');
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.exports['.'].default, './consentry-widget.js');
  assert.equal(pkg.types, './consentry-widget.d.ts');
  for (const f of pkg.files) await access(join(dir, f)); // every listed file is there
  // npm itself agrees: `npm pack --dry-run` packs exactly those files and package.json.
  const packed = await new Promise((resolve, reject) => {
    execFile('npm', ['pack', '--dry-run', '--json'], { cwd: dir }, (err, stdout, stderr) => {
      if (err) reject(new Error(`npm pack failed: ${stderr}`));
      else resolve(JSON.parse(stdout)[0]);
    });
  });
  assert.equal(packed.name, '@consentry/widget');
  assert.deepEqual(packed.files.map((f) => f.path).sort(), [...pkg.files, 'package.json'].sort());
  const dts = await readFile(join(dir, 'consentry-widget.d.ts'), 'utf8');
  for (const name of ['mount', 'get', 'on', 'show', 'withdraw', "'consentry-notice'", 'consentMode']) {
    assert.ok(dts.includes(name), `the types declare ${name}`);
  }
});

test('the first module fails to load, then the next mount loads it again and the widget works', async () => {
  const context = await browser.newContext();
  // The first module's wasm cannot be fetched once (a network blip, a CDN 503).
  let refused = 0;
  const firstWasm = /\/widget\/consentry_bg\.[0-9a-f]{12}\.wasm$/;
  await context.route(firstWasm, (route) => {
    refused += 1;
    return route.fulfill({ status: 503, body: 'unavailable' });
  });
  const { page } = await openPage(context, `${server.url}/e2e/notice.html?region=DE`);
  await page.locator('#consentry[data-consentry-state="error"]').waitFor({ state: 'attached' });
  assert.equal(refused, 1);
  await context.unroute(firstWasm);
  // The loader's page state moves failed → loading (retry) → first: a new mount works.
  await page.evaluate(() => {
    window.__readyAgain = false;
    document.addEventListener('consentry:ready', () => { window.__readyAgain = true; });
    Consentry.mount(document.getElementById('consentry'), { manifestUrl: '/notice/manifest.json', endpoint: '/v1/receipts', region: 'DE' });
  });
  await ready(page);
  await page.waitForFunction(() => window.__readyAgain);
  const posted = nextReceipt(page);
  await page.getByTestId('consentry-reject-all').click();
  assert.equal((await posted).ack.status, 'stored');
  await context.close();
});
