// The spoken-commands example's page: trains the listing 4.8 convnet on
// spectrograms of synthesized speech, then shows held-out spectrograms with
// their predicted labels, the confusion matrix over the 20 classes, and
// recognises one second of microphone audio ("listen"); without a
// microphone it recognises (and plays) recorded held-out clips instead.
import * as tfvis from '@tensorflow/tfjs-vis';

import * as task from './task.mjs';
import { el, examplePage } from '../common/page.mjs';

const RATE = 44100;
const SAMPLES = 44032;

/** A [frames, bins] spectrogram as a heat map: time left to right, low frequencies at the bottom. */
function spectrogramCanvas({ frames, bins, values }) {
  const c = el('canvas', { width: frames, height: bins });
  c.style.width = `${frames * 3}px`;
  c.style.height = `${bins / 2}px`;
  const img = new ImageData(frames, bins);
  for (let t = 0; t < frames; t++) {
    for (let f = 0; f < bins; f++) {
      // Normalised values (mean 0, std 1) from -2.5 .. 2.5 onto black -> red -> yellow -> white.
      const v = Math.min(1, Math.max(0, (values[t * bins + f] + 2.5) / 5));
      const rgb = [Math.min(1, 3 * v), Math.min(1, Math.max(0, 3 * v - 1)), Math.max(0, 3 * v - 2)];
      img.data.set([...rgb.map((x) => Math.round(255 * x)), 255], 4 * ((bins - 1 - f) * frames + t));
    }
  }
  c.getContext('2d').putImageData(img, 0, 0);
  return c;
}

/** Samples at `rate` -> 44,032 samples at 44.1 kHz (WebAudio's own resampler). */
async function resampleTo44k(samples, rate) {
  if (rate === RATE) return samples.slice(0, SAMPLES);
  const offline = new OfflineAudioContext(1, SAMPLES, RATE);
  const buffer = offline.createBuffer(1, samples.length, rate);
  buffer.copyToChannel(samples, 0);
  const source = offline.createBufferSource();
  source.buffer = buffer;
  source.connect(offline.destination);
  source.start();
  return (await offline.startRendering()).getChannelData(0).slice(0, SAMPLES);
}

/** Records about one second from the microphone; rejects when there is none or it is refused. */
async function recordSecond() {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    throw new Error('this browser offers no microphone access here (getUserMedia needs https or localhost)');
  }
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false } });
  const ctx = new AudioContext();
  try {
    const need = Math.ceil(SAMPLES * ctx.sampleRate / RATE);
    const got = new Float32Array(need);
    let filled = 0;
    await new Promise((resolve) => {
      const source = ctx.createMediaStreamSource(stream);
      const node = ctx.createScriptProcessor(4096, 1, 1);
      node.onaudioprocess = (e) => {
        const input = e.inputBuffer.getChannelData(0);
        const n = Math.min(input.length, need - filled);
        got.set(input.subarray(0, n), filled);
        filled += n;
        if (filled >= need) {
          node.disconnect();
          source.disconnect();
          resolve();
        }
      };
      source.connect(node);
      node.connect(ctx.destination);
    });
    return await resampleTo44k(got, ctx.sampleRate);
  } finally {
    stream.getTracks().forEach((t) => t.stop());
    ctx.close().catch(() => {});
  }
}

/** Plays int16 PCM at 44.1 kHz through the speakers (best effort: autoplay rules may block it). */
async function play(samples) {
  const ctx = new AudioContext();
  const buffer = ctx.createBuffer(1, samples.length, RATE);
  buffer.copyToChannel(samples, 0);
  const source = ctx.createBufferSource();
  source.buffer = buffer;
  source.connect(ctx.destination);
  source.onended = () => ctx.close().catch(() => {});
  source.start();
}

let view = null; // the trained task's result.view

