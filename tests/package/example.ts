// Every API and event of @consentry/widget as a TypeScript site uses them. `cargo xtask test
// e2e` installs the packed tarball beside this file and runs `tsc --noEmit` over it
// (tests/e2e/package.test.mjs): the types must accept each use below and reject each line
// marked @ts-expect-error (an unused @ts-expect-error is itself an error, so every one of
// those lines is checked to fail).
import {
  Consentry,
  type ChangeDetail,
  type ConsentryNoticeElement,
  type ConsentryOptions,
  type DecisionMethod,
  type ErrorCode,
  type MountHandle,
  type ReadyDetail,
  type ReceiptDetail,
  type Regime,
} from '@consentry/widget';
import { consentry } from '@consentry/widget/esbuild';
import type { Plugin } from 'esbuild';

const options: ConsentryOptions = {
  manifestUrl: '/notice/manifest.json',
  endpoint: '/v1/receipts',
  language: 'de',
  region: 'DE',
  edgeRegion: 'DE',
  expiryDays: 180,
  stylesheetUrl: '/my.css',
  consentMode: { analytics_storage: 'service-analytics', ad_storage: ['marketing', 'ads'] },
  allowFramedBy: ['https://partner.example'],
  signer: 'https://consent.example.com/signer/',
};
const host = document.getElementById('consentry');
if (host) {
  const handle: MountHandle = Consentry.mount(host, options);
  handle.show();
  handle.withdraw('service-analytics');
  handle.withdraw();
  const mounted: boolean = handle.mounted;
  if (mounted) handle.unmount();
  // @ts-expect-error `mounted` is read-only
  handle.mounted = false;
  // @ts-expect-error an unknown option (a typo of manifestUrl)
  Consentry.mount(host, { manifestURL: '/notice/manifest.json', endpoint: '/v1/receipts' });
  // @ts-expect-error `endpoint` is required
  Consentry.mount(host, { manifestUrl: '/notice/manifest.json' });
  // @ts-expect-error an unknown Google Consent Mode type
  Consentry.mount(host, { ...options, consentMode: { ads: 'marketing' } });
}
const granted: boolean = Consentry.get('service-analytics');
const all: Record<string, boolean> = Consentry.get();
Consentry.show();
Consentry.withdraw('marketing');
Consentry.withdraw();
Consentry.unmount();

// Consentry.on: each detail typed by its event, with or without the prefix.
const offs: Array<() => void> = [
  Consentry.on('ready', (d: ReadyDetail) => console.log(d.decided, d.decisions, d.regimes)),
  Consentry.on('consentry:change', (d, e) => {
    const m: DecisionMethod = d.method;
    const id: string | null = d.receiptId;
    const ev: CustomEvent<ChangeDetail> = e;
    console.log(m, id, ev.type);
  }),
  Consentry.on('receipt', (d: ReceiptDetail) => {
    const s: 'stored' | 'queued' | 'rejected' = d.status;
    console.log(s, d.attempts, d.retryInMs, d.offline);
  }),
  Consentry.on('error', (d) => {
    const code: ErrorCode = d.code;
    console.log(code, d.message);
  }),
];
offs.forEach((off) => off());
// @ts-expect-error an unknown event
Consentry.on('nope', () => {});
Consentry.on('change', (d) => {
  // @ts-expect-error `method` is one of the decision methods, not any string
  const m: 'accept' = d.method;
  console.log(m);
});

// DOM events: typed on the document, the window and elements.
document.addEventListener('consentry:change', (e) => {
  const r: Regime = e.detail.regime;
  const rs: Regime[] = e.detail.regimes;
  console.log(r, rs, e.detail.decisions, e.detail.determinedBy, e.detail.gpc);
});
window.addEventListener('consentry:receipt', (e) => console.log(e.detail.status, e.detail.code));
document.body.addEventListener('consentry:error', (e) => console.log(e.detail.code));
document.addEventListener('consentry:ready', (e) => {
  // @ts-expect-error `regime` is a known law, not any string
  const r: 'gdpr' = e.detail.regime;
  console.log(r);
});

// The custom element.
const el: ConsentryNoticeElement = document.createElement('consentry-notice');
el.setAttribute('manifest-url', '/notice/manifest.json');
el.setAttribute('endpoint', '/v1/receipts');
el.addEventListener('consentry:ready', (e) => console.log(e.detail.decisions));
document.body.append(el);
el.show();
el.withdraw('marketing');
const found = document.querySelector('consentry-notice');
found?.show();

// The global set by the module (for classic scripts after `<script src=…consentry-script.js>`).
globalThis.Consentry.get('marketing');

// The esbuild plugin.
const plugin: Plugin = consentry();
console.log(granted, all, plugin.name);
