// Aura's AudioWorklet: turns the audio graph's 128-frame blocks into 16-bit PCM
// chunks of `chunkFrames` frames (≈ 40 ms), interleaved, and posts each to the page,
// which sends it over the room's WebSocket (aura.js). Runs on the audio thread; loaded
// under the room page's CSP, which names this one file (a worklet cannot carry a nonce).
class AuraPcm extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const { channels, chunkFrames } = options.processorOptions;
    this.channels = channels;
    this.chunkFrames = chunkFrames;
    this.buffer = new Int16Array(channels * chunkFrames);
    this.filled = 0;
  }

  process(inputs) {
    const input = inputs[0];
    if (!input || input.length === 0) return true;
    const frames = input[0].length;
    for (let i = 0; i < frames; i++) {
      for (let ch = 0; ch < this.channels; ch++) {
        const samples = input[Math.min(ch, input.length - 1)];
        const v = Math.max(-1, Math.min(1, samples[i]));
        this.buffer[this.filled * this.channels + ch] = v < 0 ? v * 32768 : v * 32767;
      }
      this.filled++;
      if (this.filled === this.chunkFrames) {
        const chunk = this.buffer;
        this.port.postMessage(chunk.buffer, [chunk.buffer]);
        this.buffer = new Int16Array(this.channels * this.chunkFrames);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('aura-pcm', AuraPcm);
