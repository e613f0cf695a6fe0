// The npm package as a web developer installs it: the tarball `cargo xtask package` writes
// (CONSENTRY_PACKAGE, packed from the built site by `cargo xtask test e2e`) installed with npm
// into a small app, bundled with esbuild (with the package's plugin) and with Vite, each
// bundle served on its own (the site's /widget/ directory removed, so nothing can fall back
// to it) and run through a decision whose signed receipt the real server stores; a plain
// `<script src>` page; a page whose CSP blocks WebAssembly; `tsc --noEmit` over an example
// that uses every API and event.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer, launchBrowser, openPage, ready, storedReceipt, states, copySite, ROOT, waitFor } from './harness.mjs';

const PACKAGE = process.env.CONSENTRY_PACKAGE;
if (!PACKAGE) throw new Error('CONSENTRY_PACKAGE is not set: run the end-to-end tests through `cargo xtask test e2e`');
const FIXTURE = join(ROOT, 'tests', 'package');

let app; // the app directory (under target/, so the repository's esbuild, Vite and TypeScript resolve from it)
let site; // a copy of the built site without its widget directory, plus the apps' builds
let server;
let browser;

function run(command, args, cwd) {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(' ')} failed:\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

const PAGE = (script, { csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'", body = '<div id="consentry"></div>', classic = false } = {}) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <link rel="icon" href="/favicon.svg">
  <title>Host app</title>
  <script ${classic ? 'async' : 'type="module"'} src="${script}"></script>
</head>
<body>
  <h1>Host app</h1>
  ${body}
</body>
</html>
`;

before(async () => {
  await mkdir(join(ROOT, 'target'), { recursive: true });
  app = await mkdtemp(join(ROOT, 'target', 'package-e2e-'));
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'host-app', private: true, type: 'module' }));
  await cp(join(FIXTURE, 'src'), join(app, 'src'), { recursive: true });
  await cp(join(FIXTURE, 'example.ts'), join(app, 'example.ts'));
  await cp(join(FIXTURE, 'tsconfig.json'), join(app, 'tsconfig.json'));
  // The tarball has no dependencies: installing it needs no registry.
  await run('npm', ['install', '--no-audit', '--no-fund', '--offline', PACKAGE], app);

  const copy = await copySite();
  site = copy;
  await rm(join(site.dir, 'widget'), { recursive: true, force: true });

  // esbuild, with the package's plugin, code splitting on.
  const esbuild = await import('esbuild');
  const { consentry } = await import(pathToFileURL(join(app, 'node_modules/@consentry/widget/consentry-esbuild.js')).href);
  await esbuild.build({
    entryPoints: [join(app, 'src/main.js')],
    bundle: true,
    format: 'esm',
    splitting: true,
    minify: true,
    outdir: join(site.dir, 'app-esbuild'),
    logLevel: 'warning',
    plugins: [consentry()],
  });
  await writeFile(join(site.dir, 'app-esbuild', 'index.html'), PAGE('/app-esbuild/main.js'));

  // Vite, with no configuration beyond where to build.
  await writeFile(join(app, 'index.html'), PAGE('/src/main.js'));
  const vite = await import('vite');
  await vite.build({
    root: app,
    base: '/app-vite/',
    configFile: false,
    logLevel: 'warn',
    build: { outDir: join(site.dir, 'app-vite'), emptyOutDir: true },
  });

  // The installed package served as it is, for the plain <script src> and the CSP pages.
  await cp(join(app, 'node_modules/@consentry/widget'), join(site.dir, 'pkg'), { recursive: true });
  await mkdir(join(site.dir, 'app-script'));
  await writeFile(join(site.dir, 'app-script', 'index.html'), PAGE('/pkg/consentry-script.js', {
    classic: true,
    body: '<consentry-notice id="consentry" manifest-url="/notice/manifest.json" endpoint="/v1/receipts" region="DE"></consentry-notice>',
  }));
  await mkdir(join(site.dir, 'app-csp'));
  await writeFile(join(site.dir, 'app-csp', 'host.js'), `import { Consentry } from '/pkg/consentry-widget.js';
document.body.dataset.hostRan = 'yes';
document.addEventListener('consentry:error', (e) => { window.__error = e.detail; });
Consentry.mount(document.getElementById('consentry'), { manifestUrl: '/notice/manifest.json', endpoint: '/v1/receipts', region: 'DE' });
document.body.dataset.hostDone = 'yes';
`);
  // The site's policy without 'wasm-unsafe-eval': the browser refuses to compile any wasm.
  await writeFile(join(site.dir, 'app-csp', 'index.html'), PAGE('/app-csp/host.js', { csp: "default-src 'self'; script-src 'self'; style-src 'self'" }));

  server = await startServer({ site: site.dir });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await site?.remove();
  if (app) await rm(app, { recursive: true, force: true });
});

/** Every request the pages of `context` make, and every answer of 400 or more. */
function watch(page) {
  const requests = [];
  const failed = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  page.on('requestfailed', (r) => failed.push(`failed ${new URL(r.url()).pathname}`));
  return { requests, failed };
}

/** Rejects all on the banner (the first module; the receipts module signs and sends), checks
 *  the stored receipt, then opens the settings (the full widget). */
async function decideAndOpenSettings(page, host = '#consentry') {
  await ready(page, host);
  const posted = page.waitForResponse((r) => r.url().endsWith('/v1/receipts') && r.request().method() === 'POST');
  await page.getByTestId('consentry-reject-all').click();
  const ack = await (await posted).json();
  const { receipt } = await storedReceipt(server, ack.receipt_id);
  assert.equal(receipt.receipt_id, ack.receipt_id);
  assert.equal(states(receipt)['service-analytics'], 'refused');
  // The settings (first module, details from the details file), then the full widget (the
  // full notice) out of the same bundle.
  await page.getByTestId('consentry-privacy-settings').click();
  await page.getByTestId('consentry-settings').locator('details').first().waitFor({ state: 'attached' });
  await page.getByTestId('consentry-settings').getByTestId('consentry-open-notice').click();
  await page.getByTestId('consentry-notice').waitFor();
  return ack.receipt_id;
}

for (const [bundler, dir] of [['esbuild', 'app-esbuild'], ['Vite', 'app-vite']]) {
  test(`${bundler}: the installed package bundles, its wasm and stylesheet are copied, a decision's receipt is stored`, async () => {
    const files = await readdir(join(site.dir, dir), { recursive: true });
    assert.equal(files.filter((f) => f.endsWith('.wasm')).length, 3, `${bundler} copied the three wasm modules: ${files}`);
    assert.equal(files.filter((f) => f.endsWith('.css')).length, 1, `${bundler} copied the stylesheet: ${files}`);
    const context = await browser.newContext();
    const { requests, failed } = watch(context);
    const { page, problems } = await openPage(context, `${server.url}/${dir}/`);
    await decideAndOpenSettings(page);
    assert.equal(await page.evaluate(() => document.body.dataset.hostRan), 'yes');
    assert.deepEqual(await page.evaluate(() => window.__consentry.changes), ['reject_all']);
    await waitFor('the receipt event', () => page.evaluate(() => window.__consentry.receipts.some((r) => r.status === 'stored')));
    assert.deepEqual(await page.evaluate(() => window.__consentry.errors), []);
    // Every module and the stylesheet came from the bundle's own directory.
    const widgetFiles = requests.filter((p) => /\.(wasm|css)$/.test(p));
    assert.equal(widgetFiles.filter((p) => p.endsWith('.wasm')).length, 3, `fetched: ${widgetFiles}`);
    for (const p of widgetFiles) assert.ok(p.startsWith(`/${dir}/`), `${p} is served from /${dir}/`);
    // The stylesheet applies inside the shadow root.
    const styled = await page.locator('#consentry').evaluate((el) => [...el.shadowRoot.querySelectorAll('link[rel="stylesheet"]')].every((l) => l.sheet && l.sheet.cssRules.length > 0));
    assert.ok(styled, 'the stylesheet loaded inside the shadow root');
    assert.deepEqual(failed, []);
    assert.deepEqual(problems, [], `requests: ${requests.join(' ')}`);
    await context.close();
  });
}

