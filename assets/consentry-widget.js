// Consentry loader: the one ES module a site imports. No build step, no eval, nothing inline.
//
//   import { Consentry } from '@consentry/widget';   // or '/widget/consentry-widget.js'
//   Consentry.mount(document.getElementById('consentry'), {
//     manifestUrl: '/notice/manifest.json', endpoint: '/v1/receipts' });
//   Consentry.on('change', (detail) => console.log(detail.decisions));
//   if (Consentry.get('service-analytics')) { /* … */ }
//
// or, without script: <consentry-notice manifest-url="/notice/manifest.json"
//                                       endpoint="/v1/receipts"></consentry-notice>
//
// Beside it: consentry.js + consentry_bg.wasm, the first module (the banner and decisions,
// without a UI framework), consentry-receipts.js + consentry-receipts_bg.wasm, the receipts
// module (each decision's signed receipt, the outbox), fetched once the banner is up,
// consentry-full.js + consentry-full_bg.wasm, the full widget (the full notice; Yew), fetched
// when a visitor first opens it, and consentry.css. Every one of them is
// reached by `import('./…')` or `new URL('./…', import.meta.url)`, so a bundler that follows
// those (Vite, webpack, Rollup, Parcel; esbuild with `@consentry/widget/esbuild`) copies them.
// Types: consentry-widget.d.ts. Every option, event and attribute: docs/embedding.md. Why
// several modules: docs/adr/0008-first-layer-without-yew.md.
//
// Importing this module never throws and never waits: it has no top-level await and no static
// import, so a page whose CSP blocks WebAssembly, or that is offline, still runs its own code;
// each mount then reports `consentry:error` and `data-consentry-state="error"`.

// ---------------------------------------------------------------------------------------------
// The loader's one state machine. Its state is `loader`; it changes only in `go(region,
// event)`, and only along an edge of `EDGES` (any other move is a bug and throws). It has two
// regions that move independently:
//
// page — where a mount goes:
//
//   loading ──loaded (first module compiled)──▶ first ──takeover──▶ full
//      │  ▲                                    (a visitor opens the settings' full notice, or a
//      │  │ retry (the next mount)              flow needs the full widget)
//      ▼  │
//   failed   (offline, a 404, a CSP without 'wasm-unsafe-eval'): every mount waiting then
//            reports `consentry:error` (`widget_unavailable`) and data-consentry-state="error"
//
//   While `loading`, a mount gets a handle at once; what is called on it (show, withdraw,
//   unmount) is kept and applied, in order, once the first module has mounted. In `first` and
//   `full` a mount is synchronous and throws on bad options, as documented.
//
// receipts — step 2 of each decision the first module keeps (the receipt built, signed, kept
// and delivered) and the outbox resend go to the receipts module, fetched once the banner is
// up when a decision is asked for or receipts wait (in frame mode, the signer client in its
// place). The first module hands each job off through storage first, so nothing waits here but
// the calls: they reach the module in the order they were made.
//
//   unasked ──ask──▶ loading ──loaded: calls run in order──▶ idle ──ask──▶ loading …
//      │                │ failed: the host hears `receipts_unavailable`, the jobs stay in
//      │                ▼ storage; the next call or the browser coming online asks again
//      │              idle
//      └──── unasked, idle ──handover (the full widget takes the queue; not in frame
//                                       mode)──▶ handed_over
//
//   A hand-over does not wait for a module that cannot load: the full widget takes the stored
//   jobs itself.
// ---------------------------------------------------------------------------------------------
const EDGES = {
  page: {
    loading: { loaded: 'first', failed: 'failed' },
    failed: { retry: 'loading' },
    first: { takeover: 'full' },
    full: {},
  },
  receipts: {
    unasked: { ask: 'loading', handover: 'handed_over' },
    loading: { loaded: 'idle', failed: 'idle' },
    idle: { ask: 'loading', handover: 'handed_over' },
    handed_over: {},
  },
};
const loader = { page: 'loading', receipts: 'unasked' };
// The data the states carry:
let firstLoad = null; // page `loading`: the promise of the first module
let firstMount = null; // page `first` on: the first module's mount()
let fullMount = null; // page `full`: the full widget's mount()
let firstError = null; // page `failed`: why
const waiting = new Set(); // mounts made while `loading`: their `start()`
const receiptCalls = []; // receipts: { host, call(module), then? }, oldest first
let signer; // frame mode (the `signer` option, ADR 0012): the signing frame's URL
function go(region, event) {
  const next = EDGES[region][loader[region]][event];
  if (!next) throw new Error(`Consentry: loader: ${region} ${loader[region]} has no ${event}`);
  loader[region] = next;
}

