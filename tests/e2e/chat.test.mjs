// The chat asks before a transcript is kept (issue 15 items 3 and 5), with the real receipt
// server, the demo's real transcript store (consentry-demo-services) and a real browser:
// opening a chat gets a link token for the session, the consent widget is mounted with it,
// and the store asks `POST /v1/consent/check` for that session before it keeps each message.
// Nothing is kept before a yes or after a no; the receipt is bound to the chat session on the
// online_chat channel; the kept transcript carries the signed answer it rests on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createInterface } from 'node:readline';
import {
  SERVER_BIN, startServer, launchBrowser, openPage, ready, recordEvents, waitFor, storedRows, payloadOf,
  serverCommand,
} from './harness.mjs';

const SERVICES_BIN = join(dirname(SERVER_BIN), 'consentry-demo-services');

let browser;
let dir;
let server;
let services;

async function startServices(env) {
  const child = spawn(SERVICES_BIN, ['--listen', '127.0.0.1:0', '--receipt-server', server.url, '--allow-origin', server.url, '--data', join(dir, 'services'), '--ticket-page', `${server.url}/ticket.html`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const err = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => err.push(d));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`services did not start:\n${err.join('')}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`services exited with ${code}:\n${err.join('')}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  return { child, url };
}

before(async () => {
  browser = await launchBrowser();
  dir = await mkdtemp(join(tmpdir(), 'consentry-chat-'));
  const tokens = join(dir, 'service-tokens.json');
  const store = await serverCommand(['service-token', 'add', '--file', tokens, '--name', 'transcript-store', '--purpose', 'chat-transcript', '--link', 'online_chat', '--link-kind', 'ticket']);
  const recorder = await serverCommand(['service-token', 'add', '--file', tokens, '--name', 'call-recorder', '--purpose', 'hotline-call-recording']);
  const mailbox = await serverCommand(['service-token', 'add', '--file', tokens, '--name', 'mailbox', '--link', 'support_mailbox', '--link-kind', 'email']);
  server = await startServer({ extraArgs: ['--service-tokens', tokens] });
  services = await startServices({ CONSENTRY_TRANSCRIPT_STORE_TOKEN: store, CONSENTRY_CALL_RECORDER_TOKEN: recorder, CONSENTRY_MAILBOX_TOKEN: mailbox });
});

after(async () => {
  await browser?.close();
  if (services && services.child.exitCode === null) {
    const exited = once(services.child, 'exit');
    process.kill(services.child.pid, 'SIGTERM');
    await exited;
  }
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Opens the chat page, starts a chat; resolves to { page, events, session }. */
async function startChat(context) {
  const events = await recordEvents(context);
  const { page, problems } = await openPage(context, `${server.url}/chat.html?region=DE&services=${encodeURIComponent(services.url)}`);
  const opened = page.waitForResponse((r) => r.url().endsWith('/chat/sessions') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Start a chat' }).click();
  const session = (await (await opened).json()).session;
  await ready(page);
  return { page, events, session, problems };
}

async function send(page, text) {
  const answered = page.waitForResponse((r) => r.url().includes('/messages'));
  await page.getByLabel('Your message').fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  return (await answered).json();
}

const transcript = async (session) => (await (await fetch(`${services.url}/chat/sessions/${session}/transcript`)).json()).kept;

test('nothing is kept before a yes; after the yes the store keeps the chat with the answer it asked for', async () => {
  const context = await browser.newContext();
  try {
    const { page, events, session, problems } = await startChat(context);
    // A message while the banner still asks (sent as the chat page sends it): delivered,
    // not kept, because nobody has said yes for this session.
    const first = await (await fetch(`${services.url}/chat/sessions/${session}/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'My router restarts every night.' }),
    })).json();
    assert.deepEqual([first.delivered, first.kept, first.reason], [true, false, 'no_receipt']);

    await page.getByTestId('consentry-accept-all').click();
    await waitFor('the stored receipt', () => events.find((e) => e.type === 'receipt' && e.detail.status === 'stored'));
    // PIPL's own step for the transfer to Singapore follows "accept all"; the visitor leaves
    // it for later.
    await page.getByTestId('consentry-separate').waitFor();
    await page.getByTestId('consentry-close').click();
    await page.getByTestId('consentry-separate').waitFor({ state: 'detached' });
    const [row] = await storedRows(server);
    const receipt = payloadOf(JSON.parse(row.bytes.toString('utf8')));
    assert.equal(receipt.event.channel, 'online_chat');
    const claims = JSON.parse(Buffer.from(receipt.link.split('.')[1], 'base64url'));
    assert.equal(claims.ticket, session, 'the receipt is bound to this chat session');

    const second = await send(page, 'It is the model LW-200.');
    assert.deepEqual([second.kept, second.reason], [true, 'given']);
    await page.getByText('This chat is being kept as a transcript, as you allowed.').waitFor();
    const kept = await transcript(session);
    assert.deepEqual(kept.map((k) => k.text), ['It is the model LW-200.'], 'only what came after the yes');
    assert.equal(kept[0].check.answer.receipt_id, receipt.receipt_id);
    assert.equal(kept[0].check.answer.purpose, 'chat-transcript');
    assert.match(kept[0].check.jws, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a chat whose visitor says no keeps nothing, and another session is not this one', async () => {
  const context = await browser.newContext();
  try {
    const { page, events, session } = await startChat(context);
    await page.getByTestId('consentry-reject-all').click();
    await waitFor('the stored receipt', () => events.find((e) => e.type === 'receipt' && e.detail.status === 'stored'));
    const out = await send(page, 'Please call me back.');
    assert.deepEqual([out.kept, out.reason], [false, 'refused']);
    assert.deepEqual(await transcript(session), []);
    // A message to a session the store never opened is refused, not kept somewhere.
    const stray = await fetch(`${services.url}/chat/sessions/chat-unknown/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hi"}',
    });
    assert.equal(stray.status, 404);
  } finally {
    await context.close();
  }
});

test('the mailbox auto-reply carries a link to the notice for its ticket', async () => {
  const r = await fetch(`${services.url}/mail/auto-reply`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ticket: 'T-2002', email: 'Ana@Example.com' }),
  });
  assert.equal(r.status, 201);
  const mail = await r.json();
  assert.match(mail.text, /Your ticket is T-2002/);
  assert.ok(mail.text.includes(mail.link));
  const context = await browser.newContext();
  try {
    assert.match(mail.link, /\/ticket\.html#link=/, 'the token rides in the fragment, never sent to a server');
    const { page } = await openPage(context, mail.link.replace('#', '?region=DE#'));
    await page.getByText('Ticket T-2002: choose what we may do').waitFor();
    await ready(page);
  } finally {
    await context.close();
  }
});
