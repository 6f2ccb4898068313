// Aura's room page. htmx's WebSocket extension (hx-ws:connect on #aura-room) swaps
// every frame the room sends into #aura-screen and sends the forms (hx-ws:send); this
// module adds what htmx cannot do:
//   - flow control: after drawing a frame, tell the room ({"type":"ack"}); it sends at
//     most two frames ahead of what this page has drawn, so a slow screen never makes
//     the room queue frames for it;
//   - the connection line, and the reason the room gave when it closed the socket;
//   - live audio for presenters: the microphone, or an audio file played at real-time
//     pace, through an AudioWorklet (aura-worklet.js) that sends 16-bit PCM in ≈ 40 ms
//     binary frames after announcing the format.
// Without JavaScript the page is a still picture with plain forms (see views.tsx).

const room = document.getElementById('aura-room');
const CHUNK_SECONDS = 0.04;

if (room) {
  // htmx starts on a timer after its own (deferred) script; if the WebSocket extension's
  // script arrived after that, the room was processed without it. Processing again is
  // harmless (the extension initializes an element once) and opens the socket.
  window.htmx?.process(room);

  let connection = null;
  const line = document.getElementById('aura-connection');
  // The room's notices arrive in #aura-status; this page's own (the microphone, a file) go beside their buttons.
  const status = document.getElementById('aura-status');
  const liveStatus = document.getElementById('aura-live-status');
  const say = (text, error = false, where = status) => {
    if (!where) return;
    const p = document.createElement('p');
    p.className = error ? 'notice error' : 'notice';
    p.setAttribute('role', error ? 'alert' : 'status');
    p.textContent = text;
    where.replaceChildren(p);
  };
  const setLine = (text) => {
    if (line) line.textContent = text;
  };
  setLine('connecting…');

  room.addEventListener('htmx:ws:after:connection', (event) => {
    connection = event.detail.connection;
    setLine('live');
    // The close reason is on the socket's own event (htmx passes on only the code).
    connection.socket.addEventListener('close', (close) => {
      setLine(close.code === 1013 || close.code === 1006 || close.code === 1001 ? 'reconnecting…' : 'disconnected');
      if (close.reason && close.code !== 1000) say(close.reason, true);
      else if (close.code === 1000 && close.reason) {
        // The room ended: say so where the source was named too.
        say(close.reason);
        const source = document.getElementById('aura-source');
        if (source) source.textContent = close.reason;
      }
      stopLive(false);
    });
  });

  room.addEventListener('htmx:ws:after:message:incoming', (event) => {
    const data = event.detail.message.data;
    if (typeof data === 'string' && data.startsWith('<svg')) send('{"type":"ack"}');
  });

  const send = (data) => {
    const socket = connection?.socket;
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(data);
  };

  // ---------------------------------------------------------------- live audio (presenters)

  const live = room.querySelector('.aura-live');
  const mic = document.getElementById('aura-mic');
  const file = document.getElementById('aura-file');
  const stop = document.getElementById('aura-live-stop');
  let audio = null;

  if (live && typeof AudioWorkletNode === 'function' && navigator.mediaDevices) live.hidden = false;

  /**
   * `connect(context)` makes the audio source and returns { node, channels, cleanup };
   * its audio goes through the worklet (1 or 2 channels, as the source has) to the room.
   */
  async function startLive(connect) {
    await stopLive(true);
    const context = new AudioContext();
    try {
      await context.audioWorklet.addModule(room.dataset.worklet);
      const source = await connect(context);
      const channels = Math.min(2, Math.max(1, source.channels));
      const node = new AudioWorkletNode(context, 'aura-pcm', {
        numberOfInputs: 1,
        numberOfOutputs: 0,
        channelCount: channels,
        channelCountMode: 'explicit',
        processorOptions: { channels, chunkFrames: Math.round(context.sampleRate * CHUNK_SECONDS) },
      });
      send(JSON.stringify({ type: 'source', source: { kind: 'stream', sampleRate: context.sampleRate, channels } }));
      node.port.onmessage = (message) => send(message.data);
      source.node.connect(node);
      audio = { context, node, cleanup: source.cleanup };
      if (stop) stop.hidden = false;
    } catch (error) {
      await context.close().catch(() => {});
      throw error;
    }
  }

  async function stopLive(tellRoom) {
    if (!audio) return;
    const current = audio;
    audio = null;
    current.node.port.onmessage = null;
    current.cleanup?.();
    await current.context.close().catch(() => {});
    if (stop) stop.hidden = true;
    liveStatus?.replaceChildren();
    if (tellRoom) send(JSON.stringify({ type: 'source', source: { kind: 'stop' } }));
  }

  // A test signal (or Stop) replaces live audio in the room: stop capturing it here too.
  room.querySelector('.aura-sources')?.addEventListener('submit', () => stopLive(false), true);

  mic?.addEventListener('click', async () => {
    try {
      await startLive(async (context) => {
        const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
        return {
          node: context.createMediaStreamSource(stream),
          channels: stream.getAudioTracks()[0]?.getSettings().channelCount ?? 1,
          cleanup: () => {
            for (const track of stream.getTracks()) track.stop();
          },
        };
      });
      say('Your microphone is live in this room.', false, liveStatus);
    } catch (error) {
      await stopLive(false);
      say(
        error?.name === 'NotAllowedError' ? 'The browser was not allowed to use the microphone.' : `The microphone could not start: ${error?.message ?? error}`,
        true,
      );
    }
  });

  file?.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    try {
      await startLive(async (context) => {
        const buffer = await context.decodeAudioData(await chosen.arrayBuffer());
        const player = context.createBufferSource();
        player.buffer = buffer;
        // To the room (through the worklet, at the pace it plays) and to your speakers.
        player.connect(context.destination);
        player.onended = () => stopLive(true);
        player.start();
        return { node: player, channels: buffer.numberOfChannels, cleanup: () => player.stop() };
      });
      say(`Streaming ${chosen.name} to the room.`, false, liveStatus);
    } catch (error) {
      await stopLive(false);
      say(`That file could not be played: ${error?.message ?? 'the browser cannot decode it'}.`, true, liveStatus);
    } finally {
      file.value = '';
    }
  });

  stop?.addEventListener('click', () => stopLive(true));
}
