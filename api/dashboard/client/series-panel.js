'use strict';
/* eslint-disable @typescript-eslint/no-unused-vars -- dashboard-route.ts concatenates these files into one inline script: what one defines, a later one uses. */
// Per series: observed vs forecast with the p50–p90 band, live accuracy when tracked, and why it is stale.
const HISTORY_HOURS = 6;
const ago = (seconds) => (seconds < 120 ? `${Math.round(seconds)} s` : seconds < 7200 ? `${Math.round(seconds / 60)} min` : `${(seconds / 3600).toFixed(1)} h`);

/** Staleness in words, from `GET /v1/series` (ageSeconds, last, stale) and the forecast's fallback fields. */
function stalenessText(s, forecast) {
  if (!s.last) return `No samples yet: nothing is served for this series (the API answers 503 FORECAST_NOT_READY) and its pools plan from their floors.`;
  if (!s.stale && !(forecast && forecast.trustFallback)) return null;
  const parts = [];
  if (s.stale) {
    parts.push(`Stale since ${localTime(Date.parse(s.last) + s.step * 1000)}: the newest sample is from ${localTime(Date.parse(s.last))}, ${ago(s.ageSeconds)} ago, so the source has stopped sending (or cannot be read).`);
    const floor = forecast ? ` at ${fmt(forecast.lastObserved.v)}` : '';
    parts.push(`Served instead: the last good forecast floored at the last observation${floor}; pools on this series do not scale down until samples come back (stale hold).`);
  }
  if (forecast && forecast.fallbackReason) parts.push(`Fallback: ${forecast.fallbackReason}.`);
  if (forecast && forecast.trustFallback) parts.push(`Trust gate engaged since ${localTime(Date.parse(forecast.trustFallback.since))}: ${forecast.trustFallback.detail || forecast.trustFallback.reason}; the last observation is served instead of the forecast.`);
  return parts.join(' ');
}

/** The accuracy panel appears once something has been scored: a recent point or a window with points. */
const hasScores = (acc) => (acc.recent || []).length > 0 || Object.values(acc.windows || {}).some((w) => w.points > 0);

function accuracyBlock(name, acc, tz) {
  const box = el('div', { class: 'accuracy', 'data-role': 'accuracy' });
  box.append(el('h4', {}, 'Past forecasts against what happened'));
  const recent = acc.recent || [];
  if (recent.length > 0) {
    const pts = recent.map((p) => [Date.parse(p.t), p]);
    box.append(chart({
      id: `accuracy-${name}`, title: `${name}: past forecasts vs actual`, unit: 'value (series unit)', seriesTimezone: tz, height: 200,
      bands: [{ role: 'accuracy-band', upper: pts.map(([t, p]) => [t, p.p90]), lower: pts.map(([t, p]) => [t, p.p50]) }],
      lines: [{ role: 'accuracy-actual', color: 'var(--hist)', points: pts.map(([t, p]) => [t, p.actual]) }, { role: 'accuracy-p50', color: 'var(--p50)', points: pts.map(([t, p]) => [t, p.p50]) }],
    }));
  }
  const table = el('table', { class: 'compact' });
  table.append(el('tr'));
  ['window', 'points', 'MASE', 'p90 coverage'].forEach((h) => table.firstChild.append(el('th', {}, h)));
  for (const [w, s] of Object.entries(acc.windows || {})) {
    const tr = el('tr');
    const cov = s.coverage && typeof s.coverage === 'object' ? s.coverage['0.9'] : s.coverage;
    [w, String(s.points ?? '—'), fmt(s.mase), cov === null || cov === undefined ? '—' : `${Math.round(cov * 100)} %`].forEach((c) => tr.append(el('td', {}, c)));
    table.append(tr);
  }
  box.append(table);
  const g = acc.trustGate;
  if (g && g.enabled) box.append(el('p', { class: 'sub' }, g.engaged ? `Trust gate engaged (${g.reason}) since ${localTime(Date.parse(g.since))}.` : `Trust gate open (MASE ratio ${fmt(g.maseRatio)}, threshold ${fmt(g.thresholds.maxMaseRatio)}).`));
  return box;
}

async function seriesCard(s) {
  const enc = encodeURIComponent(s.name);
  const from = new Date(Date.now() - HISTORY_HOURS * 3600e3).toISOString();
  const [detail, forecast, history] = await Promise.all([getOptional(`/v1/series/${enc}`), getOptional(`/v1/forecasts/${enc}`), getOptional(`/v1/series/${enc}/samples?from=${from}`)]);
  const tz = (detail && detail.timezone) || s.timezone || 'UTC';
  const card = el('section', { class: `card${s.stale ? ' is-stale' : ''}`, 'data-series': s.name });
  const head = el('h3');
  head.append(s.name, ' ', el('span', { class: `badge ${s.stale || !s.last ? 'stale' : 'ok'}` }, !s.last ? 'no data' : s.stale ? 'stale' : 'fresh'));
  card.append(head, el('p', { class: 'sub' }, `step ${s.step} s · ${s.samples} samples · time zone ${tz} · model ${forecast ? forecast.model : '—'}${forecast && forecast.points[0] ? ` · next p90 ${fmt(forecast.points[0].quantiles['0.9'])}` : ''}`));
  const why = stalenessText(s, forecast);
  if (why) card.append(el('p', { class: 'stale-text', 'data-role': 'stale-text' }, why));
  const hist = history ? history.samples.map((p) => [Date.parse(p.t), p.v]) : [];
  const pts = forecast ? forecast.points : [];
  const q = (p, k) => (p.quantiles[k] !== undefined ? p.quantiles[k] : p.value);
  card.append(legend([['observed', 'var(--hist)', 'line'], ['forecast p50', 'var(--p50)', 'line'], ['p50–p90', 'var(--band)', 'band']]));
  card.append(chart({
    id: `series-${s.name}`, title: `${s.name}: observed and forecast`, unit: 'value (series unit)', seriesTimezone: tz,
    bands: [{ role: 'band', upper: pts.map((p) => [Date.parse(p.t), q(p, '0.9')]), lower: pts.map((p) => [Date.parse(p.t), q(p, '0.5')]) }],
    lines: [{ role: 'history', color: 'var(--hist)', width: 1.2, points: hist }, { role: 'forecast', color: 'var(--p50)', width: 2, points: pts.map((p) => [Date.parse(p.t), q(p, '0.5')]) }],
  }));
  if (detail && detail.accuracy && hasScores(detail.accuracy)) card.append(accuracyBlock(s.name, detail.accuracy, tz));
  return card;
}

async function renderSeries(series) {
  const cards = await Promise.all(series.map(seriesCard));
  document.getElementById('series').replaceChildren(...cards);
}
