// InsightDash's text formats: Influx line protocol (escaping, integer, unsigned, float
// and boolean fields, strings refused, missing timestamps, precisions) and CSV (quotes,
// ISO timestamps, errors by line number), each bad line refused with its reason.
import { describe, expect, it } from 'vitest';
import { parseCsv, parseLineProtocol, seriesNameProblem, TooManyPoints } from '../../workers/insightdash/formats';
import { MAX_POINTS_PER_REQUEST } from '../../workers/insightdash/points';

const NOW = Date.UTC(2026, 11, 1, 12);
const NS = BigInt(NOW) * 1_000_000n;

describe('line protocol', () => {
  it('turns each numeric field into a series measurement.field{tags}, so two hosts stay two series', () => {
    const parsed = parseLineProtocol(
      `weather,country=no,city=oslo temp=3.5,humidity=81i,ok=t,count=7u ${NS}\nweather temp=1 ${NS}\nweather,city=bergen temp=2 ${NS}`,
      'ns',
      NOW,
    );
    expect(parsed.refused).toEqual([]);
    expect(parsed.samples.map((s) => [s.series, s.ts, s.value])).toEqual([
      ['weather.temp{city=oslo,country=no}', NOW, 3.5],
      ['weather.humidity{city=oslo,country=no}', NOW, 81],
      ['weather.ok{city=oslo,country=no}', NOW, 1],
      ['weather.count{city=oslo,country=no}', NOW, 7],
      ['weather.temp', NOW, 1],
      ['weather.temp{city=bergen}', NOW, 2],
    ]);
    expect(parsed.tags.get('weather.temp{city=oslo,country=no}')).toEqual({ city: 'oslo', country: 'no' });
  });

  it('says which unit a timestamp should be in when milliseconds arrive where nanoseconds are the default', () => {
    expect(parseLineProtocol(`m v=1 ${NOW}`, 'ns', NOW).refused[0]!.reason).toBe(
      'the timestamp is not in nanoseconds: add ?precision=ms (or s, us) to the address for other units',
    );
  });

  it('reads the escapes: commas and spaces in measurements, = in tags and field keys', () => {
    const parsed = parseLineProtocol(`my\\ room\\,east,loc=a\\ b\\=c,x=1\\,2 tem\\=p=1e3,f=-.5E-1 ${NOW}`, 'ms', NOW);
    expect(parsed.refused).toEqual([]);
    expect(parsed.samples.map((s) => [s.series, s.value])).toEqual([
      ['my room,east.tem=p{loc=a b=c,x=1,2}', 1000],
      ['my room,east.f{loc=a b=c,x=1,2}', -0.05],
    ]);
    expect(parsed.tags.get('my room,east.f{loc=a b=c,x=1,2}')).toEqual({ loc: 'a b=c', x: '1,2' });
  });

  it('skips string fields (not charted) and keeps the line’s numbers; a quoted string may hold spaces and commas', () => {
    const parsed = parseLineProtocol(`app msg="hello, world \\"x\\"",n=2i ${NOW}`, 'ms', NOW);
    expect(parsed.samples.map((s) => [s.series, s.value])).toEqual([['app.n', 2]]);
    expect(parsed.refused).toEqual([]);
  });

  it('takes a line without a timestamp at now, and converts each precision', () => {
    const at = (line: string, precision: 'ns' | 'us' | 'ms' | 's') => parseLineProtocol(line, precision, NOW).samples[0]?.ts;
    expect(at('m v=1', 'ns')).toBe(NOW);
    expect(at(`m v=1 ${NOW / 1000}`, 's')).toBe(NOW);
    expect(at(`m v=1 ${NOW}`, 'ms')).toBe(NOW);
    expect(at(`m v=1 ${NOW * 1000 + 999}`, 'us')).toBe(NOW);
    expect(at(`m v=1 ${NS + 999_999n}`, 'ns')).toBe(NOW);
  });

  it('refuses each bad line with its number and keeps the good ones; skips comments and blank lines', () => {
    const body = [
      '# a comment',
      'm v=1',
      '',
      'no_fields',
      'm v=abc',
      'm v=1 12x',
      'm,bad v=1',
      `m v=1 ${NS * 10n}`,
      'm v=2',
      'm v="unclosed',
      ' m2   v=3 ',
    ].join('\n');
    const parsed = parseLineProtocol(body, 'ns', NOW);
    expect(parsed.samples.map((s) => [s.series, s.value, s.ref])).toEqual([
      ['m.v', 1, { line: 2 }],
      ['m.v', 2, { line: 9 }],
      ['m2.v', 3, { line: 11 }],
    ]);
    expect(parsed.refused.map((r) => 'line' in r && r.line)).toEqual([4, 5, 6, 7, 8, 10]);
    expect(parsed.refused[1]!.reason).toContain('is not a number');
    expect(parsed.refused[4]!.reason).toContain('more than a day in the future');
  });

  it('stops at the point limit (the API answers 413)', () => {
    const body = Array.from({ length: MAX_POINTS_PER_REQUEST + 1 }, (_, i) => `m v=${i} ${NOW - i}`).join('\n');
    expect(() => parseLineProtocol(body, 'ms', NOW)).toThrow(TooManyPoints);
  });
});

