import { describe, expect, it } from 'vitest';
import { createAnalyzer, type Frame } from '../../workers/aura/dsp/analyzer';
import { bandLayout } from '../../workers/aura/dsp/bands';
import { chord, pinkNoise, sine } from '../../workers/aura/dsp/signals';
import { DEFAULT_SETTINGS, MODES, type Mode, type Settings } from '../../workers/aura/settings';
import { renderSvg, SPECTROGRAM_COLUMNS } from '../../workers/aura/svg/render';
import { parseXml } from '../support/xml';

const bytes = (s: string) => new TextEncoder().encode(s).length;

/** Frames of a real analysis: a chord over pink noise (left) and pink noise (right). */
function analyzed(settings: Partial<Settings>, seconds = 1): Frame[] {
  const rate = 48000;
  const noise = pinkNoise(rate * seconds, 3);
  const left = chord(rate * seconds, rate, [110, 440, 2500], 0.7).map((v, i) => v + noise[i]!);
  const analyzer = createAnalyzer({ ...DEFAULT_SETTINGS, ...settings }, rate, 2);
  return analyzer.push([left, pinkNoise(rate * seconds, 4)]);
}

/** A synthetic frame of `n` bands, every value a non-round number inside the range: the most digits. */
function synthetic(n: number, channels = 1): Frame {
  const bands = bandLayout('mel', '1/3', 48000, n).map((b) => ({
    lo: Math.round(b.lo * 10) / 10,
    centre: Math.round(b.centre * 10) / 10,
    hi: Math.round(b.hi * 10) / 10,
  }));
  const series = (c: number) => ({
    db: bands.map((_, i) => -87.3 + ((i * 37 + c * 11) % 86) + 0.7),
    peak: bands.map((_, i) => -80.1 + ((i * 37 + c * 11) % 80) + 0.3),
  });
  return { index: 0, time: 0, sampleRate: 48000, bands, channels: Array.from({ length: channels }, (_, c) => series(c)) };
}

describe('the checker itself', () => {
  const bad: Array<[string, string]> = [
    ['mismatched tags', '<svg><g></svg></g>'],
    ['an unclosed element', '<svg><g></svg>'],
    ['two roots', '<svg/><svg/>'],
    ['an unquoted attribute', '<svg a=1/>'],
    ['a repeated attribute', '<svg a="1" a="2"/>'],
    ["'<' in an attribute", '<svg a="<"/>'],
    ['a bare ampersand', '<svg>a & b</svg>'],
    ['an unknown entity', '<svg>&nbsp;</svg>'],
    ['text outside the root', 'x<svg/>'],
    ['attributes run together', '<svg a="1"b="2"/>'],
  ];
  for (const [what, xml] of bad) it(`rejects ${what}`, () => expect(() => parseXml(xml)).toThrow());
  it('accepts a well-formed document and decodes entities', () => {
    const doc = parseXml('<svg a="x &amp; y"><g><text>1 &lt; 2</text></g><path d="M0 0"/></svg>');
    expect(doc.elements.map((e) => e.name)).toEqual(['svg', 'g', 'text', 'path']);
    expect(doc.root.attributes.get('a')).toBe('x & y');
    expect(doc.texts).toEqual(['1 < 2']);
  });
});

/** The rules every rendered SVG keeps, whatever the mode. */
function checkSvg(svg: string, mode: Mode) {
  const doc = parseXml(svg);
  expect(doc.root.name).toBe('svg');
  expect(doc.root.attributes.get('viewBox')).toBe('0 0 640 320');
  expect(doc.root.attributes.get('role')).toBe('img');
  expect(doc.root.attributes.get('class')).toContain(`aura-${mode}`);
  expect(doc.root.attributes.get('aria-label')).toMatch(/^(Spectrum|Spectrogram)/);
  for (const e of doc.elements) {
    expect(['svg', 'g', 'path', 'text', 'rect', 'circle']).toContain(e.name);
    for (const [name, value] of e.attributes) {
      expect(name, 'no inline styles, no handlers').not.toMatch(/^(style|on.*|href|xlink:href)$/);
      // Path data: commands and numbers with at most one decimal.
      if (name === 'd') expect(value).toMatch(/^([MVHLvhzZ]|-?\d+(\.\d)?|[ ])+$/);
    }
  }
  // Text comes from numbers and fixed tables only: digits, k, note names, L/R.
  for (const t of doc.texts) expect(t).toMatch(/^(−?\d+(\.\d)?k?|[A-G]♯?\d|[LR])$/);
  return doc;
}

describe('every mode renders, mono and stereo', () => {
  for (const mode of MODES) {
    for (const channelMode of ['mono', 'stereo'] as const) {
      it(`${mode}, ${channelMode}`, () => {
        const settings = { ...DEFAULT_SETTINGS, mode, channelMode, noteLabels: true };
        const frames = analyzed(settings);
        const svg = renderSvg(settings, frames);
        const doc = checkSvg(svg, mode);
        expect(doc.elements.filter((e) => e.name === 'path').length).toBeGreaterThanOrEqual(channelMode === 'stereo' ? 2 : 1);
        expect(svg.includes('aura-stereo')).toBe(channelMode === 'stereo');
        if (mode !== 'spectrogram' && mode !== 'radial') expect(doc.texts).toContain('C4');
        expect(bytes(svg), `${mode} ${channelMode}: ${bytes(svg)} bytes`).toBeLessThanOrEqual(mode === 'spectrogram' ? 32 * 1024 : 12 * 1024);
      });
    }
  }

  it('an empty history draws an empty plot', () => {
    for (const mode of MODES) {
      const doc = checkSvg(renderSvg({ ...DEFAULT_SETTINGS, mode }, []), mode);
      expect(doc.root.attributes.get('aria-label')).toMatch(/waiting for audio$/);
    }
  });
});

