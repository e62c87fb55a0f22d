// The page around an example's task: controls (backend, threads, Worker,
// configuration), what is running, a progress bar, loss and accuracy charts
// (tfjs-vis) while it trains, the metrics against their targets, and the
// example's own drawing of its result. Errors and fallbacks are shown on the
// page, never left as a blank page.
//
// Query parameters: backend=cwasm|wasm|cpu, threads=N, worker=1|0,
// config=full|test, autorun=1. window.cwExample exposes the state to tests:
// {state: 'idle'|'running'|'done'|'error', info, result, error, notes,
//  start(), predict(input), dispose() -> leaked tensor count (the task's and
//  the page's own)}; examples may add fields.
import * as tfvis from '@tensorflow/tfjs-vis';

import { BACKENDS, defaultThreads, startBackend } from './backend.mjs';
import { taskHandler } from './worker.mjs';

/** Creates an element with attributes/properties and children. */
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k in e) e[k] = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

/** Reads the page's options from its URL. */
function options(task) {
  const q = new URLSearchParams(location.search);
  const threads = Number(q.get('threads') || defaultThreads());
  return {
    backend: BACKENDS.includes(q.get('backend')) ? q.get('backend') : 'cwasm',
    threads: Number.isInteger(threads) && threads >= 1 ? threads : defaultThreads(),
    worker: q.get('worker') !== '0',
    config: task.CONFIGS[q.get('config')] ? q.get('config') : 'full',
    autorun: q.get('autorun') === '1',
  };
}

/** Runs the task in a Worker, or in the page through the same handler. */
function makeRunner(useWorker, workerUrl, task, onMessage) {
  if (useWorker) {
    const worker = new Worker(workerUrl);
    worker.onmessage = (e) => onMessage(e.data);
    worker.onerror = (e) => onMessage({ type: 'error', message: `the Worker failed: ${e.message || 'could not load ' + workerUrl}` });
    return (msg) => worker.postMessage(msg);
  }
  const handle = taskHandler(task, (m) => setTimeout(() => onMessage(m)));
  return (msg) => { handle(msg); };
}

/**
 * Builds the page.
 * @param {{title: string, intro: string, task: object, workerUrl: string,
 *   renderResult: (result: object, box: HTMLElement, api: object) => void,
 *   accuracyName?: string}} spec
 */
