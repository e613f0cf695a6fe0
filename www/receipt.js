// The page a caller opens with the receipt code a hotline agent read out (ADR 0018).
// The code is the only way in: the server answers a code it knows with the receipt and what
// it says, in the language of the call, and every other code, or too many tries, alike.
const form = document.getElementById('lookup');
const input = document.getElementById('code');
const status = document.getElementById('lookup-status');
const result = document.getElementById('result');

// What the recorded states mean, said plainly.
const STATES = {
  given: 'Yes, you agreed',
  refused: 'No, you did not agree',
  withdrawn: 'You withdrew your consent',
  not_applicable: 'Needed to answer your request (no choice asked)',
  objected: 'You objected',
  not_objected: 'You did not object',
  expired: 'Your consent has expired',
};

function fact(dl, term, value) {
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  dd.textContent = value;
  dl.append(dt, dd);
}

let download;

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  result.hidden = true;
  const code = input.value.trim();
  if (!code) {
    status.textContent = 'Enter the code the agent read to you.';
    input.focus();
    return;
  }
  status.textContent = 'Looking up…';
  let answer;
  try {
    answer = await fetch('/v1/receipts/lookup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
  } catch {
    status.textContent = 'We could not reach the server just now. Please try again in a moment.';
    return;
  }
  if (answer.status === 429) {
    status.textContent = 'Too many tries from this connection. Please wait a few minutes and try again.';
    return;
  }
  if (!answer.ok) {
    status.textContent = 'We have no receipt with this code. Check the ten letters and digits and try again.';
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return;
  }
  input.removeAttribute('aria-invalid');
  const r = await answer.json();
  const facts = document.getElementById('result-facts');
  facts.replaceChildren();
  fact(facts, 'Recorded', new Date(r.received_at).toLocaleString());
  fact(facts, 'Channel', r.channel === 'hotline_agent' ? 'Hotline call' : r.channel);
  if (r.call_ref) fact(facts, 'Call reference', r.call_ref);
  fact(facts, 'Notice version', r.notice_version);
  fact(facts, 'Receipt', r.receipt_id);
  const list = document.getElementById('result-decisions');
  list.replaceChildren();
  list.lang = r.locale;
  list.dir = r.dir;
  for (const d of r.decisions) {
    const li = document.createElement('li');
    li.dataset.purpose = d.purpose_id;
    const name = document.createElement('strong');
    name.textContent = d.name;
    const state = document.createElement('span');
    state.lang = 'en';
    state.dir = 'ltr';
    state.textContent = `: ${STATES[d.state] ?? d.state}${d.separate_consent ? ' (asked separately)' : ''}`;
    li.append(name, state);
    list.append(li);
  }
  if (download) URL.revokeObjectURL(download);
  download = URL.createObjectURL(
    new Blob([JSON.stringify(r.receipt)], { type: 'application/json' }),
  );
  document.getElementById('result-download').href = download;
  status.textContent = '';
  result.hidden = false;
  document.getElementById('result-title').focus();
});
