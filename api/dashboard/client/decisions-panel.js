'use strict';
/* eslint-disable @typescript-eslint/no-unused-vars -- dashboard-route.ts concatenates these files into one inline script: what one defines, a later one uses. */
// The decisions list, newest first, each linking to its plain-sentence explanation.
async function renderDecisions() {
  const box = document.getElementById('decisions-box');
  const page = await getOptional('/v1/decisions?limit=50');
  if (!page || page.decisions.length === 0) { box.hidden = true; return; }
  box.hidden = false;
  const table = el('table', { id: 'decisions' });
  const head = el('tr');
  ['time', 'pool', 'replicas', 'outcome', 'bound by', 'why'].forEach((h) => head.append(el('th', {}, h)));
  table.append(head);
  for (const d of page.decisions) {
    const tr = el('tr', { 'data-decision': d.id });
    const link = el('a', { href: `/v1/plans/${encodeURIComponent(d.pool)}/explain?at=${encodeURIComponent(d.stepTime)}`, 'data-role': 'explain' }, 'explain');
    const cells = [localTime(Date.parse(d.time)), d.pool, `${d.from === null ? '?' : d.from} → ${d.to}`, d.outcome, d.inputs.boundBy.term, link];
    cells.forEach((c) => { const td = el('td'); if (typeof c === 'string') td.textContent = c; else td.append(c); tr.append(td); });
    table.append(tr);
  }
  box.replaceChildren(el('h2', {}, 'Decisions'), table);
}
