// Shared by the end-to-end pages: mounts the widget on #consentry from the query string
// (manifest, language, region, edgeRegion, link, expiryDays, signer, allowFramedBy) and, when the
// page's <body> carries data-consent-mode, with that Google Consent Mode mapping. No inline script anywhere.
import { Consentry } from '/widget/consentry-widget.js';

const params = new URLSearchParams(location.search);
const options = {
  manifestUrl: params.get('manifest') ?? '/notice/manifest.json',
  endpoint: '/v1/receipts',
};
for (const key of ['language', 'region', 'edgeRegion', 'link']) {
  const v = params.get(key);
  if (v) options[key] = v;
}
// Frame mode (ADR 0012): the signing frame on the receipt server's origin.
if (params.get('signer')) options.signer = params.get('signer');
if (params.get('expiryDays')) options.expiryDays = Number(params.get('expiryDays'));
if (params.get('allowFramedBy')) options.allowFramedBy = params.getAll('allowFramedBy');
if (document.body.dataset.consentMode) options.consentMode = JSON.parse(document.body.dataset.consentMode);

Consentry.mount(document.getElementById('consentry'), options);

// The page's own view of the consent state, for people reading it.
const status = document.getElementById('status');
if (status) {
  Consentry.on('change', ({ decisions }) => {
    const on = Object.entries(decisions).filter(([, v]) => v).map(([k]) => k);
    status.textContent = `Allowed: ${on.join(', ') || 'nothing optional'}.`;
  });
}