function loadFirst() {
  if (firstLoad) return firstLoad;
  if (loader.page === 'failed') go('page', 'retry');
  // Its wasm is fetched at once, beside the glue instead of after it (one round trip less),
  // and compiled while it downloads.
  const wasm = fetch(new URL('./consentry_bg.wasm', import.meta.url));
  wasm.catch(() => {}); // a failure is the init's, below
  firstLoad = import('./consentry.js')
    .then(async (m) => {
      await m.default({ module_or_path: wasm });
      firstMount = m.mount;
      go('page', 'loaded');
    })
    .catch((e) => {
      go('page', 'failed');
      firstError = e;
      firstLoad = null;
      throw e;
    })
    .finally(() => {
      // Each waiting mount hears this load's outcome, even if one of them mounts again (and
      // so starts a new load) while they are told.
      const failed = loader.page === 'failed';
      const started = [...waiting];
      waiting.clear();
      for (const start of started) start(failed);
    });
  return firstLoad;
}
// Fetched and compiled at once, in parallel with the rest of the page (in a browser: not
// when a server-side renderer imports this module).
if (globalThis.document) loadFirst().catch(() => {}); // each mount reports a failure itself

// `consentry:error` on `el` (or the document); with `failed`, the mount shows nothing and its
// element says so (data-consentry-state="error"). A receipts outage is not that: the widget
// works on and the receipts wait.
function report(el, code, message, failed = true) {
  const target = el instanceof Element ? el : document;
  if (failed && target !== document) target.setAttribute('data-consentry-state', 'error');
  target.dispatchEvent(new CustomEvent('consentry:error', {
    bubbles: true,
    composed: true,
    detail: { code, message },
  }));
}
const messageOf = (e) => (e && e.message ? e.message : String(e));

// A module fetched and initialised once, when first asked for; after a failure the next call
// tries again. Its wasm (`wasmUrl()`, null for a module without one) is fetched beside its
// glue instead of after it: one round trip less, and it compiles while it downloads.
function lazy(importModule, wasmUrl = () => null) {
  let loading = null;
  return () => {
    if (loading) return loading;
    const url = wasmUrl();
    const wasm = url && fetch(url);
    wasm?.catch(() => {}); // a failure is the init's, below
    loading = importModule()
      .then(async (m) => {
        await m.default(wasm ? { module_or_path: wasm } : undefined);
        return m;
      })
      .catch((e) => {
        loading = null;
        throw e;
      });
    return loading;
  };
}
const fullModule = lazy(() => import('./consentry-full.js'), () => new URL('./consentry-full_bg.wasm', import.meta.url));
// In frame mode the full widget signs nothing either: its jobs go to the signer client too.
// Its settings' request form sends through the same `request` hook as the first module's.
const loadFull = () => fullModule().then((m) => (signer && m.signer(receipts.send), m.request(receipts.request), m.mount));

