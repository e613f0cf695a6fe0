// The demo's online chat (issue 15 item 3). Starting a chat opens a session at the transcript
// store (consentry-demo-services), which gets a link token for it from the receipt server; the
// consent widget is mounted with that token, so the visitor's answer on `chat-transcript` is a
// receipt bound to this chat session (channel online_chat). Each message goes to the store,
// which asks the receipt server `POST /v1/consent/check` before it keeps it in a transcript;
// the page shows what the store did.
import { Consentry } from '/widget/consentry-widget.js';

const params = new URLSearchParams(location.search);
const services = params.get('services')
  ?? document.querySelector('meta[name="consentry-demo-services"]')?.content
  ?? '';
const start = document.getElementById('chat-start');
const chat = document.getElementById('chat');
const state = document.getElementById('chat-transcript-state');
const log = document.getElementById('chat-log');
const form = document.getElementById('chat-form');
const input = document.getElementById('chat-text');
let session = null;

function say(text, note) {
  const li = document.createElement('li');
  li.textContent = text;
  if (note) {
    const small = document.createElement('small');
    small.textContent = ` (${note})`;
    li.append(small);
  }
  log.append(li);
}

start.addEventListener('click', async () => {
  if (!services) {
    state.textContent = 'The chat service is not running in this demo.';
    chat.hidden = false;
    return;
  }
  start.disabled = true;
  let r;
  try {
    r = await fetch(`${services}/chat/sessions`, { method: 'POST' });
  } catch {
    start.disabled = false;
    state.textContent = 'The chat service cannot be reached just now.';
    chat.hidden = false;
    return;
  }
  if (!r.ok) {
    start.disabled = false;
    state.textContent = 'The chat could not be opened just now.';
    chat.hidden = false;
    return;
  }
  const opened = await r.json();
  session = opened.session;
  chat.hidden = false;
  state.textContent = 'No transcript is kept unless you allow “Keeping chat transcripts”.';
  const options = { manifestUrl: '/notice/manifest.json', endpoint: '/v1/receipts', link: opened.link };
  const region = params.get('region');
  if (region) options.region = region;
  Consentry.mount(document.getElementById('consentry'), options);
  input.focus();
});

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text || !session) return;
  input.value = '';
  const r = await fetch(`${services}/chat/sessions/${encodeURIComponent(session)}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  const out = r.ok ? await r.json() : { delivered: false, kept: false };
  say(text, out.kept ? 'sent; kept in the transcript' : 'sent; not kept');
  state.textContent = out.kept
    ? 'This chat is being kept as a transcript, as you allowed.'
    : 'No transcript of this chat is kept.';
});
