// Pulls: the form checks the address (https, public) and the JSON path; the cron fetches
// what is due (claimed first, so a second run at the same moment takes nothing), follows
// up to 3 redirects with every target checked by the SSRF guard, reads JSON, CSV or
// Prometheus text, stores the points and keeps each run's outcome for the page.
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import insightdash from '../../workers/insightdash';
import { parseJsonValue, parsePrometheus } from '../../workers/insightdash/formats';
import { paths } from '../../workers/insightdash/paths';
import { signedUp } from '../support/client';

const job = insightdash.cron!.find((j) => j.name === 'insightdash.pulls')!;
const NOW = Date.UTC(2026, 11, 1, 12);

describe('pull formats', () => {
  it('Prometheus text: a series per metric and label set, comments skipped, NaN refused', () => {
    const body = [
      '# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.',
      '# TYPE node_cpu_seconds_total counter',
      'node_cpu_seconds_total{mode="idle",cpu="0"} 1234.5',
      'node_cpu_seconds_total{cpu="0",mode="user"} 99 1764590400000',
      'up 1',
      'broken{ 1',
      'temp NaN',
    ].join('\n');
    const parsed = parsePrometheus(body, NOW);
    expect(parsed.samples.map((s) => [s.series, s.value, s.ts])).toEqual([
      ['node_cpu_seconds_total{cpu="0",mode="idle"}', 1234.5, NOW],
      ['node_cpu_seconds_total{cpu="0",mode="user"}', 99, 1764590400000],
      ['up', 1, NOW],
    ]);
    expect(parsed.refused.map((r) => 'line' in r && r.line)).toEqual([6, 7]);
  });

  it('JSON: the number (or numeric text) at a path', () => {
    const doc = JSON.stringify({ main: { temp: '3.5', list: [{ v: 7 }] }, 'a b': { c: true } });
    const at = (selector: string) => parseJsonValue(doc, selector, 's', NOW);
    expect(at('$.main.temp').samples[0]!.value).toBe(3.5);
    expect(at('main.list[0].v').samples[0]!.value).toBe(7);
    expect(at('$["a b"].c').samples[0]!.value).toBe(1);
    expect(at('$.main.nope').refused[0]!.reason).toBe('the answer has nothing at $.main.nope');
    expect(at('$.main').refused[0]!.reason).toBe('the value at $.main is not a number');
    expect(at('$.main..temp').refused[0]!.reason).toContain('is not like $.main.temp');
    expect(parseJsonValue('<html>', '$.a', 's', NOW).refused[0]!.reason).toBe('the answer is not JSON');
    // Not the prototype chain.
    expect(at('$.main.constructor').refused[0]!.reason).toBe('the answer has nothing at $.main.constructor');
  });
});

