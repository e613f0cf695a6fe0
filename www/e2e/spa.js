// A single-page app in miniature: every "route" renders a fresh outlet with its own widget
// host, and the previous route's widget is unmounted first, as a framework's cleanup would.
import { Consentry } from '/widget/consentry-widget.js';

const outlet = document.getElementById('outlet');
const options = { manifestUrl: '/notice/manifest.json', endpoint: '/v1/receipts', region: 'DE' };
let handle = null;
let route = 0;

function settled(el) {
  return new Promise((resolve) => {
    const done = () => {
      el.removeEventListener('consentry:ready', done);
      el.removeEventListener('consentry:error', done);
      resolve();
    };
    el.addEventListener('consentry:ready', done);
    el.addEventListener('consentry:error', done);
  });
}

/** Navigates to the next route; resolves when its widget is ready (or at once). */
async function navigate({ wait = true } = {}) {
  handle?.unmount();
  route += 1;
  const host = document.createElement('div');
  host.className = 'consentry-host';
  host.dataset.route = String(route);
  outlet.replaceChildren(host);
  const ready = settled(host);
  handle = Consentry.mount(host, options);
  // Every other time, the same host is mounted twice: the second replaces the first.
  if (route % 2 === 0) handle = Consentry.mount(host, options);
  if (wait) await ready;
}

window.spa = {
  navigate,
  async cycle(n, opts) {
    for (let i = 0; i < n; i += 1) await navigate(opts);
  },
  widgets() {
    return [...document.querySelectorAll('*')].filter((el) => el.shadowRoot?.querySelector('.cy')).length;
  },
};

document.getElementById('next-route').addEventListener('click', () => navigate());
navigate();
