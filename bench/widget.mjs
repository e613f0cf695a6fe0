// `cargo xtask bench` (widget part): Consentry's demo page against the same page with two
// peers from npm (vanilla-cookieconsent, klaro), all served by the real receipt server from
// one assembled bench site, measured in ONE run with the targets alternating so machine noise
// spreads evenly. Each load is a cold load in a fresh browser context.
//
// Per load, with in-page instrumentation (installed before any page script runs):
// - visible:     performance.now() when the banner first has a box, is on screen, and is
//                neither display:none, visibility:hidden nor opacity 0 (itself or an ancestor);
// - interactive: when its accept button is also enabled and is what a click at its centre hits;
// - click → persisted: the click event's timeStamp to the first write of the decision
//                (localStorage.setItem of the target's key, or document.cookie of its cookie);
// - click → receipt:   to the first POST to /v1/receipts through fetch or sendBeacon (peers send
//                none);
// - JS heap after GC: CDP HeapProfiler.collectGarbage, then Runtime.getHeapUsage, once the
//                decision has been made; and the wasm linear memory (outside that heap).
// - tap → settings: in a second cold load per target and round, once the banner is interactive
//                and the page has been quiet for 1 s (what "when idle" prefetches had time for),
//                a tap on the banner's own way to the settings ("Choose for myself" in all
//                three), from the click event's timeStamp to the first frame in which a switch a
//                visitor can change is on screen.
// Bytes: every response that ended before the banner was interactive (Resource Timing), fetched
// again uncompressed and measured with node's zlib (gzip -9, brotli q11), plus the bytes the
// server actually sent (encodedBodySize); and the same for everything a first visit fetches
// until its decision is kept and its receipt sent, then 1 s of quiet (prefetches included; the
// receipt POST itself not), and for what the settings load fetches from the tap until 1 s of
// quiet after the switches show.
//
// Profiles: desktop; phone (4× CPU); slow network: the phone with CDP network emulation at
// 150 ms RTT, 1.6 Mbit/s down and 750 kbit/s up (Lighthouse's "Slow 4G").
//
// Environment: CONSENTRY_SITE (the bench site), CONSENTRY_SERVER_BIN, CONSENTRY_CLI_BIN (the
// e2e harness needs them), BENCH_OUT (JSON results), BENCH_RUNS (loads per target and profile,
// default 20). Prints progress on stderr; asserts nothing about time.
import { readFile, writeFile } from 'node:fs/promises';
import { gzipSync, brotliCompressSync, constants as zc } from 'node:zlib';
import { startServer, launchBrowser, SITE } from '../tests/e2e/harness.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const OUT = process.env.BENCH_OUT;
if (!OUT) throw new Error('BENCH_OUT is not set: run through `cargo xtask bench`');
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`BENCH_RUNS must be a positive integer, got ${process.env.BENCH_RUNS}`);

/** What each target is, and how the page-side probe recognises its banner and decision. */
const TARGETS = [
  {
    name: 'consentry',
    path: '/',
    spec: {
      shadowHost: 'consentry',
      banner: '[data-testid="consentry-banner"]',
      accept: '[data-testid="consentry-banner"] [data-testid="consentry-accept-all"]',
      storageKey: 'consentry:support-privacy',
      cookieName: null,
      receiptPath: '/v1/receipts',
      settings: '[data-testid="consentry-banner"] [data-testid="consentry-open-settings"]',
      switch: '[data-testid="consentry-settings"] .cy-switch:not([disabled])',
    },
  },
  {
    name: 'vanilla-cookieconsent',
    path: '/peers/cookieconsent/',
    spec: {
      shadowHost: null,
      banner: '#cc-main .cm',
      accept: '#cc-main .cm [data-role="all"]',
      storageKey: null,
      cookieName: 'cc_cookie',
      receiptPath: null,
      settings: '#cc-main .cm [data-role="show"]',
      switch: '#cc-main .pm .section__toggle:not([disabled]) + .toggle__icon',
    },
  },
  {
    name: 'klaro',
    path: '/peers/klaro/',
    spec: {
      shadowHost: null,
      banner: '#klaro .cookie-notice',
      accept: '#klaro .cookie-notice .cm-btn-success',
      storageKey: null,
      cookieName: 'klaro',
      receiptPath: null,
      settings: '#klaro .cookie-notice .cn-learn-more',
      switch: '#klaro .cookie-modal .cm-purpose > .cm-list-input:not(.required) + .cm-list-label .cm-switch .slider',
    },
  },
];

