/** Aura's pages: your rooms, and a room (the live picture, the presenter's controls, the owner's). */
import { raw } from 'hono/html';
import { Field, FormError, SelectField, Time } from '../../shared/html/components';
import { CsrfField } from '../../shared/html/layout';
import type { FieldErrors } from '../../shared/http/http-error';
import { asset } from '../assets';
import { paths } from './paths';
import type { Room } from './repository';
import { MAX_OPEN_ROOMS } from './refusals';
import { TARGETS } from './room-contract';
import { BAND_WIDTHS, CHANNEL_MODES, FFT_SIZES, LIMITS, MODES, SCALES, type Settings, WEIGHTINGS, WINDOWS } from './settings';

export const AURA_ASSETS = { styles: [asset('/aura.css')], scripts: [asset('/vendor/hx-ws.min.js'), asset('/aura.js')] };
/** The AudioWorklet module (loaded by aura.js; the room page's CSP names this one file). */
export const WORKLET = asset('/aura-worklet.js');

const MODE_LABELS: Record<Settings['mode'], string> = { bars: 'Bars', led: 'LED meter', line: 'Line', radial: 'Radial', spectrogram: 'Spectrogram' };
const WINDOW_LABELS: Record<Settings['window'], string> = { hann: 'Hann', blackman: 'Blackman', 'blackman-harris': 'Blackman-Harris' };
const SCALE_LABELS: Record<Settings['scale'], string> = { log: 'Logarithmic', linear: 'Linear', bark: 'Bark', mel: 'Mel' };
const BAND_LABELS: Record<Settings['bands'], string> = { '1/12': '1/12 octave', '1/6': '1/6 octave', '1/3': '1/3 octave', '1': 'Octave' };
const WEIGHTING_LABELS: Record<Settings['weighting'], string> = { none: 'None (Z)', A: 'A', C: 'C', 'ITU-468': 'ITU-R 468' };

const options = <T extends string | number>(values: readonly T[], label: (v: T) => string = String) =>
  values.map((v) => ({ value: String(v), label: label(v) }));

const roomTitle = (room: Room) => room.title || 'Untitled room';

// ---------------------------------------------------------------- /aura

