/**
 * Expiry choices and the optional CODEBIN_MAX_EXPIRY cap. Pure arithmetic on
 * millisecond timestamps.
 */
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const EXPIRY_CHOICES = {
  '10m': { label: '10 minutes', ms: 10 * MINUTE },
  '1h': { label: '1 hour', ms: 60 * MINUTE },
  '1d': { label: '1 day', ms: DAY },
  '1w': { label: '1 week', ms: 7 * DAY },
  '1M': { label: '1 month', ms: 30 * DAY },
  '1y': { label: '1 year', ms: 365 * DAY },
  never: { label: 'Never', ms: null },
} as const satisfies Record<string, { label: string; ms: number | null }>;

export type ExpiryChoice = keyof typeof EXPIRY_CHOICES;
export const EXPIRY_KEYS = Object.keys(EXPIRY_CHOICES) as ExpiryChoice[];
export const DEFAULT_EXPIRY: ExpiryChoice = '1w';

function rank(choice: ExpiryChoice): number {
  return EXPIRY_CHOICES[choice].ms ?? Number.POSITIVE_INFINITY;
}

/** The choices allowed under a cap (all of them when there is none). */
export function allowedExpiries(cap: ExpiryChoice | undefined): ExpiryChoice[] {
  return cap === undefined ? EXPIRY_KEYS : EXPIRY_KEYS.filter((k) => rank(k) <= rank(cap));
}

/** The default choice under a cap: the usual default, or the cap if that is shorter. */
export function defaultExpiry(cap: ExpiryChoice | undefined): ExpiryChoice {
  return cap !== undefined && rank(cap) < rank(DEFAULT_EXPIRY) ? cap : DEFAULT_EXPIRY;
}

/** Absolute expiry time, or null for never. */
export function expiresAt(choice: ExpiryChoice, now: number): number | null {
  const ms = EXPIRY_CHOICES[choice].ms;
  return ms === null ? null : now + ms;
}

export function isExpired(expiresAtMs: number | null, now: number): boolean {
  return expiresAtMs !== null && expiresAtMs <= now;
}