describe('bars', () => {
  const sizes: Array<[number, number, number]> = [
    [64, 1, 4 * 1024],
    [128, 1, 8 * 1024],
  ];
  for (const [n, channels, limit] of sizes) {
    it(`${n} bands fit in ${limit / 1024} KB, one <path> for the bars and one for the caps`, () => {
      const svg = renderSvg({ ...DEFAULT_SETTINGS, noteLabels: true }, [synthetic(n, channels)]);
      const doc = checkSvg(svg, 'bars');
      expect(bytes(svg)).toBeLessThanOrEqual(limit);
      const paths = doc.elements.filter((e) => e.name === 'path').map((e) => e.attributes.get('class'));
      expect(paths.filter((c) => c === 'aura-bar')).toHaveLength(1);
      expect(paths.filter((c) => c === 'aura-peak')).toHaveLength(1);
      expect(
        doc.elements
          .find((e) => e.attributes.get('class') === 'aura-bar')!
          .attributes.get('d')!
          .match(/M/g),
      ).toHaveLength(n);
    });
  }

  it('label 20 Hz and the octave bands 31.5 … 16k on a third-octave layout, and the dB grid', () => {
    const doc = checkSvg(renderSvg(DEFAULT_SETTINGS, analyzed({}, 0.2)), 'bars');
    expect(doc.texts.filter((t) => /\d$|k$/.test(t) && !t.startsWith('−') && t !== '0')).toEqual([
      '20',
      '31.5',
      '63',
      '125',
      '250',
      '500',
      '1k',
      '2k',
      '4k',
      '8k',
      '16k',
    ]);
    expect(doc.texts).toEqual(expect.arrayContaining(['0', '−20', '−40', '−60', '−80']));
  });

  it('say in the aria-label which band is loudest, from numbers', () => {
    const settings = { ...DEFAULT_SETTINGS, attack: 0 };
    const frames = createAnalyzer(settings, 48000, 1).push([sine(48000, 48000, 1000, 0.98)]);
    expect(renderSvg(settings, frames)).toContain('aria-label="Spectrum, loudest band 1 kHz at −0.2 dBFS"');
    expect(renderSvg({ ...settings, noteLabels: true, weighting: 'A' }, frames)).toContain('aria-label="Spectrum, loudest band 1 kHz (B5) at −0.2 dBFS(A)"');
    const stereo = createAnalyzer({ ...settings, channelMode: 'stereo' }, 48000, 2).push([sine(48000, 48000, 1000, 0.98), new Float32Array(48000)]);
    expect(renderSvg(settings, stereo)).toContain('aria-label="Spectrum, left: loudest band 1 kHz at −0.2 dBFS; right: silent"');
  });
});

describe('spectrogram', () => {
  it(`draws the last ${SPECTROGRAM_COLUMNS} frames, newest at the right, one path per level`, () => {
    const settings = { ...DEFAULT_SETTINGS, mode: 'spectrogram' as const };
    const frames = analyzed(settings, 2);
    expect(frames.length).toBeGreaterThan(SPECTROGRAM_COLUMNS);
    const svg = renderSvg(settings, frames);
    const doc = checkSvg(svg, 'spectrogram');
    expect(doc.root.attributes.get('aria-label')).toMatch(new RegExp(`^Spectrogram of the last ${SPECTROGRAM_COLUMNS} frames, now loudest band`));
    const classes = doc.elements.filter((e) => e.name === 'path').map((e) => e.attributes.get('class')!);
    expect(new Set(classes).size).toBe(classes.length);
    const xs = doc.elements.filter((e) => e.name === 'path').flatMap((e) => [...e.attributes.get('d')!.matchAll(/M([\d.]+) /g)].map((m) => Number(m[1])));
    expect(new Set(xs).size).toBe(SPECTROGRAM_COLUMNS);
    expect(Math.max(...xs)).toBeGreaterThan(620);
  });
});

describe('nothing but numbers reaches the markup', () => {
  it('strings, NaN and markup inside a frame or the settings come out as silence and defaults', () => {
    const hostile = {
      index: 0,
      time: 0,
      sampleRate: 48000,
      bands: [
        { lo: '<script>', centre: '"><script>alert(1)</script>', hi: 100 },
        { lo: 100, centre: 141, hi: 200 },
      ],
      channels: [{ db: ['<img src=x onerror=alert(1)>', Number.NaN], peak: [Number.POSITIVE_INFINITY, '1e999'] }, 'nope', { db: null }],
    } as unknown as Frame;
    const settings = { mode: '"><script>', dbMin: '<b>', dbMax: Number.NaN, noteLabels: 'yes', weighting: '</svg>' } as unknown as Settings;
    for (const mode of [...MODES, settings.mode] as Mode[]) {
      const svg = renderSvg({ ...settings, mode }, [hostile, hostile]);
      expect(svg).not.toMatch(/<script|onerror|<img|<b>|alert/);
      parseXml(svg);
    }
    expect(parseXml(renderSvg(settings, [hostile])).root.attributes.get('class')).toBe('aura aura-bars aura-stereo');
  });
});
