// A host application that installs @consentry/widget from npm and bundles it: the package
// e2e test builds this with esbuild and with Vite. The page's own code runs first and keeps
// running whatever happens to the widget.
import { Consentry } from '@consentry/widget';

document.body.dataset.hostRan = 'yes';
window.__consentry = { changes: [], receipts: [], errors: [] };
Consentry.on('change', (d) => window.__consentry.changes.push(d.method));
Consentry.on('receipt', (d) => window.__consentry.receipts.push(d));
Consentry.on('error', (d) => window.__consentry.errors.push(d));
const params = new URLSearchParams(location.search);
Consentry.mount(document.getElementById('consentry'), {
  manifestUrl: '/notice/manifest.json',
  endpoint: '/v1/receipts',
  region: params.get('region') || 'DE',
});
