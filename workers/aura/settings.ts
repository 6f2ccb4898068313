/**
 * The settings of an Aura room: how the analyzer listens (FFT size, window, band
 * layout, weighting, ballistics) and how the SVG renderer draws (mode, dB range,
 * note labels, channels). One schema serves the JSON API, the settings form
 * (numbers arrive as strings, checkboxes as "on" or nothing) and the Durable
 * Object's stored copy, so every field has a default and `parse({})` is a valid
 * room.
 *
 * Enums are rejected when unknown (the renderer interpolates nothing but numbers
 * and names from these lists); numbers are clamped into their range rather than
 * refused, because they come from sliders and a slightly-out value is not worth a
 * 422. The one cross-field rule, a dB range of at least MIN_DB_SPAN, is refused:
 * which end to move is the user's call.
 */
import * as z from 'zod';

export const FFT_SIZES = [1024, 2048, 4096, 8192] as const;
export const WINDOWS = ['hann', 'blackman', 'blackman-harris'] as const;
export const SCALES = ['log', 'linear', 'bark', 'mel'] as const;
/** Fractional-octave bandwidths of the log scale: 1/12, 1/6, 1/3 and whole octaves. */
export const BAND_WIDTHS = ['1/12', '1/6', '1/3', '1'] as const;
export const WEIGHTINGS = ['none', 'A', 'C', 'ITU-468'] as const;
export const MODES = ['bars', 'led', 'line', 'radial', 'spectrogram'] as const;
export const CHANNEL_MODES = ['mono', 'stereo'] as const;

export type FftSize = (typeof FFT_SIZES)[number];
export type WindowKind = (typeof WINDOWS)[number];
export type Scale = (typeof SCALES)[number];
export type BandWidth = (typeof BAND_WIDTHS)[number];
export type Weighting = (typeof WEIGHTINGS)[number];
export type Mode = (typeof MODES)[number];
export type ChannelMode = (typeof CHANNEL_MODES)[number];

/** Ranges of the numeric settings: [min, max] after clamping. */
export const LIMITS = {
  attack: [0, 5000],
  release: [0, 10000],
  dbMin: [-140, -20],
  dbMax: [-80, 12],
  peakHold: [0, 10000],
  gravity: [0, 10000],
} as const satisfies Record<string, readonly [number, number]>;

/** The smallest dB range the renderer is asked to draw. */
export const MIN_DB_SPAN = 10;

/** Form fields arrive as '' when left empty: treat that like an absent field (its default). */
const blank = (value: unknown) => (value === '' || value === null ? undefined : value);

/** A number from JSON or a form field, clamped into [min, max] and rounded to `step`; empty or absent → `fallback`. */
function clamped(label: string, [min, max]: readonly [number, number], fallback: number, step = 1) {
  return z.preprocess(
    blank,
    z.coerce
      .number({ error: `${label} must be a number.` })
      .transform((v) => Math.min(max, Math.max(min, Math.round(v / step) * step)))
      .default(fallback),
  );
}

function oneOf<const T extends readonly [string, ...string[]]>(label: string, values: T, fallback: T[number]) {
  return z.preprocess(blank, z.enum(values, { error: `${label} must be one of: ${values.join(', ')}.` }).default(fallback));
}

/** A checkbox ("on", "true", "1" / "false", "0", absent) or a JSON boolean. */
function flag(label: string, fallback: boolean) {
  return z.preprocess(
    blank,
    z
      .union([z.boolean(), z.enum(['on', 'true', '1', 'false', '0'])], { error: `${label} must be true or false.` })
      .transform((v) => v === true || v === 'on' || v === 'true' || v === '1')
      .default(fallback),
  );
}

export const settingsSchema = z
  .object({
    fftSize: z.preprocess(
      blank,
      z.coerce
        .number({ error: 'FFT size must be a number.' })
        .pipe(z.literal(FFT_SIZES, { error: `FFT size must be one of: ${FFT_SIZES.join(', ')}.` }))
        .default(4096),
    ),
    window: oneOf('Window', WINDOWS, 'blackman-harris'),
    scale: oneOf('Scale', SCALES, 'log'),
    bands: oneOf('Bands', BAND_WIDTHS, '1/3'),
    weighting: oneOf('Weighting', WEIGHTINGS, 'none'),
    /** Time constant (ms) of the rise towards a louder band: 63 % of a step after this long. */
    attack: clamped('Attack', LIMITS.attack, 25),
    /** Time constant (ms) of the fall towards a quieter band. */
    release: clamped('Release', LIMITS.release, 300),
    dbMin: clamped('The dB floor', LIMITS.dbMin, -90),
    dbMax: clamped('The dB ceiling', LIMITS.dbMax, 0),
    /** How long (ms) a peak stays put before it starts to fall. */
    peakHold: clamped('Peak hold', LIMITS.peakHold, 800),
    /** Acceleration (dB/s²) of a falling peak; 0 keeps peaks up for good once the hold is over. */
    gravity: clamped('Gravity', LIMITS.gravity, 200),
    mode: oneOf('Mode', MODES, 'bars'),
    noteLabels: flag('Note labels', false),
    channelMode: oneOf('Channels', CHANNEL_MODES, 'mono'),
  })
  .refine((s) => s.dbMax - s.dbMin >= MIN_DB_SPAN, {
    path: ['dbMax'],
    message: `The dB ceiling must be at least ${MIN_DB_SPAN} dB above the floor.`,
  });

export type Settings = z.output<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

/** A room nobody has configured yet. */
export const DEFAULT_SETTINGS: Settings = Object.freeze(settingsSchema.parse({}));
