// Spectrograms for the spoken-commands example, in the layout of the
// speech-commands BROWSER_FFT recognizer: 43 frames of 1,024 samples (hop
// 1,024) at 44.1 kHz, log magnitude of the first 232 FFT bins (0 .. ~10 kHz),
// each example normalised to mean 0 and standard deviation 1. All tf ops,
// so the work runs on the backend.
import * as tf from '@tensorflow/tfjs-core';

export const FRAMES = 43;
export const FRAME_LENGTH = 1024;
export const BINS = 232;
export const CLIP_SAMPLES = FRAMES * FRAME_LENGTH; // 44,032

// Magnitudes below this (about -60 dB of a full-scale frame) count as this
// value, so digital silence does not dominate the normalisation.
const FLOOR = 1e-3;

/**
 * Log-magnitude spectrograms of a batch of clips.
 * @param {tf.Tensor} audio  float32 [n, 44032] samples in [-1, 1]
 * @returns {tf.Tensor4D} float32 [n, 43, 232, 1], each example with mean 0, std 1
 */
export function spectrograms(audio) {
  const n = audio.shape[0];
  if (audio.shape.length !== 2 || audio.shape[1] !== CLIP_SAMPLES) {
    throw new Error(`spectrograms: audio of shape [${audio.shape}], expected [n, ${CLIP_SAMPLES}]`);
  }
  return tf.tidy(() => {
    const frames = tf.reshape(audio, [n * FRAMES, FRAME_LENGTH]);
    const windowed = tf.mul(frames, tf.signal.hannWindow(FRAME_LENGTH));
    const magnitude = tf.abs(tf.spectral.rfft(windowed));                // [n * 43, 513]
    const logMag = tf.log(tf.add(tf.slice(magnitude, [0, 0], [-1, BINS]), FLOOR));
    const x = tf.reshape(logMag, [n, FRAMES, BINS, 1]);
    const { mean, variance } = tf.moments(x, [1, 2, 3], true);
    return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-6)));
  });
}

/**
 * int16 PCM clips -> float32 [n, 44032] tensor in [-1, 1].
 * @param {Int16Array} pcm  n * 44032 samples
 */
export function pcmToTensor(pcm) {
  const n = pcm.length / CLIP_SAMPLES;
  return tf.tidy(() => tf.div(tf.cast(tf.tensor2d(Int32Array.from(pcm), [n, CLIP_SAMPLES], 'int32'), 'float32'), 32768));
}