const receiptsModule = lazy(
  () => (signer ? import('./consentry-signer.js') : import('./consentry-receipts.js')),
  () => (signer ? null : new URL('./consentry-receipts_bg.wasm', import.meta.url)),
);
const receiptsFailed = (host, e) => report(host, 'receipts_unavailable', `receipts wait in this browser: ${messageOf(e)}`, false);
// The full widget takes the queue (in frame mode the signer client keeps it: nothing moves).
function handedOver() {
  if (!signer) go('receipts', 'handover');
}
// Calls dropped once the queue is handed over: their jobs wait in storage for the full
// widget; a hand-over among them still goes ahead.
function dropCalls() {
  for (const c of receiptCalls.splice(0)) c.then?.();
}
// Drains run as a microtask, never inside another drain: a call or an event listener that
// asks for receipts again (a decision made in a `consentry:error` handler) queues its call
// behind the ones being run instead of moving the state under them.
const askReceipts = () => queueMicrotask(drainReceipts);
function drainReceipts() {
  if (loader.receipts === 'handed_over') dropCalls();
  if (loader.receipts === 'loading' || !receiptCalls.length) return;
  go('receipts', 'ask');
  receiptsModule().then(
    (m) => {
      go('receipts', 'loaded');
      while (receiptCalls.length) {
        const { host, call } = receiptCalls.shift();
        try {
          call(m);
        } catch (e) {
          receiptsFailed(host, e);
        }
        if (loader.receipts === 'handed_over') dropCalls();
      }
    },
    (e) => {
      go('receipts', 'failed');
      receiptsFailed(receiptCalls.find((c) => c.host)?.host, e);
      // A hand-over goes ahead (the full widget takes the stored jobs); sends wait for the
      // next attempt.
      if (receiptCalls.some((c) => c.then)) {
        handedOver();
        dropCalls();
      }
    },
  );
}
globalThis.addEventListener?.('online', askReceipts);
const receipts = {
  send(host, endpoint) {
    receiptCalls.push({ host, call: (m) => m.resend(host, endpoint, signer) });
    askReceipts();
  },
  // A data-subject request from the settings' form (ADR 0019): the receipts module (in frame
  // mode the signer client, which passes it to the signing frame) signs it with the device key
  // and sends it; resolves to the outcome's JSON. Outside the queue: it moves no state and
  // waits for no receipt.
  request(host, endpoint, draft) {
    return receiptsModule().then((m) => m.request(endpoint, draft, signer, host));
  },
  // The full widget takes over: once every call before this one has reached the receipts
  // module and its queue has stopped, `then` runs (at once when the module was never needed,
  // or the queue was already handed over).
  handOver(then) {
    if (loader.receipts === 'handed_over' || (loader.receipts === 'unasked' && !receiptCalls.length)) {
      if (loader.receipts === 'unasked') handedOver();
      then();
      return;
    }
    receiptCalls.push({
      host: null,
      then,
      call: (m) => {
        handedOver();
        m.hand_over(then);
      },
    });
    askReceipts();
  },
};

// A mount's handle: a pending one while the first module loads, then the first module's,
// then the full widget's once it has taken over.
class Handle {
  unmount() {
    this.h.unmount();
  }
  show() {
    this.h.show();
  }
  withdraw(purpose) {
    this.h.withdraw(purpose);
  }
  get mounted() {
    return this.h.mounted;
  }
}

