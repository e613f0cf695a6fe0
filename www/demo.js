// The demo support site embeds Consentry exactly as a web developer would: one ES module
// import, one mount call, and DOM events. No inline script (the page runs under a strict CSP).
import { Consentry } from '/widget/consentry-widget.js';

const params = new URLSearchParams(location.search);
const host = document.getElementById('consentry');

// The demo runs the receipt server on an origin of its own, with its signing frame (the
// device key never touches this page): `<meta name="consentry-signer">` names it.
const signer = document.querySelector('meta[name="consentry-signer"]')?.content || undefined;
const receipts = signer ? new URL('/v1/receipts', signer).href : '/v1/receipts';

const handle = Consentry.mount(host, {
  manifestUrl: '/notice/manifest.json',
  endpoint: receipts,
  signer,
  language: params.get('lang') ?? undefined,
  region: params.get('region') ?? undefined,
});

const decisionStatus = document.getElementById('decision-status');
const receiptStatus = document.getElementById('receipt-status');

host.addEventListener('consentry:change', (event) => {
  const { decisions, version } = event.detail;
  const on = Object.entries(decisions).filter(([, v]) => v).map(([k]) => k);
  decisionStatus.textContent =
    `Notice version ${version}. Allowed: ${on.length ? on.join(', ') : 'nothing optional'}.`;
});

host.addEventListener('consentry:receipt', (event) => {
  const { receiptId, status } = event.detail;
  receiptStatus.replaceChildren();
  if (status === 'stored') {
    const link = document.createElement('a');
    link.href = `${receipts}/${encodeURIComponent(receiptId)}`;
    link.textContent = receiptId;
    receiptStatus.append('Signed receipt stored by the server: ', link);
  } else {
    receiptStatus.textContent = `Receipt ${receiptId}: ${status}.`;
  }
});

host.addEventListener('consentry:error', (event) => {
  decisionStatus.textContent = `The privacy notice could not be loaded (${event.detail.code}).`;
});

document.getElementById('privacy-settings').addEventListener('click', () => handle.show());

document.getElementById('start-chat').addEventListener('click', () => {
  document.getElementById('chat-status').textContent =
    'This is a demo: no agent is connected.';
});
