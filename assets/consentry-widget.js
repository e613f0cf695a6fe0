// Consentry loader: the one ES module a site imports. No build step, no eval, nothing inline.
//
//   import { Consentry } from '/widget/consentry-widget.js';
//   const handle = Consentry.mount(document.getElementById('consentry'), {
//     manifestUrl: '/notice/manifest.json', endpoint: '/v1/receipts' });
//
// Beside it: consentry.js + consentry_bg.wasm (wasm-bindgen --target web) and consentry.css.
import init, { mount } from './consentry.js';

// Streaming instantiation of consentry_bg.wasm (resolved against this module's URL).
await init();

const stylesheetUrl = new URL('./consentry.css', import.meta.url).href;

export const Consentry = {
  /**
   * Mounts the widget into an open shadow root of `el`; see `mount` in consentry.js for the
   * options. The widget's own stylesheet is linked unless `opts.stylesheetUrl` says otherwise.
   * Throws an Error with a clear message on a missing element or bad options.
   */
  mount(el, opts) {
    const withCss = opts !== null && typeof opts === 'object' && !Array.isArray(opts)
      ? { stylesheetUrl, ...opts }
      : opts; // let the widget report the bad value
    return mount(el, withCss);
  },
};

globalThis.Consentry = Consentry;
