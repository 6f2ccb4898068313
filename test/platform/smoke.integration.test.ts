import { exports } from 'cloudflare:workers';
import { expect, it } from 'vitest';

it('serves the home page', async () => {
  const res = await exports.default.fetch('https://sixfold.test/');
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('Six tools');
});
