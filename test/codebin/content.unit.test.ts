import { describe, expect, it } from 'vitest';
import {
  BINARY_MESSAGE,
  BLANK_MESSAGE,
  checkBytes,
  checkText,
  countLines,
  HIDDEN_BIDI,
  HIDDEN_INVISIBLE,
  hiddenCharacters,
  highlightCost,
  highlightPlan,
  INLINE_HIGHLIGHT_BUDGET,
  MAX_CONTENT_BYTES,
  MAX_RENDER_LINES,
  MAX_TOKENIZED_LINE,
  splitLines,
} from '../../workers/codebin/content';
import { allowedExpiries, defaultExpiry, expiresAt, isExpired } from '../../workers/codebin/expiry';
import { colorKey, escapeHtml, paletteCss, renderPlainLines, renderTokenLines } from '../../workers/codebin/render';

const enc = (s: string) => new TextEncoder().encode(s);

describe('content checks on bytes', () => {
  const cases: Array<[string, Uint8Array, number | 'ok']> = [
    ['plain ASCII', enc('hello'), 'ok'],
    ['a BOM is kept, not stripped', enc('\uFEFFhello'), 'ok'],
    ['empty', new Uint8Array(0), 422],
    ['a NUL byte', enc('a\u0000b'), 422],
    ['invalid UTF-8 (Latin-1 é)', new Uint8Array([0x63, 0x61, 0x66, 0xe9]), 422],
    ['a lone continuation byte', new Uint8Array([0x80]), 422],
    ['exactly 1 MiB', new Uint8Array(MAX_CONTENT_BYTES).fill(0x61), 'ok'],
    ['1 MiB + 1 byte', new Uint8Array(MAX_CONTENT_BYTES + 1).fill(0x61), 413],
  ];
  for (const [label, bytes, expected] of cases) {
    it(label, () => {
      const r = checkBytes(bytes);
      if (expected === 'ok') {
        expect(r.ok).toBe(true);
        if (r.ok) expect(enc(r.text)).toEqual(bytes);
      } else {
        expect(r).toMatchObject({ ok: false, status: expected });
      }
    });
  }
  it('names binary files plainly', () => {
    expect(checkBytes(enc('\u0000'))).toMatchObject({ message: BINARY_MESSAGE });
    expect(BINARY_MESSAGE).toContain('binary files are not supported');
  });
  it('checks decoded text the same way', () => {
    expect(checkText('ok').ok).toBe(true);
    expect(checkText('\ud800 lone surrogate')).toMatchObject({ ok: false, status: 422 });
    expect(checkText('')).toMatchObject({ ok: false, status: 422 });
  });
});

describe('lines', () => {
  const cases: Array<[string, number]> = [
    ['a', 1],
    ['a\n', 1],
    ['a\nb', 2],
    ['a\r\nb\r\n', 2],
    ['a\rb', 2],
    ['\n\n', 2],
    ['', 0],
  ];
  for (const [text, n] of cases) it(`${JSON.stringify(text)} has ${n} lines`, () => expect(countLines(text)).toBe(n));
  it('split keeps empty lines in the middle', () => expect(splitLines('a\n\nb\n')).toEqual(['a', '', 'b']));
});

describe('highlighting plan: where (and whether) a paste is highlighted', () => {
  const code = (lines: number, width = 40) => Array.from({ length: lines }, (_, i) => `const v${i} = ${'x'.repeat(Math.max(0, width - 12))};`).join('\n');
  const cases: Array<[string, string, 'now' | 'background' | 'never']> = [
    ['a small file is highlighted on the request', code(50), 'now'],
    ['100 KB of ordinary code goes to the queue', code(2_500), 'background'],
    [
      '20 lines just under the tokenizing cap (the super-linear worst case) go to the queue',
      Array(20)
        .fill('a'.repeat(MAX_TOKENIZED_LINE - 1))
        .join('\n'),
      'background',
    ],
    ['a lone CR does not end a line (Shiki splits on \\n only)', Array(20).fill('<a\r'.repeat(66)).join('\n'), 'background'],
    ['one line over the tokenizing cap costs nothing (Shiki leaves it uncoloured)', 'a'.repeat(200_000), 'now'],
    [
      '500 lines at the cap are too costly even in the background',
      Array(500)
        .fill('a'.repeat(MAX_TOKENIZED_LINE - 1))
        .join('\n'),
      'never',
    ],
    ['over 256 KiB is never highlighted', code(7_000), 'never'],
    [`over ${MAX_RENDER_LINES} lines is never highlighted`, `${'\n'.repeat(MAX_RENDER_LINES + 1)}x`, 'never'],
  ];
  for (const [label, text, plan] of cases) {
    it(label, () => expect(highlightPlan(text, new TextEncoder().encode(text).byteLength)).toBe(plan));
  }
  it('cost grows super-linearly with line length, as the grammars do', () => {
    const len = Math.floor(MAX_TOKENIZED_LINE / 2);
    expect(highlightCost('a'.repeat(2 * len))).toBe(0); // at the cap: left uncoloured, costs nothing
    expect(highlightCost('a'.repeat(2 * len - 2))).toBeGreaterThan(6 * highlightCost('a'.repeat(len - 1)));
    expect(highlightCost('a'.repeat(len))).toBeLessThan(INLINE_HIGHLIGHT_BUDGET);
    expect(highlightCost('ab\rcd')).toBe(highlightCost('abxcd'));
  });
});