describe('pulls through the page and the cron', () => {
  afterEach(() => vi.restoreAllMocks());

  it('the form refuses addresses the guard would, and a JSON pull without a path', async () => {
    const me = await signedUp();
    for (const [url, message] of [
      ['http://example.com/x', 'must start with https://'],
      ['https://10.0.0.7/metrics', 'private, loopback or reserved'],
      ['https://169.254.169.254/latest/meta-data', 'private, loopback or reserved'],
      ['https://100.64.0.1/', 'private, loopback or reserved'],
      ['https://user:pw@example.com/', 'user name or password'],
      ['https://printer.local/x', 'local network'],
    ] as const) {
      const res = await me.fetch(paths.pulls, { form: { url, format: 'csv', selector: '', series: '', interval_minutes: '60' } });
      expect(res.status, url).toBe(422);
      expect(await res.text(), url).toContain(message);
    }
    const json = await me.fetch(paths.pulls, { form: { url: 'https://api.example.com/x', format: 'json', selector: '', series: '', interval_minutes: '60' } });
    expect(json.status).toBe(422);
    const html = await json.text();
    expect(html).toContain('The path is empty');
    expect(html).toContain('The series name is empty');
    expect(html).toContain('value="https://api.example.com/x"');
    const often = await me.fetch(paths.pulls, { form: { url: 'https://api.example.com/x', format: 'csv', selector: '', series: '', interval_minutes: '1' } });
    expect(await often.text()).toContain('At least every 5 minutes.');
  });

  it('fetches what is due once, follows safe redirects, refuses a redirect inward, and keeps each outcome', async () => {
    const me = await signedUp();
    const owner = (await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(me.email).first<{ id: number }>())!.id;
    const add = (url: string, format: string, selector = '', series = '') =>
      me.fetch(paths.pulls, { form: { url, format, selector, series, interval_minutes: '15' } });
    expect((await add('https://api.example.com/now.json', 'json', '$.main.temp', 'weather.temp')).status).toBe(303);
    expect((await add('https://metrics.example.com/metrics', 'prometheus')).status).toBe(303);
    expect((await add('https://bounce.example.com/in', 'csv')).status).toBe(303);
    expect((await add('https://moved.example.com/old', 'json', '$.main.temp', 'moved.temp')).status).toBe(303);
    expect((await add('https://down.example.com/x', 'csv')).status).toBe(303);
    // Due now (a new pull runs at the next tick).
    await env.DB.prepare('UPDATE insight_pulls SET next_at = ? WHERE owner_id = ?').bind(NOW, owner).run();

    const asked: string[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      asked.push(url);
      if (url === 'https://api.example.com/now.json') return Response.json({ main: { temp: 3.5 } });
      if (url === 'https://metrics.example.com/metrics') return new Response('# TYPE up gauge\nup{job="a"} 1\nup{job="b"} 0\n');
      if (url === 'https://bounce.example.com/in') return new Response(null, { status: 302, headers: { location: 'https://10.1.2.3/secret' } });
      if (url === 'https://moved.example.com/old') return new Response(null, { status: 301, headers: { location: '/new' } });
      if (url === 'https://moved.example.com/new') return Response.json({ main: { temp: 4 } });
      if (url === 'https://down.example.com/x') return new Response('nope', { status: 503 });
      throw new Error(`unexpected fetch ${url}`);
    });

    expect(await job.run(env, NOW)).toEqual({ pulled: 5, failed: 2 });
    expect(asked).not.toContain('https://10.1.2.3/secret');
    // A second run at the same moment finds nothing due.
    expect(await job.run(env, NOW)).toEqual({ pulled: 0, failed: 0 });

    const pulls = (
      await env.DB.prepare('SELECT url, last_ok, last_message, next_at FROM insight_pulls WHERE owner_id = ? ORDER BY id').bind(owner).all<{
        url: string;
        last_ok: number;
        last_message: string;
        next_at: number;
      }>()
    ).results;
    expect(pulls.map((p) => [p.last_ok, p.last_message])).toEqual([
      [1, '1 point stored.'],
      [1, '2 points stored.'],
      [0, 'It redirected to a URL that points to a private, loopback or reserved address.'],
      [1, '1 point stored.'],
      [0, 'The server answered 503.'],
    ]);
    expect(pulls.every((p) => p.next_at === NOW + 15 * 60_000)).toBe(true);
    const names = (await env.DB.prepare('SELECT name FROM insight_series WHERE owner_id = ? ORDER BY name').bind(owner).all<{ name: string }>()).results.map(
      (r) => r.name,
    );
    expect(names).toEqual(['moved.temp', 'up{job="a"}', 'up{job="b"}', 'weather.temp']);
    // The page shows each outcome; "Pull now" makes it due again.
    const page = await (await me.fetch(paths.home)).text();
    expect(page).toContain('Last run failed');
    expect(page).toContain('The server answered 503.');
    const id = (await env.DB.prepare('SELECT id FROM insight_pulls WHERE owner_id = ? ORDER BY id').bind(owner).first<{ id: number }>())!.id;
    expect((await me.fetch(paths.pullNow(id), { form: {} })).status).toBe(303);
    const other = await signedUp();
    expect((await other.fetch(paths.pullNow(id), { form: {} })).status).toBe(404);
    expect((await other.fetch(paths.removePull(id), { form: {} })).status).toBe(404);
    expect((await me.fetch(paths.removePull(id), { form: {} })).status).toBe(303);
  });
});
