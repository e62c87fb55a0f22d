// The long tail on 'cwasm' against tfjs-backend-cpu: LinSpace, Diag,
// SearchSorted, Bincount, DenseBincount, BitwiseAnd, BroadcastArgs, Einsum,
// Unique and the sparse, ragged and string kernels; Multinomial by its
// statistics (the generators differ).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { matchesCpu, randomValues, tf } from './helpers.mjs';

const CASES = {
  linspace: () => [tf.linspace(-3.5, 12.25, 37), tf.linspace(1, 1, 1)],
  diag: () => [tf.diag(tf.tensor2d(randomValues(6, 1), [2, 3])), tf.diag(tf.tensor1d([1, 0, 1], 'bool'))],
  searchSorted: () => {
    const sorted = tf.tensor2d([0, 1, 1, 3, 5, 5, 9, -2, -2, 0, 4, 4, 4, 8], [2, 7]);
    const v = tf.tensor2d([-5, 1, 5, 9, 10, -2, 3, 4, 7, 100], [2, 5]);
    return [tf.searchSorted(sorted, v, 'left'), tf.searchSorted(sorted, v, 'right')];
  },
  bincount: () => {
    const x = tf.tensor1d([1, 1, 3, 7, 0, 1, 2, 9], 'int32');
    return [tf.bincount(x, tf.tensor1d(randomValues(8, 2)), 6), tf.bincount(x, tf.tensor1d([], 'int32'), 4),
      tf.denseBincount(tf.tensor2d([1, 2, 2, 0, 4, 4, 4, 9], [2, 4], 'int32'), tf.tensor2d(randomValues(8, 3), [2, 4]), 5),
      tf.denseBincount(tf.tensor2d([1, 2, 2, 0, 4, 4, 4, 9], [2, 4], 'int32'), tf.tensor1d([], 'int32'), 5, true)];
  },
  bitwiseAnd: () => [tf.bitwiseAnd(tf.tensor1d([0, 5, 7, -1, 1024, 3], 'int32'), tf.tensor1d([3, 4, 7, 12345, 1023, -8], 'int32'))],
  broadcastArgs: () => [tf.broadcastArgs(tf.tensor1d([2, 1, 5], 'int32'), tf.tensor1d([7, 1, 1, 5], 'int32'))],
  einsum: () => {
    const a = tf.tensor3d(randomValues(2 * 3 * 4, 4), [2, 3, 4]), b = tf.tensor3d(randomValues(2 * 4 * 5, 5), [2, 4, 5]);
    const m = tf.tensor2d(randomValues(9, 6), [3, 3]);
    return [tf.einsum('bij,bjk->bik', a, b), tf.einsum('ij->j', m), tf.einsum('ij->ji', m),
      tf.einsum('bij,bjk->', a, b), tf.einsum('i,j->ij', tf.tensor1d([1, 2, 3]), tf.tensor1d([4, 5]))];
  },
  unique: () => {
    const { values, indices } = tf.unique(tf.tensor1d([4, 1, 4, 7, 1, 1, 9], 'int32'));
    const rows = tf.unique(tf.tensor2d([1, 0, 1, 1, 0, 1, 0, 0], [4, 2]), 0);
    return [values, indices, rows.values, rows.indices];
  },
  'sparse segment sum and mean': () => {
    const data = tf.tensor2d(randomValues(12, 7), [4, 3]);
    const idx = tf.tensor1d([0, 2, 3, 1], 'int32'), seg = tf.tensor1d([0, 0, 1, 3], 'int32');
    return [tf.sparse.sparseSegmentSum(data, idx, seg), tf.sparse.sparseSegmentMean(data, idx, seg)];
  },
  'sparse reshape and fill empty rows': () => {
    const r = tf.sparse.sparseReshape(tf.tensor2d([0, 0, 0, 1, 1, 2], [3, 2], 'int32'), tf.tensor1d([2, 3], 'int32'), tf.tensor1d([3, -1], 'int32'));
    const f = tf.sparse.sparseFillEmptyRows(tf.tensor2d([0, 0, 1, 0, 1, 3, 2, 0, 3, 1], [5, 2], 'int32'),
        tf.tensor1d([0, 10, 13, 14, 32]), tf.tensor1d([6, 5], 'int32'), tf.scalar(-1));
    return [r.outputIndices, r.outputShape, f.outputIndices, f.outputValues, f.emptyRowIndicator, f.reverseIndexMap];
  },
};

for (const [name, f] of Object.entries(CASES)) {
  test(`${name} equals the cpu backend`, async () => {
    await matchesCpu(f, 1e-6, 1e-6, name);
  });
}

test('string kernels equal the cpu backend', async () => {
  const run = async (backend) => {
    await tf.setBackend(backend);
    const split = tf.string.stringSplit(tf.tensor1d(['a b  c', '', 'de f']), ' ', false);
    const ngrams = tf.string.stringNGrams(tf.tensor1d(['a', 'b', 'c', 'd']), tf.tensor1d([0, 2, 4], 'int32'), '|', [1, 2], '<', '>', 1, false);
    const hash = tf.string.stringToHashBucketFast(tf.tensor1d(['hello', 'world', 'cwasm']), 1000);
    const out = [split.indices, split.values, split.shape, ngrams.nGrams, ngrams.nGramsSplits, hash];
    const read = await Promise.all(out.map((t) => t.array()));
    tf.dispose(out);
    return read;
  };
  assert.deepEqual(await run('cwasm'), await run('cpu'));
});

test('multinomial draws follow the probabilities and depend on the seed', async () => {
  await tf.setBackend('cwasm');
  const probs = tf.tensor2d([0.1, 0.2, 0.7, 0.5, 0.5, 0], [2, 3]);
  const draws = tf.multinomial(probs, 20000, 7, true);
  const values = await draws.array();
  for (const [row, want] of [[0, [0.1, 0.2, 0.7]], [1, [0.5, 0.5, 0]]]) {
    const counts = [0, 0, 0];
    for (const e of values[row]) counts[e]++;
    counts.forEach((c, e) => assert.ok(Math.abs(c / 20000 - want[e]) < 0.015, `row ${row} event ${e}: ${c / 20000}`));
  }
  const again = await tf.multinomial(probs, 20000, 7, true).array();
  assert.deepEqual(again, values);
  const logits = await tf.multinomial(tf.tensor2d([0, 0, 10], [1, 3]), 1000, 3).array();
  assert.ok(logits[0].filter((e) => e === 2).length > 990, 'unnormalized logits go through softmax');
  tf.dispose([probs, draws]);
});