const api = examplePage({
  title: 'Spoken commands on cwasm',
  intro: 'The convnet of listing 4.8 (four conv + max-pool blocks, dense 2000, softmax 20) trained with ' +
      'model.fit on log-magnitude spectrograms (43 frames x 232 bins, computed on the backend) of one-second ' +
      'clips synthesized with espeak-ng and sox: 18 command words, "unknown" for other words and "background ' +
      'noise". 8 of the 88 voices are held out and never trained on; the accuracy is measured on them. ' +
      'Then "listen" recognises one second of your microphone.',
  task,
  workerUrl: '/build/examples/speech-commands/worker.js',
  renderResult(result, box) {
    view = result.view;
    const { classes, examples, confusion } = view;
    const cell = (x) => el('div', { class: x.predicted === x.label ? 'cell' : 'cell wrong' },
        spectrogramCanvas(x), classes[x.predicted] + (x.predicted === x.label ? '' : ` (is ${classes[x.label]})`),
        el('br'), el('small', {}, x.voice));
    const matrix = el('div', { class: 'confusion' });
    const listenButton = el('button', {}, 'listen (1 s)');
    const playButton = el('button', {}, 'play a held-out test clip');
    listenButton.onclick = () => listen();
    playButton.onclick = () => playTestClip();
    box.replaceChildren(
        el('h2', {}, 'Live recognition'),
        el('div', { class: 'run' }, listenButton, playButton), heard,
        el('h2', {}, 'Held-out spectrograms'),
        el('p', {}, `${examples.length} clips drawn at random from the held-out voices (${view.heldOutVoices.join(', ')}), ` +
            'the predicted class under each; mistakes outlined with the true class.'),
        el('div', { class: 'grid' }, ...examples.map(cell)),
        el('h2', {}, 'Accuracy per held-out voice'),
        el('p', {}, view.perVoice.map((v) => `${v.voice}: ${v.correct} of ${v.clips}`).join(' \u00b7 ')),
        el('h2', {}, 'Confusion matrix (held-out clips)'),
        matrix);
    tfvis.render.confusionMatrix(matrix, { values: confusion, tickLabels: classes }, { width: 720, height: 720 });
  },
});

const heard = el('p', { class: 'heard' }, 'Train first, then press "listen" and say a command word.');

/** The top class of probabilities, as text. */
function top(probs) {
  const best = probs.indexOf(Math.max(...probs));
  return { label: best, text: `"${view.classes[best]}" (${(100 * probs[best]).toFixed(0)}%)` };
}

/**
 * Records one second from the microphone and recognises it. Resolves to
 * {ok: true, label, className, probabilities}, or {ok: false, message} when
 * there is no microphone, permission is denied or nothing is trained yet.
 */
async function listen() {
  try {
    heard.textContent = 'listening: say a command word now...';
    const samples = await recordSecond();
    if (!view) throw new Error('no trained model yet: press start and wait for training');
    const probs = await api.predict(samples);
    const { label, text } = top(probs);
    heard.textContent = `heard ${text}`;
    return { ok: true, label, className: view.classes[label], probabilities: probs };
  } catch (e) {
    const message = `No live recognition: ${e && e.message ? e.message : e}. ` +
        'Use "play a held-out test clip" to recognise recorded clips of the held-out voices instead.';
    heard.textContent = message;
    api.say(message);
    return { ok: false, message };
  }
}

/**
 * The fallback: recognises a random held-out clip (one per class is kept)
 * and plays it. Resolves to {ok, label, predicted, word, voice} or {ok: false, message}.
 */
async function playTestClip() {
  try {
    if (!view) throw new Error('no trained model yet: press start and wait for training');
    const clip = view.clips[Math.floor(Math.random() * view.clips.length)];
    const samples = Float32Array.from(clip.pcm, (v) => v / 32768);
    play(samples).catch((e) => api.say(`could not play the clip: ${e.message}`));
    const { label, text } = top(await api.predict(samples));
    const what = clip.word === '-' ? 'background noise' : `"${clip.word}" by ${clip.voice}`;
    heard.textContent = `test clip ${what} (class "${view.classes[clip.label]}"): predicted ${text}`;
    return { ok: true, label: clip.label, predicted: label, word: clip.word, voice: clip.voice };
  } catch (e) {
    const message = `could not recognise a test clip: ${e && e.message ? e.message : e}`;
    heard.textContent = message;
    return { ok: false, message };
  }
}

window.cwExample.listen = listen;
window.cwExample.playTestClip = playTestClip;
