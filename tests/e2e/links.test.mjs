// Link tokens (issue 15 items 3 and 4, ADR 0017), against the real receipt server and CLI in
// a real browser: the mailbox's auto-responder asks the server for a link scoped to a ticket;
// the page it opens shows the notice with it, and the receipt the visitor's device signs
// carries it, bound to the ticket and on the support_mailbox channel, and verifies offline.
// An altered link and an expired one are refused by the page and, if a page passes them on
// anyway, by the server; a service without the link scope gets none.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startServer, launchBrowser, openPage, ready, recordEvents, waitFor, storedRows,
  payloadOf, verify, press,
  serverCommand,
} from './harness.mjs';

let browser;
let dir;
let server;
let mailboxToken;
let recorderToken;
let crmToken;

async function issueLink(body, token = mailboxToken) {
  const r = await fetch(`${server.url}/v1/links`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}

const ticketLink = (ttl) => issueLink({
  identifier: { kind: 'ticket', value: 'T-1001' }, ticket: 'T-1001', channel: 'support_mailbox', ttl_seconds: ttl,
});

/** Flips one character of the signature (the last part). */
const altered = (token) => token.slice(0, -2) + (token.at(-2) === 'A' ? 'B' : 'A') + token.at(-1);

before(async () => {
  browser = await launchBrowser();
  dir = await mkdtemp(join(tmpdir(), 'consentry-links-'));
  const tokens = join(dir, 'service-tokens.json');
  mailboxToken = await serverCommand(['service-token', 'add', '--file', tokens, '--name', 'mailbox', '--link', 'support_mailbox', '--link-kind', 'ticket']);
  recorderToken = await serverCommand(['service-token', 'add', '--file', tokens, '--name', 'call-recorder', '--purpose', 'hotline-call-recording']);
  crmToken = await serverCommand(['service-token', 'add', '--file', tokens, '--name', 'customer-portal', '--link', 'web_settings', '--link-kind', 'customer']);
  server = await startServer({ extraArgs: ['--service-tokens', tokens] });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the mailbox link opens the notice for its ticket, and the receipt is bound to the ticket and verifies', async () => {
  const { status, body } = await ticketLink(3600);
  assert.equal(status, 201, JSON.stringify(body));
  assert.match(body.sref, /^sr2:[A-Za-z0-9_-]{43}$/);
  assert.equal(body.ticket, 'T-1001');
  // The same ticket always gives the same reference; the identifier itself is nowhere in it.
  assert.equal((await ticketLink(60)).body.sref, body.sref);

  const context = await browser.newContext();
  try {
    const events = await recordEvents(context);
    const { page, problems } = await openPage(context, `${server.url}/ticket.html?region=DE#link=${encodeURIComponent(body.token)}`);
    await page.getByText('Ticket T-1001: choose what we may do').waitFor();
    await ready(page);
    await page.getByTestId('consentry-accept-all').click();
    const stored = await waitFor('the stored receipt', () => events.find((e) => e.type === 'receipt' && e.detail.status === 'stored'));
    const rows = await storedRows(server);
    assert.equal(rows.length, 1);
    const receipt = payloadOf(JSON.parse(rows[0].bytes.toString('utf8')));
    assert.equal(receipt.receipt_id, stored.detail.receiptId);
    assert.equal(receipt.link, body.token, 'the device signed the link into the receipt');
    assert.equal(receipt.event.channel, 'support_mailbox');
    const claims = JSON.parse(Buffer.from(receipt.link.split('.')[1], 'base64url'));
    assert.equal(claims.ticket, 'T-1001');
    assert.equal(claims.sref, body.sref);
    // Offline, with the server's keys: the link's signature and time are checked too.
    const keys = await (await fetch(`${server.url}/.well-known/consentry/keys.json`)).text();
    const countersigned = await (await fetch(`${server.url}/v1/receipts/${receipt.receipt_id}`)).text();
    const checked = await verify(Buffer.from(countersigned), { keys });
    assert.equal(checked.code, 0, checked.stderr);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
  // The same link on another device (a forwarded mail, a log that kept it): refused.
  const other = await browser.newContext();
  try {
    const events = await recordEvents(other);
    const { page } = await openPage(other, `${server.url}/e2e/notice.html?region=DE&link=${encodeURIComponent(body.token)}`);
    await ready(page);
    await page.getByTestId('consentry-reject-all').click();
    const r = await waitFor('the refused receipt', () => events.find((e) => e.type === 'receipt' && e.detail.status === 'rejected'));
    assert.equal(r.detail.code, 'link_used');
    assert.equal((await storedRows(server)).length, 1);
  } finally {
    await other.close();
  }
});

test('an altered link shows no notice, and a receipt carrying one is refused', async () => {
  const { body } = await ticketLink(3600);
  const bad = altered(body.token);
  const context = await browser.newContext();
  try {
    const { page } = await openPage(context, `${server.url}/ticket.html?region=DE#link=${encodeURIComponent(bad)}`);
    await page.getByText('This link is not valid').waitFor();
    assert.equal(await page.locator('#consentry').evaluate((e) => e.shadowRoot === null), true, 'no notice');
    // A page that passes it on anyway: the device signs it, the server refuses the receipt.
    const events = await recordEvents(context);
    const direct = await openPage(context, `${server.url}/e2e/notice.html?region=DE&link=${encodeURIComponent(bad)}`);
    await ready(direct.page);
    await direct.page.getByTestId('consentry-reject-all').click();
    const r = await waitFor('the refused receipt', () => events.find((e) => e.type === 'receipt' && e.detail.status === 'rejected'));
    assert.equal(r.detail.code, 'link_invalid');
    assert.equal(r.detail.httpStatus, 422);
  } finally {
    await context.close();
  }
});

test('an expired link shows no notice; a yes carrying one is refused, a no is kept', async () => {
  const { body } = await ticketLink(1);
  await new Promise((r) => setTimeout(r, 1500));
  const status = await fetch(`${server.url}/v1/links/status`, { method: 'POST', body: JSON.stringify({ token: body.token }) });
  assert.equal(status.status, 410);
  assert.equal((await status.json()).error.code, 'link_expired');
  const context = await browser.newContext();
  try {
    const { page } = await openPage(context, `${server.url}/ticket.html?region=DE#link=${encodeURIComponent(body.token)}`);
    await page.getByText('This link has expired').waitFor();
    const events = await recordEvents(context);
    const direct = await openPage(context, `${server.url}/e2e/notice.html?region=DE&link=${encodeURIComponent(body.token)}`);
    await ready(direct.page);
    await direct.page.getByTestId('consentry-accept-all').click();
    const r = await waitFor('the refused receipt', () => events.find((e) => e.type === 'receipt' && e.detail.status === 'rejected'));
    assert.equal(r.detail.code, 'link_expired');
    // A refusal made on a link is never lost to its expiry (an outbox delivers late).
    const other = await browser.newContext();
    try {
      const later = await recordEvents(other);
      const no = await openPage(other, `${server.url}/e2e/notice.html?region=DE&link=${encodeURIComponent(body.token)}`);
      await ready(no.page);
      await no.page.getByTestId('consentry-reject-all').click();
      await waitFor('the stored refusal', () => later.find((e) => e.type === 'receipt' && e.detail.status === 'stored'));
    } finally {
      await other.close();
    }
  } finally {
    await context.close();
  }
});

test('only a service with the link scope gets a link, and a malformed request says what is wrong', async () => {
  const out = await issueLink({ identifier: { kind: 'ticket', value: 'T-1' }, channel: 'support_mailbox' }, recorderToken);
  assert.equal(out.status, 403);
  assert.equal(out.body.error.code, 'out_of_scope');
  assert.equal((await issueLink({ identifier: { kind: 'ticket', value: 'T-1' }, channel: 'online_chat' })).status, 403);
  // The mailbox knows tickets: it may not mint a token for a phone number.
  const phone = await issueLink({ identifier: { kind: 'phone', value: '+49 30 1234567' }, channel: 'support_mailbox' });
  assert.deepEqual([phone.status, phone.body.error.code], [403, 'out_of_scope']);
  assert.equal((await issueLink({ identifier: { kind: 'ticket', value: 'T-1' }, channel: 'support_mailbox' }, 'cst_nope')).status, 401);
  for (const [body, says] of [
    [{ identifier: { kind: 'ticket', value: '' }, channel: 'support_mailbox' }, '1 to 256 characters'],
    [{ identifier: { kind: 'ticket', value: 'T-1' }, channel: 'support_mailbox', ttl_seconds: 0 }, 'ttl_seconds'],
    [{ identifier: { kind: 'ticket', value: 'T-1' }, channel: 'support_mailbox', extra: 1 }, 'unknown member'],
  ]) {
    const r = await issueLink(body);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.match(r.body.error.message, new RegExp(says));
  }
  // A link mount option that is not a token fails the mount, loudly.
  const context = await browser.newContext();
  try {
    const events = await recordEvents(context);
    await openPage(context, `${server.url}/e2e/notice.html?region=DE&link=not-a-token`);
    const e = await waitFor('the mount error', () => events.find((x) => x.type === 'error'));
    assert.match(e.detail.message, /link/);
  } finally {
    await context.close();
  }
});

/** The call recorder's question, as it asks before it records a call. */
async function mayRecord(customer) {
  const r = await fetch(`${server.url}/v1/consent/check`, {
    method: 'POST',
    headers: { authorization: `Bearer ${recorderToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: { kind: 'customer', value: customer }, purpose: 'hotline-call-recording' }),
  });
  assert.equal(r.status, 200);
  return (await r.json()).answer;
}

test('a withdrawal on the web stops the next call recording check for the same customer', async () => {
  const { status, body } = await issueLink({ identifier: { kind: 'customer', value: 'C-42' }, channel: 'web_settings' }, crmToken);
  assert.equal(status, 201, JSON.stringify(body));
  const before = await mayRecord('C-42');
  assert.deepEqual([before.allowed, before.reason], [false, 'no_receipt'], 'nothing recorded before a yes');

  const context = await browser.newContext();
  try {
    const events = await recordEvents(context);
    const url = `${server.url}/e2e/notice.html?region=DE&link=${encodeURIComponent(body.token)}`;
    const { page } = await openPage(context, url);
    await ready(page);
    await press(page, 'consentry-accept-all');
    const stored = () => events.filter((e) => e.type === 'receipt' && e.detail.status === 'stored');
    await waitFor('the first receipt', () => stored().length === 1);
    const yes = await mayRecord('C-42');
    assert.deepEqual([yes.allowed, yes.state, yes.subject_ref, yes.subject], [true, 'given', body.sref, null]);
    assert.ok(!JSON.stringify(yes).includes('C-42'), 'the customer number is nowhere in the answer');

    // The customer changes their mind on the web.
    await page.reload();
    await ready(page);
    await press(page, 'consentry-privacy-settings');
    await page.getByTestId('consentry-settings').waitFor();
    await press(page, 'consentry-purpose-hotline-call-recording', 'Space');
    await press(page, 'consentry-save');
    await waitFor('the second receipt', () => stored().length === 2);
    const no = await mayRecord('C-42');
    assert.equal(no.allowed, false, JSON.stringify(no));
    assert.ok(['refused', 'withdrawn'].includes(no.state), no.state);
    assert.equal(no.receipt_id, stored()[1].detail.receiptId, 'the answer rests on the withdrawal');
    // Another customer is not this one.
    assert.equal((await mayRecord('C-43')).reason, 'no_receipt');
  } finally {
    await context.close();
  }
});
