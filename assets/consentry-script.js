// Consentry for a plain <script src>: no module script, no bundler.
//
//   <script src="/widget/consentry-script.js" async></script>
//   <consentry-notice manifest-url="/notice/manifest.json" endpoint="/v1/receipts"></consentry-notice>
//
// It imports the ES module beside it (consentry-widget.js), which defines <consentry-notice>
// and `window.Consentry`. To call the API from a classic script, wait for the element:
//
//   customElements.whenDefined('consentry-notice').then(() => Consentry.on('change', …));
//
// If the module cannot be loaded (offline, blocked), the page hears `consentry:error`
// (`widget_unavailable`) on the document and every <consentry-notice> on it gets
// data-consentry-state="error"; nothing is thrown into the page.
(function () {
  var me = document.currentScript;
  var base = (me && me.src) || document.baseURI;
  import(new URL('./consentry-widget.js', base).href).catch(function (e) {
    var message = 'the widget could not be loaded: ' + (e && e.message ? e.message : String(e));
    document.querySelectorAll('consentry-notice').forEach(function (el) {
      el.setAttribute('data-consentry-state', 'error');
    });
    document.dispatchEvent(new CustomEvent('consentry:error', {
      detail: { code: 'widget_unavailable', message: message },
    }));
  });
})();
