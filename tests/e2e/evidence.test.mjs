// The evidence pack (issue 15 item 7, ADR 0016), end to end: visitors decide in a real
// browser against the real receipt server, a real witness cosigns the log, an auditor takes
// the pack from the console (an agent may not), and the real `consentry verify --evidence`
// proves it offline with pinned keys; every kind of tampering is refused with its own code;
// the pack's report, charts included, opens under its own strict CSP with no axe violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createInterface } from 'node:readline';
import {
  SERVER_BIN, startServer, launchBrowser, openPage, ready, recordEvents, waitFor, cli, axe,
  addAccount,
} from './harness.mjs';

const WITNESS_BIN = join(dirname(SERVER_BIN), 'consentry-witness');
const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';
const PASSWORD = 'correct horse battery staple';

let browser;
let dir;
let server;
let witness;
let witnessKey;
let logKey;

/** Starts the witness for `key`; resolves to { child, url, key }. */
async function startWitness(key, stateDir) {
  const child = spawn(WITNESS_BIN, ['--listen', '127.0.0.1:0', '--log-key', key, '--state-dir', stateDir, '--name', 'e2e-witness'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const err = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => err.push(d));
  const lines = createInterface({ input: child.stdout });
  let verifier;
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`witness did not start:\n${err.join('')}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`witness exited with ${code}:\n${err.join('')}`)));
    lines.on('line', (line) => {
      const k = /^witness key: (\S+)/.exec(line);
      if (k) verifier = k[1];
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  return { child, url, key: verifier };
}

async function signIn(username) {
  const r = await fetch(`${server.url}/console/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-consentry-csrf': '1' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  assert.equal(r.status, 200, await r.text());
  return r.headers.get('set-cookie').split(';')[0];
}

const consoleGet = (path, cookie) => fetch(`${server.url}${path}`, { headers: { cookie } });

/** Decides on the demo page in region `region` with `button`; resolves once it is stored. */
async function decide(region, button) {
  const context = await browser.newContext();
  try {
    const events = await recordEvents(context);
    const { page } = await openPage(context, `${server.url}/e2e/notice.html?region=${region}`);
    await ready(page);
    await page.getByTestId(button).click();
    await waitFor(`a stored receipt (${region})`, () => events.find((e) => e.type === 'receipt' && e.detail.status === 'stored'));
  } finally {
    await context.close();
  }
}

const verifyPack = (file, extra = []) => cli(['verify', '--evidence', file, '--log-key', logKey, '--witness-key', witnessKey, '--keys', join(dir, 'keys.json'), ...extra]);

before(async () => {
  browser = await launchBrowser();
  dir = await mkdtemp(join(tmpdir(), 'consentry-evidence-'));
  const consoleDb = join(dir, 'console.sqlite');
  await addAccount(consoleDb, 'auditor.ng', 'auditor', PASSWORD);
  await addAccount(consoleDb, 'agent.li', 'agent', PASSWORD);
  const extraArgs = ['--console-db', consoleDb];
  server = await startServer({ extraArgs, env: { CONSENTRY_ADMIN_TOKEN: ADMIN_TOKEN } });
  // The witness is set up as an operator would: the log's key from its well-known file,
  // then the server restarted with the witness and its key.
  logKey = (await (await fetch(`${server.url}/.well-known/consentry/log.json`)).json()).log_key;
  witness = await startWitness(logKey, join(dir, 'witness'));
  witnessKey = witness.key;
  await server.halt();
  extraArgs.push('--witness', `${witness.url}/add-checkpoint`, '--witness-key', witnessKey, '--witness-period', '0.2');
  await server.resume();
  await writeFile(join(dir, 'keys.json'), await (await fetch(`${server.url}/.well-known/consentry/keys.json`)).text());
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (witness && witness.child.exitCode === null) {
    const exited = once(witness.child, 'exit');
    process.kill(witness.child.pid, 'SIGTERM');
    await exited;
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('an auditor takes a witnessed evidence pack from the console and the CLI proves it; tampering is caught', async () => {
  const from = new Date(Date.now() - 60_000).toISOString();
  await decide('DE', 'consentry-accept-all');
  await decide('BR', 'consentry-reject-all');
  const cosigned = async (size) => {
    const note = await (await fetch(`${server.url}/v1/log/checkpoint`)).text();
    return note.split('\n')[1] === String(size) && note.includes('— e2e-witness ') && note;
  };
  const older = await waitFor('a cosigned checkpoint of size 2', () => cosigned(2));
  await decide('FR', 'consentry-accept-all');
  const to = new Date(Date.now() + 60_000).toISOString();
  // The witness cosigns the tree of all three receipts.
  await waitFor('a cosigned checkpoint of size 3', () => cosigned(3));

  const query = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  const agent = await signIn('agent.li');
  assert.equal((await consoleGet(`/console/api/evidence?${query}`, agent)).status, 403, 'an agent may not take evidence');
  assert.equal((await fetch(`${server.url}/console/api/evidence?${query}`)).status, 401, 'nor may anyone signed out');
  const auditor = await signIn('auditor.ng');
  const bad = await consoleGet('/console/api/evidence?from=2026-13-01&to=x', auditor);
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.code, 'invalid_query');

  const r = await consoleGet(`/console/api/evidence?${query}`, auditor);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-disposition'), /^attachment; filename="consentry-evidence-\d{8}-\d{8}\.html"$/);
  const csp = r.headers.get('content-security-policy');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/]+=*'/);
  const html = await r.text();
  const pack = join(dir, 'pack.html');
  await writeFile(pack, html);

  // The same pack through the admin token.
  const admin = await fetch(`${server.url}/v1/admin/evidence?${query}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  assert.equal(admin.status, 200);

  // The audit trail shows who took what, and who was refused.
  const trail = (await (await consoleGet('/console/api/audit', auditor)).json());
  assert.equal(trail.intact, true);
  const rows = trail.entries.map((e) => [e.actor, e.action, e.detail]);
  assert.ok(rows.some(([a, act, d]) => a === 'auditor.ng' && act === 'evidence_export' && d.includes(from.slice(0, 19))), JSON.stringify(rows));
  assert.ok(rows.some(([a, act, d]) => a === 'agent.li' && act === 'forbidden' && d.startsWith('/console/api/evidence')));

  // Offline, with the keys pinned: everything holds, and the output says what it proves.
  const ok = await verifyPack(pack);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /ledger: +3 entries from the first, hash chain intact/);
  assert.match(ok.stdout, /witnesses: e2e-witness at unix \d+/);
  assert.match(ok.stdout, /report: +3 receipts in scope/);
  assert.match(ok.stdout, /trusted: +server keys: given with --keys/);

  // Tampering, one kind at a time: each is refused with its own code.
  const data = html.slice(html.indexOf('<script type="application/json"'));
  const report = html.slice(0, html.length - data.length);
  const tampered = async (name, text, code) => {
    assert.ok(text !== html, `${name}: the tampering changed nothing`);
    const f = join(dir, `${name}.html`);
    await writeFile(f, text);
    const res = await verifyPack(f);
    assert.equal(res.code, 1, `${name}: ${res.stdout}${res.stderr}`);
    assert.match(res.stderr, new RegExp(`\\[${code}\\]`), `${name}: ${res.stderr}`);
  };
  // A number of the report (the first count of the summary table).
  await tampered('report-number', report.replace(/<td class="n">(\d+)<\/td>/, (_, n) => `<td class="n">${Number(n) + 1}</td>`) + data, 'evidence_report_mismatch');
  // A receipt's server time, in the data.
  await tampered('received-at', report + data.replace(/\\"recv\\":\\"(\d{4})/, (_, y) => `\\"recv\\":\\"${Number(y) + 1}`), 'ledger_entry_mismatch');
  // The last receipt dropped: the ledger no longer makes the witnessed tree.
  const lines = data.split('\\n');
  const lastEntry = lines.findLastIndex((l) => l.includes('entry_hash'));
  await tampered('dropped', report + [...lines.slice(0, lastEntry), ...lines.slice(lastEntry + 1)].join('\\n'), 'log_inconsistent');
  // An older (genuine, witnessed) checkpoint: the third entry would be outside every tree.
  const noteOf = (text) => JSON.stringify(text).slice(1, -1).replaceAll('<', '\\u003c');
  const current = JSON.parse(data.slice(data.indexOf('>') + 1, data.lastIndexOf('</script>'))).log.checkpoint;
  assert.ok(data.includes(noteOf(current)));
  await tampered('older-checkpoint', report + data.replace(noteOf(current), noteOf(older)), 'log_inconsistent');
  // A word of a published notice.
  await tampered('notice-word', report + data.replace(/(\\"retention\\":\\")(\w)/, (_, a, c) => `${a}${c === 'X' ? 'Y' : 'X'}`), 'notice_build_invalid');
  // A notice build listed under another version than the one it holds.
  await tampered('notice-label', report + data.replace(/("notice_id":"[^"]+","version":")([^"]+)"/, (_, a, v) => `${a}${v}-relabelled"`), 'notice_build_invalid');
  // A checkpoint signature.
  await tampered('checkpoint', report + data.replace(/(— [^ ]+ )([A-Za-z0-9+/])/, (_, a, c) => `${a}${c === 'A' ? 'B' : 'A'}`), 'checkpoint_signature_invalid');
  // The pinned witness is not the one that cosigned.
  const other = await cli(['verify', '--evidence', pack, '--log-key', logKey, '--witness-key', witnessKey.replace(/\+[^+]*$/, '+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')]);
  assert.notEqual(other.code, 0, `${other.stdout}${other.stderr}`);
  // Not a pack at all.
  await writeFile(join(dir, 'page.html'), '<!doctype html><title>x</title>');
  const notPack = await cli(['verify', '--evidence', join(dir, 'page.html')]);
  assert.equal(notPack.code, 1);
  assert.match(notPack.stderr, /\[evidence_malformed\]/);

  // The report opens as served (its own CSP), its charts drawn from the three receipts, and
  // passes axe.
  const context = await browser.newContext();
  try {
    await context.route('http://evidence.test/pack.html', (route) => route.fulfill({
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp },
      body: html,
    }));
    const page = await context.newPage();
    const violations = [];
    page.on('console', (m) => { if (m.type() === 'error') violations.push(m.text()); });
    await page.goto('http://evidence.test/pack.html');
    assert.ok(await page.locator('svg[role="img"]').count() >= 1, 'at least one chart');
    assert.equal(await page.locator('main h2').first().evaluate((h) => getComputedStyle(h).borderBottomStyle), 'solid', 'the stylesheet applies under the CSP');
    const rowsShown = await page.locator('table').last().locator('tbody tr').count();
    assert.equal(rowsShown, 3, 'every receipt in scope is listed');
    assert.deepEqual(await axe(page, 'main'), []);
    assert.deepEqual(violations, []);
  } finally {
    await context.close();
  }
});
