import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, LIMITS, settingsSchema } from '../../workers/aura/settings';

describe('room settings', () => {
  it('an empty object is a valid room, with the documented defaults', () => {
    expect(settingsSchema.parse({})).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS).toEqual({
      fftSize: 4096,
      window: 'blackman-harris',
      scale: 'log',
      bands: '1/3',
      weighting: 'none',
      attack: 25,
      release: 300,
      dbMin: -90,
      dbMax: 0,
      peakHold: 800,
      gravity: 200,
      mode: 'bars',
      noteLabels: false,
      channelMode: 'mono',
    });
  });

  const accepted: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    ['JSON numbers and booleans', { fftSize: 8192, noteLabels: true, attack: 10 }, { fftSize: 8192, noteLabels: true, attack: 10 }],
    ['form strings are coerced', { fftSize: '1024', attack: '40', noteLabels: 'on' }, { fftSize: 1024, attack: 40, noteLabels: true }],
    ['empty form fields take the default', { fftSize: '', attack: '', window: '' }, { fftSize: 4096, attack: 25, window: 'blackman-harris' }],
    ['an unticked checkbox is false', { noteLabels: 'false' }, { noteLabels: false }],
    ['attack and release are clamped', { attack: -5, release: 1e9 }, { attack: LIMITS.attack[0], release: LIMITS.release[1] }],
    ['dB range is clamped to its limits', { dbMin: -500, dbMax: 99 }, { dbMin: LIMITS.dbMin[0], dbMax: LIMITS.dbMax[1] }],
    ['fractions are rounded to whole units', { peakHold: 12.6, gravity: '99.5' }, { peakHold: 13, gravity: 100 }],
    ['every enum value', { window: 'hann', scale: 'mel', bands: '1/12', weighting: 'ITU-468', mode: 'spectrogram', channelMode: 'stereo' }, {}],
  ];
  for (const [what, input, expected] of accepted) {
    it(`accepts: ${what}`, () => {
      const parsed = settingsSchema.parse(input);
      expect(parsed).toMatchObject({ ...input, ...expected });
    });
  }

  const refused: Array<[string, Record<string, unknown>, string]> = [
    ['an FFT size that is not offered', { fftSize: 3000 }, 'FFT size must be one of: 1024, 2048, 4096, 8192.'],
    ['a number that is not one', { attack: 'fast' }, 'Attack must be a number.'],
    ['an unknown window', { window: 'kaiser' }, 'Window must be one of: hann, blackman, blackman-harris.'],
    ['an unknown mode', { mode: '<script>' }, 'Mode must be one of: bars, led, line, radial, spectrogram.'],
    ['an unknown weighting', { weighting: 'B' }, 'Weighting must be one of: none, A, C, ITU-468.'],
    ['a checkbox value that is not one', { noteLabels: 'maybe' }, 'Note labels must be true or false.'],
    ['a dB range under 10 dB', { dbMin: -30, dbMax: -25 }, 'The dB ceiling must be at least 10 dB above the floor.'],
  ];
  for (const [what, input, message] of refused) {
    it(`refuses ${what}`, () => {
      const result = settingsSchema.safeParse(input);
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => i.message)).toContain(message);
    });
  }

  it('drops keys it does not know', () => {
    expect(settingsSchema.parse({ label: '<b>hi</b>' })).not.toHaveProperty('label');
  });
});