// Mounts now (`first`, `full`), or once the first module is there (`loading`, `failed`).
// `code` is the error code a deferred mount reports bad options with.
function mount(el, opts, code = 'invalid_options') {
  const handle = new Handle();
  const now = () => {
    handle.h = fullMount
      ? fullMount(el, opts)
      : firstMount(el, opts, loadFull, (handOff, takeOver) => {
          if (loader.page !== 'full') go('page', 'takeover');
          fullMount = takeOver;
          handle.h = takeOver(el, opts, handOff);
        }, receipts);
  };
  if (loader.page === 'first' || loader.page === 'full') {
    now();
    return handle;
  }
  if (!(el instanceof HTMLElement)) fail('mount(el, options): el must be an HTML element');
  const calls = []; // (h) => void, in the order they were made
  let cancelled = false;
  handle.h = {
    unmount() {
      cancelled = true;
      waiting.delete(start);
      if (el.getAttribute('data-consentry-state') === 'loading') el.removeAttribute('data-consentry-state');
    },
    show: () => calls.push((h) => h.show()),
    withdraw: (purpose) => calls.push((h) => h.withdraw(purpose)),
    get mounted() {
      return !cancelled;
    },
  };
  const start = (failed) => {
    if (cancelled) return;
    if (failed) {
      handle.h = { unmount() {}, show() {}, withdraw() {}, mounted: false };
      report(el, 'widget_unavailable', `the widget could not be loaded (${messageOf(firstError)}); its CSP needs 'wasm-unsafe-eval'`);
      return;
    }
    try {
      now();
    } catch (e) {
      handle.h = { unmount() {}, show() {}, withdraw() {}, mounted: false };
      report(el, code, messageOf(e));
      return;
    }
    for (const call of calls) {
      try {
        call(handle.h);
      } catch (e) {
        report(el, 'invalid_call', messageOf(e), false);
      }
    }
  };
  el.setAttribute('data-consentry-state', 'loading');
  waiting.add(start);
  loadFirst().catch(() => {});
  return handle;
}

const stylesheetUrl = new URL('./consentry.css', import.meta.url).href;
const EVENTS = ['ready', 'change', 'receipt', 'error'];
// Google Consent Mode v2: all seven consent types.
const GCM_TYPES = [
  'ad_storage', 'ad_user_data', 'ad_personalization', 'analytics_storage',
  'functionality_storage', 'personalization_storage', 'security_storage',
];
const BLOCKED = 'script[type="text/plain"][data-consentry-purpose]';

let current = null; // the latest mount: { el, handle }
let decisions = {}; // purpose → granted, from the latest ready/change event
const withdrawn = new Set(); // purposes withdrawn on this page: their scripts wait for a reload
let consentMode = null; // { type: [purpose, …] } of the latest mount that asked for it
let started = false;

function fail(message) {
  throw new Error(`Consentry: ${message}`);
}

// The first origin framing this page that is neither its own nor in `allowed`; null when
// the page is not framed by another origin (or every one is allowed).
function framedBy(allowed = []) {
  if (!Array.isArray(allowed) || allowed.some((o) => typeof o != 'string')) {
    fail('allowFramedBy must be a list of origins');
  }
  if (top == self) return null;
  const up = location.ancestorOrigins;
  // Without ancestorOrigins (Firefox): the referrer's origin, else refused as unknown.
  return [...(up || [document.referrer && new URL(document.referrer).origin || 'null'])]
    .find((o) => o != location.origin && !allowed.includes(o)) ?? null;
}

// `gtag()` as Google's snippet defines it: the arguments object onto window.dataLayer.
function gtag() {
  (globalThis.dataLayer = globalThis.dataLayer || []).push(arguments);
}

function readConsentMode(map) {
  if (map === null || typeof map !== 'object' || Array.isArray(map)) {
    fail('consentMode must be an object such as { analytics_storage: "service-analytics" }');
  }
  const out = {};
  for (const [type, value] of Object.entries(map)) {
    if (!GCM_TYPES.includes(type)) {
      fail(`consentMode: unknown consent type "${type}" (known: ${GCM_TYPES.join(', ')})`);
    }
    const purposes = [].concat(value);
    if (!purposes.length || purposes.some((p) => typeof p !== 'string' || !p)) {
      fail(`consentMode.${type} must be a purpose id or an array of purpose ids`);
    }
    out[type] = purposes;
  }
  return out;
}

// A type is granted when every purpose mapped to it is granted; unmapped types are denied.
function consentState() {
  const state = {};
  for (const type of GCM_TYPES) {
    const purposes = consentMode[type] || [];
    state[type] = purposes.length && purposes.every((p) => decisions[p] === true) ? 'granted' : 'denied';
  }
  return state;
}

