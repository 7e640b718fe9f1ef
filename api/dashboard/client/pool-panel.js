'use strict';
/* eslint-disable @typescript-eslint/no-unused-vars -- dashboard-route.ts concatenates these files into one inline script: what one defines, a later one uses. */
// Per pool: planned vs actual replicas over the last hours (decision records) and the horizon
// (the plan), event and schedule windows shaded, quota lines, the binding reason per stretch, advisory results.
const POOL_HOURS = 6;
const WINDOW_TERMS = { event: '#fde7c2', schedule: '#e4f2e7' };

/** Consecutive plan steps with the same deciding term, as [from, to, term, detail] stretches. */
function stretches(steps, stepMs) {
  const out = [];
  for (const s of steps) {
    const t = Date.parse(s.t);
    const last = out[out.length - 1];
    if (last && last.term === s.reason) last.to = t + stepMs;
    else out.push({ from: t, to: t + stepMs, term: s.reason, detail: s.detail });
  }
  return out;
}

function reasonStrip(list) {
  const div = el('div', { class: 'reasons', 'data-role': 'reasons' });
  for (const r of list) {
    const row = el('div', { 'data-role': 'reason', 'data-term': r.term });
    row.append(el('b', {}, `${hhmm.format(r.from)}–${hhmm.format(r.to)} ${r.term}`), ` ${r.detail}`);
    div.append(row);
  }
  return div;
}

function advisoryBlock(a) {
  const box = el('div', { class: 'advisory', 'data-role': 'advisory' });
  box.append(el('h4', {}, `Advisory: following Prescale over ${localTime(Date.parse(a.from))} – ${localTime(Date.parse(a.to))} (${a.samples} samples, ${Math.round(a.measuredMinutes)} min measured)`));
  const rows = [
    ['under-provisioned minutes', 'underProvisionedMinutes', 'min'],
    ['unserved demand', 'unservedShare', '%'],
    ['replica-hours', 'replicaHours', 'h'],
    ['GPU-hours', 'gpuHours', 'h'],
    ['cost', 'cost', ''],
    ['scaling actions', 'scalingActions', ''],
  ];
  const table = el('table', { class: 'compact' });
  const head = el('tr');
  ['measure', 'as it ran', 'with Prescale', 'change'].forEach((h) => head.append(el('th', {}, h)));
  table.append(head);
  for (const [label, key, unit] of rows) {
    const v = (x) => (unit === '%' ? `${fmt(x * 100)} %` : `${fmt(x)}${unit ? ` ${unit}` : ''}`);
    const tr = el('tr', { 'data-measure': key });
    [label, v(a.asRan[key]), v(a.withPrescale[key]), `${a.change[key] > 0 ? '+' : ''}${v(a.change[key])}`].forEach((c, i) => tr.append(el('td', i ? { class: 'num' } : {}, c)));
    table.append(tr);
  }
  box.append(table);
  for (const n of a.notes || []) box.append(el('p', { class: 'sub' }, n));
  return box;
}

