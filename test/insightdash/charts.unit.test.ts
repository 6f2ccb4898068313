// What a chart card sends: at most 2,000 points a series (LTTB keeps the shape: the
// first, the last and the peaks), in at most 40 KB of fragment for the worst case
// (raw points at irregular moments, with a band, a moving average and the previous period).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CardRow, lineChart, lttb, MAX_CHART_POINTS, pack, STEPS, unpack } from '../../workers/insightdash/charts';

describe('lttb', () => {
  it('keeps at most the threshold, in order, with the first and the last point', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 0, maxLength: 3000 }),
        fc.integer({ min: 3, max: 500 }),
        (ys, threshold) => {
          const xs = ys.map((_, i) => i * 10);
          const kept = lttb(xs, ys, threshold);
          expect(kept.length).toBe(Math.min(ys.length, threshold));
          for (let i = 1; i < kept.length; i++) expect(kept[i]!).toBeGreaterThan(kept[i - 1]!);
          if (ys.length > 0) {
            expect(kept[0]).toBe(0);
            expect(kept.at(-1)).toBe(ys.length - 1);
          }
        },
      ),
    );
  });

  it('keeps a lone spike', () => {
    const ys = Array.from({ length: 10_000 }, (_, i) => (i === 6_789 ? 1000 : Math.sin(i / 50)));
    const kept = lttb(
      ys.map((_, i) => i),
      ys,
      500,
    );
    expect(kept).toContain(6_789);
  });
});

describe('pack', () => {
  it('round-trips any values within half a step, and nulls as nulls', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.double({ min: -1e12, max: 1e12, noNaN: true }), { nil: null }), { maxLength: 300 }), (values) => {
        const present = values.filter((v): v is number => v !== null);
        const lo = present.length ? Math.min(...present) : 0;
        const hi = present.length ? Math.max(...present) : 1;
        const back = unpack(pack(values, lo, hi), lo, hi);
        const half = ((hi - lo || 1) / STEPS) * 0.5000001;
        values.forEach((v, i) => {
          if (v === null) expect(back[i]).toBeNull();
          else expect(Math.abs(back[i]! - v)).toBeLessThanOrEqual(half + Math.abs(v) * 1e-12);
        });
      }),
    );
  });
});

describe('a chart’s payload', () => {
  it('is at most 2,000 points and 40 KB, with everything a line card draws', () => {
    const start = Date.UTC(2026, 10, 30);
    let t = start;
    const rows: CardRow[] = [];
    // Two days of points at irregular moments (7 to 61 s apart), with values of many digits.
    for (let i = 0; i < 5_000; i++) {
      t += 7_000 + ((i * 7919) % 54) * 1000;
      const v = 1000 * Math.sin(i / 37) + i / 7;
      rows.push({ t, n: 3, avg: v, min: v - 13.371, max: v + 17.913, sum: 3 * v, ma: v + 0.123456 });
    }
    const previous = rows.map((r) => ({ t: r.t - 7 * 86_400_000, avg: r.avg * 0.98 }));
    const notes = Array.from({ length: 20 }, (_, i) => ({ ts: start + i * 3_600_000, text: 'x'.repeat(280) }));
    const chart = lineChart(rows, previous, { unit: 'kg', goal: 70, notes, from: start, to: start + 2 * 86_400_000, shift: 7 * 86_400_000 });
    const line = (packed: string) => unpack(packed, chart.lo!, chart.hi!);
    expect(line(chart.avg as string)).toHaveLength(MAX_CHART_POINTS);
    expect(chart.dx).toHaveLength(MAX_CHART_POINTS - 1);
    expect(line(chart.min!)).toHaveLength(MAX_CHART_POINTS);
    expect(line(chart.prev!.y as string)).toHaveLength(MAX_CHART_POINTS / 2);
    expect(chart.notes[0]![1]).toHaveLength(40);
    const bytes = new TextEncoder().encode(JSON.stringify(chart)).length;
    expect(bytes, `${bytes} bytes`).toBeLessThanOrEqual(40 * 1024);
    // Every value drawn within a 4,094th of the chart's range of what it is.
    const step = (chart.hi! - chart.lo!) / STEPS;
    const kept = line(chart.avg as string);
    const first = rows.find((r) => Math.round(r.t / 1000) === chart.x0)!;
    expect(Math.abs(kept[0]! - first.avg)).toBeLessThanOrEqual(step / 2 + 1e-9);
  });
});