const PROFILES = [
  { name: 'desktop', cpu: 1, context: { viewport: { width: 1366, height: 768 } } },
  {
    name: 'phone',
    cpu: 4,
    context: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
  },
  {
    name: 'slow',
    cpu: 4,
    // Lighthouse's "Slow 4G": 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up (bytes per second).
    network: { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 },
    context: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
  },
];

/** Runs in the page before any of its scripts. */
function probe(spec) {
  const B = (window.__bench = { t: {}, errors: [] });
  const now = () => performance.now();
  // Promises the harness awaits over CDP, so that nothing polls the page (Playwright's
  // waitForFunction and locators inject and run scripts on the main thread being measured).
  let markReady;
  let markDone;
  let markSettings;
  B.ready = new Promise((r) => (markReady = r));
  B.done = new Promise((r) => (markDone = r));
  B.settings = new Promise((r) => (markSettings = r));
  const maybeDone = () => {
    if (B.t.persisted !== undefined && (!spec.receiptPath || B.t.receipt !== undefined)) markDone(true);
  };

  const rootOf = () => (spec.shadowHost ? document.getElementById(spec.shadowHost)?.shadowRoot ?? null : document);
  const shown = (el) => {
    if (!el || !el.isConnected) return false;
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) return false;
    if (r.bottom <= 0 || r.right <= 0 || r.top >= innerHeight || r.left >= innerWidth) return false;
    if (getComputedStyle(el).visibility !== 'visible') return false;
    for (let a = el; a; ) {
      const s = getComputedStyle(a);
      if (s.display === 'none' || Number.parseFloat(s.opacity) === 0) return false;
      const root = a.getRootNode();
      a = a.parentElement ?? (root instanceof ShadowRoot ? root.host : null);
    }
    return true;
  };
  const clickable = (btn) => {
    if (!shown(btn) || btn.disabled) return false;
    const r = btn.getBoundingClientRect();
    const hit = btn.getRootNode().elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!hit && (hit === btn || btn.contains(hit));
  };
  const check = () => {
    if (B.t.tap !== undefined && B.t.settings === undefined) {
      const root = rootOf();
      if (root && shown(root.querySelector(spec.switch))) {
        B.t.settings = now();
        markSettings(true);
      }
      return;
    }
    if (B.t.interactive !== undefined) return;
    const root = rootOf();
    if (!root) return;
    const t = now();
    if (B.t.visible === undefined && shown(root.querySelector(spec.banner))) B.t.visible = t;
    if (B.t.visible !== undefined && clickable(root.querySelector(spec.accept))) {
      B.t.interactive = t;
      markReady(true);
    }
  };

  // Every DOM change (in the document and in any shadow root), plus every frame: styles that
  // arrive without a DOM change (a stylesheet finishing) are seen within a frame.
  const mo = new MutationObserver(check);
  mo.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    mo.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
    return root;
  };
  const frame = () => {
    check();
    if (B.t.interactive === undefined) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);

  window.addEventListener(
    'click',
    (e) => {
      if (B.t.interactive === undefined) return;
      const el = e.composedPath()[0];
      if (B.t.tap === undefined && el instanceof Element && el.closest(spec.settings)) {
        // The way to the settings: watch every DOM change and frame until a switch shows.
        B.t.tap = e.timeStamp;
        const watch = () => {
          check();
          if (B.t.settings === undefined) requestAnimationFrame(watch);
        };
        requestAnimationFrame(watch);
        return;
      }
      if (B.t.click === undefined) B.t.click = e.timeStamp;
    },
    true,
  );

  const decided = () => B.t.click !== undefined;
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k, v) {
    const r = setItem.call(this, k, v);
    if (decided() && B.t.persisted === undefined && spec.storageKey && k === spec.storageKey) {
      B.t.persisted = now();
      maybeDone();
    }
    return r;
  };
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  Object.defineProperty(Document.prototype, 'cookie', {
    configurable: true,
    enumerable: cookie.enumerable,
    get() {
      return cookie.get.call(this);
    },
    set(v) {
      cookie.set.call(this, v);
      if (decided() && B.t.persisted === undefined && spec.cookieName && String(v).startsWith(`${spec.cookieName}=`)) {
        B.t.persisted = now();
        maybeDone();
      }
    },
  });
  const sent = (url, method) => {
    if (decided() && B.t.receipt === undefined && spec.receiptPath && method === 'POST' && String(url).includes(spec.receiptPath)) {
      B.t.receipt = now();
      maybeDone();
    }
  };
  const fetch0 = window.fetch;
  window.fetch = function (input, init) {
    try {
      const url = typeof input === 'string' || input instanceof URL ? String(input) : input.url;
      const method = String(init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      sent(url, method);
    } catch (e) {
      B.errors.push(String(e));
    }
    return fetch0.apply(this, arguments);
  };
  // Wasm linear memory lives outside the JS heap: keep the instances' memories to report it.
  B.memories = [];
  const keep = (p) =>
    p.then((r) => {
      const mem = (r.instance ?? r).exports?.memory;
      if (mem instanceof WebAssembly.Memory) B.memories.push(mem);
      return r;
    });
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const f = WebAssembly[name];
    WebAssembly[name] = function () {
      return keep(f.apply(this, arguments));
    };
  }
  if (navigator.sendBeacon) {
    const beacon = navigator.sendBeacon;
    navigator.sendBeacon = function (url) {
      sent(url, 'POST');
      return beacon.apply(this, arguments);
    };
  }
}

