import { describe, expect, it } from 'vitest';
import { detectLanguage, languageFromContent, languageFromFilename, languageFromShebang, LANGUAGE_IDS, resolveLanguage } from '../../workers/codebin/language';

describe('language detection order: explicit → filename → shebang → content → plaintext', () => {
  const cases: Array<[string, Parameters<typeof detectLanguage>[0], string]> = [
    ['explicit wins over everything', { explicit: 'ruby', filename: 'a.py', content: '#!/usr/bin/env node\nconst x = 1' }, 'ruby'],
    ['filename wins over shebang', { filename: 'build.py', content: '#!/bin/bash\necho hi' }, 'python'],
    ['shebang wins over content', { content: '#!/usr/bin/env python3\nconst x = 1;' }, 'python'],
    ['content when nothing else', { content: 'package main\n\nfunc main() {}\n' }, 'go'],
    ['plaintext at the end', { content: 'just some words\nnothing special' }, 'plaintext'],
    ['unknown extension falls through', { filename: 'notes.weird', content: 'SELECT 1 FROM t;' }, 'sql'],
  ];
  for (const [label, input, expected] of cases) it(label, () => expect(detectLanguage(input)).toBe(expected));
});

describe('filenames', () => {
  const cases: Array<[string, string | null]> = [
    ['app.ts', 'typescript'],
    ['App.TSX', 'tsx'],
    ['x.mjs', 'javascript'],
    ['Dockerfile', 'dockerfile'],
    ['prod.dockerfile', 'dockerfile'],
    ['Makefile', 'makefile'],
    ['src/lib.rs', 'rust'],
    ['C:\\code\\main.go', 'go'],
    ['data.yml', 'yaml'],
    ['README', null],
    ['archive.tar.gz', null],
  ];
  for (const [name, expected] of cases) it(`${name} → ${expected}`, () => expect(languageFromFilename(name)).toBe(expected));
});

describe('shebangs', () => {
  const cases: Array<[string, string | null]> = [
    ['#!/bin/bash\n', 'shellscript'],
    ['#!/usr/bin/env python3\n', 'python'],
    ['#!/usr/bin/env -S node --no-warnings\n', 'javascript'],
    ['#!/usr/bin/ruby -w\n', 'ruby'],
    ['#!/usr/bin/env pwsh\n', 'powershell'],
    ['# not a shebang\n', null],
    ['#!/usr/bin/env cobol\n', null],
  ];
  for (const [line, expected] of cases) it(`${JSON.stringify(line)} → ${expected}`, () => expect(languageFromShebang(line)).toBe(expected));
});

describe('content heuristics', () => {
  const cases: Array<[string, string | null]> = [
    ['<?php echo 1;', 'php'],
    ['<!DOCTYPE html>\n<html></html>', 'html'],
    ['diff --git a/x b/x\n--- a/x\n+++ b/x\n', 'diff'],
    ['{"a": [1, 2]}', 'json'],
    ['fn main() {\n    let mut x = 1;\n}', 'rust'],
    ['#include <stdio.h>\nint main(void) { return 0; }', 'c'],
    ['#include <vector>\nstd::vector<int> v;', 'cpp'],
    ['public class Main {\n  public static void main(String[] a) {}\n}', 'java'],
    ['def greet(name):\n    return name\n', 'python'],
    ['interface User { name: string }', 'typescript'],
    ['const x = require("y");\nconsole.log(x);', 'javascript'],
    ['SELECT id FROM users WHERE id = 1;', 'sql'],
    ['# Title\n\nSome text', 'markdown'],
    ['[server]\nport = 8080\n', 'toml'],
    ['hello world', null],
  ];
  for (const [content, expected] of cases)
    it(`${JSON.stringify(content.slice(0, 30))} → ${expected}`, () => expect(languageFromContent(content)).toBe(expected));
});

describe('explicit names', () => {
  it('accept ids and common aliases, and nothing else', () => {
    expect(resolveLanguage('Python')).toBe('python');
    expect(resolveLanguage('ts')).toBe('typescript');
    expect(resolveLanguage('c++')).toBe('cpp');
    expect(resolveLanguage('cobol')).toBeNull();
    expect(resolveLanguage('<script>')).toBeNull();
  });
  it('offer about 30 languages plus plaintext', () => {
    expect(LANGUAGE_IDS).toContain('plaintext');
    expect(LANGUAGE_IDS.length).toBeGreaterThanOrEqual(31);
  });
});
