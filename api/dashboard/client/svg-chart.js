'use strict';
/* eslint-disable @typescript-eslint/no-unused-vars -- dashboard-route.ts concatenates these files into one inline script: what one defines, a later one uses. */
// Drawing helpers shared by every panel: plain SVG, no library, so the page loads nothing from elsewhere.
const SVG_NS = 'http://www.w3.org/2000/svg';
const SVG_TAGS = new Set(['svg', 'path', 'line', 'text', 'rect', 'polyline', 'g', 'title']);
const el = (tag, attrs = {}, text) => {
  const e = document.createElementNS(SVG_TAGS.has(tag) ? SVG_NS : 'http://www.w3.org/1999/xhtml', tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
};
const fmt = (v) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));
// The viewer's own zone: axes are in local time, and the label says which zone that is.
const LOCAL_TZ = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local';
const hhmm = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });
const dayHhmm = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
const localTime = (ms) => new Date(ms).toLocaleString();
const TICK_STEPS_MS = [5, 10, 15, 30, 60, 120, 180, 360, 720, 1440].map((m) => m * 60_000);

/** Round tick times (on local-time boundaries for steps up to an hour) between x0 and x1, about six of them. */
function timeTicks(x0, x1) {
  const step = TICK_STEPS_MS.find((s) => (x1 - x0) / s <= 7) || TICK_STEPS_MS[TICK_STEPS_MS.length - 1];
  const offset = new Date(x0).getTimezoneOffset() * 60_000;
  const ticks = [];
  for (let t = Math.ceil((x0 - offset) / step) * step + offset; t <= x1; t += step) ticks.push(t);
  return { ticks, step };
}

/**
 * One chart: `lines` (points [t, v], optional step shape), `bands` (upper/lower [t, v]),
 * `windows` (shaded [from, to] stretches), `hlines` (limits), a `now` marker, a time axis in
 * local time and a value axis labelled with its unit. Every element carries `data-role` so
 * tests (and people with devtools) can find it.
 */
