/**
 * The piano roll: a score's first bars as an SVG, one colour per track (classes
 * `t0`…`t15`, coloured by melos.css for light and dark), pitched notes above and a
 * lane per drum below, bar lines and beat ticks behind.
 *
 * Built as a string from numbers only: no text a person typed ever reaches it (the
 * legend beside it is HTML, escaped by JSX), so it needs no escaping.
 */
import type { Score } from './engine/score';

// About the width it is shown at (the editor's side column, an example card), so a note row stays ~6 px tall.
const WIDTH = 480;
const NOTE_HEIGHT = 6;
const DRUM_LANE = 7;
const PAD = 4;

export type RollSummary = { svg: string; notes: number; bars: number };

/** A roll with what the whole piece would be: its bars and length in seconds (the editor shows both). */
export type RollView = RollSummary & { totalBars: number; seconds: number };

/** The first `bars` bars of `score` (a score composed with at least that many). */
export function pianoRoll(score: Score, bars: number): RollSummary {
  const endTick = Math.min(score.lengthTicks, bars * score.barTicks);
  const shown = score.notes.filter((n) => n.tick < endTick);
  const pitched = shown.filter((n) => n.drum === undefined);
  const drums = [...new Set(shown.filter((n) => n.drum !== undefined).map((n) => n.pitch))].sort((a, b) => b - a);
  // The pitch range shown: the notes', at least an octave and a half, centred.
  let low = Math.min(...pitched.map((n) => n.pitch), 60);
  let high = Math.max(...pitched.map((n) => n.pitch), 72);
  if (high - low < 18) {
    const mid = Math.round((high + low) / 2);
    low = mid - 9;
    high = mid + 9;
  }
  const rows = high - low + 1;
  const pitchedHeight = rows * NOTE_HEIGHT;
  const drumTop = PAD + pitchedHeight + (drums.length > 0 ? PAD * 2 : 0);
  const height = drumTop + drums.length * DRUM_LANE + PAD;
  const x = (tick: number) => Math.round((tick / endTick) * (WIDTH - 2 * PAD) * 10) / 10 + PAD;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="melos-roll" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="Piano roll of the first ${Math.ceil(endTick / score.barTicks)} bars: ${shown.length} notes">`,
  ];
  // C rows shaded, so octaves can be counted.
  for (let p = low; p <= high; p++) {
    if (p % 12 === 0) out.push(`<rect class="c-row" x="0" y="${PAD + (high - p) * NOTE_HEIGHT}" width="${WIDTH}" height="${NOTE_HEIGHT}"/>`);
  }
  const beat = (score.barTicks / score.meter[0]) | 0;
  for (let t = 0; t <= endTick; t += beat) {
    const bar = t % score.barTicks === 0;
    out.push(`<line class="${bar ? 'bar' : 'beat'}" x1="${x(t)}" x2="${x(t)}" y1="0" y2="${height}"/>`);
  }
  for (const n of pitched) {
    const w = Math.max(1.5, x(Math.min(endTick, n.tick + n.duration)) - x(n.tick) - 0.5);
    out.push(
      `<rect class="t${n.track}" x="${x(n.tick)}" y="${PAD + (high - n.pitch) * NOTE_HEIGHT}" width="${w.toFixed(1)}" height="${NOTE_HEIGHT - 1}" rx="1"/>`,
    );
  }
  for (const n of shown) {
    if (n.drum === undefined) continue;
    const lane = drums.indexOf(n.pitch);
    out.push(`<rect class="t${n.track}" x="${x(n.tick)}" y="${drumTop + lane * DRUM_LANE}" width="3" height="${DRUM_LANE - 2}"/>`);
  }
  out.push('</svg>');
  return { svg: out.join(''), notes: shown.length, bars: Math.ceil(endTick / score.barTicks) };
}
