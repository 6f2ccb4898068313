/**
 * The only ways text gets into Aura's SVG: numbers formatted here (always digits,
 * a dot and a minus sign, whatever they were given) and names from constant tables.
 * Nothing else is ever interpolated, so no client-supplied string can reach the
 * markup; `escapeXml` is applied to attribute values anyway.
 */

/** A coordinate or value with at most one decimal; anything non-finite becomes 0. */
export function num(value: number): string {
  const r = Math.round(Number(value) * 10) / 10;
  return Number.isFinite(r) && Math.abs(r) < 1e9 ? String(r || 0) : '0';
}

/** A frequency for people: "31.6 Hz", "100 Hz", "1 kHz", "12.6 kHz" (three significant digits). */
export function formatHz(frequency: number): string {
  const f = Number(frequency);
  if (!Number.isFinite(f) || f <= 0) return '0 Hz';
  return f < 1000 ? `${Number(f.toPrecision(3))} Hz` : `${Number((f / 1000).toPrecision(3))} kHz`;
}

/** A level with one decimal and a typographic minus: "−0.2", "0", "6". */
export function formatDb(db: number): string {
  return num(db).replace('-', '−');
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}
