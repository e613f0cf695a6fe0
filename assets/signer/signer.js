// Consentry signing frame (ADR 0012): served by the receipt server at /signer/, framed by the
// sites it lists (--signer-origin), and the only place that holds the device key. It runs the
// receipts module (crates/consentry-receipts, the same pipeline as same-origin mode) on this
// origin's storage: the job is decoded and checked against its first layer, the receipt built
// by core, signed with this origin's non-extractable key (IndexedDB), chained, written to the
// outbox and POSTed to this origin's /v1/receipts, with retries. The embedding page only sends
// jobs and hears the outcome; it can neither read nor replace the key.
import init, { resend } from './consentry-receipts.js';

const TAG = 'consentry-signer';
const HANDOFF = 'consentry:handoff';
const OUTBOX = 'consentry:outbox';
// Receipt ids of jobs this frame has taken (bounded): a job sent again is not signed twice.
const SEEN = 'consentry:signer:seen';
const MIRRORED = /^consentry:(receipt:[^\n]+|receipt-ack)$/;

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
  if (!m || m[TAG] !== 1 || m.type !== 'jobs' || !Array.isArray(m.jobs)) return;
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
  tell({ type: 'taken', ids: taken });
  loaded.then(
    () => resend(host, endpoint),
    (e) => tell({ type: 'event', name: 'error', detail: { code: 'receipts_unavailable', message: String(e) } }),
  );
  mirror();
});

// Whoever framed us (if allowed) hears that we are ready; other origins hear nothing.
for (const origin of allowed) parent.postMessage({ [TAG]: 1, type: 'ready' }, origin);
