import { DateTime } from 'luxon';
import type { ReplayResult } from './replay';

export interface PlotInput {
  readonly result: ReplayResult;
  /** Demand per trace step (NaN = missing). */
  readonly demand: ArrayLike<number>;
  readonly traceStartMs: number;
  readonly stepSeconds: number;
  readonly capacityPerReplica: number;
  readonly title: string;
  /** Unit of the demand, for the y axis (e.g. `requests/s`); default `load (trace unit)`. */
  readonly unit?: string;
  /** IANA zone the time axis is written in; default UTC. */
  readonly timezone?: string;
  /** `maxReplicas`: drawn as the capacity ceiling (dashed) when given. */
  readonly maxReplicas?: number;
}

const WIDTH = 1100;
const PANEL_HEIGHT = 150;
const MARGIN = { left: 70, right: 20, top: 56, gap: 44 };
const TICKS = 6;
const MAX_POINTS = 1200;

/**
 * An SVG with one panel per policy: demand (grey) against Ready capacity (colour) over the
 * evaluation window, with under-provisioned stretches shaded red, a time axis (dates and
 * times in `timezone`), the y axis in the demand's unit, the `maxReplicas` ceiling dashed,
 * and a legend. Long traces are reduced to the per-bucket maximum of each line, so short
 * peaks and short gaps stay visible.
 */
