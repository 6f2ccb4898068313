/**
 * Frames in, one SVG string out: what the room's page swaps in on every update.
 *
 * Every mode draws into the same fixed viewBox (VIEW_WIDTH × VIEW_HEIGHT), so the
 * page sizes it once with CSS. Colours are left to the page: elements carry classes
 * (`aura-bar`, `aura-peak`, `aura-led-lo|mid|hi|off`, `aura-line`, `aura-area`,
 * `aura-s1`…`aura-s7`, `aura-grid`, `aura-freq`, `aura-note`, `aura-left|right`) and
 * default to currentColor through presentation attributes, never `style` (the CSP
 * allows no inline styles). Each series is one `<path>`: bars are vertical strokes as
 * wide as a bar, LEDs the same strokes dashed, so 128 bands with peak caps stay
 * under 8 KB.
 *
 * The spectrogram needs history, and the choice here is to take it as input:
 * `renderSvg(settings, history)` draws the last SPECTROGRAM_COLUMNS frames of
 * `history` (oldest first, newest at the right edge) as a complete image, like every
 * other mode, rather than returning a column for the page to append. The page then
 * needs no script and no DOM that grows, a late joiner sees the whole picture at once,
 * and the cost stays with the one mode that asks for it: levels are quantized to
 * SPECTROGRAM_LEVELS and runs of equal level merged, ≈ 9 KB (mono) to 16 KB (stereo)
 * per update for music-like input at 31 bands, but up to ≈ 45 KB mono at 64 bands when
 * every band differs from its neighbours; broadcast it at a lower rate than the others. The other modes draw the last
 * frame of `history`. The caller keeps the frames it broadcast, not every analyzer
 * frame, so the spectrogram scrolls at the broadcast rate.
 *
 * Only numbers and enum settings are read (see format.ts); anything else in a frame
 * (a string, NaN, a missing channel) is drawn as silence, and unknown enum values
 * fall back to defaults, so the output is well-formed whatever it is given.
 */
import type { Frame } from '../dsp/analyzer';
import type { Band } from '../dsp/bands';
import { MODES, type Mode, type Settings, WEIGHTINGS } from '../settings';
import { frequencyLabels, gridLevels, type Label, noteLabels } from './axis';
import { escapeXml, formatDb, formatHz, num } from './format';
import { noteName } from '../dsp/notes';

export const VIEW_WIDTH = 640;
export const VIEW_HEIGHT = 320;
/** How many frames the spectrogram shows. */
export const SPECTROGRAM_COLUMNS = 48;
/** Colour steps of the spectrogram, from dbMin to dbMax (step 0, the quietest, is not drawn). */
export const SPECTROGRAM_LEVELS = 8;
/** Bands beyond this many are not drawn (the analyzer makes at most 121). */
export const MAX_BANDS = 256;

export type RenderSettings = Pick<Settings, 'mode' | 'dbMin' | 'dbMax' | 'noteLabels' | 'weighting'>;

const LEFT = 36;
const RIGHT = 632;
const TOP = 8;
const BOTTOM = 292;
const GAP = 12;
const LED_PITCH = 6;
const LED_LIT = 4;
const UNITS: Record<(typeof WEIGHTINGS)[number], string> = { none: 'dBFS', A: 'dBFS(A)', C: 'dBFS(C)', 'ITU-468': 'dBFS(468)' };
const CHANNEL_NAMES = ['left', 'right'] as const;
const CHANNEL_LETTERS = ['L', 'R'] as const;

interface View {
  readonly mode: Mode;
  readonly dbMin: number;
  readonly dbMax: number;
  readonly notes: boolean;
  readonly unit: string;
}

interface Panel {
  readonly top: number;
  readonly bottom: number;
}

/** One channel of a frame, sanitized: exactly n finite-or-−∞ values per series. */
interface Series {
  readonly db: number[];
  readonly peak: number[];
}

function view(settings: RenderSettings): View {
  const mode = MODES.find((m) => m === settings.mode) ?? 'bars';
  const weighting = WEIGHTINGS.find((w) => w === settings.weighting) ?? 'none';
  let dbMin = Number.isFinite(Number(settings.dbMin)) ? Number(settings.dbMin) : -90;
  const dbMax = Number.isFinite(Number(settings.dbMax)) ? Number(settings.dbMax) : 0;
  if (dbMax - dbMin < 1) dbMin = dbMax - 1;
  return { mode, dbMin, dbMax, notes: settings.noteLabels === true, unit: UNITS[weighting] };
}

