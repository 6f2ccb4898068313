import { describe, expect, it } from 'vitest';
import { links } from '../../workers/codebin/paths';
import { CreatedPasteJson, createdPasteJson } from '../../workers/codebin/presenters';

describe('presenters: each JSON shape matches the schema that documents it', () => {
  const to = links('https://sixfold.test', 'Ab3dEf7h', 'tok');
  const cases: Array<[string, number | null, string | null]> = [
    ['an expiring paste: expiresAt in ISO 8601 UTC', Date.UTC(2030, 0, 2, 3, 4, 5), '2030-01-02T03:04:05.000Z'],
    ['a paste that never expires: expiresAt null', null, null],
  ];
  for (const [what, expiresAt, iso] of cases) {
    it(what, () => {
      const json = createdPasteJson({ slug: 'Ab3dEf7h', deleteToken: 'tok', language: 'python', expiresAt }, to);
      expect(json).toEqual({
        slug: 'Ab3dEf7h',
        url: to.url,
        rawUrl: to.rawUrl,
        manageUrl: to.manageUrl,
        deleteToken: 'tok',
        language: 'python',
        expiresAt: iso,
      });
      expect(CreatedPasteJson.parse(json)).toEqual(json);
    });
  }
});
