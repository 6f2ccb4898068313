/**
 * Melos's pages: your recipes and the examples, the editor (with its piano roll,
 * preview and renders), a shared recipe, and the fragments htmx swaps in.
 *
 * The editor is one form whose fields are named by their path in the recipe
 * (form.ts). Its structural buttons (add, move, remove a track or lane; re-roll)
 * post it to `/melos/edit`, which answers the editor again, unsaved: with htmx it
 * replaces itself, without JavaScript it is a page. Sliders show their value in an
 * <output> (melos.js keeps it current).
 */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { Field, FormError, SelectField, Time } from '../../shared/html/components';
import { CsrfField } from '../../shared/html/layout';
import type { FieldErrors } from '../../shared/http/http-error';
import { formatBytes } from '../../shared/http/security';
import { asset } from '../assets';
import { ARP_PATTERNS, BASS_PATTERNS, DRUMS, GENERATORS, type GeneratorType, KEYS, METERS, RATES, ROLES, SCALES } from './engine/recipe';
import type { Example } from './examples';
import type { Draft, DraftTrack } from './form';
import { GM_PROGRAMS } from './gm';
import { formatDuration } from './jobs';
import { paths, type FileKind } from './paths';
import type { RecipeRow, RenderRow } from './repository';
import type { RollView } from './roll';

export const MELOS_ASSETS = { styles: [asset('/melos.css')], scripts: [asset('/melos.js')] };

const options = (values: readonly (string | number)[], label: (v: string) => string = String) =>
  values.map((v) => ({ value: String(v), label: label(String(v)) }));

const RATE_LABELS: Record<string, string> = { '1': 'Whole notes', '2': 'Halves', '4': 'Quarters', '8': 'Eighths', '8t': 'Eighth triplets', '16': 'Sixteenths' };
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const GENERATOR_LABELS: Record<GeneratorType, string> = {
  markov: 'Markov melody',
  walk: 'Random walk',
  euclid: 'Euclidean rhythm',
  lsystem: 'L-system motif',
  automaton: 'Cellular automaton',
  arpeggio: 'Arpeggiator',
  bass: 'Bass line',
  chords: 'Chords',
  drums: 'Drum kit',
};

const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

// ---------------------------------------------------------------- /melos

