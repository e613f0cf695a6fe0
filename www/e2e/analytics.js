// The "analytics" script blocked on /e2e/blocking.html. When it runs it checks, itself, that
// consent was given: a run without it is recorded as a violation on the page.
(() => {
  const granted = typeof globalThis.Consentry === 'object' && globalThis.Consentry.get('service-analytics') === true;
  window.__analyticsRuns = (window.__analyticsRuns ?? 0) + 1;
  if (!granted) window.__analyticsViolations = (window.__analyticsViolations ?? 0) + 1;
  document.getElementById('analytics-log').textContent = `Analytics ran ${window.__analyticsRuns} time(s).`;
  document.getElementById('analytics-violations').textContent =
    `Runs without consent: ${window.__analyticsViolations ?? 0}`;
})();