// Blocked scripts: <script type="text/plain" data-consentry-purpose="a b" src="…"> runs once
// every purpose it names is granted, at most once per page, and never again for a purpose
// withdrawn on this page until the page reloads.
function activateScripts() {
  for (const blocked of document.querySelectorAll(BLOCKED)) {
    const purposes = blocked.dataset.consentryPurpose.split(/\s+/).filter(Boolean);
    if (!purposes.length || purposes.some((p) => decisions[p] !== true || withdrawn.has(p))) continue;
    const live = document.createElement('script');
    for (const { name, value } of blocked.attributes) {
      if (name !== 'type') live.setAttribute(name, value);
    }
    live.type = blocked.dataset.consentryType || 'text/javascript';
    if (blocked.nonce) live.nonce = blocked.nonce;
    live.text = blocked.text;
    live.setAttribute('data-consentry-activated', '');
    blocked.replaceWith(live);
  }
}

function onDecisions(event) {
  const next = event.detail && event.detail.decisions;
  if (!next) return;
  for (const [purpose, on] of Object.entries(decisions)) {
    if (on && next[purpose] === false) withdrawn.add(purpose);
  }
  decisions = { ...next };
  if (consentMode) {
    const unknown = Object.values(consentMode).flat().filter((p) => !(p in decisions));
    if (unknown.length) {
      event.target.dispatchEvent(new CustomEvent('consentry:error', {
        bubbles: true,
        composed: true,
        detail: {
          code: 'consent_mode_unknown_purpose',
          message: `consentMode names purposes the notice does not have: ${unknown.join(', ')}`,
        },
      }));
    }
    gtag('consent', 'update', consentState());
  }
  activateScripts();
}

