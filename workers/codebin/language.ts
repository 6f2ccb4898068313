/**
 * The languages CodeBin highlights (an allowlist: each grammar is imported one by
 * one in highlight.ts) and how a paste's language is guessed. Pure.
 *
 * Guessing order, as the issue asks: explicit `?lang=` / field, then the file
 * name's extension, then a shebang line, then a small content heuristic, then
 * plain text.
 */
export const LANGUAGES = {
  plaintext: { name: 'Plain text', ext: ['txt', 'text', 'log'] },
  typescript: { name: 'TypeScript', ext: ['ts', 'mts', 'cts'] },
  tsx: { name: 'TSX', ext: ['tsx'] },
  javascript: { name: 'JavaScript', ext: ['js', 'mjs', 'cjs'] },
  jsx: { name: 'JSX', ext: ['jsx'] },
  json: { name: 'JSON', ext: ['json', 'webmanifest'] },
  jsonc: { name: 'JSON with comments', ext: ['jsonc', 'json5'] },
  html: { name: 'HTML', ext: ['html', 'htm'] },
  css: { name: 'CSS', ext: ['css'] },
  scss: { name: 'SCSS', ext: ['scss'] },
  markdown: { name: 'Markdown', ext: ['md', 'markdown'] },
  python: { name: 'Python', ext: ['py', 'pyi'] },
  ruby: { name: 'Ruby', ext: ['rb', 'gemspec', 'rake'] },
  go: { name: 'Go', ext: ['go'] },
  rust: { name: 'Rust', ext: ['rs'] },
  java: { name: 'Java', ext: ['java'] },
  kotlin: { name: 'Kotlin', ext: ['kt', 'kts'] },
  c: { name: 'C', ext: ['c', 'h'] },
  cpp: { name: 'C++', ext: ['cpp', 'cc', 'cxx', 'hpp', 'hh', 'hxx'] },
  csharp: { name: 'C#', ext: ['cs'] },
  php: { name: 'PHP', ext: ['php'] },
  shellscript: { name: 'Shell', ext: ['sh', 'bash', 'zsh'] },
  powershell: { name: 'PowerShell', ext: ['ps1', 'psm1'] },
  sql: { name: 'SQL', ext: ['sql'] },
  yaml: { name: 'YAML', ext: ['yaml', 'yml'] },
  toml: { name: 'TOML', ext: ['toml'] },
  xml: { name: 'XML', ext: ['xml', 'svg', 'xsd', 'plist'] },
  dockerfile: { name: 'Dockerfile', ext: ['dockerfile'] },
  diff: { name: 'Diff', ext: ['diff', 'patch'] },
  swift: { name: 'Swift', ext: ['swift'] },
  lua: { name: 'Lua', ext: ['lua'] },
  ini: { name: 'INI', ext: ['ini', 'cfg', 'conf'] },
  graphql: { name: 'GraphQL', ext: ['graphql', 'gql'] },
  makefile: { name: 'Makefile', ext: ['mk'] },
} as const satisfies Record<string, { name: string; ext: readonly string[] }>;

export type Language = keyof typeof LANGUAGES;
export const LANGUAGE_IDS = Object.keys(LANGUAGES) as Language[];

/** Common names people type for `?lang=` that are not our ids. */
const ALIASES: Record<string, Language> = {
  ts: 'typescript',
  js: 'javascript',
  py: 'python',
  rb: 'ruby',
  rs: 'rust',
  sh: 'shellscript',
  bash: 'shellscript',
  shell: 'shellscript',
  zsh: 'shellscript',
  yml: 'yaml',
  md: 'markdown',
  'c++': 'cpp',
  cs: 'csharp',
  'c#': 'csharp',
  kt: 'kotlin',
  text: 'plaintext',
  txt: 'plaintext',
  plain: 'plaintext',
  ps1: 'powershell',
  docker: 'dockerfile',
  patch: 'diff',
  gql: 'graphql',
  make: 'makefile',
  golang: 'go',
};

export function isLanguage(value: string): value is Language {
  return Object.hasOwn(LANGUAGES, value);
}

/** An explicit language name (id or common alias), or null if we do not know it. */
export function resolveLanguage(value: string): Language | null {
  const v = value.trim().toLowerCase();
  if (isLanguage(v)) return v;
  return ALIASES[v] ?? null;
}

/** The language a file name implies, if any. */
export function languageFromFilename(filename: string): Language | null {
  const base = filename.split(/[\\/]/).pop()!.toLowerCase();
  if (base === 'dockerfile' || base.startsWith('dockerfile.') || base.endsWith('.dockerfile')) return 'dockerfile';
  if (base === 'makefile' || base === 'gnumakefile') return 'makefile';
  if (base === '.bashrc' || base === '.zshrc' || base === '.profile') return 'shellscript';
  const dot = base.lastIndexOf('.');
  if (dot < 0) return null;
  const ext = base.slice(dot + 1);
  for (const id of LANGUAGE_IDS) if ((LANGUAGES[id].ext as readonly string[]).includes(ext)) return id;
  return null;
}