export function HomePage(props: { signedIn: boolean; rooms: Room[]; csrf: string; errors?: FieldErrors; values?: Record<string, unknown> }) {
  const open = props.rooms.filter((r) => r.endedAt === null);
  const ended = props.rooms.filter((r) => r.endedAt !== null);
  return (
    <div class="stack-lg aura-home">
      <header class="page-header">
        <h1>Aura</h1>
        <p class="lede">
          A live spectrum analyzer computed at the edge: one person plays audio (a microphone, a file or a built-in test signal), and everyone with the room’s
          link watches the same picture, as it happens.
        </p>
      </header>
      {props.signedIn ? (
        <section class="panel stack" aria-labelledby="new-room">
          <h2 id="new-room">New room</h2>
          <form method="post" action={paths.home} class="stack">
            <CsrfField token={props.csrf} />
            <FormError message={props.errors?._form} />
            <Field
              label="Title (optional)"
              name="title"
              value={props.values?.title}
              error={props.errors?.title}
              maxlength={80}
              hint="Everyone with the link sees it."
            />
            <p class="actions">
              <button type="submit">Create room</button>
            </p>
          </form>
        </section>
      ) : (
        <section class="panel">
          <p>
            <a href={`/signin?next=${encodeURIComponent(paths.home)}`}>Sign in</a> to create a room. Watching a room needs no account: open the link its owner
            shared.
          </p>
        </section>
      )}
      {props.signedIn && (
        <section class="stack" aria-labelledby="your-rooms">
          <h2 id="your-rooms">Your rooms</h2>
          {open.length === 0 ? (
            <p class="muted">No open rooms. You may have up to {MAX_OPEN_ROOMS} at once.</p>
          ) : (
            <ul class="plain aura-rooms">
              {open.map((r) => (
                <li>
                  <a href={paths.room(r.id)}>{roomTitle(r)}</a>{' '}
                  <span class="muted small">
                    {r.locked ? 'locked · ' : ''}created <Time ms={r.createdAt} />
                  </span>
                </li>
              ))}
            </ul>
          )}
          {ended.length > 0 && (
            <details>
              <summary>Ended rooms ({ended.length})</summary>
              <ul class="plain aura-rooms">
                {ended.map((r) => (
                  <li>
                    {roomTitle(r)}{' '}
                    <span class="muted small">
                      ended <Time ms={r.endedAt} />
                    </span>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </section>
      )}
    </div>
  );
}

// ---------------------------------------------------------------- /aura/r/:id

export type RoomPageProps = {
  room: Room;
  url: string;
  csrf: string;
  presenter: boolean;
  owner: boolean;
  settings: Settings;
  source: string;
  viewers: string;
  /** The sine playing, if one is (its form shows that frequency). */
  sineFrequency: number | null;
  svg: string;
  /** The mode this page draws (`?mode=`), or null for the room's. */
  view: Settings['mode'] | null;
  notice?: string | undefined;
};

export function RoomPage(p: RoomPageProps) {
  const id = p.room.id;
  return (
    <div class="stack-lg aura-room-page">
      <header class="page-header aura-head">
        <h1>{roomTitle(p.room)}</h1>
        <div class="aura-share">
          <label for="aura-link">Link to watch</label>
          <div class="aura-share-row">
            <input id="aura-link" type="text" readonly value={p.url} />
            <button type="button" class="secondary" data-copy="#aura-link">
              Copy
            </button>
          </div>
        </div>
      </header>
      <div
        class="aura-room stack"
        id="aura-room"
        hx-ws:connect={paths.socket(id)}
        hx-target="#aura-screen"
        hx-swap="innerHTML"
        // A viewer's page lets go of the socket while its tab is hidden (it reconnects when shown: cheaper for the room);
        // a presenter's keeps it, or a microphone would stop whenever they switch tabs.
        hx-config={p.presenter ? 'ws.pauseOnBackground:false' : undefined}
        data-worklet={WORKLET}
        data-presenter={p.presenter ? 'true' : undefined}
      >
        <p class="aura-status-line">
          <span id={TARGETS.source.slice(1)} aria-live="polite">
            {p.source}
          </span>{' '}
          <span class="muted">
            · <span id={TARGETS.viewers.slice(1)}>{p.viewers}</span> · <span id="aura-connection">still picture</span>
          </span>
        </p>
        <div id={TARGETS.status.slice(1)} aria-live="assertive">
          {p.notice && (
            <p class="notice error" role="alert">
              {p.notice}
            </p>
          )}
        </div>
        <figure class="aura-screen-frame">
          <div id="aura-screen" class="aura-screen">
            {raw(p.svg)}
          </div>
          <noscript>
            <figcaption class="muted small">
              Without JavaScript this is a still picture of the room: <a href={paths.room(id)}>reload</a> to see it again.
            </figcaption>
          </noscript>
        </figure>
        <form class="aura-view inline" method="get" action={paths.room(id)} hx-ws:send="" hx-trigger="change, submit">
          <input type="hidden" name="type" value="view" />
          <div class="field">
            <label for="aura-view-mode">Show me</label>
            <select id="aura-view-mode" name="mode" aria-describedby="aura-view-mode-hint">
              {[{ value: 'room', label: 'The room’s choice' }, ...options(MODES, (m) => MODE_LABELS[m])].map((o) => (
                <option value={o.value} selected={o.value === (p.view ?? 'room')}>
                  {o.label}
                </option>
              ))}
            </select>
            <p class="hint" id="aura-view-mode-hint">
              Only your screen changes.
            </p>
          </div>
          <noscript>
            <button type="submit" class="secondary">
              Show
            </button>
          </noscript>
        </form>
        {p.presenter ? <PresenterControls id={id} csrf={p.csrf} settings={p.settings} sineFrequency={p.sineFrequency} /> : <ViewerNote />}
        {p.owner && <OwnerControls room={p.room} csrf={p.csrf} />}
      </div>
    </div>
  );
}

function ViewerNote() {
  return <p class="muted small">You are watching. The room’s presenter picks the audio and the settings.</p>;
}

/** One control message as a form: over the socket with JavaScript (hx-ws:send), as a POST without. */
function ControlForm({
  id,
  csrf,
  children,
  label,
  class: cls,
  live,
}: {
  id: string;
  csrf: string;
  children: unknown;
  label: string;
  class?: string;
  live?: boolean;
}) {
  // `live`: every change goes out at once (and Apply, or Enter, too).
  return (
    <form method="post" action={paths.control(id)} hx-ws:send="" hx-trigger={live ? 'change, submit' : undefined} class={cls ?? 'inline'} aria-label={label}>
      <CsrfField token={csrf} />
      {children}
    </form>
  );
}

/** The sources without parameters, each one button (Stop last). */
const SIMPLE_SOURCES = [
  { kind: 'sweep', label: 'Sweep test signal', button: 'Play log sweep' },
  { kind: 'pink', label: 'Pink noise test signal', button: 'Play pink noise' },
  { kind: 'chord', label: 'Chord test signal', button: 'Play C major chord' },
  { kind: 'stop', label: 'Stop the source', button: 'Stop' },
] as const;

function PresenterControls({ id, csrf, settings, sineFrequency }: { id: string; csrf: string; settings: Settings; sineFrequency: number | null }) {
  return (
    <>
      <section class="panel stack" aria-labelledby="aura-source-h">
        <h2 id="aura-source-h">Source</h2>
        <div class="aura-sources">
          <ControlForm id={id} csrf={csrf} label="Sine test signal">
            <input type="hidden" name="type" value="source" />
            <input type="hidden" name="kind" value="sine" />
            <NumberField label="Sine (Hz)" name="frequency" value={sineFrequency ?? 1000} range={[20, 20_000]} hint="20 to 20,000 Hz." step="any" />
            <button type="submit">Play sine</button>
          </ControlForm>
          {SIMPLE_SOURCES.map((s) => (
            <ControlForm id={id} csrf={csrf} label={s.label}>
              <input type="hidden" name="type" value="source" />
              <input type="hidden" name="kind" value={s.kind} />
              <button type="submit" class="secondary">
                {s.button}
              </button>
            </ControlForm>
          ))}
        </div>
        {/* aura.js shows these: they need the browser's audio APIs. */}
        <div class="aura-live stack" data-needs-js hidden>
          <p class="actions">
            <button type="button" id="aura-mic">
              Use my microphone
            </button>{' '}
            <label class="button secondary" for="aura-file">
              Stream an audio file
            </label>
            <input id="aura-file" class="visually-hidden" type="file" accept="audio/*" />
            <button type="button" id="aura-live-stop" class="secondary" hidden>
              Stop live audio
            </button>
          </p>
          <div id="aura-live-status" aria-live="polite"></div>
          <p class="hint">Audio goes to this room only, as it plays; nothing is recorded or stored.</p>
        </div>
      </section>
      <section class="panel stack" aria-labelledby="aura-settings-h">
        <h2 id="aura-settings-h">Settings</h2>
        <ControlForm id={id} csrf={csrf} label="Analyzer settings" class="aura-settings" live>
          <input type="hidden" name="type" value="settings" />
          <SelectField label="Mode" name="mode" value={settings.mode} options={options(MODES, (m) => MODE_LABELS[m])} />
          <SelectField label="FFT size" name="fftSize" value={settings.fftSize} options={options(FFT_SIZES)} />
          <SelectField label="Window" name="window" value={settings.window} options={options(WINDOWS, (w) => WINDOW_LABELS[w])} />
          <SelectField label="Scale" name="scale" value={settings.scale} options={options(SCALES, (s) => SCALE_LABELS[s])} />
          <SelectField
            label="Bands"
            name="bands"
            value={settings.bands}
            options={options(BAND_WIDTHS, (b) => BAND_LABELS[b])}
            hint="Used by the logarithmic scale."
          />
          <SelectField label="Weighting" name="weighting" value={settings.weighting} options={options(WEIGHTINGS, (w) => WEIGHTING_LABELS[w])} />
          <SelectField
            label="Channels"
            name="channelMode"
            value={settings.channelMode}
            options={options(CHANNEL_MODES, (c) => (c === 'mono' ? 'Mono' : 'Left and right'))}
          />
          <SelectField
            label="Note names"
            name="noteLabels"
            value={settings.noteLabels ? 'true' : 'false'}
            options={[
              { value: 'false', label: 'Off' },
              { value: 'true', label: 'On' },
            ]}
          />
          <NumberField label="Attack (ms)" name="attack" value={settings.attack} range={LIMITS.attack} />
          <NumberField label="Release (ms)" name="release" value={settings.release} range={LIMITS.release} />
          <NumberField label="Floor (dB)" name="dbMin" value={settings.dbMin} range={LIMITS.dbMin} />
          <NumberField label="Ceiling (dB)" name="dbMax" value={settings.dbMax} range={LIMITS.dbMax} />
          <NumberField label="Peak hold (ms)" name="peakHold" value={settings.peakHold} range={LIMITS.peakHold} />
          <NumberField label="Peak gravity (dB/s²)" name="gravity" value={settings.gravity} range={LIMITS.gravity} />
          <p class="actions aura-apply">
            <button type="submit">Apply</button>
          </p>
        </ControlForm>
      </section>
    </>
  );
}

/** A number input with its range, so the browser checks it before anything is sent. */
function NumberField(props: { label: string; name: string; value: number; range: readonly [number, number]; hint?: string; step?: string }) {
  const id = `f-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type="number"
        value={String(props.value)}
        min={String(props.range[0])}
        max={String(props.range[1])}
        step={props.step ?? '1'}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
      />
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
    </div>
  );
}

function OwnerControls({ room, csrf }: { room: Room; csrf: string }) {
  return (
    <section class="panel stack" aria-labelledby="aura-owner-h">
      <h2 id="aura-owner-h">Your room</h2>
      <form method="post" action={paths.update(room.id)} class="stack">
        <CsrfField token={csrf} />
        <Field label="Title" name="title" value={room.title} maxlength={80} />
        <label class="check">
          <input type="checkbox" name="locked" checked={room.locked} /> Locked <span class="muted">nobody new may join; those watching stay</span>
        </label>
        <label class="check">
          <input type="checkbox" name="openPresenting" checked={room.openPresenting} /> Open to presenters{' '}
          <span class="muted">signed-in viewers may play a source and change the settings</span>
        </label>
        <p class="actions">
          <button type="submit" class="secondary">
            Save
          </button>
        </p>
      </form>
      <form method="post" action={paths.end(room.id)}>
        <CsrfField token={csrf} />
        <p class="actions">
          <button type="submit" class="danger">
            End the room
          </button>{' '}
          <span class="hint">Everyone is disconnected and the link stops working.</span>
        </p>
      </form>
    </section>
  );
}
