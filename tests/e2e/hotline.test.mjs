// The hotline (issue 15 item 2, ADR 0018), in a real browser against the real receipt server:
// an agent signs in to the console, which makes and registers the workstation's
// non-extractable key; the agent takes a call from China in Chinese, reads the script of the
// published notice (the cross-border transfer asked on its own page, apart from the other
// questions, as PIPL Art. 39 requires), and records the answers; the console signs the
// receipt with the agent's key and the caller is read a code. The call recorder's check by
// phone number then says yes, the caller looks the receipt up on the web with the code (and
// nothing else), the receipt verifies offline, and a second call where the caller says no
// stops the next recording check.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startServer, launchBrowser, axe, addAccount, serverCommand, cli, NOTICES,
} from './harness.mjs';

const PASSWORD = 'correct horse battery staple';
const PHONE = '+86 138 0013 8000';

let browser;
let dir;
let server;
let recorderToken;

async function recordingCheck() {
  const r = await fetch(`${server.url}/v1/consent/check`, {
    method: 'POST',
    headers: { authorization: `Bearer ${recorderToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      identifier: { kind: 'phone', value: '+8613800138000' }, purpose: 'hotline-call-recording',
    }),
  });
  assert.equal(r.status, 200);
  return (await r.json()).answer;
}

/** A console page of its own context, signed in as `name`. */
async function signedIn(name) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${server.url}/console/`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: `Signed in as ${name}` }).waitFor();
  return { context, page, problems };
}

/** The agent's hotline view. */
async function agentDesk() {
  const { context, page, problems } = await signedIn('agent.li');
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Hotline call' }).click();
  await page.getByRole('heading', { name: 'Hotline call' }).waitFor();
  await page.getByLabel("Caller's language").waitFor();
  return { context, page, problems };
}

async function startCall(page, callRef) {
  await page.getByLabel("Caller's language").selectOption('zh-CN');
  await page.getByLabel("Caller's region").selectOption('CN');
  await page.getByLabel('The caller is known by').selectOption('phone');
  await page.getByLabel(/^Number/).fill(PHONE);
  await page.getByLabel(/^Call reference/).fill(callRef);
  await page.getByRole('button', { name: 'Start the script' }).click();
  await page.getByRole('heading', { name: 'Read to the caller' }).waitFor();
}

before(async () => {
  browser = await launchBrowser();
  dir = await mkdtemp(join(tmpdir(), 'consentry-hotline-'));
  const db = join(dir, 'console.sqlite');
  await addAccount(db, 'agent.li', 'agent', PASSWORD);
  await addAccount(db, 'dpo.weber', 'dpo', PASSWORD);
  const tokens = join(dir, 'service-tokens.json');
  recorderToken = await serverCommand(['service-token', 'add', '--file', tokens, '--name', 'call-recorder', '--purpose', 'hotline-call-recording']);
  server = await startServer({ extraArgs: ['--console-db', db, '--service-tokens', tokens] });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

let code;

test('an agent records a caller\'s answers in Chinese for China, the separate question on its own', async () => {
  assert.equal((await recordingCheck()).reason, 'no_receipt');
  const { context, page, problems } = await agentDesk();
  try {
    await startCall(page, 'CALL-CN-0001');
    const script = page.locator('form.script [lang="zh-CN"]');
    await script.waitFor();
    assert.match(await page.getByTestId('script-opening').innerText(), /感谢您致电/);
    assert.match(await page.getByTestId('statement-service-delivery').innerText(), /保修/);
    const recording = page.getByTestId('question-hotline-call-recording');
    assert.match(await recording.innerText(), /录音/);
    // The transfer abroad is not among the ordinary questions: it has a page of its own.
    assert.equal(await page.getByTestId('question-cross-border-transfer').count(), 0);
    assert.equal(await page.getByTestId('separate-cross-border-transfer').count(), 0);
    assert.deepEqual(await axe(page, '#console'), []);
    // Moving on without an answer is refused.
    await page.getByRole('button', { name: 'Next question' }).click();
    await page.getByRole('alert').filter({ hasText: 'Record the caller' }).waitFor();
    await recording.getByLabel('我同意', { exact: true }).check();
    await page.getByRole('button', { name: 'Next question' }).click();

    await page.getByRole('heading', { name: 'Separate consent: question 1 of 1 (ask it on its own)' }).waitFor();
    const separate = page.getByTestId('separate-cross-border-transfer');
    const text = await separate.innerText();
    assert.match(text, /单独同意/);
    assert.match(text, /新加坡/);
    assert.equal(await page.getByTestId('question-hotline-call-recording').count(), 0, 'asked alone');
    assert.deepEqual(await axe(page, '#console'), []);
    await separate.getByLabel('我同意', { exact: true }).check();
    await page.getByRole('button', { name: 'Record the answers' }).click();

    code = (await page.getByTestId('receipt-code').innerText()).trim();
    assert.match(code, /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    const closing = await page.getByTestId('script-closing').innerText();
    assert.ok(closing.includes(code), closing);
    assert.equal(await page.getByTestId('script-closing').getAttribute('lang'), 'zh-CN');
    assert.deepEqual(await axe(page, '#console'), []);
    assert.deepEqual(problems.filter((p) => !/status of 401/.test(p)), []);
  } finally {
    await context.close();
  }
  // The call recorder asks by the caller's phone number: yes, on the hotline receipt.
  const yes = await recordingCheck();
  assert.deepEqual([yes.allowed, yes.state, yes.region, yes.regime], [true, 'given', 'CN', 'cn-pipl']);
});

test('the caller looks the receipt up with the code, and only with it; it verifies offline', async () => {
  assert.ok(code, 'the first test recorded a call');
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/receipt.html`);
    // A code that is nobody's.
    await page.getByLabel('Receipt code').fill('ABCDE-FGHJK');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('status').filter({ hasText: 'We have no receipt with this code' }).waitFor();
    // The caller types it as heard: lower case, a space for the dash.
    await page.getByLabel('Receipt code').fill(code.toLowerCase().replace('-', ' '));
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('heading', { name: 'Your recorded answers' }).waitFor();
    const items = page.locator('#result-decisions li');
    assert.deepEqual(
      await items.evaluateAll((li) => li.map((l) => l.dataset.purpose)),
      ['service-delivery', 'hotline-call-recording', 'cross-border-transfer'],
      'only what was read out on the call',
    );
    const transfer = await page.locator('li[data-purpose="cross-border-transfer"]').innerText();
    assert.match(transfer, /Yes, you agreed \(asked separately\)/);
    assert.equal(await page.locator('#result-decisions').getAttribute('lang'), 'zh-CN');
    assert.match(await page.locator('#result-facts').innerText(), /CALL-CN-0001/);
    assert.deepEqual(await axe(page, 'main'), []);
  } finally {
    await context.close();
  }
  // The signed receipt verifies offline with the server's and the agents' published keys.
  const found = await (await fetch(`${server.url}/v1/receipts/lookup`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }),
  })).json();
  const files = await mkdtemp(join(tmpdir(), 'consentry-hotline-verify-'));
  try {
    await writeFile(join(files, 'receipt.json'), JSON.stringify(found.receipt));
    await writeFile(join(files, 'keys.json'), await (await fetch(`${server.url}/.well-known/consentry/keys.json`)).text());
    await writeFile(join(files, 'agents.json'), await (await fetch(`${server.url}/.well-known/consentry/agent-keys.json`)).text());
    const args = ['verify', join(files, 'receipt.json'), '--notices', NOTICES, '--keys', join(files, 'keys.json')];
    const ok = await cli([...args, '--agent-keys', join(files, 'agents.json')]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    // Without the agent key set an agent's receipt proves nothing.
    const without = await cli(args);
    assert.notEqual(without.code, 0);
    assert.match(without.stdout + without.stderr, /agent_key_unknown/);
  } finally {
    await rm(files, { recursive: true, force: true });
  }
});

test('a second call: the caller says no, which stops the next recording check, and asks for deletion', async () => {
  const { context, page } = await agentDesk();
  try {
    await startCall(page, 'CALL-CN-0002');
    await page.getByTestId('question-hotline-call-recording').getByLabel('我不同意', { exact: true }).check();
    await page.getByRole('button', { name: 'Next question' }).click();
    await page.getByTestId('separate-cross-border-transfer').getByLabel('我同意', { exact: true }).check();
    await page.getByRole('button', { name: 'Record the answers' }).click();
    await page.getByTestId('receipt-code').waitFor();
    // The caller also asks for their data to be deleted: the agent records the request,
    // signed with the agent's key and naming this call's receipt.
    await page.getByRole('combobox', { name: 'The caller asks for' }).selectOption('erasure');
    await page.getByLabel(/In the caller's words/).fill('请删除我的通话录音。');
    await page.getByRole('button', { name: 'Record the request' }).click();
    const done = await page.locator('#request-outcome').innerText();
    assert.match(done, /Request recorded: deletion of their data/);
    assert.deepEqual(await axe(page, '#console'), []);
  } finally {
    await context.close();
  }
  const no = await recordingCheck();
  assert.deepEqual([no.allowed, no.state], [false, 'withdrawn']);

  // The DPO sees it in the queue with PIPL's 15 days, and records who handled it.
  const dpo = await signedIn('dpo.weber');
  try {
    await dpo.page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Requests' }).click();
    await dpo.page.getByRole('heading', { name: 'Data-subject requests' }).waitFor();
    const row = dpo.page.locator('table tbody tr').first();
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    assert.match(cells.join(' | '), /Deletion/);
    assert.match(cells.join(' | '), /cn-pipl|PIPL/);
    assert.match(cells.join(' | '), /15 days left/);
    assert.match(await dpo.page.locator('section').filter({ hasText: '请删除我的通话录音' }).innerText(), /agent\.li/);
    assert.deepEqual(await axe(dpo.page, '#console'), []);
    // Carrying out the deletion: the DPO unlinks the caller's number. The receipts stay, but
    // the recorder's next check finds no receipt for the number at all.
    const form = dpo.page.getByRole('form', { name: /^Unlink an identifier/ });
    await form.getByLabel('Identifier').selectOption('phone');
    await form.getByLabel('Its value').fill(PHONE);
    // First what the number is here; nothing is destroyed yet.
    await form.getByRole('button', { name: 'Check' }).click();
    const seen = await form.getByRole('status').innerText();
    assert.match(seen, /It has a key of its own here, and 2 receipts carry it\./);
    assert.match(seen, /It is the identifier this request's receipt is linked to\./);
    assert.equal((await recordingCheck()).receipt_id !== null, true, 'a preview unlinks nothing');
    await form.getByRole('button', { name: 'Unlink it' }).click();
    await form.getByText(/^Unlinked: its key is destroyed/).waitFor();
    assert.equal(await form.getByLabel('Its value').inputValue(), '', 'the number is not kept on the page');
    assert.deepEqual(await axe(dpo.page, '#console'), []);
    const gone = await recordingCheck();
    assert.deepEqual([gone.allowed, gone.subject_ref, gone.receipt_id], [false, null, null]);
    await dpo.page.getByRole('combobox', { name: 'Next step', exact: true }).first().selectOption('completed');
    await dpo.page.getByRole('textbox', { name: /^Note/ }).first().fill('Recordings of both calls deleted.');
    await dpo.page.getByRole('button', { name: 'Record' }).first().click();
    await dpo.page.getByText(/Completed by dpo\.weber/).first().waitFor();
    assert.deepEqual(dpo.problems.filter((p) => !/status of 401/.test(p)), []);
  } finally {
    await dpo.context.close();
  }
});