describe('CSV', () => {
  it('reads ts,series,value with a header, quotes and ISO timestamps', () => {
    const body = [
      'ts,series,value',
      `${NOW},weight,71.5`,
      '2026-12-01T10:00:00Z,"sleep, hours",7',
      '2026-12-01T10:30:00+01:00,"say ""hi""",-2',
      '2026-11-30,steps,1e4',
    ].join('\r\n');
    const parsed = parseCsv(body, NOW);
    expect(parsed.refused).toEqual([]);
    expect(parsed.samples.map((s) => [s.series, s.ts, s.value, s.ref])).toEqual([
      ['weight', NOW, 71.5, { line: 2 }],
      ['sleep, hours', Date.UTC(2026, 11, 1, 10), 7, { line: 3 }],
      ['say "hi"', Date.UTC(2026, 11, 1, 9, 30), -2, { line: 4 }],
      ['steps', Date.UTC(2026, 10, 30), 10000, { line: 5 }],
    ]);
  });

  it('names each bad line by its number (counting from first_line) and why', () => {
    const body = [`${NOW},a,1`, `${NOW},b`, 'yesterday,a,1', `${NOW},a,NaN`, `${NOW},,1`, `${NOW},"a,1`, '2026-12-01T10:00:00,a,1', `${NOW},a,2`].join('\n');
    const parsed = parseCsv(body, NOW, 101);
    expect(parsed.samples.map((s) => s.ref)).toEqual([{ line: 101 }, { line: 108 }]);
    expect(parsed.refused).toEqual([
      { line: 102, reason: 'expected 3 fields (ts,series,value), found 2' },
      { line: 103, reason: expect.stringContaining('is neither milliseconds since 1970 nor an ISO 8601 date-time') },
      { line: 104, reason: 'the value “NaN” is not a number' },
      { line: 105, reason: 'the series name is empty' },
      { line: 106, reason: expect.stringContaining('quoted field is not closed') },
      { line: 107, reason: expect.stringContaining('with a zone') },
    ]);
  });
});

describe('series names', () => {
  it('refuses empty, long, control characters and edge spaces', () => {
    expect(seriesNameProblem('cpu.load')).toBeUndefined();
    expect(seriesNameProblem('')).toContain('empty');
    expect(seriesNameProblem('x'.repeat(201))).toContain('longer');
    expect(seriesNameProblem('a\u0000b')).toContain('control');
    expect(seriesNameProblem('a\u2028b')).toContain('control');
    expect(seriesNameProblem(' a')).toContain('space');
  });
});
