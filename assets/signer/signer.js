// Consentry signing frame (ADR 0012): served by the receipt server at /signer/, framed by the
// sites it lists (--signer-origin), and the only place that holds the device key. It runs the
// receipts module (crates/consentry-receipts, the same pipeline as same-origin mode) on this
// origin's storage: the job is decoded and checked against its first layer, the receipt built
// by core, signed with this origin's non-extractable key (IndexedDB), chained, written to the
// outbox and POSTed to this origin's /v1/receipts, with retries. The embedding page only sends
// jobs and hears the outcome; it can neither read nor replace the key. A data-subject request
// (ADR 0019) comes in a message of its own (`request`) with nothing but the visitor's draft:
// the receipts module reads it strictly, builds the request by core, names this key's latest
// logged receipt, signs it under the request type and POSTs it to this origin's /v1/requests.
// Receipt jobs never reach that path, and a draft never reaches the jobs. Receipts the page
// signed itself before frame mode was turned on, and could not send then, are taken into this
// outbox and delivered from here.
import init, { request, resend } from './consentry-receipts.js';

const TAG = 'consentry-signer';
const HANDOFF = 'consentry:handoff';
const OUTBOX = 'consentry:outbox';
// Receipt ids of jobs this frame has taken (bounded): a job sent again is not signed twice.
const SEEN = 'consentry:signer:seen';
const MIRRORED = /^consentry:(receipt:[^\n]+|receipt-ack)$/;
// The most this frame's outbox may hold after taking a page's same-origin receipts.
const OUTBOX_TAKE_MAX = 512 * 1024;
// The longest request draft taken (the receipts module reads it strictly; this only bounds it).
const DRAFT_MAX = 8 * 1024;

const allowed = new Set(
  (document.querySelector('meta[name="consentry-origins"]')?.content ?? '').split(/\s+/).filter(Boolean),
);
const endpoint = new URL('/v1/receipts', location.href).href;
const host = document.body.appendChild(document.createElement('div'));
const loaded = init();
let page = null; // the origin of the page that framed us (its first allowed message)

function tell(message) {
  if (page) parent.postMessage({ [TAG]: 1, ...message }, page);
}

function read(key) {
  try {
    const v = JSON.parse(localStorage.getItem(key) || '[]');
    return Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

const wellFormed = (s) => typeof s === 'string' && (!s.isWellFormed || s.isWellFormed());

// What the page keeps for "download my receipt", and whether receipts wait here.
function mirror() {
  const entries = [];
  for (let i = 0; i < localStorage.length; i += 1) {
    const key = localStorage.key(i);
    if (MIRRORED.test(key)) entries.push([key, localStorage.getItem(key)]);
  }
  const waiting = [HANDOFF, OUTBOX].some((k) => (localStorage.getItem(k) ?? '[]').trim() !== '[]');
  tell({ type: 'mirror', entries, waiting });
}

for (const name of ['receipt', 'error']) {
  host.addEventListener(`consentry:${name}`, (event) => {
    tell({ type: 'event', name, detail: event.detail });
    mirror();
  });
}

addEventListener('message', (event) => {
  // Only our parent, and only an origin the server lists: anything else is ignored.
  if (event.source !== parent || parent === window || !allowed.has(event.origin)) return;
  const m = event.data;
  if (!m || m[TAG] !== 1) return;
  if (m.type === 'request') return signRequest(event.origin, m);
  if (m.type !== 'jobs' || !Array.isArray(m.jobs)) return;
  page = event.origin;
  const list = read(HANDOFF);
  const seen = read(SEEN) ?? [];
  const taken = [];
  if (list) {
    for (const job of m.jobs) {
      if (!Array.isArray(job) || job.length !== 4 || !job.every(wellFormed)) continue;
      taken.push(job[0]);
      if (seen.includes(job[0]) || list.some((j) => j[0] === job[0])) continue;
      list.push(job);
      seen.push(job[0]);
    }
    // Kept here before the page lets them go.
    try {
      localStorage.setItem(HANDOFF, JSON.stringify(list));
      localStorage.setItem(SEEN, JSON.stringify(seen.slice(-1000)));
    } catch {
      taken.length = 0;
    }
  }
  // Receipts the page signed itself before the site turned frame mode on (same-origin mode,
  // the page's own key) and could not deliver then: the page no longer loads the module that
  // would send them, so they join this outbox as they are and are delivered, retried and
  // reported like this frame's own. The receipts module never signs them again (another
  // key), and sends them here, to this origin's /v1/receipts.
  const outboxTaken = [];
  const outbox = Array.isArray(m.outbox) && m.outbox.length ? read(OUTBOX) : null;
  if (outbox) {
    for (const e of m.outbox.slice(0, 100)) {
      if (!e || !wellFormed(e.id) || !wellFormed(e.envelope) || e.envelope.length > 64 * 1024) continue;
      outboxTaken.push(e.id);
      if (outbox.some((x) => x && x.id === e.id)) continue;
      outbox.push({
        id: e.id,
        envelope: e.envelope,
        status: 'queued',
        queued_at: Number.isSafeInteger(e.queued_at) ? e.queued_at : Date.now(),
        attempts: Number.isSafeInteger(e.attempts) && e.attempts >= 0 ? e.attempts : 0,
      });
    }
    // Bounded: a page script could fill the page's outbox with junk, and this storage must
    // keep room for the frame's own receipts. Past the bound the page keeps them.
    const text = JSON.stringify(outbox);
    try {
      if (text.length > OUTBOX_TAKE_MAX) throw new RangeError('outbox bound');
      localStorage.setItem(OUTBOX, text);
    } catch {
      outboxTaken.length = 0;
    }
  }
  tell({ type: 'taken', ids: taken, outbox: outboxTaken });
  loaded.then(
    () => resend(host, endpoint),
    (e) => tell({ type: 'event', name: 'error', detail: { code: 'receipts_unavailable', message: String(e) } }),
  );
  mirror();
});

// A data-subject request: the draft alone, to the receipts module's `request`, which refuses
// anything that is not a request draft (a receipt, a job, a payload: `request_invalid`) and
// signs nothing then. The page hears the outcome under the id it gave.
function signRequest(origin, m) {
  if (!Number.isSafeInteger(m.id)) return;
  page = origin;
  const answer = (outcome) => tell({ type: 'requested', id: m.id, outcome });
  const failed = (code) => answer(JSON.stringify({ code, outcome: 'failed' }));
  if (!wellFormed(m.draft) || m.draft.length > DRAFT_MAX) return failed('request_invalid');
  loaded.then(() => request(endpoint, m.draft)).then(answer, () => failed('receipts_unavailable'));
}

// Whoever framed us (if allowed) hears that we are ready; other origins hear nothing.
for (const origin of allowed) parent.postMessage({ [TAG]: 1, type: 'ready' }, origin);