const SHEBANGS: Array<[RegExp, Language]> = [
  [/^(?:ba|z|k|da)?sh$/, 'shellscript'],
  [/^python[0-9.]*$/, 'python'],
  [/^(?:node|bun|deno)$/, 'javascript'],
  [/^ruby$/, 'ruby'],
  [/^(?:pwsh|powershell)$/, 'powershell'],
  [/^lua(?:jit)?$/, 'lua'],
  [/^php$/, 'php'],
  [/^make$/, 'makefile'],
];

/** `#!/usr/bin/env python3` → python; `#!/bin/bash` → shellscript. */
export function languageFromShebang(content: string): Language | null {
  const first = /^#!\s*(\S+)(?:\s+(?:-\S+\s+)*(\S+))?/.exec(content);
  if (!first) return null;
  const program = (first[1]!.endsWith('/env') ? (first[2] ?? '') : first[1]!).split('/').pop()!;
  for (const [re, lang] of SHEBANGS) if (re.test(program)) return lang;
  return null;
}

/** Rules tried in order on the first few KB; the first that matches wins. */
const HEURISTICS: Array<[RegExp, Language]> = [
  [/^\s*<\?php/, 'php'],
  [/^\s*<\?xml\s/, 'xml'],
  [/^\s*<!doctype html|^\s*<html[\s>]/i, 'html'],
  [/^(?:diff --git |--- \S+\n\+\+\+ \S+|@@ -\d+(?:,\d+)? \+\d+)/m, 'diff'],
  [/^\s*[{[][\s\S]*[}\]]\s*$/, 'json'],
  [/^FROM\s+\S+[\s\S]*^(?:RUN|CMD|COPY|ENTRYPOINT)\s/m, 'dockerfile'],
  [/^package\s+\w+\s*$[\s\S]*\bfunc\s/m, 'go'],
  [/\bfn\s+\w+\s*\([^)]*\)\s*(?:->\s*[^{]+)?\{|\blet\s+mut\s|\bimpl\s+\w+|\buse\s+std::/, 'rust'],
  [/^#include\s*<(?:iostream|vector|string|memory|map)>|\bstd::|\btemplate\s*</m, 'cpp'],
  [/^#include\s*[<"]/m, 'c'],
  [/\bpublic\s+(?:static\s+)?(?:final\s+)?class\s+\w+|\bSystem\.out\.println\(/, 'java'],
  [/\busing\s+System\s*;|\bnamespace\s+[\w.]+\s*[{;]|\bConsole\.WriteLine\(/, 'csharp'],
  [/^\s*(?:def\s+\w+\s*\(.*\)\s*(?:->\s*[^:]+)?:|from\s+[\w.]+\s+import\s|import\s+\w+\s*$|if __name__ == ['"]__main__['"]:)/m, 'python'],
  [/^\s*(?:def\s+\w+[?!]?(?:\(.*\))?\s*$|require\s+['"]|module\s+[A-Z]\w*\s*$|class\s+[A-Z]\w*\s*<\s*[A-Z])/m, 'ruby'],
  [/\b(?:interface|type)\s+\w+\s*(?:<[^>]*>)?\s*(?:=|\{)|:\s*(?:string|number|boolean|unknown|void)\b|\bimport\s+type\s/, 'typescript'],
  [/\b(?:const|let|var)\s+\w+\s*=|\bfunction\s*\w*\s*\(|=>\s*[{(]|\bconsole\.log\(|\bmodule\.exports\b|\brequire\(['"]/, 'javascript'],
  [/^\s*(?:SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(?:TABLE|INDEX|VIEW)|WITH\s+\w+\s+AS)\b/im, 'sql'],
  [/^\s*[.#]?[\w-]+(?:\s*[,>+~]\s*[.#]?[\w-]+)*\s*\{[^}]*:[^}]*;[^}]*\}/m, 'css'],
  [/^(?:#{1,6}\s+\S|\s*[-*]\s+\S[\s\S]*^\s*[-*]\s+\S|```)/m, 'markdown'],
  [/^\s*\[[\w.-]+\]\s*$[\s\S]*^\s*[\w.-]+\s*=\s*/m, 'toml'],
  [/^(?:---\s*$|[\w-]+:\s*(?:\S.*)?$)(?:\n(?:\s*#.*|\s*-\s.*|\s+[\w-]+:.*|[\w-]+:.*)?)+/m, 'yaml'],
];

/** A small content heuristic; null when nothing is convincing. */
export function languageFromContent(content: string): Language | null {
  const head = content.slice(0, 4096);
  for (const [re, lang] of HEURISTICS) if (re.test(head)) return lang;
  return null;
}

/**
 * The language to use: explicit → filename → shebang → content → plaintext.
 * `explicit` must already be resolved (an unknown explicit name is the caller's 422).
 */
export function detectLanguage(input: { explicit?: Language | null; filename?: string | null; content: string }): Language {
  return (
    input.explicit ??
    (input.filename ? languageFromFilename(input.filename) : null) ??
    languageFromShebang(input.content) ??
    languageFromContent(input.content) ??
    'plaintext'
  );
}
