/**
 * The text formats points arrive in, parsed to samples: Influx line protocol (what
 * Telegraf sends) and CSV (`ts,series,value`). A bad line is refused with its line
 * number and reason; the good lines of the same body are kept (issue #14, "Bad data").
 * Pure: no D1, no Env.
 */
import { MAX_POINTS_PER_REQUEST, MIN_MS_TIMESTAMP, pointProblem } from './points';

/** Where a sample came from, as the answer names it: a line of a text body, or a point of a JSON series. */
export type Ref = { line: number } | { series: string; index: number };
export type Refused = Ref & { reason: string };
/** One point on its way in, already checked (pointProblem): a series by name, a moment, a value. */
export type Sample = { series: string; ts: number; value: number; ref: Ref };
export type Parsed = { samples: Sample[]; refused: Refused[]; tags: Map<string, Record<string, string>> };

export const MAX_SERIES_NAME = 200;
export const MAX_TAGS = 20;
/** Control characters, the Unicode line and paragraph separators, and the bidirectional marks that could make a name read as another: never part of a name. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

/** Why a series name cannot be used, or undefined. */
export function seriesNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'the series name is empty';
  if (name.length > MAX_SERIES_NAME) return `the series name is longer than ${MAX_SERIES_NAME} characters`;
  if (CONTROL.test(name)) return 'the series name contains a control character (or a right-to-left mark)';
  if (name.trim() !== name) return 'the series name starts or ends with a space';
  return undefined;
}

/** More points than one request may carry: the caller answers 413. */
export class TooManyPoints extends Error {}

/** More bad lines than a request may have (a body in the wrong format): the caller answers 422, nothing is stored. */
export class TooManyRefused extends Error {}
export const MAX_REFUSED = MAX_POINTS_PER_REQUEST;

/** Records a refusal; past MAX_REFUSED the body is not worth reading on. */
function refuse(out: Parsed, refusal: Refused): void {
  if (out.refused.length === MAX_REFUSED) throw new TooManyRefused();
  out.refused.push(refusal);
}

const lines = (body: string) => body.split(/\r?\n/);

// ---------------------------------------------------------------- Influx line protocol

export type Precision = 'ns' | 'us' | 'ms' | 's';
const TO_MS: Record<Precision, bigint> = { ns: 1_000_000n, us: 1_000n, ms: 1n, s: 1n };
const PRECISION_NAMES: Record<Precision, string> = { ns: 'nanoseconds', us: 'microseconds', ms: 'milliseconds', s: 'seconds' };

/**
 * Index of the first `stop` character at or after `from` that is not escaped by a
 * backslash (nor, when `quotes`, inside a double-quoted string field), or -1.
 */
function findUnescaped(s: string, stops: string, from: number, quotes = false): number {
  let quoted = false;
  for (let i = from; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (quotes && ch === '"') quoted = !quoted;
    else if (!quoted && stops.includes(ch)) return i;
  }
  return quoted ? -2 : -1;
}

/** Splits on unescaped `sep` (outside quoted strings when `quotes`). */
function splitUnescaped(s: string, sep: string, quotes = false): string[] {
  const parts: string[] = [];
  let start = 0;
  for (;;) {
    const at = findUnescaped(s, sep, start, quotes);
    if (at < 0) {
      parts.push(s.slice(start));
      return parts;
    }
    parts.push(s.slice(start, at));
    start = at + 1;
  }
}

/** Removes the backslash before any of `chars` (a backslash before anything else is itself). */
const unescaped = (s: string, chars: string) => s.replace(/\\(.)/g, (all, ch: string) => (chars.includes(ch) ? ch : all));

/**
 * A decimal number as text (`-1.5e3`, `.5`, `7.`), at most 64 characters. The pattern is
 * unambiguous (each digit can match one way only) and the length is checked first, so
 * no input makes it backtrack: a number check never costs more than its text's length.
 */
const NUMBER_TEXT = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
export const isNumberText = (text: string) => text.length <= 64 && NUMBER_TEXT.test(text);
const INTEGER = /^[-+]?\d+i$/;
const UNSIGNED = /^\d+u$/;
const TRUE = new Set(['t', 'T', 'true', 'True', 'TRUE']);
const FALSE = new Set(['f', 'F', 'false', 'False', 'FALSE']);