export function HomePage(props: { signedIn: boolean; recipes: RecipeRow[]; examples: readonly Example[]; csrf: string; rolls: Record<string, string> }) {
  return (
    <div class="stack-lg melos-home">
      <header class="page-header">
        <h1>Melos</h1>
        <p class="lede">
          Music from a recipe: scales, chord progressions, Markov melodies, Euclidean rhythms, L-systems and cellular automata, behind sliders. See the notes as
          a piano roll, hear a preview, and render the piece to MIDI and WAV. The same recipe always gives the same files.
        </p>
      </header>
      {props.signedIn ? (
        <section class="panel stack" aria-labelledby="your-recipes">
          <div class="melos-row">
            <h2 id="your-recipes">Your recipes</h2>
            <a class="button" href={paths.create}>
              New recipe
            </a>
          </div>
          {props.recipes.length === 0 ? (
            <p class="muted">None yet: start from an example below, or a new recipe.</p>
          ) : (
            <ul class="melos-list">
              {props.recipes.map((r) => (
                <li>
                  <a href={paths.recipe(r.id)}>{r.title}</a>{' '}
                  <span class="muted">
                    · changed <Time ms={r.updatedAt} />
                  </span>
                  {r.shareToken && (
                    <>
                      {' '}
                      <span class="badge">shared</span>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : (
        <p class="notice notice-info">
          <a href={`/signin?next=${encodeURIComponent(paths.home)}`}>Sign in</a> or <a href="/signup">create an account</a> to write recipes, preview and render
          them.
        </p>
      )}
      <section class="stack" aria-labelledby="examples">
        <h2 id="examples">Examples</h2>
        <div class="melos-examples">
          {props.examples.map((e) => (
            <article class="panel stack melos-example">
              <h3>{e.recipe.title}</h3>
              <p class="muted">{e.blurb}</p>
              <div class="melos-roll-box">{raw(props.rolls[e.slug] ?? '')}</div>
              <p class="actions">
                <a class="button secondary" href={`${paths.create}?example=${e.slug}`}>
                  Open in the editor
                </a>
              </p>
            </article>
          ))}
        </div>
      </section>
    </div>
  );
}

// ---------------------------------------------------------------- the editor

export type EditorProps = {
  /** The saved recipe being edited, or null for a new one. */
  recipe: RecipeRow | null;
  draft: Draft;
  errors?: FieldErrors;
  csrf: string;
  roll: RollView | null;
  rollError?: string | undefined;
  /** An audio preview to show (without JavaScript, the preview button answers the editor with it). */
  preview?: string | undefined;
};

export function EditorPage(props: EditorProps & { renders: RenderRow[]; shareUrl: string | null; notice?: string | undefined }) {
  const { recipe } = props;
  return (
    <div class="stack-lg melos-page">
      <header class="page-header">
        <p class="muted">
          <a href={paths.home}>Melos</a> ›
        </p>
        <h1>{recipe ? recipe.title : 'New recipe'}</h1>
      </header>
      {props.notice && (
        <p class="notice notice-ok" role="status">
          {props.notice}
        </p>
      )}
      <Editor {...props} />
      {recipe && <RecipeActions recipe={recipe} renders={props.renders} shareUrl={props.shareUrl} csrf={props.csrf} />}
    </div>
  );
}

/** The editor form (htmx swaps this element whole after a structural change). */
export function Editor(props: EditorProps) {
  const { draft, errors = {}, recipe } = props;
  const err = (name: string) => errors[name];
  return (
    <form id="melos-editor" class="melos-editor" method="post" action={recipe ? paths.recipe(recipe.id) : paths.recipes} novalidate>
      <CsrfField token={props.csrf} />
      {/* The form's default button (Enter in a text field presses the first submit button): save, never a re-roll. */}
      <button type="submit" class="visually-hidden" tabindex={-1}>
        Save
      </button>
      {recipe && <input type="hidden" name="recipe" value={recipe.id} />}
      <FormError message={errors._ ?? (Object.keys(errors).length > 0 ? 'Some fields need a change: each says what below.' : undefined)} />
      <div class="melos-layout">
        <div class="stack melos-fields">
          <section class="panel stack" aria-labelledby="piece">
            <h2 id="piece">Piece</h2>
            <Field label="Title" name="title" value={draft.title} error={err('title')} maxlength={80} required />
            <div class="melos-grid">
              <div class={`field melos-wide${err('seed') ? ' has-error' : ''}`}>
                <label for="f-seed">Seed</label>
                <div class="melos-inline">
                  <input
                    id="f-seed"
                    name="seed"
                    type="number"
                    min="0"
                    max="4294967295"
                    value={text(draft.seed)}
                    aria-invalid={err('seed') ? 'true' : undefined}
                  />
                  <StructuralButton op="reroll" label="Re-roll" class="secondary" anchor="piece" />
                </div>
                {err('seed') && <p class="error">{err('seed')}</p>}
              </div>
              <Slider label="Tempo" name="tempo" min={30} max={300} value={draft.tempo} error={err('tempo')} unit=" bpm" />
              <SelectField label="Time signature" name="meter" options={options(METERS)} value={draft.meter} error={err('meter')} />
              <SelectField label="Key" name="key" options={options(KEYS)} value={draft.key} error={err('key')} />
              <SelectField label="Scale" name="scale" options={options(SCALES, capitalise)} value={draft.scale} error={err('scale')} />
              <Field label="Length (bars)" name="bars" type="number" value={draft.bars} error={err('bars')} hint="1–512" />
            </div>
            <Field
              label="Chord progression"
              name="progression"
              value={draft.progression}
              error={err('progression')}
              maxlength={200}
              hint={
                <>
                  Roman numerals, one chord a bar, repeated: <code>I vi IV V</code>, <code>ii7 V7 Imaj7</code>, <code>i bVII bVI V</code>. Empty: the tonic
                  chord throughout.
                </>
              }
            />
            <div class="melos-grid">
              <Slider label="Swing" name="swing" min={0} max={75} value={draft.swing} error={err('swing')} unit="%" />
              <Slider
                label="Timing jitter"
                name="humanize.timing"
                min={0}
                max={40}
                value={(draft.humanize as Record<string, unknown>)?.timing}
                error={err('humanize.timing')}
                unit=" ms"
              />
              <Slider
                label="Velocity jitter"
                name="humanize.velocity"
                min={0}
                max={30}
                value={(draft.humanize as Record<string, unknown>)?.velocity}
                error={err('humanize.velocity')}
              />
            </div>
          </section>
          <section class="stack" aria-labelledby="tracks">
            <h2 id="tracks">Tracks</h2>
            {err('tracks') && <p class="error">{err('tracks')}</p>}
            {draft.tracks.map((t, i) => (
              <TrackPanel track={t} index={i} count={draft.tracks.length} errors={errors} />
            ))}
            <p class="actions">
              <StructuralButton
                op="add-track"
                label="Add a track"
                class="secondary"
                disabled={draft.tracks.length >= 16}
                anchor={`track-${draft.tracks.length}`}
              />
            </p>
          </section>
        </div>
        <aside class="stack melos-side" aria-label="Preview">
          <section class="panel stack">
            <h2>Piano roll</h2>
            <div
              id="melos-roll"
              class="melos-roll-box"
              hx-post={paths.roll}
              hx-trigger="input delay:500ms from:#melos-editor"
              hx-include="closest form"
              hx-sync="this:replace"
              aria-live="polite"
            >
              <RollPanel roll={props.roll} error={props.rollError} tracks={draft.tracks} />
            </div>
          </section>
          <section class="panel stack">
            <h2>Listen</h2>
            <p class="muted">The first 8 bars (about 20 seconds at most), mono, as a quick check.</p>
            <p class="actions">
              <button
                type="submit"
                class="secondary"
                formaction={`${paths.preview}#melos-preview`}
                hx-post={paths.preview}
                hx-target="#melos-preview"
                hx-disable="this"
              >
                Preview
              </button>
            </p>
            <div id="melos-preview" aria-live="polite">
              {props.preview && <PreviewPlayer src={props.preview} />}
            </div>
          </section>
          <p class="actions melos-save">
            <button type="submit">{recipe ? 'Save changes' : 'Save recipe'}</button>
          </p>
          {recipe && (
            <p class="muted">
              Renders, sharing and more: <a href="#renders">below the tracks</a>. A render uses the saved recipe.
            </p>
          )}
        </aside>
      </div>
    </form>
  );
}

/** A button that posts the form to /melos/edit with `op` (unsaved: the editor comes back changed). */
function StructuralButton(props: { op: string; label: string; class?: string; disabled?: boolean; ariaLabel?: string; anchor?: string }) {
  return (
    <button
      type="submit"
      // An id, so htmx gives focus back to the same button after it swaps the editor.
      id={`op-${props.op.replace(':', '-').replace(':', '-')}`}
      name="op"
      value={props.op}
      class={props.class}
      formaction={`${paths.edit}#${props.anchor ?? 'tracks'}`}
      hx-post={paths.edit}
      hx-target="#melos-editor"
      hx-swap="outerHTML"
      disabled={props.disabled}
      aria-label={props.ariaLabel}
    >
      {props.label}
    </button>
  );
}

function Slider(props: { label: string; name: string; min: number; max: number; step?: number; value: unknown; error?: string | undefined; unit?: string }) {
  const id = `f-${props.name}`;
  const value = text(props.value);
  return (
    <div class={`field melos-slider${props.error ? ' has-error' : ''}`}>
      <label for={id}>
        {props.label}{' '}
        <output for={id} data-unit={props.unit ?? ''}>
          {value}
          {props.unit ?? ''}
        </output>
      </label>
      <input
        id={id}
        name={props.name}
        type="range"
        min={props.min}
        max={props.max}
        step={props.step ?? 1}
        value={value}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
      />
      {props.error && (
        <p class="error" id={`${id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

function TrackPanel({ track, index, count, errors }: { track: DraftTrack; index: number; count: number; errors: FieldErrors }) {
  const p = `tracks.${index}`;
  const g = track.generator;
  const gp = `${p}.generator`;
  const err = (name: string) => errors[name];
  const name = text(track.name) || `Track ${index + 1}`;
  return (
    <fieldset class={`panel stack melos-track t${index}`} id={`track-${index}`}>
      <legend>
        <span class="swatch" aria-hidden="true"></span> {name}
      </legend>
      {/* The generator these fields are for: a switch to another starts from its defaults (form.ts). */}
      <input type="hidden" name={`${gp}.was`} value={g.type} />
      <input type="hidden" name={`${p}.roleWas`} value={String(track.role)} />
      <div class="melos-grid">
        <Field label="Name" name={`${p}.name`} value={track.name} error={err(`${p}.name`)} maxlength={40} />
        <SelectField label="Role" name={`${p}.role`} options={options(ROLES, capitalise)} value={track.role} error={err(`${p}.role`)} />
        {track.role !== 'drums' && (
          <SelectField
            label="Instrument"
            name={`${p}.program`}
            options={GM_PROGRAMS.map((n, i) => ({ value: String(i), label: `${i + 1}. ${n}` }))}
            value={track.program}
            error={err(`${p}.program`)}
          />
        )}
        <Slider label="Volume" name={`${p}.volume`} min={0} max={100} value={track.volume} error={err(`${p}.volume`)} />
        <Slider label="Pan (− left, + right)" name={`${p}.pan`} min={-100} max={100} value={track.pan} error={err(`${p}.pan`)} />
        <SelectField
          label="Generator"
          name={`${gp}.type`}
          options={(track.role === 'drums' ? (['drums'] as GeneratorType[]) : (Object.keys(GENERATORS).filter((k) => k !== 'drums') as GeneratorType[])).map(
            (k) => ({
              value: k,
              label: GENERATOR_LABELS[k],
            }),
          )}
          value={g.type}
          error={err(`${gp}.type`)}
          hint={GENERATORS[g.type]}
        />
        <SelectField label="Note value" name={`${gp}.rate`} options={options(RATES, (r) => RATE_LABELS[r] ?? r)} value={g.rate} error={err(`${gp}.rate`)} />
        {'octave' in g && <Slider label="Octave" name={`${gp}.octave`} min={1} max={7} value={g.octave} error={err(`${gp}.octave`)} />}
        <GeneratorFields g={g} prefix={gp} errors={errors} />
      </div>
      {g.type === 'drums' && <DrumLanes lanes={g.lanes ?? []} track={index} prefix={gp} errors={errors} />}
      <p class="actions">
        <StructuralButton
          op={`move-up:${index}`}
          label="Move up"
          class="secondary"
          disabled={index === 0}
          ariaLabel={`Move up (${name})`}
          anchor={`track-${index - 1}`}
        />
        <StructuralButton
          op={`move-down:${index}`}
          label="Move down"
          class="secondary"
          disabled={index === count - 1}
          ariaLabel={`Move down (${name})`}
          anchor={`track-${index + 1}`}
        />
        <StructuralButton op={`remove-track:${index}`} label="Remove" class="secondary danger" disabled={count === 1} ariaLabel={`Remove (${name})`} />
        <StructuralButton op={`refresh:${index}`} label="Apply role and generator" class="secondary no-js-only" anchor={`track-${index}`} />
      </p>
    </fieldset>
  );
}

function GeneratorFields({ g, prefix, errors }: { g: DraftTrack['generator']; prefix: string; errors: FieldErrors }) {
  const err = (name: string) => errors[`${prefix}.${name}`];
  const slider = (label: string, name: string, min: number, max: number, step = 1) => (
    <Slider label={label} name={`${prefix}.${name}`} min={min} max={max} step={step} value={g[name]} error={err(name)} />
  );
  switch (g.type) {
    case 'markov':
      return (
        <>
          {slider('Contour (falls … climbs)', 'contour', -1, 1, 0.1)}
          {slider('Density', 'density', 0, 1, 0.05)}
        </>
      );
    case 'walk':
      return (
        <>
          {slider('Largest step', 'maxStep', 1, 7)}
          {slider('Density', 'density', 0, 1, 0.05)}
        </>
      );
    case 'euclid':
      return (
        <>
          {slider('Pulses', 'pulses', 0, 32)}
          {slider('Steps', 'steps', 1, 32)}
          {slider('Rotation', 'rotation', 0, 31)}
          {slider('Scale degree', 'degree', 1, 7)}
        </>
      );
    case 'lsystem':
      return (
        <>
          <Field
            label="Axiom"
            name={`${prefix}.axiom`}
            value={g.axiom}
            error={err('axiom')}
            maxlength={16}
            hint="F plays, f rests, + and - step, [ ] remember and return."
          />
          <Field label="Rule for F" name={`${prefix}.rule`} value={g.rule} error={err('rule')} maxlength={24} />
          {slider('Iterations', 'iterations', 1, 6)}
        </>
      );
    case 'automaton':
      return (
        <>
          <Field label="Rule (0–255)" name={`${prefix}.rule`} type="number" value={g.rule} error={err('rule')} hint="Wolfram's numbering: 30, 90, 110…" />
          {slider('Width (cells)', 'width', 3, 16)}
          {slider('Voices', 'voices', 1, 4)}
        </>
      );
    case 'arpeggio':
      return (
        <>
          <SelectField label="Pattern" name={`${prefix}.pattern`} options={options(ARP_PATTERNS, capitalise)} value={g.pattern} error={err('pattern')} />
          {slider('Octaves', 'octaves', 1, 3)}
        </>
      );
    case 'bass':
      return <SelectField label="Pattern" name={`${prefix}.pattern`} options={options(BASS_PATTERNS, capitalise)} value={g.pattern} error={err('pattern')} />;
    case 'chords':
      return slider('Voices', 'voices', 3, 5);
    default:
      return null;
  }
}

function DrumLanes({ lanes, track, prefix, errors }: { lanes: Record<string, unknown>[]; track: number; prefix: string; errors: FieldErrors }) {
  return (
    <div class="stack melos-lanes">
      {errors[`${prefix}.lanes`] && <p class="error">{errors[`${prefix}.lanes`]}</p>}
      {lanes.map((lane, l) => {
        const lp = `${prefix}.lanes.${l}`;
        const slider = (label: string, name: string, min: number, max: number) => (
          <Slider label={label} name={`${lp}.${name}`} min={min} max={max} value={lane[name]} error={errors[`${lp}.${name}`]} />
        );
        return (
          <fieldset class="melos-lane">
            <legend>Lane {l + 1}</legend>
            <div class="melos-grid">
              <SelectField label="Drum" name={`${lp}.drum`} options={options(DRUMS, capitalise)} value={lane.drum} error={errors[`${lp}.drum`]} />
              {slider('Pulses', 'pulses', 0, 32)}
              {slider('Steps', 'steps', 1, 32)}
              {slider('Rotation', 'rotation', 0, 31)}
              {slider('Velocity', 'velocity', 1, 100)}
            </div>
            <p class="actions">
              <StructuralButton
                op={`remove-lane:${track}:${l}`}
                label="Remove lane"
                class="secondary"
                disabled={lanes.length === 1}
                ariaLabel={`Remove lane (${l + 1})`}
                anchor={`track-${track}`}
              />
            </p>
          </fieldset>
        );
      })}
      <p class="actions">
        <StructuralButton op={`add-lane:${track}`} label="Add a lane" class="secondary" disabled={lanes.length >= 8} anchor={`track-${track}`} />
      </p>
    </div>
  );
}

/** The piano roll with its legend, or why there is none. */
export function RollPanel(props: { roll: RollView | null; error?: string | undefined; tracks: readonly Record<string, unknown>[] }) {
  if (!props.roll) return <p class="notice notice-warn">{props.error ?? 'Fix the recipe to see its notes.'}</p>;
  return (
    <>
      {/* Valid but too big to render (its start still shows): said here, as you type, not only at Save. */}
      {props.error && <p class="notice notice-warn">{props.error}</p>}
      {raw(props.roll.svg)}
      <ul class="melos-legend">
        {props.tracks.map((t, i) => (
          <li class={`t${i}`}>
            <span class="swatch" aria-hidden="true"></span>
            {text(t.name) || `Track ${i + 1}`}
          </li>
        ))}
      </ul>
      <p class="muted">
        First {props.roll.bars} {props.roll.bars === 1 ? 'bar' : 'bars'}: {props.roll.notes} notes. The piece: {props.roll.totalBars}{' '}
        {props.roll.totalBars === 1 ? 'bar' : 'bars'}, {formatDuration(props.roll.seconds)}.
      </p>
    </>
  );
}

export function PreviewPlayer({ src }: { src: string }) {
  return (
    // biome-ignore lint/a11y/useMediaCaption: instrumental music made from notes: there are no words to caption.
    <audio controls preload="auto" src={src}>
      <a href={src}>Download the preview</a>
    </audio>
  );
}

// ---------------------------------------------------------------- renders, sharing, the rest

function RecipeActions({ recipe, renders, shareUrl, csrf }: { recipe: RecipeRow; renders: RenderRow[]; shareUrl: string | null; csrf: string }) {
  return (
    <div class="melos-below">
      <section class="panel stack" aria-labelledby="renders-h" id="renders">
        <h2 id="renders-h">Renders</h2>
        <p class="muted">A render makes the saved recipe into a MIDI file and a 44.1 kHz stereo WAV, in the background. Save your changes first.</p>
        <form
          method="post"
          action={paths.renders(recipe.id)}
          hx-post={paths.renders(recipe.id)}
          hx-target="#melos-renders"
          hx-swap="outerHTML"
          hx-disable="find button"
        >
          <CsrfField token={csrf} />
          <button type="submit">Render MIDI and WAV</button>
        </form>
        <RenderList renders={renders} csrf={csrf} />
      </section>
      <section class="panel stack" aria-labelledby="share-h">
        <h2 id="share-h">Share</h2>
        {shareUrl ? (
          <>
            <p>Anyone with this link sees the recipe and its piano roll (not your renders), and can remix it into their own.</p>
            <p>
              <label for="melos-share-url">Share link</label>
              <input id="melos-share-url" type="text" readonly value={shareUrl} />
            </p>
          </>
        ) : (
          <p class="muted">Not shared.</p>
        )}
        <form method="post" action={paths.share(recipe.id)}>
          <CsrfField token={csrf} />
          <input type="hidden" name="share" value={shareUrl ? 'off' : 'on'} />
          <button type="submit" class="secondary">
            {shareUrl ? 'Stop sharing (the link stops working)' : 'Make a share link'}
          </button>
        </form>
      </section>
      <section class="panel stack" aria-labelledby="more-h">
        <h2 id="more-h">Recipe</h2>
        <div class="actions">
          <form method="post" action={paths.duplicate(recipe.id)}>
            <CsrfField token={csrf} />
            <button type="submit" class="secondary">
              Duplicate
            </button>
          </form>
          <form method="post" action={paths.remove(recipe.id)} class="melos-delete">
            <CsrfField token={csrf} />
            <label>
              <input type="checkbox" name="confirm" value="yes" required /> Delete for good, with its renders
            </label>{' '}
            <button type="submit" class="danger">
              Delete
            </button>
          </form>
        </div>
        <p class="muted">
          Created <Time ms={recipe.createdAt} />, changed <Time ms={recipe.updatedAt} />.
        </p>
      </section>
    </div>
  );
}

export function RenderList({ renders, csrf }: { renders: RenderRow[]; csrf: string }) {
  return (
    <div id="melos-renders" class="stack">
      {renders.length === 0 ? <p class="muted">No renders yet.</p> : renders.map((r) => <RenderCard render={r} csrf={csrf} />)}
    </div>
  );
}

const STATUS_LABELS: Record<RenderRow['status'], string> = { queued: 'Queued', rendering: 'Rendering', done: 'Done', failed: 'Failed' };

/** One render. While it runs, it polls itself every second; the card that comes back done has no trigger, so polling stops. */
export function RenderCard({ render, csrf }: { render: RenderRow; csrf: string }) {
  const running = render.status === 'queued' || render.status === 'rendering';
  const poll = running ? { 'hx-get': paths.renderCard(render.id), 'hx-trigger': 'every 1s', 'hx-swap': 'outerHTML' } : {};
  return (
    <article id={`render-${render.id}`} class={`melos-render melos-render-${render.status}`} {...poll}>
      <p>
        <strong>{STATUS_LABELS[render.status]}</strong>{' '}
        <span class="muted">
          · asked <Time ms={render.createdAt} />
        </span>
      </p>
      {running && (
        <p>
          <label for={`progress-${render.id}`}>{render.status === 'queued' ? 'Waiting for the renderer' : `Rendering: ${render.progress}%`}</label>
          <progress id={`progress-${render.id}`} max={100} value={render.progress}>
            {render.progress}%
          </progress>
          {render.error && <span class="muted"> The last attempt failed ({render.error}); trying again.</span>}
          {/* Without JavaScript nothing polls: a link to look again (melos.js hides it). */}
          <a class="no-js-only" href={`${paths.recipe(render.recipeId)}?progress=${render.progress}-${Date.now() % 100_000}#renders`}>
            Reload to see how far it is
          </a>
        </p>
      )}
      {render.status === 'done' && <Downloads render={render} />}
      {(render.status === 'done' || render.status === 'failed') && (
        <form
          method="post"
          action={paths.removeRender(render.id)}
          hx-post={paths.removeRender(render.id)}
          hx-target={`#render-${render.id}`}
          hx-swap="outerHTML"
        >
          <CsrfField token={csrf} />
          <button type="submit" class="secondary danger">
            Delete render
          </button>
        </form>
      )}
      {render.status === 'failed' && (
        <>
          <p class="error" role="alert">
            {render.error}
          </p>
          <form method="post" action={paths.retry(render.id)} hx-post={paths.retry(render.id)} hx-target={`#render-${render.id}`} hx-swap="outerHTML">
            <CsrfField token={csrf} />
            <button type="submit" class="secondary">
              Try again
            </button>
          </form>
        </>
      )}
    </article>
  );
}

function Downloads({ render }: { render: RenderRow }) {
  const link = (kind: FileKind, label: string, bytes: number | null) => (
    <a class="button secondary" href={paths.file(render.id, kind)} download>
      {label} <span class="muted">({formatBytes(bytes ?? 0)})</span>
    </a>
  );
  return (
    <div class="stack">
      <p class="muted">
        {formatDuration(render.seconds ?? 0)} · {render.notes ?? 0} notes
      </p>
      {/* biome-ignore lint/a11y/useMediaCaption: instrumental music made from notes: there are no words to caption. */}
      <audio controls preload="none" src={paths.file(render.id, 'wav')}>
        <a href={paths.file(render.id, 'wav')}>The WAV</a>
      </audio>
      <p class="actions">
        {link('midi', 'Download MIDI', render.midiBytes)}
        {link('wav', 'Download WAV', render.wavBytes)}
      </p>
    </div>
  );
}

export function SharedPage(props: { recipe: RecipeRow; draft: Draft; roll: RollView | null; token: string; signedIn: boolean; csrf: string; summary: Child }) {
  return (
    <div class="stack-lg melos-page">
      <header class="page-header">
        <p class="muted">
          <a href={paths.home}>Melos</a> › shared recipe
        </p>
        <h1>{props.recipe.title}</h1>
        <p class="lede">{props.summary}</p>
      </header>
      <section class="panel stack">
        <h2>Piano roll</h2>
        <div class="melos-roll-box">
          <RollPanel roll={props.roll} tracks={props.draft.tracks} />
        </div>
      </section>
      <section class="panel stack">
        <h2>Make it yours</h2>
        {props.signedIn ? (
          <form method="post" action={paths.remix(props.token)}>
            <CsrfField token={props.csrf} />
            <button type="submit">Remix into my recipes</button>
          </form>
        ) : (
          <p>
            <a href={`/signin?next=${encodeURIComponent(paths.shared(props.token))}`}>Sign in</a> to remix it into your own recipes.
          </p>
        )}
      </section>
    </div>
  );
}
