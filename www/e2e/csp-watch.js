// Loaded first (a classic script from 'self'): records every CSP violation on the page, so
// the page itself can report that there were none.
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
  const out = document.getElementById('csp-report');
  if (out) out.textContent = `CSP violations: ${window.__cspViolations.length}`;
});