function bandsOf(frame: Frame | undefined): Band[] {
  if (!frame || !Array.isArray(frame.bands)) return [];
  return frame.bands.slice(0, MAX_BANDS).map((b) => ({ lo: Number(b?.lo), centre: Number(b?.centre), hi: Number(b?.hi) }));
}

function seriesOf(frame: Frame | undefined, n: number): Series[] {
  const channels = frame && Array.isArray(frame.channels) ? frame.channels.slice(0, 2) : [];
  const values = (list: unknown, i: number) => {
    const v = Array.isArray(list) ? Number(list[i]) : Number.NaN;
    return Number.isFinite(v) ? v : Number.NEGATIVE_INFINITY;
  };
  return channels.map((c) => ({
    db: Array.from({ length: n }, (_, i) => values(c?.db, i)),
    peak: Array.from({ length: n }, (_, i) => values(c?.peak, i)),
  }));
}

/** 0 at dbMin (or below), 1 at dbMax (or above). */
function fraction(v: View, db: number): number {
  return Math.min(1, Math.max(0, (db - v.dbMin) / (v.dbMax - v.dbMin)));
}

function panelsFor(count: number): Panel[] {
  if (count < 2) return [{ top: TOP, bottom: BOTTOM }];
  const mid = (TOP + BOTTOM) / 2;
  return [
    { top: TOP, bottom: mid - GAP / 2 },
    { top: mid + GAP / 2, bottom: BOTTOM },
  ];
}

const path = (cls: string, d: string, attributes = '') => (d ? `<path class="${cls}" d="${d}"${attributes}/>` : '');

/**
 * The axes and labels are the same from frame to frame (they change with the settings
 * and the band layout only), so each is drawn once and kept: about a third of a bars
 * frame's rendering time. A small cache, emptied when full.
 */
const drawn = new Map<string, string>();
function memo(key: string, draw: () => string): string {
  let out = drawn.get(key);
  if (out === undefined) {
    if (drawn.size >= 64) drawn.clear();
    out = draw();
    drawn.set(key, out);
  }
  return out;
}

/** Identifies a band layout: its count and three centres (layouts differ in all of them). */
const layoutKey = (bands: readonly Band[]) => `${bands.length}:${bands[0]?.centre}:${bands[bands.length >> 1]?.centre}:${bands[bands.length - 1]?.centre}`;

function grid(v: View, panel: Panel): string {
  return memo(`grid|${v.dbMin}|${v.dbMax}|${panel.top}|${panel.bottom}`, () => drawGrid(v, panel));
}

function drawGrid(v: View, panel: Panel): string {
  const height = panel.bottom - panel.top;
  let d = '';
  let text = '';
  for (const db of gridLevels(v.dbMin, v.dbMax)) {
    const y = num(panel.bottom - fraction(v, db) * height);
    d += `M${LEFT} ${y}H${RIGHT}`;
    text += `<text x="${LEFT - 4}" y="${num(Number(y) + 3)}">${formatDb(db)}</text>`;
  }
  return `${path('aura-grid', d, ' stroke="currentColor" stroke-opacity=".2"')}<g class="aura-db" font-size="9" text-anchor="end" fill="currentColor">${text}</g>`;
}

/** Frequency labels (and note labels) under the plot, `slot` px per band from LEFT. */
function xLabels(v: View, bands: readonly Band[], slot: number, y: number): string {
  return memo(`x|${v.notes}|${slot}|${y}|${layoutKey(bands)}`, () => drawXLabels(v, bands, slot, y));
}

function drawXLabels(v: View, bands: readonly Band[], slot: number, y: number): string {
  const texts = (labels: Label[], dy: number) => labels.map((l) => `<text x="${num(LEFT + l.position * slot)}" y="${y + dy}">${l.text}</text>`).join('');
  let out = `<g class="aura-freq" font-size="10" text-anchor="middle" fill="currentColor">${texts(frequencyLabels(bands, 32 / slot), 0)}</g>`;
  if (v.notes) out += `<g class="aura-note" font-size="9" text-anchor="middle" fill="currentColor">${texts(noteLabels(bands, 24 / slot), 12)}</g>`;
  return out;
}

