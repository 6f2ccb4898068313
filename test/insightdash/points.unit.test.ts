// InsightDash's point checks: each bad point is refused with its reason, the good ones
// kept; the same moment twice keeps the last value.
import { describe, expect, it } from 'vitest';
import { bucketOf, checkPoints, DAY_MS, HOUR_MS, MAX_FUTURE_MS } from '../../workers/insightdash/points';

const NOW = Date.UTC(2026, 11, 1, 12);

describe('checkPoints', () => {
  it('keeps valid points and refuses each bad one with its reason, by its place', () => {
    const { points, rejected } = checkPoints(
      [
        [NOW - 1000, 1.5],
        [NOW, Number.NaN],
        [NOW, Number.POSITIVE_INFINITY],
        [NOW + MAX_FUTURE_MS + 1, 1],
        [-5, 1],
        [1.5e12 + 0.5, 1],
        ['2026-01-01', 1],
        [NOW, '7'],
        [NOW],
        'x',
        [NOW + MAX_FUTURE_MS, 2],
        [Math.floor(NOW / 1000), 3],
      ],
      NOW,
    );
    expect(points).toEqual([
      { ts: NOW - 1000, value: 1.5 },
      { ts: NOW + MAX_FUTURE_MS, value: 2 },
    ]);
    expect(rejected.map((r) => [r.index, r.reason])).toEqual([
      [1, 'the value must be finite (not NaN or Infinity)'],
      [2, 'the value must be finite (not NaN or Infinity)'],
      [3, 'the timestamp is more than a day in the future'],
      [4, 'the timestamp is before 1970'],
      [5, 'the timestamp must be an integer number of milliseconds since 1970'],
      [6, 'the timestamp must be an integer number of milliseconds since 1970'],
      [7, 'the value must be a number'],
      [8, 'a point is a pair: [timestamp in milliseconds, value]'],
      [9, 'a point is a pair: [timestamp in milliseconds, value]'],
      [11, 'the timestamp looks like seconds: send milliseconds since 1970 (seconds × 1000)'],
    ]);
  });

  it('the same moment twice in one request: the last value wins', () => {
    expect(
      checkPoints(
        [
          [NOW, 1],
          [NOW, 2],
        ],
        NOW,
      ).points,
    ).toEqual([{ ts: NOW, value: 2 }]);
  });

  it('refuses what is not a list', () => {
    expect(checkPoints({ ts: NOW }, NOW).rejected).toEqual([{ index: -1, reason: 'points must be a list of [timestamp, value] pairs' }]);
  });

  it('buckets are aligned to the epoch (UTC hours and days)', () => {
    expect(bucketOf(Date.UTC(2026, 0, 2, 13, 45), HOUR_MS)).toBe(Date.UTC(2026, 0, 2, 13));
    expect(bucketOf(Date.UTC(2026, 0, 2, 13, 45), DAY_MS)).toBe(Date.UTC(2026, 0, 2));
  });
});