export function examplePage(spec) {
  const { task } = spec;
  const opts = options(task);
  const state = { state: 'idle', info: null, result: null, error: null, notes: [] };
  window.cwExample = state;

  const select = (name, values, current) => el('select', { name },
      ...values.map((v) => el('option', { value: v, selected: v === current }, v)));
  const form = el('form', { class: 'controls' },
      el('label', {}, 'backend ', select('backend', BACKENDS, opts.backend)),
      el('label', {}, 'threads ', el('input', { name: 'threads', type: 'number', min: 1, max: 16, value: opts.threads })),
      el('label', {}, el('input', { name: 'worker', type: 'checkbox', checked: opts.worker }), ' train in a Web Worker'),
      el('label', {}, 'configuration ', select('config', Object.keys(task.CONFIGS), opts.config)),
      el('button', { type: 'submit' }, 'apply (reloads)'));
  form.onsubmit = (e) => {
    e.preventDefault();
    const f = new FormData(form);
    location.search = new URLSearchParams({
      backend: f.get('backend'), threads: f.get('threads'), worker: f.get('worker') ? '1' : '0', config: f.get('config'),
    }).toString();
  };
  const startButton = el('button', { class: 'start' }, 'start');
  const info = el('div', { class: 'info' }, `backend ${opts.backend}, not started`);
  const notes = el('div', { class: 'notes' });
  const bar = el('progress', { max: 1, value: 0 });
  const barLabel = el('span', { class: 'progress-label' }, 'idle');
  const lossChart = el('div', { class: 'chart' });
  const accChart = el('div', { class: 'chart' });
  const metrics = el('div', { class: 'metrics' });
  const resultBox = el('div', { class: 'result' });
  document.body.append(
      el('header', {}, el('h1', {}, spec.title), el('p', {}, spec.intro)),
      form, el('div', { class: 'run' }, startButton, info), notes,
      el('div', { class: 'progress' }, bar, barLabel),
      el('div', { class: 'charts' }, lossChart, accChart), metrics, resultBox);

  /** Shows a message on the page: kind 'note' (a fallback) or 'error'. */
  const say = (text, kind = 'note') => {
    notes.append(el('p', { class: kind }, text));
    if (kind === 'note') state.notes.push(text);
  };
  window.addEventListener('error', (e) => say(`error: ${e.message}`, 'error'));
  window.addEventListener('unhandledrejection', (e) => say(`error: ${e.reason && e.reason.message || e.reason}`, 'error'));

  const batches = [], epochs = { loss: [], valLoss: [], acc: [], valAcc: [] };
  let drawn = 0;
  const drawCharts = (force) => {
    const now = performance.now();
    if (!force && now - drawn < 500) return;
    drawn = now;
    tfvis.render.linechart(lossChart, { values: [batches], series: ['loss per batch'] },
        { xLabel: 'batch', yLabel: 'loss', width: 420, height: 220, zoomToFit: true });
    if (epochs.acc.length) {
      // Without a validation set (validationSplit 0) only the training series.
      const withVal = epochs.valAcc.length > 0;
      tfvis.render.linechart(accChart, withVal
        ? { values: [epochs.acc, epochs.valAcc], series: ['training', 'validation'] }
        : { values: [epochs.acc], series: ['training'] },
          { xLabel: 'epoch', yLabel: spec.accuracyName || 'accuracy', width: 420, height: 220, zoomToFit: true });
    }
  };

  let nextId = 1;
  const pending = new Map();
  let disposed = null;
  const send = makeRunner(opts.worker, spec.workerUrl, task, (m) => {
    switch (m.type) {
      case 'info': {
        state.info = { ...m.info, worker: opts.worker };
        const i = m.info;
        info.textContent = `backend ${i.backend}, variant ${i.variant}, ${i.threads} thread(s), ` +
            `cross-origin isolated: ${i.isolated ? 'yes' : 'no'}, ${opts.worker ? 'in a Web Worker' : 'on the page'}, ` +
            `configuration '${opts.config}'`;
        for (const n of i.notes) say(n);
        break;
      }
      case 'progress':
        bar.value = m.fraction;
        barLabel.textContent = `${m.label} ${(100 * m.fraction).toFixed(0)}%`;
        break;
      case 'batch':
        batches.push({ x: m.batch, y: m.loss });
        drawCharts(false);
        break;
      case 'epoch':
        if (m.acc != null) epochs.acc.push({ x: m.epoch, y: m.acc });
        if (m.valAcc != null) epochs.valAcc.push({ x: m.epoch, y: m.valAcc });
        drawCharts(true);
        break;
      case 'result':
        state.result = m.result;
        drawCharts(true);
        showMetrics(metrics, m.result);
        spec.renderResult(m.result, resultBox, api);
        bar.value = 1;
        barLabel.textContent = `done: trained in ${(m.result.trainMs / 1000).toFixed(1)} s`;
        state.state = 'done';
        break;
      case 'prediction':
        pending.get(m.id)?.resolve(m.output);
        pending.delete(m.id);
        break;
      case 'disposed':
        disposed?.(m.leaked);
        break;
      case 'error':
        if (m.id && pending.has(m.id)) {
          pending.get(m.id).reject(new Error(m.message));
          pending.delete(m.id);
          break;
        }
        state.error = m.message;
        state.state = 'error';
        say(`error: ${m.message}`, 'error');
        barLabel.textContent = 'failed';
        break;
      default:
        break;
    }
  });

  const disposers = [];
  const api = {
    say,
    /** Starts the chosen backend on the page itself too (once); resolves to its info. */
    startPageBackend: () => startBackend({ backend: opts.backend, threads: opts.threads }),
    /** fn() frees what the page itself holds and resolves to the tensors it left. */
    onDispose: (fn) => disposers.push(fn),
    predict: (input) => new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      send({ cmd: 'predict', id, input });
    }),
  };
  state.predict = api.predict;
  state.start = () => {
    if (state.state === 'running') return;
    state.state = 'running';
    startButton.disabled = true;
    send({ cmd: 'run', backend: opts.backend, threads: opts.threads, config: task.CONFIGS[opts.config] });
  };
  state.dispose = async () => {
    let leaked = await new Promise((resolve) => {
      disposed = resolve;
      send({ cmd: 'dispose' });
    });
    for (const fn of disposers) leaked += await fn();
    return leaked;
  };
  startButton.onclick = () => state.start();
  if (opts.autorun) state.start();
  return api;
}

/** The metrics table: value, target, met or not. */
function showMetrics(box, result) {
  const fmt = (v) => (Number.isInteger(v) ? String(v) : v.toFixed(4));
  const rows = Object.entries(result.metrics).map(([name, v]) => {
    const t = result.targets[name];
    const ok = !t || ((t.min == null || v >= t.min) && (t.max == null || v <= t.max));
    const target = !t ? '' : [t.min != null ? `>= ${t.min}` : '', t.max != null ? `<= ${t.max}` : ''].join(' ').trim();
    return el('tr', { class: t ? (ok ? 'met' : 'missed') : '' },
        el('td', {}, name), el('td', {}, fmt(v)), el('td', {}, target), el('td', {}, t ? (ok ? 'met' : 'missed') : ''));
  });
  rows.push(el('tr', {}, el('td', {}, 'training time'), el('td', {}, `${(result.trainMs / 1000).toFixed(1)} s`), el('td'), el('td')));
  rows.push(el('tr', {}, el('td', {}, 'inference, batch 1 (median)'), el('td', {}, `${result.inferMs.toFixed(2)} ms`), el('td'), el('td')));
  box.replaceChildren(el('table', {},
      el('thead', {}, el('tr', {}, el('th', {}, 'metric'), el('th', {}, 'value'), el('th', {}, 'target'), el('th', {}, ''))),
      el('tbody', {}, ...rows)));
}
