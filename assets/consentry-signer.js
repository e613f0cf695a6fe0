// Consentry signer client: frame mode (the `signer` mount option, ADR 0012). Imported by the
// loader in the receipts module's place (same calls: `resend`, `hand_over`) with the first
// receipt job, after the banner is up; never before.
//
// The receipt pipeline (build, sign with the device key, chain, outbox, delivery) runs in a
// small frame served from the receipt server's origin (`/signer/` of consentry-server), so no
// script on this page can read, use or replace the device key: it lives in that origin's
// IndexedDB. This page only hands the frame the decision jobs the widget keeps in
// `consentry:handoff` (the same job encoding the receipts module reads), and hears back the
// `consentry:receipt` / `consentry:error` events and the latest receipt for "download my
// receipt". Every message is checked both ways: this side takes messages only from the frame's
// window and origin, the frame only from the origins its server lists (`--signer-origin`).
//
// Nothing is lost while the frame cannot load (offline, the receipt server down): the jobs stay
// in `consentry:handoff` until the frame says it has them in its own storage (`taken`), and the
// frame is tried again with a backoff, on `online`, on the next decision and on the next page.
// Receipts this page signed itself before the site turned frame mode on, and could not deliver
// then, move to the frame's outbox as they are (they keep their own key and chain).

const HANDOFF = 'consentry:handoff';
const OUTBOX = 'consentry:outbox';
const WAITING = 'consentry:signer:waiting';
const TAG = 'consentry-signer';
// The frame's latest receipt and the server's answer, copied here for "download my receipt".
const MIRRORED = /^consentry:(receipt:[^\n]+|receipt-ack)$/;
const READY_WITHIN_MS = 8000;
// A data-subject request the frame has not answered by then is reported as not sent.
const REQUEST_WITHIN_MS = 30000;
const MAX_RETRY_MS = 60000;

let frame = null; // the <iframe>
let origin = null; // its origin (exact)
let ready = false; // it has said `ready`
let host = null; // the latest mount's host: it hears the frame's events
let retryMs = 1000;
let timer = 0;
let listening = false; // for `online`
let asked = 0; // the last request message's id
const requests = new Map(); // id → { draft, sent, answer(outcome JSON) }, until answered

export default function init() {}

function report(code, message) {
  (host || document).dispatchEvent(new CustomEvent('consentry:error', {
    bubbles: true,
    composed: true,
    detail: { code, message },
  }));
}

function readList() {
  try {
    const list = JSON.parse(localStorage.getItem(HANDOFF) || '[]');
    return Array.isArray(list) ? list : [];
  } catch {
    return []; // unreadable: the widget moves it aside itself
  }
}

// The page's own outbox (same-origin mode): receipts signed with the page's key before the
// site turned frame mode on, not delivered yet. The frame takes them into its outbox and
// delivers them; unreadable text is left as it is.
function readOutbox() {
  try {
    const list = JSON.parse(localStorage.getItem(OUTBOX) || '[]');
    return Array.isArray(list) ? list : null;
  } catch {
    return null;
  }
}

function post(message) {
  frame.contentWindow.postMessage({ [TAG]: 1, ...message }, origin);
}

function flush() {
  if (!ready) return;
  // Requests not passed on yet (the frame was loading): each once, in its own message.
  for (const [id, r] of requests) {
    if (r.sent) continue;
    r.sent = true;
    post({ type: 'request', id, draft: r.draft });
  }
  // Every job waiting here, oldest first; the frame answers with the ids it now keeps.
  // And the receipts this page signed itself and could not send, for the frame's outbox.
  const outbox = (readOutbox() ?? []).filter((e) => e && e.status === 'queued');
  post({ type: 'jobs', jobs: readList(), outbox });
}