/** A field's value as a number (booleans are 1 and 0), null for a string (not charted, skipped), or why it is neither. */
function fieldValue(raw: string): number | string | null {
  if (raw.startsWith('"')) return null;
  if (INTEGER.test(raw) || UNSIGNED.test(raw)) return Number(raw.slice(0, -1));
  if (isNumberText(raw)) return Number(raw);
  if (TRUE.has(raw)) return 1;
  if (FALSE.has(raw)) return 0;
  return raw === '' ? 'has no value' : `is not a number (${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw})`;
}

/**
 * Influx line protocol: `measurement[,tag=value…] field=value[,field=value…] [timestamp]`,
 * with its escapes. Each numeric or boolean field becomes a sample of the series
 * `measurement.field`, or `measurement.field{tag=value,…}` when the line has tags (so
 * two hosts' `cpu.usage_user` stay two series); the tags are also kept as the series'
 * tags. String fields are skipped. A line without a timestamp is taken at `now`. https://docs.influxdata.com/influxdb/v2/reference/syntax/line-protocol/
 */
export function parseLineProtocol(body: string, precision: Precision, now: number): Parsed {
  const out: Parsed = { samples: [], refused: [], tags: new Map() };
  for (const [i, text] of lines(body).entries()) {
    const line = i + 1;
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const refuseLine = (reason: string) => refuse(out, { line, reason });
    // The key (measurement and tags) ends at the first unescaped space; quotes are literal there.
    const keyEnd = findUnescaped(trimmed, ' ', 0);
    if (keyEnd <= 0) {
      refuseLine(keyEnd === 0 ? 'the line has no measurement' : 'the line has no fields (measurement,tags field=value timestamp)');
      continue;
    }
    let fieldsStart = keyEnd + 1;
    while (trimmed[fieldsStart] === ' ') fieldsStart++;
    const fieldsEnd = findUnescaped(trimmed, ' ', fieldsStart, true);
    if (fieldsEnd === -2) {
      refuseLine('a string field’s quote is not closed');
      continue;
    }
    const fieldsText = trimmed.slice(fieldsStart, fieldsEnd < 0 ? undefined : fieldsEnd);
    const tsText = fieldsEnd < 0 ? '' : trimmed.slice(fieldsEnd + 1).trim();
    const [measurementRaw, ...tagParts] = splitUnescaped(trimmed.slice(0, keyEnd), ',');
    const measurement = unescaped(measurementRaw!, ', ');
    const tags: Record<string, string> = {};
    let bad = measurement === '' ? 'the line has no measurement' : undefined;
    for (const part of tagParts) {
      const eq = findUnescaped(part, '=', 0);
      const key = eq > 0 ? unescaped(part.slice(0, eq), ',= ') : '';
      const value = eq > 0 ? unescaped(part.slice(eq + 1), ',= ') : '';
      if (key === '' || value === '') bad ??= `the tag “${part.slice(0, 40)}” is not key=value`;
      else tags[key] = value;
    }
    // What a series' tags may hold (the JSON API's limits too: schema.ts `Tags`).
    if (Object.keys(tags).length > MAX_TAGS) bad ??= `the line has more than ${MAX_TAGS} tags`;
    else if (Object.entries(tags).some(([k, v]) => k.length > 100 || v.length > 200))
      bad ??= 'a tag’s key is longer than 100 characters or its value longer than 200';
    else if (JSON.stringify(tags).length > 2000) bad ??= 'the line’s tags take more than 2,000 characters';
    let ts = now;
    if (tsText !== '') {
      if (!/^-?\d{1,30}$/.test(tsText)) bad ??= `the timestamp “${tsText.slice(0, 30)}” is not an integer`;
      else {
        const ms = BigInt(tsText) * (precision === 's' ? 1000n : 1n);
        ts = Number(ms / TO_MS[precision]);
      }
    }
    if (bad !== undefined) {
      refuseLine(bad);
      continue;
    }
    // The tags are part of the series' name, so two hosts' `cpu.usage` stay two series.
    const tagKeys = Object.keys(tags).sort();
    const tagText = tagKeys.length ? `{${tagKeys.map((k) => `${k}=${tags[k]}`).join(',')}}` : '';
    const fields = splitUnescaped(fieldsText, ',', true);
    for (const field of fields) {
      const eq = findUnescaped(field, '=', 0);
      if (eq <= 0) {
        refuseLine(`the field “${field.slice(0, 40)}” is not key=value`);
        continue;
      }
      const series = `${measurement}.${unescaped(field.slice(0, eq), ',= ')}${tagText}`;
      const value = fieldValue(field.slice(eq + 1));
      // String fields (Telegraf's uptime_format, a status word) are not charted: skipped, not refused.
      if (value === null) continue;
      const problem =
        typeof value === 'string'
          ? `the field “${series}” ${value}`
          : ts < MIN_MS_TIMESTAMP && precision !== 's' && tsText.length >= 10
            ? `the timestamp is not in ${PRECISION_NAMES[precision]}: add ?precision=ms (or s, us) to the address for other units`
            : (seriesNameProblem(series) ?? pointProblem(ts, value, now));
      if (problem !== undefined) {
        refuseLine(problem);
        continue;
      }
      if (out.samples.length === MAX_POINTS_PER_REQUEST) throw new TooManyPoints();
      out.samples.push({ series, ts, value: value as number, ref: { line } });
      if (Object.keys(tags).length > 0) out.tags.set(series, tags);
    }
  }
  return out;
}