function chart(spec) {
  const W = 1000, H = spec.height || 260, left = 64, right = 16, top = 16, bottom = 44;
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': spec.title, 'data-chart': spec.id || '' });
  const xs = [], ys = [0];
  for (const l of spec.lines || []) for (const p of l.points) { xs.push(p[0]); ys.push(p[1]); }
  for (const b of spec.bands || []) for (const p of b.upper) { xs.push(p[0]); ys.push(p[1]); }
  for (const h of spec.hlines || []) ys.push(h.value);
  if (spec.x0 !== undefined) xs.push(spec.x0);
  if (spec.x1 !== undefined) xs.push(spec.x1);
  if (xs.length === 0) { svg.append(el('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', fill: '#6b7385' }, 'no data yet')); return svg; }
  const x0 = Math.min(...xs), x1 = Math.max(x0 + 60_000, ...xs);
  const y1 = Math.max(...ys.filter(Number.isFinite)) * 1.1 || 1;
  const X = (t) => left + ((t - x0) / (x1 - x0)) * (W - left - right);
  const Y = (v) => H - bottom - (Math.max(0, v) / y1) * (H - top - bottom);
  for (const w of spec.windows || []) {
    const a = Math.max(x0, w.from), b = Math.min(x1, w.to);
    if (b <= a) continue;
    const r = el('rect', { x: X(a), y: top, width: Math.max(1, X(b) - X(a)), height: H - top - bottom, fill: w.fill || '#fde7c2', 'data-role': w.role, 'data-label': w.label });
    r.append(el('title', {}, `${w.label}: ${localTime(a)} – ${localTime(b)}`));
    svg.append(r, el('text', { x: X(a) + 3, y: top + 11, 'font-size': 10, fill: '#8a5a00' }, w.label));
  }
  const yAxis = el('g', { 'data-role': 'y-axis', 'data-unit': spec.unit });
  for (let k = 0; k <= 4; k++) {
    const v = (y1 * k) / 4;
    yAxis.append(el('line', { x1: left, x2: W - right, y1: Y(v), y2: Y(v), stroke: '#eef0f4' }), el('text', { x: left - 6, y: Y(v) + 4, 'font-size': 11, 'text-anchor': 'end', fill: '#6b7385' }, fmt(v)));
  }
  yAxis.append(el('text', { x: 12, y: (top + H - bottom) / 2, 'font-size': 11, fill: '#1d2330', transform: `rotate(-90 12 ${(top + H - bottom) / 2})`, 'text-anchor': 'middle', 'data-role': 'y-label' }, spec.unit));
  svg.append(yAxis);
  const { ticks, step } = timeTicks(x0, x1);
  const xAxis = el('g', { 'data-role': 'x-axis', 'data-timezone': LOCAL_TZ });
  for (const t of ticks) {
    const label = step >= 360 * 60_000 || new Date(t).getHours() + new Date(t).getMinutes() === 0 ? dayHhmm.format(t) : hhmm.format(t);
    xAxis.append(el('line', { x1: X(t), x2: X(t), y1: H - bottom, y2: H - bottom + 4, stroke: '#98a2b3' }), el('text', { x: X(t), y: H - bottom + 16, 'font-size': 11, 'text-anchor': 'middle', fill: '#6b7385', 'data-role': 'x-tick' }, label));
  }
  xAxis.append(el('text', { x: (left + W - right) / 2, y: H - 6, 'font-size': 11, 'text-anchor': 'middle', fill: '#1d2330', 'data-role': 'x-label' }, `time (local, ${LOCAL_TZ}${spec.seriesTimezone ? `; series time zone ${spec.seriesTimezone}` : ''})`));
  svg.append(xAxis);
  for (const b of spec.bands || []) {
    if (b.upper.length === 0) continue;
    const d = b.upper.map((p) => `${X(p[0])},${Y(p[1])}`).concat(b.lower.slice().reverse().map((p) => `${X(p[0])},${Y(p[1])}`));
    svg.append(el('path', { d: `M${d.join('L')}Z`, fill: b.fill || '#bfd3fb', opacity: 0.8, 'data-role': b.role }));
  }
  for (const h of spec.hlines || []) {
    svg.append(el('line', { x1: left, x2: W - right, y1: Y(h.value), y2: Y(h.value), stroke: h.color || '#b42318', 'stroke-dasharray': '6 3', 'data-role': h.role }));
    svg.append(el('text', { x: W - right - 4, y: Y(h.value) - 4, 'font-size': 10, 'text-anchor': 'end', fill: h.color || '#b42318' }, h.label));
  }
  for (const l of spec.lines || []) {
    if (l.points.length === 0) continue;
    const pts = [];
    l.points.forEach((p, i) => {
      if (l.stepped && i > 0) pts.push(`${X(p[0])},${Y(l.points[i - 1][1])}`);
      pts.push(`${X(p[0])},${Y(p[1])}`);
    });
    svg.append(el('polyline', { points: pts.join(' '), fill: 'none', stroke: l.color, 'stroke-width': l.width || 1.6, 'stroke-dasharray': l.dash, 'data-role': l.role }));
  }
  const now = spec.now === undefined ? Date.now() : spec.now;
  if (now >= x0 && now <= x1) svg.append(el('line', { x1: X(now), x2: X(now), y1: top, y2: H - bottom, stroke: '#98a2b3', 'stroke-dasharray': '4 4', 'data-role': 'now' }), el('text', { x: X(now) + 4, y: top + 22, 'font-size': 11, fill: '#6b7385' }, 'now'));
  return svg;
}

/** A legend row: [label, colour, kind] with kind 'line' | 'band' | 'window'. */
function legend(items) {
  const div = el('div', { class: 'legend' });
  for (const [label, color, kind] of items) {
    const span = el('span');
    span.append(el('i', { style: `background:${color};height:${kind === 'line' ? 3 : 10}px` }), label);
    div.append(span);
  }
  return div;
}

async function getJson(path) {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  if (!res.ok) throw Object.assign(new Error(`${path}: HTTP ${res.status}`), { status: res.status });
  return res.json();
}
/** The body, or null when the route is absent (404) or answers nothing usable yet: the panel stays hidden. */
const getOptional = (path) => getJson(path).catch(() => null);
