/**
 * What a chart card sends to the page: its rows, downsampled to at most MAX_CHART_POINTS
 * (LTTB), rounded to what a chart can show, and encoded compactly (seconds as deltas)
 * as JSON for insightdash.js to draw with uPlot. Pure.
 */

/** A bucket (or, at raw resolution, a point) of a card: its moment and aggregates, and the 7-point moving average. */
export type CardRow = { t: number; n: number; avg: number; min: number; max: number; sum: number; ma: number | null };

export const MAX_CHART_POINTS = 2000;

/**
 * Largest-Triangle-Three-Buckets (Steinarsson, 2013): the indexes of at most
 * `threshold` points that keep the line's shape (first and last always kept).
 */
export function lttb(xs: readonly number[], ys: readonly number[], threshold: number): number[] {
  const n = xs.length;
  if (threshold >= n || threshold < 3) return [...Array(n).keys()];
  const picked = [0];
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    // The average of the next bucket: the third corner of the triangle.
    const nextStart = Math.floor((i + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += xs[j]!;
      avgY += ys[j]!;
    }
    const count = Math.max(1, nextEnd - nextStart);
    avgX /= count;
    avgY /= count;
    // The point of this bucket that makes the largest triangle with the last pick and that average.
    const start = Math.floor(i * every) + 1;
    const end = Math.floor((i + 1) * every) + 1;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((xs[a]! - avgX) * (ys[j]! - ys[a]!) - (xs[a]! - xs[j]!) * (avgY - ys[a]!));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    picked.push(best);
    a = best;
  }
  picked.push(n - 1);
  return picked;
}

/** Five significant digits: more than a chart can show (bars' values, which the page also prints). */
export const round = (v: number | null) => (v === null ? null : Number(v.toPrecision(5)));

/** Seconds, as the first and then the differences (small numbers for a chart's regular steps). */
function deltas(ms: readonly number[]): { x0: number; dx: number[] } {
  const s = ms.map((t) => Math.round(t / 1000));
  return { x0: s[0] ?? 0, dx: s.slice(1).map((v, i) => v - s[i]!) };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Values are quantized to this many steps of the chart's y range (a 220-pixel chart has 220); 4095 means "no value". */
export const STEPS = 4094;

/**
 * A line's values in two characters each: quantized to STEPS steps between `lo` and
 * `hi` (far finer than a pixel), as base64url digits. A line of 2,000 values is 4,000
 * bytes instead of ~16,000 as JSON numbers, which keeps a chart fragment under 40 KB.
 * insightdash.js unpacks it; the card's text, its table and its CSV keep exact values.
 */
export function pack(values: readonly (number | null)[], lo: number, hi: number): string {
  const span = hi - lo || 1;
  let out = '';
  for (const v of values) {
    const q = v === null ? STEPS + 1 : Math.round(((v - lo) / span) * STEPS);
    out += ALPHABET[q >> 6]! + ALPHABET[q & 63]!;
  }
  return out;
}

/** The inverse of `pack` (what the page does), for tests. */
export function unpack(packed: string, lo: number, hi: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let i = 0; i < packed.length; i += 2) {
    const q = ALPHABET.indexOf(packed[i]!) * 64 + ALPHABET.indexOf(packed[i + 1]!);
    out.push(q > STEPS ? null : lo + (q / STEPS) * (hi - lo));
  }
  return out;
}

export type ChartPayload = {
  kind: 'line' | 'bars';
  unit: string;
  x0: number;
  dx: number[];
  /** Bars: the values (5 significant digits). Lines: packed (`pack`) between `lo` and `hi`. */
  avg: (number | null)[] | string;
  lo?: number;
  hi?: number;
  min?: string;
  max?: string;
  /** Lines: packed; bars: plain numbers. */
  ma?: string | (number | null)[];
  prev?: { x0: number; dx: number[]; y: string | (number | null)[] };
  goal?: number;
  /** Annotations: [seconds, text (its first 40 characters; the card lists them whole)]. */
  notes: [number, string][];
  /** The range, in seconds, so an empty stretch still shows as empty. */
  from: number;
  to: number;
};

/** The previous period is a faded line behind the others: half the points do. */
const PREVIOUS_POINTS = MAX_CHART_POINTS / 2;
const NOTE_CHARS = 40;
const notesOf = (notes: { ts: number; text: string }[]): [number, string][] => notes.map((n) => [Math.round(n.ts / 1000), n.text.slice(0, NOTE_CHARS)]);

/** A line chart's payload: the average with its min/max band (when buckets hold more than a point), the moving average and the previous period. */
export function lineChart(
  rows: CardRow[],
  previous: { t: number; avg: number }[],
  options: { unit: string; goal: number | null; notes: { ts: number; text: string }[]; from: number; to: number; shift: number },
): ChartPayload {
  const keep = lttb(
    rows.map((r) => r.t),
    rows.map((r) => r.avg),
    MAX_CHART_POINTS,
  ).map((i) => rows[i]!);
  const band = keep.some((r) => r.n > 1);
  const prevKeep = lttb(
    previous.map((r) => r.t),
    previous.map((r) => r.avg),
    PREVIOUS_POINTS,
  ).map((i) => previous[i]!);
  // One scale for every line, so they pack against the same range.
  const values = [...keep.flatMap((r) => (band ? [r.min, r.max] : [r.avg])), ...keep.map((r) => r.ma ?? r.avg), ...prevKeep.map((r) => r.avg)];
  const lo = values.length ? Math.min(...values) : 0;
  const hi = values.length ? Math.max(...values) : 1;
  const packed = (xs: (number | null)[]) => pack(xs, lo, hi);
  return {
    kind: 'line',
    unit: options.unit,
    ...deltas(keep.map((r) => r.t)),
    lo,
    hi,
    avg: packed(keep.map((r) => r.avg)),
    ...(band ? { min: packed(keep.map((r) => r.min)), max: packed(keep.map((r) => r.max)) } : {}),
    ma: packed(keep.map((r) => r.ma)),
    ...(prevKeep.length > 0 ? { prev: { ...deltas(prevKeep.map((r) => r.t + options.shift)), y: packed(prevKeep.map((r) => r.avg)) } } : {}),
    ...(options.goal !== null ? { goal: options.goal } : {}),
    notes: notesOf(options.notes),
    from: Math.round(options.from / 1000),
    to: Math.round(options.to / 1000),
  };
}

/** A bar chart's payload: one bar a bucket (a day or a week), with the moving average of 7 bars and the previous period's bars as a line (a few hundred at most: plain numbers). */
export function barChart(
  bars: { t: number; value: number; ma: number | null }[],
  previous: { t: number; value: number }[],
  options: { unit: string; goal: number | null; notes: { ts: number; text: string }[]; from: number; to: number; shift: number },
): ChartPayload {
  return {
    kind: 'bars',
    unit: options.unit,
    ...deltas(bars.map((b) => b.t)),
    avg: bars.map((b) => round(b.value)),
    ma: bars.map((b) => round(b.ma)),
    ...(previous.length > 0 ? { prev: { ...deltas(previous.map((b) => b.t + options.shift)), y: previous.map((b) => round(b.value)) } } : {}),
    ...(options.goal !== null ? { goal: options.goal } : {}),
    notes: notesOf(options.notes),
    from: Math.round(options.from / 1000),
    to: Math.round(options.to / 1000),
  };
}

/** The change from `previous` to `current`, in percent (null when there is nothing to compare with). */
export function changePercent(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return ((current - previous) / Math.abs(previous)) * 100;
}
