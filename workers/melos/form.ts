/**
 * The editor's form ↔ a recipe. Fields are named by their path in the recipe
 * (`tempo`, `humanize.timing`, `tracks.2.generator.pulses`), so a zod issue's path
 * is the name of the field it belongs to.
 *
 * A posted form becomes a *draft*: the recipe's shape with values as typed (numbers
 * where they parse), each track's generator holding exactly its type's parameters
 * (defaults for a type just chosen), so switching a select never leaves stray
 * fields behind. The draft is validated by the one Recipe schema; the editor shows
 * the draft again, whatever was wrong with it.
 */
import { DRUMS, GENERATORS, type GeneratorType, ROLES, type Role } from './engine/recipe';
import { DEFAULT_GENERATORS, defaultGeneratorFor, defaultProgramFor, newTrack } from './examples';

/** A recipe as the form had it: the same shape, values possibly wrong. */
export type Draft = Record<string, unknown> & { tracks: DraftTrack[] };
export type DraftTrack = Record<string, unknown> & { generator: Record<string, unknown> & { type: GeneratorType; lanes?: Record<string, unknown>[] } };

/** Leaves that are numbers in the recipe (the automaton's `rule` too; the L-system's is text). */
const NUMERIC = new Set([
  'seed',
  'tempo',
  'bars',
  'swing',
  'timing',
  'velocity',
  'program',
  'volume',
  'pan',
  'octave',
  'contour',
  'density',
  'maxStep',
  'pulses',
  'steps',
  'rotation',
  'degree',
  'iterations',
  'width',
  'voices',
  'octaves',
]);

/** Fields the editor sends that are not part of the recipe: the button pressed, the saved recipe's id. */
const CONTROL_FIELDS = new Set(['op', 'recipe']);

const MAX_TRACKS = 16;
const MAX_LANES = 8;

/** `"12"` → 12; anything that is not a plain number stays text (zod then says what is wrong). */
const number = (v: string): number | string => (/^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v);

/** Sets `path` (dot-separated; digits index arrays, at most `limit` long) in `target`. */
function setPath(target: Record<string, unknown>, path: string[], value: unknown, limit: number): void {
  let node: Record<string, unknown> | unknown[] = target;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const index = /^\d+$/.test(key) ? Number(key) : null;
    // Digits index arrays (within `limit`); names index objects (never the prototype's).
    if (index === null ? Array.isArray(node) || key === '__proto__' || key === 'constructor' || key === 'prototype' : !Array.isArray(node) || index >= limit)
      return;
    const slot = node as Record<string | number, unknown>;
    const at = index ?? key;
    if (i === path.length - 1) {
      slot[at] = value;
      return;
    }
    slot[at] ??= /^\d+$/.test(path[i + 1]!) ? [] : Object.create(null);
    node = slot[at] as Record<string, unknown> | unknown[];
  }
}

/** The draft a posted editor form describes. */
export function draftFromForm(fields: Record<string, string | File | (string | File)[]>): Draft {
  const draft = Object.create(null) as Record<string, unknown>;
  for (const [name, raw] of Object.entries(fields)) {
    if (CONTROL_FIELDS.has(name) || name.length > 64) continue;
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (typeof value !== 'string') continue;
    const path = name.split('.');
    const leaf = path[path.length - 1]!;
    const numeric = NUMERIC.has(leaf) || (leaf === 'rule' && fields[path.slice(0, -1).concat('type').join('.')] === 'automaton');
    setPath(draft, path, numeric ? number(value) : value, Math.max(MAX_TRACKS, MAX_LANES) + 1);
  }
  return normalize(draft);
}

/** Every track whole, its generator holding its type's fields (defaults where missing); the rest as given. */
export function normalize(input: Record<string, unknown>): Draft {
  const humanize = (input.humanize ?? {}) as Record<string, unknown>;
  const tracks = (Array.isArray(input.tracks) ? input.tracks : []).filter((t): t is Record<string, unknown> => typeof t === 'object' && t !== null);
  return {
    ...input,
    humanize: { timing: humanize.timing ?? 0, velocity: humanize.velocity ?? 0 },
    tracks: tracks.slice(0, MAX_TRACKS).map(normalizeTrack),
  } as Draft;
}