function channelLetter(index: number, panel: Panel, count: number): string {
  return count < 2 ? '' : `<text class="aura-ch" x="${LEFT + 4}" y="${panel.top + 10}" font-size="10" fill="currentColor">${CHANNEL_LETTERS[index]}</text>`;
}

function bars(v: View, bands: readonly Band[], series: Series[]): string {
  const n = bands.length;
  const slot = (RIGHT - LEFT) / n;
  const width = num(Math.max(1, slot * 0.75));
  const panels = panelsFor(series.length);
  let out = '';
  series.forEach((s, c) => {
    const panel = panels[c]!;
    const height = panel.bottom - panel.top;
    let d = '';
    let caps = '';
    for (let i = 0; i < n; i++) {
      const x = num(LEFT + (i + 0.5) * slot);
      const level = fraction(v, s.db[i]!);
      const peak = fraction(v, s.peak[i]!);
      if (level > 0) d += `M${x} ${panel.bottom}V${num(panel.bottom - level * height)}`;
      if (peak > 0) caps += `M${x} ${num(panel.bottom - peak * height)}v-2`;
    }
    out += grid(v, panel) + channelLetter(c, panel, series.length);
    out += path('aura-bar', d, ` stroke="currentColor" stroke-width="${width}"`);
    out += path('aura-peak', caps, ` stroke="currentColor" stroke-width="${width}"`);
  });
  return out + xLabels(v, bands, slot, BOTTOM + 12);
}

/** LED meter: each bar a column of LED_PITCH-px cells, lit in three zones (top 10 %, next 20 %, the rest), the peak cell lit alone. */
function leds(v: View, bands: readonly Band[], series: Series[]): string {
  const n = bands.length;
  const slot = (RIGHT - LEFT) / n;
  const width = num(Math.max(1, slot * 0.75));
  const dashed = ` stroke="currentColor" stroke-width="${width}" stroke-dasharray="${LED_LIT} ${LED_PITCH - LED_LIT}"`;
  const panels = panelsFor(series.length);
  let out = '';
  series.forEach((s, c) => {
    const panel = panels[c]!;
    const cells = Math.floor((panel.bottom - panel.top) / LED_PITCH);
    const zones = [0, Math.round(cells * 0.7), Math.round(cells * 0.9), cells];
    const lit = ['', '', ''];
    let off = '';
    let peaks = '';
    const y = (cell: number) => num(panel.bottom - cell * LED_PITCH);
    for (let i = 0; i < n; i++) {
      const x = num(LEFT + (i + 0.5) * slot);
      const on = Math.round(fraction(v, s.db[i]!) * cells);
      const peak = Math.ceil(fraction(v, s.peak[i]!) * cells);
      off += `M${x} ${panel.bottom}V${y(cells)}`;
      for (let z = 0; z < 3; z++) {
        const from = zones[z]!;
        const to = Math.min(on, zones[z + 1]!);
        if (to > from) lit[z] += `M${x} ${y(from)}V${y(to)}`;
      }
      if (peak > on) peaks += `M${x} ${y(peak - 1)}v-${LED_LIT}`;
    }
    out += channelLetter(c, panel, series.length);
    out += path('aura-led-off', off, `${dashed} stroke-opacity=".15"`);
    out += path('aura-led-lo', lit[0]!, dashed) + path('aura-led-mid', lit[1]!, dashed) + path('aura-led-hi', lit[2]!, dashed);
    out += path('aura-led-peak', peaks, ` stroke="currentColor" stroke-width="${width}"`);
  });
  return out + xLabels(v, bands, slot, BOTTOM + 12);
}