test('a plain <script src> page: the custom element from the installed package runs a decision', async () => {
  const context = await browser.newContext();
  const { failed } = watch(context);
  const { page, problems } = await openPage(context, `${server.url}/app-script/`);
  await ready(page, 'consentry-notice');
  const posted = page.waitForResponse((r) => r.url().endsWith('/v1/receipts') && r.request().method() === 'POST');
  await page.getByTestId('consentry-reject-all').click();
  const ack = await (await posted).json();
  const { receipt } = await storedReceipt(server, ack.receipt_id);
  assert.equal(states(receipt)['service-analytics'], 'refused');
  // A classic script reaches the API once the element is defined.
  assert.equal(await page.evaluate(() => customElements.whenDefined('consentry-notice').then(() => typeof Consentry.get())), 'object');
  assert.deepEqual(failed, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a CSP without 'wasm-unsafe-eval': importing does not throw, the host's code runs, the widget reports consentry:error", async () => {
  const context = await browser.newContext();
  const { page } = await openPage(context, `${server.url}/app-csp/`);
  await page.locator('#consentry[data-consentry-state="error"]').waitFor({ state: 'attached' });
  assert.equal(await page.evaluate(() => document.body.dataset.hostRan), 'yes');
  assert.equal(await page.evaluate(() => document.body.dataset.hostDone), 'yes', 'mount returned without throwing');
  const error = await page.evaluate(() => window.__error);
  assert.equal(error.code, 'widget_unavailable');
  assert.match(error.message, /wasm-unsafe-eval/);
  // Nothing was decided or sent.
  assert.equal(await page.evaluate(() => Consentry.get('service-analytics')), false);
  await context.close();
});

test('the types: tsc --noEmit accepts every API and event of the example and rejects each misuse', async () => {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  await run('node', [tsc, '--noEmit', '-p', join(app, 'tsconfig.json')], app);
  // The check can fail: a misuse without its @ts-expect-error is an error.
  const example = await readFile(join(app, 'example.ts'), 'utf8');
  await writeFile(join(app, 'example.ts'), example.replace('// @ts-expect-error an unknown event\n', ''));
  await assert.rejects(run('node', [tsc, '--noEmit', '-p', join(app, 'tsconfig.json')], app), /Argument of type '"nope"'/);
  await writeFile(join(app, 'example.ts'), example);
  // The values the types declare are exactly the module's exports (the old types declared a
  // ConsentryNotice class the module never exported).
  const ts = (await import('typescript')).default;
  const dts = join(app, 'node_modules/@consentry/widget/consentry-widget.d.ts');
  const program = ts.createProgram([dts], { noEmit: true, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'] });
  const checker = program.getTypeChecker();
  const declared = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(dts)))
    .filter((s) => s.flags & ts.SymbolFlags.Value)
    .map((s) => s.name)
    .sort();
  const context = await browser.newContext();
  const { page } = await openPage(context, `${server.url}/app-script/`);
  const exported = await page.evaluate(() => import('/pkg/consentry-widget.js').then((m) => Object.keys(m).sort()));
  await context.close();
  assert.deepEqual(declared, exported);
  assert.deepEqual(exported, ['Consentry']);
});

test('a server-side renderer may import the package: no throw, no fetch, nothing defined but the API', async () => {
  // As Next.js, Nuxt or Astro do when a page component imports the widget (no DOM in Node).
  const out = await run('node', ['--input-type=module', '-e', `
    const m = await import('@consentry/widget');
    console.log(JSON.stringify({ keys: Object.keys(m), get: m.Consentry.get('marketing'), all: m.Consentry.get() }));
  `], app);
  assert.deepEqual(JSON.parse(out), { keys: ['Consentry'], get: false, all: {} });
});
