// The page the global support mailbox's auto-reply links to: `/ticket.html#link=<token>` (in
// the fragment, which browsers never send to a server, so no log or proxy keeps it).
// The token is a link the receipt server signed for this ticket (POST /v1/links by the
// mailbox, ADR 0017). The page asks the server whether it is still good, then shows the notice
// with it: every receipt made here carries the token, so it is bound to the ticket and to the
// person who wrote, on the support_mailbox channel. An expired or altered link shows no notice
// (the server would refuse its receipts anyway).
import { Consentry } from '/widget/consentry-widget.js';

const params = new URLSearchParams(location.search);
const link = new URLSearchParams(location.hash.slice(1)).get('link');
const status = document.getElementById('ticket-status');

async function main() {
  if (!link) {
    status.textContent = 'This page opens from the link in our reply to your e-mail.';
    return;
  }
  let answer;
  try {
    answer = await fetch('/v1/links/status', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: link }),
    });
  } catch {
    status.textContent = 'We could not check the link just now. Please try again in a moment.';
    return;
  }
  if (answer.status === 410) {
    status.textContent = 'This link has expired. Reply to your ticket and we will send you a new one.';
    return;
  }
  if (!answer.ok) {
    status.textContent = 'This link is not valid: it may have been changed or cut short. Use the link in our e-mail as it is, or reply to your ticket.';
    return;
  }
  const { ticket } = await answer.json();
  status.textContent = ticket
    ? `Ticket ${ticket}: choose what we may do with the data of this request.`
    : 'Choose what we may do with your data.';
  const options = { manifestUrl: '/notice/manifest.json', endpoint: '/v1/receipts', link };
  for (const key of ['language', 'region']) {
    const v = params.get(key);
    if (v) options[key] = v;
  }
  Consentry.mount(document.getElementById('consentry'), options);
}

main();