describe('blank pastes', () => {
  for (const text of [' ', '\n\n\n', '\t \r\n', '\u00a0\u2003']) {
    it(`${JSON.stringify(text)} is refused as text and as bytes`, () => {
      expect(checkText(text)).toEqual({ ok: false, status: 422, message: BLANK_MESSAGE });
      expect(checkBytes(enc(text))).toEqual({ ok: false, status: 422, message: BLANK_MESSAGE });
    });
  }
  it('a single visible character among whitespace is fine', () => expect(checkText('\n x \n').ok).toBe(true));
});

describe('rendering', () => {
  it('escapes every special character', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
  it('renders tokens as classes, never inline styles', () => {
    const html = renderTokenLines([[{ content: 'const', light: '#D73A49', dark: '#F97583', fontStyle: 1 }, { content: ' <x>' }]]);
    expect(html).toBe(
      '<span class="line" id="L1"><a class="ln" href="#L1" data-n="1" aria-label="Line 1"></a><span class="l-d73a49 d-f97583 fi">const</span> &lt;x&gt;</span>\n',
    );
    expect(html).not.toContain('style=');
  });
  it('ignores colour values that are not hex (no class injection)', () => {
    expect(colorKey('#abc123')).toBe('abc123');
    expect(colorKey('red" onclick="x')).toBeNull();
    expect(renderTokenLines([[{ content: 'x', light: 'x" onmouseover="y', dark: undefined }]])).not.toContain('onmouseover');
  });
  it('numbers plain lines', () => {
    expect(renderPlainLines(['a', '<b>'])).toContain('id="L2"');
    expect(renderPlainLines(['<b>'])).toContain('&lt;b&gt;');
  });
  it('builds a light and a dark palette', () => {
    const css = paletteCss({ fg: '#111111', bg: '#ffffff', colors: ['#D73A49', 'not-a-colour'] }, { fg: '#eeeeee', bg: '#000000', colors: ['#F97583'] });
    expect(css).toContain('.code .l-d73a49{color:#d73a49}');
    expect(css).toMatch(/@media \(prefers-color-scheme: dark\)\{[\s\S]*\.code \.d-f97583\{color:#f97583\}/);
    expect(css).not.toContain('not-a-colour');
  });
});

describe('expiry', () => {
  const now = Date.UTC(2026, 0, 1);
  it('computes absolute times', () => {
    expect(expiresAt('10m', now)).toBe(now + 600_000);
    expect(expiresAt('never', now)).toBeNull();
    expect(isExpired(now, now)).toBe(true);
    expect(isExpired(now + 1, now)).toBe(false);
    expect(isExpired(null, now)).toBe(false);
  });
  it('caps the choices', () => {
    expect(allowedExpiries(undefined)).toEqual(['10m', '1h', '1d', '1w', '1M', '1y', 'never']);
    expect(allowedExpiries('1d')).toEqual(['10m', '1h', '1d']);
    expect(defaultExpiry('1d')).toBe('1d');
    expect(defaultExpiry('1y')).toBe('1w');
  });
});

describe('hidden characters (warned about on the view, as GitHub does)', () => {
  const cases: Array<[string, string, number]> = [
    ['plain ASCII', 'let a = 1;', 0],
    ['emoji ZWJ sequences and variation selectors are fine', '👩‍💻 🏳️‍🌈 ❤️', 0],
    ['a BOM at the very start is fine', '\uFEFFhello', 0],
    ['RTL text without controls is fine', 'שלום عربى', 0],
    ['RIGHT-TO-LEFT OVERRIDE (Trojan Source)', 'if (isAdmin) { /* \u202e } \u2066 begin admins only */', HIDDEN_BIDI],
    ['a first-strong isolate', 'x\u2068y', HIDDEN_BIDI],
    ['a right-to-left mark', 'a\u200fb', HIDDEN_BIDI],
    ['a zero-width space', 'pass\u200bword', HIDDEN_INVISIBLE],
    ['a BOM in the middle', 'a\uFEFFb', HIDDEN_INVISIBLE],
    ['a soft hyphen', 'co\u00adde', HIDDEN_INVISIBLE],
    ['a Hangul filler used as an identifier', 'const \u3164 = 1;', HIDDEN_INVISIBLE],
    ['a tag character', 'x\u{E0041}', HIDDEN_INVISIBLE],
    ['both kinds', '\u202e\u200b', HIDDEN_BIDI | HIDDEN_INVISIBLE],
  ];
  for (const [label, text, bits] of cases) it(label, () => expect(hiddenCharacters(text)).toBe(bits));
});