function normalizeTrack(track: Record<string, unknown>): DraftTrack {
  const role: Role = (ROLES as readonly string[]).includes(track.role as string) ? (track.role as Role) : 'melody';
  const given = (typeof track.generator === 'object' && track.generator !== null ? track.generator : {}) as Record<string, unknown>;
  let type: GeneratorType = typeof given.type === 'string' && Object.hasOwn(GENERATORS, given.type) ? (given.type as GeneratorType) : defaultGeneratorFor(role);
  // A new role brings its generator and instrument along (`roleWas`: the role the form showed),
  // unless the generator was changed in the same post; drums and only drums use the drum kit.
  const roleChanged = typeof track.roleWas === 'string' && track.roleWas !== role;
  const generatorChanged = typeof given.was === 'string' && given.was !== given.type;
  if ((roleChanged && !generatorChanged) || (role === 'drums') !== (type === 'drums')) type = defaultGeneratorFor(role);
  const defaults = DEFAULT_GENERATORS[type] as Record<string, unknown>;
  const generator: Record<string, unknown> = { type };
  // `was`: the generator the form showed. Just switched, only the note value and octave carry over
  // (an automaton's rule 30 is not an L-system's rule); everything else starts from the defaults.
  const switched = typeof given.was === 'string' && given.was !== type;
  const keeps = (key: string) => given.type === type && Object.hasOwn(given, key) && (!switched || key === 'rate' || key === 'octave');
  for (const key of Object.keys(defaults)) if (key !== 'type') generator[key] = keeps(key) ? given[key] : structuredClone(defaults[key]);
  if (type === 'drums') {
    const lanes = (Array.isArray(generator.lanes) ? generator.lanes : []).filter((l): l is Record<string, unknown> => typeof l === 'object' && l !== null);
    generator.lanes = lanes.slice(0, MAX_LANES).map((l) => ({
      drum: (DRUMS as readonly string[]).includes(l.drum as string) ? l.drum : 'kick',
      pulses: l.pulses,
      steps: l.steps,
      rotation: l.rotation,
      velocity: l.velocity,
    }));
  }
  const program = roleChanged ? defaultProgramFor(role) : (track.program ?? 0);
  return { name: track.name ?? '', role, program, volume: track.volume ?? 80, pan: track.pan ?? 0, generator } as unknown as DraftTrack;
}

/** The editor's buttons: structural changes to the draft that are not saved until Save. */
export type Op =
  | { op: 'add-track' }
  | { op: 'remove-track'; track: number }
  | { op: 'move-up' | 'move-down'; track: number }
  | { op: 'add-lane'; track: number }
  | { op: 'remove-lane'; track: number; lane: number }
  | { op: 'reroll' }
  | { op: 'refresh' };

export function parseOp(value: string | undefined): Op | null {
  const [name, a, b] = (value ?? '').split(':');
  const n = (s: string | undefined) => (s !== undefined && /^\d{1,2}$/.test(s) ? Number(s) : null);
  switch (name) {
    case 'add-track':
    case 'reroll':
    case 'refresh':
      // `refresh:<track>` names the track whose role or generator changed (for where the page lands); the change itself is in the form.
      return { op: name };
    case 'remove-track':
    case 'move-up':
    case 'move-down':
    case 'add-lane':
      return n(a) === null ? null : { op: name, track: n(a)! };
    case 'remove-lane':
      return n(a) === null || n(b) === null ? null : { op: name, track: n(a)!, lane: n(b)! };
    default:
      return null;
  }
}

/** The draft after `op` (a new object; `seed` for a re-roll comes from the caller). */
export function applyOp(draft: Draft, op: Op, seed: () => number): Draft {
  const tracks = draft.tracks.map((t) => structuredClone(t));
  switch (op.op) {
    case 'add-track':
      if (tracks.length < MAX_TRACKS) tracks.push(newTrack('melody', `Track ${tracks.length + 1}`) as unknown as DraftTrack);
      break;
    case 'remove-track':
      if (tracks.length > 1) tracks.splice(op.track, 1);
      break;
    case 'move-up':
    case 'move-down': {
      const to = op.op === 'move-up' ? op.track - 1 : op.track + 1;
      if (op.track < tracks.length && to >= 0 && to < tracks.length) [tracks[op.track], tracks[to]] = [tracks[to]!, tracks[op.track]!];
      break;
    }
    case 'add-lane': {
      const lanes = tracks[op.track]?.generator.lanes;
      if (lanes && lanes.length < MAX_LANES) lanes.push({ drum: 'closed hat', pulses: 4, steps: 16, rotation: 0, velocity: 60 });
      break;
    }
    case 'remove-lane': {
      const lanes = tracks[op.track]?.generator.lanes;
      if (lanes && lanes.length > 1) lanes.splice(op.lane, 1);
      break;
    }
    case 'reroll':
      return { ...draft, tracks, seed: seed() };
    case 'refresh':
      break;
  }
  return { ...draft, tracks };
}
