import { describe, expect, it } from 'vitest';
import { links, paths } from '../../workers/codebin/paths';

describe('paths: every CodeBin URL, built in one place', () => {
  const slug = 'Ab3dEf7h';
  const table: Array<[string, string, string]> = [
    ['create page', paths.home, '/codebin'],
    ['clone and edit', paths.clone(slug), '/codebin?from=Ab3dEf7h'],
    ['my pastes', paths.mine(), '/codebin/mine'],
    ['my pastes, no cursor', paths.mine(null), '/codebin/mine'],
    ['my pastes, next page (a shared pagination cursor)', paths.mine('1732960000000.Ab3dEf7h'), '/codebin/mine?before=1732960000000.Ab3dEf7h'],
    ['stylesheet', paths.highlightCss, '/codebin/highlight.css'],
    ['view', paths.paste(slug), '/codebin/Ab3dEf7h'],
    ['raw', paths.raw(slug), '/codebin/Ab3dEf7h/raw'],
    ['download', paths.download(slug), '/codebin/Ab3dEf7h/raw?download=1'],
    ['reveal (burn)', paths.reveal(slug), '/codebin/Ab3dEf7h/reveal'],
    ['manage', paths.manage(slug), '/codebin/Ab3dEf7h/manage'],
    ['change language', paths.language(slug), '/codebin/Ab3dEf7h/language'],
    ['delete', paths.delete(slug), '/codebin/Ab3dEf7h/delete'],
    ['after a no-JS create: the token only in the fragment', paths.created(slug, 'tok_EN'), '/codebin/Ab3dEf7h/manage?created=1#token=tok_EN'],
    ['API: create', paths.api.pastes, '/codebin/api/pastes'],
    ['API: one paste', paths.api.paste(slug), '/codebin/api/pastes/Ab3dEf7h'],
    ['cache key', paths.cacheKey('v2', 'raw', slug), '/codebin/__cache/v2/raw/Ab3dEf7h'],
  ];
  for (const [what, built, expected] of table) {
    it(`${what}: ${expected}`, () => expect(built).toBe(expected));
  }

  it('absolute links: the delete token only ever in the manage link’s fragment', () => {
    expect(links('https://sixfold.test', slug, 'secret')).toEqual({
      url: 'https://sixfold.test/codebin/Ab3dEf7h',
      rawUrl: 'https://sixfold.test/codebin/Ab3dEf7h/raw',
      manageUrl: 'https://sixfold.test/codebin/Ab3dEf7h/manage#token=secret',
    });
    expect(links('https://sixfold.test', slug).manageUrl).toBe('https://sixfold.test/codebin/Ab3dEf7h/manage');
  });
});