// ---------------------------------------------------------------- CSV

/** One CSV line's fields (RFC 4180 quotes, `""` inside them), or why it cannot be read. */
function csvFields(text: string): string[] | string {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return 'a quoted field is not closed (a field cannot span lines)';
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === text.length) return fields;
      if (text[i] !== ',') return 'a quoted field must be followed by a comma or the end of the line';
      i++;
    } else {
      const comma = text.indexOf(',', i);
      fields.push(text.slice(i, comma < 0 ? undefined : comma).trim());
      if (comma < 0) return fields;
      i = comma + 1;
    }
  }
}

/** ISO 8601 with a date, and a time with Z or an offset (a bare date is midnight UTC). */
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

/** A CSV timestamp: integer milliseconds, or an ISO 8601 date and time with its zone. */
function csvTimestamp(raw: string): number | string {
  if (/^-?\d+$/.test(raw)) return Number(raw);
  if (ISO.test(raw)) {
    const ms = Date.parse(raw.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (Number.isFinite(ms)) return ms;
  }
  return `the timestamp “${raw.slice(0, 40)}” is neither milliseconds since 1970 nor an ISO 8601 date-time with a zone (2026-12-01T09:30:00Z)`;
}

/**
 * CSV of `ts,series,value` lines (a first line `ts,series,value` is a header). Line
 * numbers count from 1, the header included, so they match what an editor shows;
 * `firstLine` numbers a part of a larger file (the page uploads big files in parts).
 */
export function parseCsv(body: string, now: number, firstLine = 1): Parsed {
  const out: Parsed = { samples: [], refused: [], tags: new Map() };
  for (const [i, text] of lines(body).entries()) {
    const line = firstLine + i;
    if (text.trim() === '') continue;
    const fields = csvFields(text);
    if (typeof fields === 'string') {
      refuse(out, { line, reason: fields });
      continue;
    }
    if (line === 1 && fields.map((f) => f.toLowerCase()).join(',') === 'ts,series,value') continue;
    if (fields.length !== 3) {
      refuse(out, { line, reason: `expected 3 fields (ts,series,value), found ${fields.length}` });
      continue;
    }
    const [tsRaw, series, valueRaw] = fields as [string, string, string];
    const ts = csvTimestamp(tsRaw);
    const value = isNumberText(valueRaw) ? Number(valueRaw) : valueRaw;
    const problem =
      typeof ts === 'string'
        ? ts
        : (seriesNameProblem(series) ?? (typeof value === 'string' ? `the value “${value.slice(0, 40)}” is not a number` : pointProblem(ts, value, now)));
    if (problem !== undefined) {
      refuse(out, { line, reason: problem });
      continue;
    }
    if (out.samples.length === MAX_POINTS_PER_REQUEST) throw new TooManyPoints();
    out.samples.push({ series, ts: ts as number, value: value as number, ref: { line } });
  }
  return out;
}

// ---------------------------------------------------------------- Prometheus text exposition

const PROM_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)(?:\s+(-?\d+))?\s*$/;
const PROM_LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;

/**
 * Prometheus text exposition (`metric{label="v"} 1.5 [timestamp ms]`): each sample is
 * a series named as Prometheus prints it, `metric{a="x",b="y"}` (labels sorted), so
 * one metric's label sets stay apart; a sample without a timestamp is taken at `now`.
 * `# HELP` and `# TYPE` lines are skipped. https://prometheus.io/docs/instrumenting/exposition_formats/
 */
