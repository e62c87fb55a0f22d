// What the example tasks share around model.fit: a seeded order of the
// examples per epoch, reporting training to the page (loss per batch,
// progress, each epoch's metrics) and freeing a trained model.
import * as tf from '@tensorflow/tfjs-core';

import { seededShuffle } from './random.mjs';

/**
 * The rows of every tensor in the same seeded random order. model.fit's own
 * shuffle draws from Math.random, so two runs of a task would train on
 * different batches; with this order and `shuffle: false` the same seed gives
 * the same run on any backend, thread count, page, Worker or Node.
 * @param {tf.Tensor[]} tensors with the same first dimension
 * @returns {tf.Tensor[]} new tensors (the caller disposes them)
 */
export function inSeededOrder(tensors, seed) {
  const order = tf.tensor1d(seededShuffle(tensors[0].shape[0], seed), 'int32');
  try {
    return tensors.map((t) => tf.gather(t, order));
  } finally {
    order.dispose();
  }
}

/**
 * model.fit callbacks for a task that trains with one fit call per epoch.
 * The step count runs across the calls: about 200 'batch' points in all,
 * 'progress' every progressEvery steps.
 * @param {{emit: (e: object) => void}} ctx
 * @returns {(epoch: number, reportPass?: (pass: number) => boolean) => object}
 *   callbacks for the fit call of `epoch` (0-based); reportPass picks which of
 *   its passes report the epoch (default: every one)
 */
export function fitReporter(ctx, totalSteps, progressEvery) {
  const every = Math.max(1, Math.round(totalSteps / 200));
  let step = 0;
  return (epoch, reportPass = () => true) => ({
    onBatchEnd: (_, logs) => {
      step++;
      if (step % every === 0) ctx.emit({ type: 'batch', batch: step, loss: logs.loss, acc: logs.acc });
      if (step % progressEvery === 0) ctx.emit({ type: 'progress', label: 'training', fraction: step / totalSteps });
    },
    onEpochEnd: (pass, logs) => {
      if (!reportPass(pass)) return;
      ctx.emit({ type: 'epoch', epoch: epoch + 1, loss: logs.loss, acc: logs.acc, valLoss: logs.val_loss, valAcc: logs.val_acc });
    },
  });
}

/** Frees a trained Layers model and its optimizer (model.dispose() leaves the optimizer's slot variables alive). */
export function disposeTrained(model) {
  model.optimizer?.dispose();
  model.dispose();
}