/** Line graph over a filled area, one panel; in stereo both channels overlaid (classes aura-left, aura-right). */
function lines(v: View, bands: readonly Band[], series: Series[]): string {
  const n = bands.length;
  const slot = (RIGHT - LEFT) / n;
  const height = BOTTOM - TOP;
  let out = grid(v, { top: TOP, bottom: BOTTOM });
  series.forEach((s, c) => {
    const who = series.length > 1 ? ` aura-${CHANNEL_NAMES[c]}` : '';
    const points = (values: number[]) => values.map((db, i) => `${num(LEFT + (i + 0.5) * slot)} ${num(BOTTOM - fraction(v, db) * height)}`).join(' ');
    const line = points(s.db);
    const first = num(LEFT + 0.5 * slot);
    out += path(`aura-area${who}`, `M${first} ${BOTTOM}L${line}V${BOTTOM}z`, ' fill="currentColor" fill-opacity=".2"');
    out += path(`aura-line${who}`, `M${line}`, ' fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"');
    out += path(`aura-peak${who}`, `M${points(s.peak)}`, ' fill="none" stroke="currentColor" stroke-dasharray="2 2"');
  });
  return out + xLabels(v, bands, slot, BOTTOM + 12);
}

/** Bars radiating from a circle; in stereo the left channel on the left half, mirrored. Labels around the outside. */
function radial(v: View, bands: readonly Band[], series: Series[]): string {
  const n = bands.length;
  const cx = VIEW_WIDTH / 2;
  const cy = 152;
  const r0 = 40;
  const r1 = 128;
  const stereo = series.length > 1;
  const span = stereo ? Math.PI : 2 * Math.PI;
  // Angle of a fractional band index: clockwise from the top (SVG's y points down); the left channel runs anticlockwise.
  const angle = (position: number, c: number) => -Math.PI / 2 + (c === 1 || !stereo ? 1 : -1) * ((position / n) * span);
  const at = (r: number, a: number) => `${num(cx + r * Math.cos(a))} ${num(cy + r * Math.sin(a))}`;
  const width = num(Math.min(8, ((span * r0) / n) * 0.8));
  let out = `<circle class="aura-grid" cx="${cx}" cy="${cy}" r="${r0}" fill="none" stroke="currentColor" stroke-opacity=".2"/>`;
  series.forEach((s, c) => {
    const who = stereo ? ` aura-${CHANNEL_NAMES[c]}` : '';
    let d = '';
    let caps = '';
    for (let i = 0; i < n; i++) {
      const a = angle(i + 0.5, c);
      const level = fraction(v, s.db[i]!);
      const peak = fraction(v, s.peak[i]!);
      if (level > 0) d += `M${at(r0, a)} ${at(r0 + level * (r1 - r0), a)}`;
      if (peak > 0) caps += `M${at(r0 + peak * (r1 - r0), a)} ${at(r0 + peak * (r1 - r0) + 2, a)}`;
    }
    out += path(`aura-bar${who}`, d, ` stroke="currentColor" stroke-width="${width}"`);
    out += path(`aura-peak${who}`, caps, ` stroke="currentColor" stroke-width="${width}"`);
  });
  // Labels along the right half (the right channel in stereo), spaced by arc length at the label radius.
  const r = r1 + 12;
  const labelled = (labels: Label[]) =>
    labels.map((l) => {
      const [x, y] = at(r, angle(l.position, 1)).split(' ');
      return `<text x="${x}" y="${num(Number(y) + 3)}">${l.text}</text>`;
    });
  const perBand = (span * r) / n;
  out += `<g class="aura-freq" font-size="10" text-anchor="middle" fill="currentColor">${labelled(frequencyLabels(bands, 30 / perBand)).join('')}</g>`;
  if (stereo)
    out += `<g class="aura-ch" font-size="10" fill="currentColor"><text x="${cx - 24}" y="${cy + 4}">L</text><text x="${cx + 16}" y="${cy + 4}">R</text></g>`;
  return out;
}