// One set of document-level listeners for the page, however often widgets are mounted.
function start() {
  if (started) return;
  started = true;
  document.addEventListener('consentry:ready', onDecisions);
  document.addEventListener('consentry:change', onDecisions);
  new MutationObserver((records) => {
    if (records.some((r) => [...r.addedNodes].some((n) => n.nodeType === 1 && (n.matches(BLOCKED) || n.querySelector(BLOCKED))))) {
      activateScripts();
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
}

// Consentry.mount, and the custom element's mount with its own error code.
function mountPage(el, opts, code) {
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) {
    return mount(el, opts, code); // the widget reports the bad value
  }
  const { consentMode: map, allowFramedBy, signer: url, ...rest } = opts;
  const mode = map === undefined ? null : readConsentMode(map);
  if (mode) {
    // The default goes first: before the widget loads, and before any tag that reads it.
    consentMode = mode;
    const denied = Object.fromEntries(GCM_TYPES.map((t) => [t, 'denied']));
    gtag('consent', 'default', { ...denied, wait_for_update: 500 });
  }
  const framer = framedBy(allowFramedBy);
  if (framer) {
    // A page of another origin frames this one and the site did not allow it: its clicks
    // could be a trick (clickjacking). Nothing is shown, so nothing is decided here.
    const handle = new Handle();
    handle.h = { unmount() {}, show() {}, withdraw() {}, mounted: false };
    el.setAttribute('data-consentry-state', 'error');
    setTimeout(() => el.dispatchEvent(new CustomEvent('consentry:error', {
      bubbles: true,
      composed: true,
      detail: { code: 'framed', message: `framed by ${framer}` },
    })));
    return handle;
  }
  start();
  // One place signs for the page: the first mount that names a signer puts it in frame mode.
  signer ??= url;
  const handle = mount(el, { stylesheetUrl, ...rest }, code);
  current = { el, handle };
  return handle;
}

export const Consentry = {
  /**
   * Mounts the widget into an open shadow root of `el` (mounting again on the same element
   * replaces the earlier mount) and returns its handle. Options as in docs/embedding.md;
   * `consentMode` (Google Consent Mode v2 type → purpose id(s)) is handled here: the default
   * (every type denied) is pushed at once, updates follow each decision. Throws an Error
   * with a clear message on a missing element or bad options; while the widget is still
   * loading (the page's first mount), bad options are reported as `consentry:error`
   * (`invalid_options`) and data-consentry-state="error" instead.
   */
  mount(el, opts) {
    return mountPage(el, opts, 'invalid_options');
  },

  /** Whether `purpose` is granted now (false until the notice has loaded); without an
   *  argument, every purpose's state. */
  get(purpose) {
    return purpose === undefined ? { ...decisions } : decisions[purpose] === true;
  },

  /** Calls `listener(detail, event)` on each `consentry:<name>` event ('ready', 'change',
   *  'receipt', 'error'); returns a function that removes it. */
  on(name, listener) {
    const short = String(name).replace(/^consentry:/, '');
    if (!EVENTS.includes(short)) fail(`unknown event "${name}" (known: ${EVENTS.join(', ')})`);
    if (typeof listener !== 'function') fail('on(name, listener): listener must be a function');
    const wrapped = (event) => listener(event.detail, event);
    document.addEventListener(`consentry:${short}`, wrapped);
    return () => document.removeEventListener(`consentry:${short}`, wrapped);
  },

  /** Opens the settings of the latest mount. */
  show() {
    if (!current) fail('show(): nothing is mounted');
    current.handle.show();
  },

  /** Withdraws consent for `purpose`, or for every optional purpose, in the latest mount. */
  withdraw(purpose) {
    if (!current) fail('withdraw(): nothing is mounted');
    current.handle.withdraw(purpose);
  },

  /** Removes the latest mount. */
  unmount() {
    if (current) current.handle.unmount();
    current = null;
  },
};

// <consentry-notice manifest-url endpoint language region edge-region expiry-days
//                   stylesheet-url consent-mode signer link>: mounts when connected, unmounts when
// removed, remounts when an attribute changes.
const ATTRIBUTES = {
  'manifest-url': 'manifestUrl',
  endpoint: 'endpoint',
  language: 'language',
  region: 'region',
  'edge-region': 'edgeRegion',
  'expiry-days': 'expiryDays',
  'stylesheet-url': 'stylesheetUrl',
  link: 'link',
  'consent-mode': 'consentMode',
  'allow-framed-by': 'allowFramedBy',
  signer: 'signer',
};

// (Outside a browser, e.g. a server-side renderer importing this module, there is no
// HTMLElement: the class is then never defined as an element.)
class ConsentryNotice extends (globalThis.HTMLElement ?? Object) {
  static observedAttributes = Object.keys(ATTRIBUTES);
  #handle = null;

  connectedCallback() {
    this.#mount();
  }

  disconnectedCallback() {
    this.#handle?.unmount();
    this.#handle = null;
  }

  attributeChangedCallback() {
    if (this.#handle) this.#mount();
  }

  #mount() {
    const opts = {};
    for (const [attr, option] of Object.entries(ATTRIBUTES)) {
      const v = this.getAttribute(attr);
      if (v === null) continue;
      if (option === 'expiryDays') opts[option] = Number(v);
      else if (option === 'allowFramedBy') opts[option] = v.split(/\s+/).filter(Boolean);
      else if (option === 'consentMode') {
        try {
          opts[option] = JSON.parse(v);
        } catch {
          opts[option] = v; // reported below as not an object
        }
      } else opts[option] = v;
    }
    try {
      this.#handle = mountPage(this, opts, 'invalid_attributes');
    } catch (e) {
      this.#handle = null;
      this.setAttribute('data-consentry-state', 'error');
      this.dispatchEvent(new CustomEvent('consentry:error', {
        bubbles: true,
        composed: true,
        detail: { code: 'invalid_attributes', message: e.message },
      }));
    }
  }

  /** Opens the settings. */
  show() {
    this.#handle?.show();
  }

  /** Withdraws consent for `purpose`, or for every optional purpose. */
  withdraw(purpose) {
    this.#handle?.withdraw(purpose);
  }
}

if (globalThis.customElements && !customElements.get('consentry-notice')) {
  customElements.define('consentry-notice', ConsentryNotice);
}

globalThis.Consentry = Consentry;