export function parsePrometheus(body: string, now: number): Parsed {
  const out: Parsed = { samples: [], refused: [], tags: new Map() };
  for (const [i, text] of lines(body).entries()) {
    const line = i + 1;
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (trimmed.length > 4096) {
      refuse(out, { line, reason: 'the line is longer than 4,096 characters' });
      continue;
    }
    const m = PROM_LINE.exec(trimmed);
    if (!m) {
      refuse(out, { line, reason: 'not a Prometheus sample (metric{labels} value [timestamp])' });
      continue;
    }
    const [, metric, labelText, valueText, tsText] = m as unknown as [string, string, string | undefined, string, string | undefined];
    const labels: [string, string][] = [];
    if (labelText && labelText.length > 2) {
      const inner = labelText.slice(1, -1);
      PROM_LABEL.lastIndex = 0;
      while (PROM_LABEL.lastIndex < inner.length) {
        const at = PROM_LABEL.lastIndex;
        const l = PROM_LABEL.exec(inner);
        if (!l || PROM_LABEL.lastIndex === at) break;
        labels.push([l[1]!, l[2]!]);
      }
    }
    labels.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const series = labels.length ? `${metric}{${labels.map(([k, v]) => `${k}="${v}"`).join(',')}}` : metric;
    const value = isNumberText(valueText) ? Number(valueText) : valueText;
    const ts = tsText === undefined ? now : Number(tsText);
    const problem =
      typeof value === 'string' ? `the value “${value.slice(0, 20)}” is not a finite number` : (seriesNameProblem(series) ?? pointProblem(ts, value, now));
    if (problem !== undefined) {
      refuse(out, { line, reason: problem });
      continue;
    }
    if (out.samples.length === MAX_POINTS_PER_REQUEST) throw new TooManyPoints();
    out.samples.push({ series, ts, value: value as number, ref: { line } });
  }
  return out;
}

// ---------------------------------------------------------------- one value in a JSON document

/** A path into JSON: `$.main.temp`, `data[0].value`, `$["a b"].c` (keys by dot or quoted brackets, list places by number). */
const SELECTOR_PART = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/y;

/** The selector's steps, or why it is not one. */
export function selectorSteps(selector: string): (string | number)[] | string {
  if (selector === '' || selector === '$') return 'the path is empty: give the place of the number, like $.main.temp';
  const text = selector.startsWith('$') ? selector.slice(1) : selector.startsWith('.') || selector.startsWith('[') ? selector : `.${selector}`;
  const steps: (string | number)[] = [];
  SELECTOR_PART.lastIndex = 0;
  while (SELECTOR_PART.lastIndex < text.length) {
    const at = SELECTOR_PART.lastIndex;
    const m = SELECTOR_PART.exec(text);
    if (!m || SELECTOR_PART.lastIndex === at)
      return `the path “${selector}” is not like $.main.temp or $.data[0].value (stopped at “${text.slice(at, at + 20)}”)`;
    steps.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : JSON.parse(`"${m[3]}"`)));
  }
  return steps;
}

/** The number at `selector` in a JSON document, as a sample of `series` at `now`. */
export function parseJsonValue(body: string, selector: string, series: string, now: number): Parsed {
  const out: Parsed = { samples: [], refused: [], tags: new Map() };
  const refuseValue = (reason: string) => {
    out.refused.push({ line: 1, reason });
    return out;
  };
  const steps = selectorSteps(selector);
  if (typeof steps === 'string') return refuseValue(steps);
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return refuseValue('the answer is not JSON');
  }
  for (const step of steps) {
    if (doc === null || typeof doc !== 'object' || !Object.hasOwn(doc, step)) return refuseValue(`the answer has nothing at ${selector}`);
    doc = (doc as Record<string | number, unknown>)[step];
  }
  const value = typeof doc === 'string' && isNumberText(doc.trim()) ? Number(doc) : typeof doc === 'boolean' ? Number(doc) : doc;
  const problem = seriesNameProblem(series) ?? pointProblem(now, value, now);
  if (problem !== undefined) return refuseValue(typeof value === 'number' ? problem : `the value at ${selector} is not a number`);
  out.samples.push({ series, ts: now, value: value as number, ref: { line: 1 } });
  return out;
}