/** The last SPECTROGRAM_COLUMNS frames, time left to right, frequency bottom to top; one path per level, runs of equal level merged. */
function spectrogram(v: View, history: readonly Frame[]): string {
  const frames = history.slice(-SPECTROGRAM_COLUMNS);
  const newest = frames.at(-1);
  const bands = bandsOf(newest);
  const count = Math.max(1, seriesOf(newest, 0).length);
  const panels = panelsFor(count);
  const column = (RIGHT - LEFT) / SPECTROGRAM_COLUMNS;
  const runs = panels.map(() => Array.from({ length: SPECTROGRAM_LEVELS }, () => ''));
  frames.forEach((frame, j) => {
    const n = bandsOf(frame).length;
    const x = num(RIGHT - (frames.length - j - 0.5) * column);
    seriesOf(frame, n).forEach((s, c) => {
      const panel = panels[c];
      if (!panel || n === 0) return;
      const row = (panel.bottom - panel.top) / n;
      const level = s.db.map((db) => Math.min(SPECTROGRAM_LEVELS - 1, Math.floor(fraction(v, db) * SPECTROGRAM_LEVELS)));
      let start = 0;
      for (let i = 1; i <= n; i++) {
        if (i < n && level[i] === level[start]) continue;
        const l = level[start]!;
        if (l > 0) runs[c]![l] += `M${x} ${num(panel.bottom - start * row)}V${num(panel.bottom - i * row)}`;
        start = i;
      }
    });
  });
  let out = '';
  panels.forEach((panel, c) => {
    out += `<rect class="aura-s0" x="${LEFT}" y="${panel.top}" width="${RIGHT - LEFT}" height="${panel.bottom - panel.top}" fill="currentColor" fill-opacity=".05"/>`;
    for (let l = 1; l < SPECTROGRAM_LEVELS; l++) {
      out += path(
        `aura-s${l}`,
        runs[c]![l]!,
        ` stroke="currentColor" stroke-width="${num(column + 0.2)}" stroke-opacity="${num(l / (SPECTROGRAM_LEVELS - 1))}"`,
      );
    }
    // Frequency labels up the left side of each panel.
    const row = bands.length > 0 ? (panel.bottom - panel.top) / bands.length : 0;
    const labels = row > 0 ? frequencyLabels(bands, 12 / row) : [];
    out += `<g class="aura-freq" font-size="9" text-anchor="end" fill="currentColor">${labels.map((l) => `<text x="${LEFT - 4}" y="${num(panel.bottom - l.position * row + 3)}">${l.text}</text>`).join('')}</g>`;
    out += channelLetter(c, panel, count);
  });
  return out;
}

/** "loudest band 1 kHz at −0.2 dBFS", or "silent" when nothing reaches dbMin. */
function loudest(v: View, bands: readonly Band[], s: Series): string {
  let best = -1;
  s.db.forEach((db, i) => {
    if (db > v.dbMin && (best < 0 || db > s.db[best]!)) best = i;
  });
  if (best < 0) return 'silent';
  const centre = bands[best]!.centre;
  const note = v.notes && centre > 0 ? ` (${noteName(centre)})` : '';
  return `loudest band ${formatHz(centre)}${note} at ${formatDb(Math.min(s.db[best]!, v.dbMax))} ${v.unit}`;
}

function ariaLabel(v: View, bands: readonly Band[], series: Series[], frames: number): string {
  const head = v.mode === 'spectrogram' ? `Spectrogram of the last ${frames} frames, now` : 'Spectrum,';
  if (series.length === 0) return `${head} waiting for audio`;
  if (series.length === 1) return `${head} ${loudest(v, bands, series[0]!)}`;
  return `${head} ${series.map((s, c) => `${CHANNEL_NAMES[c]}: ${loudest(v, bands, s)}`).join('; ')}`;
}

/**
 * The SVG for `settings.mode`: the spectrogram draws the last SPECTROGRAM_COLUMNS
 * frames of `history` (oldest first), every other mode its last frame. An empty
 * history draws an empty plot.
 */
export function renderSvg(settings: RenderSettings, history: readonly Frame[]): string {
  const v = view(settings);
  const frame = history.at(-1);
  const bands = bandsOf(frame);
  const series = bands.length > 0 ? seriesOf(frame, bands.length) : [];
  let body = '';
  if (v.mode === 'spectrogram') body = spectrogram(v, history);
  else if (series.length > 0) {
    if (v.mode === 'led') body = leds(v, bands, series);
    else if (v.mode === 'line') body = lines(v, bands, series);
    else if (v.mode === 'radial') body = radial(v, bands, series);
    else body = bars(v, bands, series);
  }
  const classes = `aura aura-${v.mode}${series.length > 1 ? ' aura-stereo' : ''}`;
  const label = escapeXml(ariaLabel(v, bands, series, Math.min(history.length, SPECTROGRAM_COLUMNS)));
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${VIEW_WIDTH} ${VIEW_HEIGHT}" class="${classes}" role="img" aria-label="${label}">${body}</svg>`;
}
