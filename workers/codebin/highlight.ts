/**
 * Shiki, on the write path only. routes.tsx imports this module with `import()`,
 * so its grammars are evaluated the first time someone creates a paste (or asks
 * for the stylesheet), never to serve a view.
 *
 * `shiki/core` + the JavaScript regex engine (WebAssembly cannot be compiled from
 * bytes on Workers, and the JS engine needs no .wasm), with each grammar and the
 * two themes imported explicitly: the bundle holds exactly the languages in
 * language.ts. Highlighting costs ≈ 4 ms per KB of TypeScript and far more on
 * pathological lines (bench/RESULTS.md), which is why the result is stored and why
 * service.ts asks `highlightPlan` before calling this.
 */
import { createHighlighterCore, normalizeTheme, type HighlighterCore } from 'shiki/core';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';
import githubDark from '@shikijs/themes/github-dark';
import githubLight from '@shikijs/themes/github-light';
import { MAX_TOKENIZED_LINE } from './content';
import type { Language } from './language';
import { paletteCss, type HighlightToken, type ThemeColors } from './render';

const GRAMMARS = {
  typescript: () => import('@shikijs/langs/typescript'),
  tsx: () => import('@shikijs/langs/tsx'),
  javascript: () => import('@shikijs/langs/javascript'),
  jsx: () => import('@shikijs/langs/jsx'),
  json: () => import('@shikijs/langs/json'),
  jsonc: () => import('@shikijs/langs/jsonc'),
  html: () => import('@shikijs/langs/html'),
  css: () => import('@shikijs/langs/css'),
  scss: () => import('@shikijs/langs/scss'),
  markdown: () => import('@shikijs/langs/markdown'),
  python: () => import('@shikijs/langs/python'),
  ruby: () => import('@shikijs/langs/ruby'),
  go: () => import('@shikijs/langs/go'),
  rust: () => import('@shikijs/langs/rust'),
  java: () => import('@shikijs/langs/java'),
  kotlin: () => import('@shikijs/langs/kotlin'),
  c: () => import('@shikijs/langs/c'),
  cpp: () => import('@shikijs/langs/cpp'),
  csharp: () => import('@shikijs/langs/csharp'),
  php: () => import('@shikijs/langs/php'),
  shellscript: () => import('@shikijs/langs/shellscript'),
  powershell: () => import('@shikijs/langs/powershell'),
  sql: () => import('@shikijs/langs/sql'),
  yaml: () => import('@shikijs/langs/yaml'),
  toml: () => import('@shikijs/langs/toml'),
  xml: () => import('@shikijs/langs/xml'),
  dockerfile: () => import('@shikijs/langs/dockerfile'),
  diff: () => import('@shikijs/langs/diff'),
  swift: () => import('@shikijs/langs/swift'),
  lua: () => import('@shikijs/langs/lua'),
  ini: () => import('@shikijs/langs/ini'),
  graphql: () => import('@shikijs/langs/graphql'),
  makefile: () => import('@shikijs/langs/makefile'),
} satisfies Record<Exclude<Language, 'plaintext'>, () => Promise<unknown>>;

let highlighter: Promise<HighlighterCore> | undefined;

/** One highlighter per isolate; grammars are loaded on first use of each language. */
function getHighlighter(): Promise<HighlighterCore> {
  highlighter ??= createHighlighterCore({
    themes: [githubLight, githubDark],
    langs: [],
    engine: createJavaScriptRegexEngine({ forgiving: true }),
  });
  return highlighter;
}

async function ensureLanguage(h: HighlighterCore, lang: Exclude<Language, 'plaintext'>): Promise<void> {
  if (h.getLoadedLanguages().includes(lang)) return;
  const mod = (await GRAMMARS[lang]()) as { default: Parameters<HighlighterCore['loadLanguage']>[0] };
  await h.loadLanguage(mod.default);
}

/** Tokens per line with their light and dark colours. */
export async function highlightTokens(code: string, lang: Exclude<Language, 'plaintext'>): Promise<HighlightToken[][]> {
  const h = await getHighlighter();
  await ensureLanguage(h, lang);
  // Shiki tokenizes once per theme. Long lines are left as one uncoloured token (the cap
  // bounds the super-linear worst case; see content.ts). Its per-line time limit is no
  // guard on Workers, where the clock does not advance inside a loop.
  const lines = h.codeToTokensWithThemes(code, {
    lang,
    themes: { light: 'github-light', dark: 'github-dark' },
    tokenizeMaxLineLength: MAX_TOKENIZED_LINE,
  });
  const lightFg = h.getTheme('github-light').fg.toLowerCase();
  const darkFg = h.getTheme('github-dark').fg.toLowerCase();
  return lines.map((line) =>
    line.map((t) => {
      const light = t.variants.light?.color;
      const dark = t.variants.dark?.color;
      const fontStyle = t.variants.light?.fontStyle ?? undefined;
      // Text in both themes' default colour needs no span at all (most whitespace and punctuation).
      const plain = light?.toLowerCase() === lightFg && dark?.toLowerCase() === darkFg;
      return plain ? { content: t.content, fontStyle } : { content: t.content, light, dark, fontStyle };
    }),
  );
}

function colorsOf(theme: typeof githubLight): ThemeColors {
  const resolved = normalizeTheme(theme);
  const colors = resolved.settings.map((s) => s.settings?.foreground).filter((c): c is string => typeof c === 'string');
  return { fg: resolved.fg, bg: resolved.bg, colors };
}

/** The stylesheet served at /codebin/highlight.css. */
export function highlightCss(): string {
  return paletteCss(colorsOf(githubLight), colorsOf(githubDark));
}