export function renderReplaySvg(input: PlotInput): string {
  const { result } = input;
  const syncMs = result.syncSeconds * 1000;
  const first = Math.max(0, Math.round((result.evaluationStartMs - result.startMs) / syncMs));
  const count = Math.max(1, result.syncs - first);
  const buckets = Math.min(MAX_POINTS, count);
  const per = count / buckets;
  const demandAt = (k: number): number => input.demand[Math.floor(((k * syncMs) / 1000) / input.stepSeconds)] as number;
  const demand = reduce(buckets, per, first, demandAt);
  let top = 0;
  for (const v of demand) if (Number.isFinite(v)) top = Math.max(top, v);
  const panels = result.policies.map((p) => {
    const ready = p.ready;
    const cap = reduce(buckets, per, first, (k) => (ready ? (ready[k] as number) * input.capacityPerReplica : Number.NaN));
    for (const v of cap) if (Number.isFinite(v)) top = Math.max(top, v);
    return { name: p.policy, cap };
  });
  top = top > 0 ? top * 1.05 : 1;
  const height = MARGIN.top + panels.length * (PANEL_HEIGHT + MARGIN.gap);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const x = (i: number): number => MARGIN.left + (i / Math.max(1, buckets - 1)) * plotWidth;
  const unit = input.unit ?? 'load (trace unit)';
  const zone = input.timezone ?? 'UTC';
  const ceiling = input.maxReplicas !== undefined ? input.maxReplicas * input.capacityPerReplica : undefined;
  if (ceiling !== undefined && ceiling > top) top = ceiling * 1.05;
  // Bucket i starts at this instant: the time axis.
  const timeAt = (i: number): number => result.startMs + (first + Math.floor(i * per)) * syncMs;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${MARGIN.left}" y="20" font-size="14">${escapeXml(input.title)}: demand vs Ready capacity (${escapeXml(unit)}; one replica serves ${formatNumber(input.capacityPerReplica)})</text>`,
    legend(MARGIN.left, 40, ceiling !== undefined),
  ];
  panels.forEach((panel, p) => {
    const y0 = MARGIN.top + p * (PANEL_HEIGHT + MARGIN.gap) + 14;
    const y = (v: number): number => y0 + PANEL_HEIGHT - (v / top) * PANEL_HEIGHT;
    parts.push(`<text x="${MARGIN.left}" y="${y0 - 4}" font-weight="bold">${panel.name}</text>`);
    parts.push(`<rect x="${MARGIN.left}" y="${y0}" width="${plotWidth}" height="${PANEL_HEIGHT}" fill="none" stroke="#ccc"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y0 + 10}" text-anchor="end">${formatNumber(top)}</text>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y0 + PANEL_HEIGHT}" text-anchor="end">0</text>`);
    parts.push(`<text class="y-unit" transform="translate(${MARGIN.left - 48},${y0 + PANEL_HEIGHT / 2}) rotate(-90)" text-anchor="middle" font-size="10">${escapeXml(unit)}</text>`);
    parts.push(timeAxis(buckets, x, timeAt, y0 + PANEL_HEIGHT, zone));
    for (let i = 0; i < buckets; i++) {
      const d = demand[i] as number;
      const c = panel.cap[i] as number;
      if (Number.isFinite(d) && Number.isFinite(c) && d > c) {
        parts.push(`<rect x="${x(i).toFixed(1)}" y="${y0}" width="${Math.max(1, plotWidth / buckets).toFixed(1)}" height="${PANEL_HEIGHT}" fill="#fdd"/>`);
      }
    }
    parts.push(polyline(demand, x, y, '#888'));
    parts.push(polyline(panel.cap, x, y, COLOURS[p % COLOURS.length] as string));
    if (ceiling !== undefined) {
      parts.push(`<line class="ceiling" x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y(ceiling).toFixed(1)}" y2="${y(ceiling).toFixed(1)}" stroke="#000" stroke-dasharray="4 3"/>`);
    }
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

const COLOURS = ['#d62728', '#9467bd', '#8c564b', '#1f77b4', '#2ca02c'];

/** What each mark means: demand, Ready capacity (the panel's colour), under-provisioned, the ceiling. */
function legend(x0: number, y: number, withCeiling: boolean): string {
  const items = [
    `<line x1="${x0}" x2="${x0 + 20}" y1="${y - 4}" y2="${y - 4}" stroke="#888"/><text x="${x0 + 25}" y="${y}">demand</text>`,
    `<line x1="${x0 + 90}" x2="${x0 + 110}" y1="${y - 4}" y2="${y - 4}" stroke="#1f77b4"/><text x="${x0 + 115}" y="${y}">Ready capacity (Ready replicas × capacityPerReplica; colour per policy)</text>`,
    `<rect x="${x0 + 560}" y="${y - 10}" width="14" height="10" fill="#fdd"/><text x="${x0 + 580}" y="${y}">under-provisioned</text>`,
  ];
  if (withCeiling) items.push(`<line x1="${x0 + 720}" x2="${x0 + 740}" y1="${y - 4}" y2="${y - 4}" stroke="#000" stroke-dasharray="4 3"/><text x="${x0 + 745}" y="${y}">maxReplicas × capacityPerReplica</text>`);
  return `<g class="legend">${items.join('')}</g>`;
}

/** Tick marks and labels at TICKS evenly spaced buckets, dated in `zone` (date on the first tick and where the day changes). */
function timeAxis(buckets: number, x: (i: number) => number, timeAt: (i: number) => number, yBase: number, zone: string): string {
  const out: string[] = [];
  let lastDay = '';
  for (let k = 0; k <= TICKS; k++) {
    const i = Math.round((k / TICKS) * Math.max(0, buckets - 1));
    const t = DateTime.fromMillis(timeAt(i), { zone });
    const day = t.toFormat('yyyy-LL-dd');
    const label = day === lastDay ? t.toFormat('HH:mm') : `${day} ${t.toFormat('HH:mm')}`;
    lastDay = day;
    const xi = x(i).toFixed(1);
    out.push(`<line x1="${xi}" x2="${xi}" y1="${yBase}" y2="${yBase + 4}" stroke="#888"/><text class="time-tick" x="${xi}" y="${yBase + 15}" text-anchor="middle" font-size="10">${label}</text>`);
  }
  out.push(`<text x="${x(Math.max(0, buckets - 1)).toFixed(1)}" y="${yBase + 27}" text-anchor="end" font-size="10">time (${escapeXml(zone)})</text>`);
  return `<g class="time-axis">${out.join('')}</g>`;
}

/** Maximum of `at(k)` over each bucket of syncs. */
function reduce(buckets: number, per: number, first: number, at: (k: number) => number): Float64Array {
  const out = new Float64Array(buckets).fill(Number.NaN);
  for (let b = 0; b < buckets; b++) {
    const from = first + Math.floor(b * per);
    const to = Math.max(from + 1, first + Math.floor((b + 1) * per));
    let m = Number.NaN;
    for (let k = from; k < to; k++) {
      const v = at(k);
      if (Number.isFinite(v) && !(v <= m)) m = v;
    }
    out[b] = m;
  }
  return out;
}

function polyline(values: Float64Array, x: (i: number) => number, y: (v: number) => number, colour: string): string {
  const segments: string[] = [];
  let current: string[] = [];
  values.forEach((v, i) => {
    if (Number.isFinite(v)) current.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
    else if (current.length > 0) {
      segments.push(current.join(' '));
      current = [];
    }
  });
  if (current.length > 0) segments.push(current.join(' '));
  return segments.map((pts) => `<polyline fill="none" stroke="${colour}" stroke-width="1" points="${pts}"/>`).join('\n');
}

function formatNumber(v: number): string {
  return v >= 100 ? v.toFixed(0) : v.toPrecision(3);
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] as string);
}
