// What the example tasks share around model.fit: reporting training to the
// page (loss per batch, progress, each epoch's metrics) and freeing a trained
// model.

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