async function poolCard(plan, stepMs) {
  const enc = encodeURIComponent(plan.pool);
  const since = new Date(Date.now() - POOL_HOURS * 3600e3).toISOString();
  const [decisions, advisory] = await Promise.all([getOptional(`/v1/decisions?pool=${enc}&since=${since}&limit=1000`), getOptional(`/v1/pools/${enc}/advisory?since=24h`)]);
  const past = decisions ? decisions.decisions.slice().reverse() : [];
  // A quiet pool (no decision in the window) still shows what holds: the newest decision before the window, from its start.
  const x0 = Date.now() - POOL_HOURS * 3600e3;
  const before = past.length === 0 ? await getOptional(`/v1/decisions?pool=${enc}&limit=1`) : null;
  const held = before && before.decisions.length > 0 ? before.decisions[0] : null;
  const card = el('section', { class: 'card', 'data-pool': plan.pool });
  card.append(el('h3', {}, `${plan.pool}`), el('p', { class: 'sub' }, `series ${plan.forecast && plan.forecast.series ? plan.forecast.series : '—'} · ${plan.steps.length} plan steps · decisions in the last ${POOL_HOURS} h: ${past.length}`));
  // The level the pool is sized at, and why: pool quantile, newsvendor, or decision-calibrated.
  if (plan.forecast && plan.forecast.quantileWhy) card.append(el('p', { class: 'sub', 'data-role': 'sizing' }, `sized at ${plan.forecast.quantileWhy}`));
  const planned = plan.steps.map((s) => [Date.parse(s.t), s.replicas]);
  // A decision holds until the next one: the stepped lines run on to now from the last record.
  const holdToNow = (pts) => (pts.length > 0 ? pts.concat([[Math.max(Date.now(), pts[pts.length - 1][0]), pts[pts.length - 1][1]]]) : pts);
  const seed = (value) => (held && value !== null ? [[x0, value]] : []);
  const pastPlanned = holdToNow(seed(held && held.to).concat(past.map((d) => [Date.parse(d.stepTime), d.to])));
  const actual = holdToNow(seed(held && held.from).concat(past.filter((d) => d.from !== null).map((d) => [Date.parse(d.time), d.from])));
  const list = stretches(plan.steps, stepMs);
  const windows = list.filter((r) => WINDOW_TERMS[r.term]).map((r) => ({ from: r.from, to: r.to, label: r.term, role: `window-${r.term}`, fill: WINDOW_TERMS[r.term] }));
  const quotas = past.length > 0 ? past[past.length - 1].inputs.quotas : held ? held.inputs.quotas : null;
  card.append(legend([['planned replicas', 'var(--p50)', 'line'], ['actual replicas (read from the target)', 'var(--hist)', 'line'], ['event window', '#fde7c2', 'window'], ['schedule window', '#e4f2e7', 'window']]));
  card.append(chart({
    id: `pool-${plan.pool}`, title: `${plan.pool}: planned vs actual replicas`, unit: 'replicas', windows, x0,
    lines: [{ role: 'planned-past', color: 'var(--p50)', stepped: true, dash: '5 3', points: pastPlanned }, { role: 'planned', color: 'var(--p50)', stepped: true, width: 2, points: planned }, { role: 'actual', color: 'var(--hist)', stepped: true, points: actual }],
  }));
  if (quotas && (quotas.maxGpus !== null || quotas.maxCostPerHour !== null)) {
    const quotaPoints = (key) => holdToNow((held ? [[x0, held.inputs.quotas[key]]] : []).concat(past.map((d) => [Date.parse(d.stepTime), d.inputs.quotas[key]])));
    const gpus = quotaPoints('plannedGpus');
    const cost = quotaPoints('plannedCostPerHour');
    const hl = [];
    if (quotas.maxGpus !== null) hl.push({ role: 'quota-gpus', value: quotas.maxGpus, label: `GPU quota ${quotas.maxGpus}` });
    if (quotas.maxCostPerHour !== null) hl.push({ role: 'quota-cost', value: quotas.maxCostPerHour, label: `cost quota ${quotas.maxCostPerHour}/h`, color: '#7a2e0e' });
    card.append(chart({ id: `quota-${plan.pool}`, title: `${plan.pool}: GPUs and cost against quotas`, unit: 'GPUs · cost per hour', height: 180, hlines: hl, x0,
      lines: [{ role: 'planned-gpus', color: '#6941c6', stepped: true, points: gpus }, { role: 'planned-cost', color: '#7a2e0e', stepped: true, dash: '3 3', points: cost }] }));
  }
  card.append(el('h4', {}, 'What binds the plan, stretch by stretch'), reasonStrip(list));
  if (advisory && advisory.samples > 0) card.append(advisoryBlock(advisory));
  return card;
}

async function renderPools() {
  const plans = await getOptional('/v1/plans');
  const target = document.getElementById('pools');
  if (!plans || !plans.pools || plans.pools.length === 0) { target.replaceChildren(el('p', { class: 'sub' }, 'no pools configured')); return; }
  target.replaceChildren(...(await Promise.all(plans.pools.map((p) => poolCard(p, plans.step * 1000)))));
}
