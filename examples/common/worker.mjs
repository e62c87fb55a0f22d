// The message protocol between an example page and its task (the task runs
// in a Web Worker, or in the page itself through the same handler).
//
// A task module (examples/<name>/task.mjs) is DOM-free and exports:
//   CONFIGS = {full, test}      configurations, each with its targets
//   run(ctx, config)            trains and evaluates; ctx.fetchBytes(path
//                               relative to the repository root), ctx.emit(event)
//                               with {type: 'progress' | 'batch' | 'epoch', ...};
//                               returns {metrics, targets, trainMs, inferMs, view}
//   predict(input)              (optional) uses the trained model
//   dispose()                   frees every tensor the task kept
//
// Messages to the task:   {cmd: 'run', backend, threads, config}
//                         {cmd: 'predict', id, input}
//                         {cmd: 'dispose'}
// Messages from the task: {type: 'info', info}, the task's events,
//                         {type: 'result', result, numTensors},
//                         {type: 'prediction', id, output},
//                         {type: 'disposed', leaked}, {type: 'error', message, id?}
import * as tf from '@tensorflow/tfjs-core';

import { startBackend } from './backend.mjs';

/**
 * Returns handle(message): runs the commands on `task`, answering by post().
 * @param {object} task  the task module
 * @param {(message: object) => void} post
 */
export function taskHandler(task, post) {
  let baseline = null;  // tf.memory().numTensors before run()
  const ctx = {
    async fetchBytes(path) {
      const res = await fetch(new URL('/' + path, globalThis.location.href));
      if (!res.ok) throw new Error(`loading ${path}: HTTP ${res.status} (did scripts/setup.sh prepare the data?)`);
      return res.arrayBuffer();
    },
    emit: (event) => post(event),
  };
  return async (msg) => {
    try {
      if (msg.cmd === 'run') {
        post({ type: 'info', info: await startBackend({ backend: msg.backend, threads: msg.threads }) });
        task.dispose();
        baseline = tf.memory().numTensors;
        const result = await task.run(ctx, msg.config);
        post({ type: 'result', result, numTensors: tf.memory().numTensors });
      } else if (msg.cmd === 'predict') {
        post({ type: 'prediction', id: msg.id, output: await task.predict(msg.input) });
      } else if (msg.cmd === 'dispose') {
        task.dispose();
        post({ type: 'disposed', leaked: baseline == null ? 0 : tf.memory().numTensors - baseline });
      } else {
        throw new Error(`unknown command ${JSON.stringify(msg.cmd)}`);
      }
    } catch (e) {
      post({ type: 'error', id: msg.id, message: e && e.message ? e.message : String(e) });
    }
  };
}

/** Makes this Worker serve `task` (called by each example's worker entry). */
export function serveInWorker(task) {
  const handle = taskHandler(task, (m) => globalThis.postMessage(m));
  globalThis.onmessage = (e) => handle(e.data);
}