function open(signer) {
  if (frame) return;
  let url;
  try {
    url = new URL(signer, document.baseURI);
  } catch {
    url = { protocol: 'invalid' };
  }
  if (!/^https?:$/.test(url.protocol)) {
    return report('receipts_unavailable', `the signer option must be an http(s) URL: ${signer}`);
  }
  url = url.href;
  origin = new URL(url).origin;
  frame = document.createElement('iframe');
  frame.src = url;
  frame.title = 'Consentry receipt signer';
  frame.hidden = true;
  frame.tabIndex = -1;
  frame.setAttribute('aria-hidden', 'true');
  // An iframe never reports a failed load: without `ready` in time it is removed and tried
  // again after a backoff (doubling, up to a minute), and at once when the browser is online.
  clearTimeout(timer);
  timer = setTimeout(() => {
    if (ready) return;
    report('receipts_unavailable', `the signing frame ${url} did not answer; receipts wait in this browser`);
    close();
    timer = setTimeout(() => open(url), retryMs);
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  }, READY_WITHIN_MS);
  document.body.append(frame);
  if (!listening) {
    listening = true;
    addEventListener('online', () => {
      if (ready) return;
      close();
      open(url);
    });
  }
}

function close() {
  frame?.remove();
  frame = null;
  ready = false;
}

addEventListener('message', (event) => {
  // Only the frame we opened, from its exact origin.
  if (!frame || event.source !== frame.contentWindow || event.origin !== origin) return;
  const m = event.data;
  if (!m || m[TAG] !== 1) return;
  if (m.type === 'ready') {
    ready = true;
    retryMs = 1000;
    clearTimeout(timer);
    flush();
  } else if (m.type === 'taken' && Array.isArray(m.ids)) {
    // In the frame's storage now: they leave this page's lists.
    const list = readList().filter((j) => !m.ids.includes(j[0]));
    if (list.length) localStorage.setItem(HANDOFF, JSON.stringify(list));
    else localStorage.removeItem(HANDOFF);
    const outbox = Array.isArray(m.outbox) && m.outbox.length ? readOutbox() : null;
    if (outbox) {
      const left = outbox.filter((e) => !(e && e.status === 'queued' && m.outbox.includes(e.id)));
      if (left.length) localStorage.setItem(OUTBOX, JSON.stringify(left));
      else localStorage.removeItem(OUTBOX);
    }
  } else if (m.type === 'event' && (m.name === 'receipt' || m.name === 'error')) {
    (host && host.isConnected ? host : document).dispatchEvent(new CustomEvent(`consentry:${m.name}`, {
      bubbles: true,
      composed: true,
      detail: m.detail,
    }));
  } else if (m.type === 'requested' && typeof m.outcome === 'string' && requests.has(m.id)) {
    requests.get(m.id).answer(m.outcome);
  } else if (m.type === 'mirror' && Array.isArray(m.entries)) {
    for (const [key, value] of m.entries) {
      if (MIRRORED.test(key) && typeof value === 'string') localStorage.setItem(key, value);
    }
    if (m.waiting) localStorage.setItem(WAITING, '1');
    else localStorage.removeItem(WAITING);
  }
});

/** In the receipts module's place (the loader calls both alike): passes the jobs waiting on
 *  this page to the signing frame at `url` (opened on first use), which signs, keeps and
 *  delivers them and resends its outbox; `mount` hears the outcome. `endpoint` is not used:
 *  the frame delivers to its own origin's /v1/receipts. */
export function resend(mount, endpoint, url) {
  if (mount) host = mount;
  open(url);
  flush();
}

/** A data-subject request (ADR 0019): the visitor's `draft` (`{kind, details}` as JSON, the
 *  only thing this page gives) goes to the signing frame in a message of its own (`request`),
 *  never with the receipt jobs; the frame builds the request, names its key's latest logged
 *  receipt, signs it under the request type and sends it to its own origin. Resolves to the
 *  outcome's JSON; rejects when the frame does not answer in time. */
export function request(endpoint, draft, url, mount) {
  if (mount) host = mount;
  asked += 1;
  const id = asked;
  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => {
      requests.delete(id);
      reject(new Error('the signing frame did not answer the request'));
    }, REQUEST_WITHIN_MS);
    requests.set(id, {
      draft,
      sent: false,
      answer(outcome) {
        clearTimeout(timeout);
        requests.delete(id);
        resolve(outcome);
      },
    });
    open(url);
    flush();
  });
}

/** Nothing runs here that the full widget could collide with: it may start at once. */
export function hand_over(then) {
  then();
}