/**
 * Awaits `window.__bench[name]` (a promise the probe resolves) through CDP, retrying while the
 * navigation has not yet created the page's context.
 */
async function awaitProbe(cdp, name, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${name}`);
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${name}`)), left);
    });
    try {
      const r = await Promise.race([
        cdp.send('Runtime.evaluate', {
          expression: `window.__bench ? window.__bench.${name} : 'no-probe'`,
          awaitPromise: true,
          returnByValue: true,
        }),
        timeout,
      ]);
      if (r.result?.value === true) return;
    } catch (e) {
      if (String(e.message).startsWith('timed out')) throw e;
      // The old document's context went away mid-evaluation: try again in the new one.
    } finally {
      clearTimeout(timer);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A new page of `context` under the profile's CPU (and network) throttling, with the probe. */
async function throttledPage(context, target, profile) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
  if (profile.network) {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', profile.network);
  }
  await page.addInitScript(probe, target.spec);
  return { page, cdp, problems };
}

/**
 * Waits until the page has started no request and finished every one for `quietMs` (checked
 * every 100 ms, outside any measured interval), at most `maxMs`.
 */
async function quiet(page, quietMs = 1000, maxMs = 20_000) {
  const end = Date.now() + maxMs;
  let last = -1;
  let since = Date.now();
  while (Date.now() < end) {
    const n = await page.evaluate(() => {
      const all = performance.getEntriesByType('resource');
      return all.every((e) => e.responseEnd > 0) ? all.length : -2;
    });
    if (n !== last || n === -2) {
      last = n;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The page's resources (the navigation too, unless `after` is given) that started at or after
 *  `after`, without the receipt API. */
function resourcesSince(page, after = null) {
  return page.evaluate((after) => {
    const nav = performance.getEntriesByType('navigation')[0];
    return [...(after === null ? [nav] : []), ...performance.getEntriesByType('resource')]
      .filter((e) => (after === null || e.startTime >= after) && !new URL(e.name).pathname.startsWith('/v1/'))
      .map((e) => ({ url: e.name, wire: e.encodedBodySize, type: e.initiatorType }));
  }, after);
}

async function oneLoad(browser, base, target, profile) {
  const context = await browser.newContext(profile.context);
  try {
    const { page, cdp, problems } = await throttledPage(context, target, profile);
    await page.goto(`${base}${target.path}`, { waitUntil: 'commit' });
    await awaitProbe(cdp, 'ready', 60_000);
    const resources = await page.evaluate(() => {
      const t = window.__bench.t.interactive;
      const nav = performance.getEntriesByType('navigation')[0];
      return [nav, ...performance.getEntriesByType('resource')]
        .filter((e) => e.responseEnd > 0 && e.responseEnd <= t)
        .map((e) => ({ url: e.name, wire: e.encodedBodySize, type: e.initiatorType }));
    });
    const accept = page.locator(target.spec.accept);
    await accept.click({ noWaitAfter: true });
    await awaitProbe(cdp, 'done', 60_000);
    // Everything the first visit fetched until the decision was kept and its receipt sent, and
    // what followed in the next quiet second (prefetches).
    await quiet(page);
    const visit = await resourcesSince(page);
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const t = await page.evaluate(() => window.__bench.t);
    const wasmMemory = await page.evaluate(() => window.__bench.memories.reduce((a, m) => a + m.buffer.byteLength, 0));
    const errors = await page.evaluate(() => window.__bench.errors);
    return {
      visible: t.visible,
      interactive: t.interactive,
      persisted: t.persisted - t.click,
      receipt: t.receipt === undefined ? null : t.receipt - t.click,
      heapUsed: heap.usedSize,
      wasmMemory,
      resources,
      visit,
      problems: [...problems, ...errors],
    };
  } finally {
    await context.close();
  }
}

/** A cold load, the page left quiet, then a tap on the banner's way to the settings. */
async function settingsLoad(browser, base, target, profile) {
  const context = await browser.newContext(profile.context);
  try {
    const { page, cdp, problems } = await throttledPage(context, target, profile);
    await page.goto(`${base}${target.path}`, { waitUntil: 'commit' });
    await awaitProbe(cdp, 'ready', 60_000);
    await quiet(page);
    await page.locator(target.spec.settings).click({ noWaitAfter: true });
    await awaitProbe(cdp, 'settings', 60_000);
    await quiet(page);
    const t = await page.evaluate(() => window.__bench.t);
    const added = await resourcesSince(page, t.tap);
    const errors = await page.evaluate(() => window.__bench.errors);
    return { tapToSettings: t.settings - t.tap, added, problems: [...problems, ...errors] };
  } finally {
    await context.close();
  }
}

const sizeCache = new Map();
/** Raw / gzip -9 / brotli q11 of a URL's uncompressed body. */
async function sizes(url) {
  if (!sizeCache.has(url)) {
    const res = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
    if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
    const body = Buffer.from(await res.arrayBuffer());
    sizeCache.set(url, {
      raw: body.length,
      gzip: gzipSync(body, { level: 9 }).length,
      br: brotliCompressSync(body, {
        params: { [zc.BROTLI_PARAM_QUALITY]: 11, [zc.BROTLI_PARAM_SIZE_HINT]: body.length },
      }).length,
    });
  }
  return sizeCache.get(url);
}

/** Each resource with its role and sizes, in path order; a URL fetched twice (the full widget
 *  reads the manifest again, from the HTTP cache or revalidated) counts once. */
async function measured(base, resources) {
  const files = [];
  const seen = new Set();
  for (const res of resources) {
    if (seen.has(res.url)) continue;
    seen.add(res.url);
    files.push({ path: res.url.slice(base.length), role: roleOf(base, res.url, res.type), wire: res.wire, ...(await sizes(res.url)) });
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** The host page's own files (the same for every target) versus the consent widget's. */
function roleOf(base, url, type) {
  const path = url.slice(base.length);
  if (type === 'navigation' || ['/demo.css', '/favicon.svg'].includes(path)) return 'page';
  return 'widget';
}

/** The 1-minute load average (other work on this shared machine), for the record. */
async function load() {
  try {
    return Number((await readFile('/proc/loadavg', 'utf8')).split(' ')[0]);
  } catch {
    return null;
  }
}

const server = await startServer({ site: SITE });
const browser = await launchBrowser();
const results = { runs: RUNS, chromium: browser.version(), profiles: {} };
try {
  for (const profile of PROFILES) {
    const out = (results.profiles[profile.name] = { cpuThrottling: profile.cpu, targets: {}, loadBefore: await load() });
    for (const target of TARGETS) {
      out.targets[target.name] = { path: target.path, samples: [], files: null, fileSetChanges: 0, visitFiles: null, settings: [], settingsFiles: null };
    }
    // One unmeasured round warms the server's file cache and the browser process.
    for (const target of TARGETS) {
      await oneLoad(browser, server.url, target, profile);
      await settingsLoad(browser, server.url, target, profile);
    }
    for (let i = 0; i < RUNS; i++) {
      // Alternate, and rotate who goes first, so drift hits every target alike.
      for (let k = 0; k < TARGETS.length; k++) {
        const target = TARGETS[(i + k) % TARGETS.length];
        const r = await oneLoad(browser, server.url, target, profile);
        const slot = out.targets[target.name];
        const files = [];
        for (const res of r.resources) {
          files.push({ path: res.url.slice(server.url.length), role: roleOf(server.url, res.url, res.type), wire: res.wire, ...(await sizes(res.url)) });
        }
        files.sort((a, b) => a.path.localeCompare(b.path));
        // Whether the widget's own files differed (the page's favicon may finish either side).
        const key = files.filter((f) => f.role === 'widget').map((f) => f.path).join('\n');
        if (slot.files === null) slot.files = files;
        else if (slot.filesKey !== key) slot.fileSetChanges += 1;
        slot.filesKey ??= key;
        const sum = (role) => files.filter((f) => f.role === role).reduce((a, f) => a + f.br, 0);
        const visit = await measured(server.url, r.visit);
        slot.visitFiles ??= visit;
        const visitBr = visit.filter((f) => f.role === 'widget').reduce((a, f) => a + f.br, 0);
        slot.samples.push({ ...r, resources: undefined, visit: undefined, widgetBr: sum('widget'), pageBr: sum('page'), visitBr });
        if (r.problems.length) process.stderr.write(`  ${target.name}: ${r.problems.join('; ')}\n`);
        const s = await settingsLoad(browser, server.url, target, profile);
        const added = await measured(server.url, s.added);
        slot.settingsFiles ??= added;
        slot.settings.push({ tapToSettings: s.tapToSettings, addedBr: added.filter((f) => f.role === 'widget').reduce((a, f) => a + f.br, 0) });
        if (s.problems.length) process.stderr.write(`  ${target.name} (settings): ${s.problems.join('; ')}\n`);
      }
      process.stderr.write(`${profile.name}: round ${i + 1}/${RUNS}\n`);
    }
    for (const t of Object.values(out.targets)) delete t.filesKey;
    out.loadAfter = await load();
  }
} finally {
  await browser.close();
  await server.stop();
}
await writeFile(OUT, JSON.stringify(results, null, 1));
process.stderr.write(`results written to ${OUT}\n`);
