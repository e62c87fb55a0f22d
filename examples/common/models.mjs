// The three convnets of "Deep Learning with JavaScript" (Cai, Bileschi,
// Nielsen, Chollet), built with the TF.js Layers API and seeded initializers:
// the MNIST convnet (listing 4.1), the speech-commands convnet (listing 4.8,
// tfjs-models' speech-commands BROWSER_FFT model) and the simple object
// detector (listing 5.9: MobileNet v1 alpha 0.25 truncated at
// conv_pw_11_relu, then flatten -> dense(200, relu) -> dense(5)).
import * as tfl from '@tensorflow/tfjs-layers';

/** Seeded initializers: a new seed for every call, from one counter per model. */
function seeds(start) {
  let s = start;
  return {
    kernel: () => tfl.initializers.glorotUniform({ seed: s++ }),
    // He initialisation keeps the activations' scale through MobileNet's 23
    // conv + relu6 layers (Glorot's would shrink them to the biases alone).
    he: () => tfl.initializers.heNormal({ seed: s++ }),
    // For a depthwise kernel [3, 3, C, 1] Keras counts fan-in as 9 * C; a
    // channel really sees 9 inputs, which is the fan-out here.
    heDepthwise: () => tfl.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'normal', seed: s++ }),
    // Non-zero biases and batch-norm statistics, so those paths are exercised too.
    small: () => tfl.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: s++ }),
    // Dropout masks drawn from a seed (tfjs-core's seeded random numbers are
    // computed in JS), so training runs the same on every backend.
    dropout: (rate) => tfl.layers.dropout({ rate, seed: s++ }),
    around1: () => tfl.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: s++ }),
  };
}

/** Listing 4.1: conv 3x3x16 relu, maxpool 2, conv 3x3x32 relu, maxpool 2, flatten, dense 64 relu, dense 10 softmax. */
export function mnistConvnet() {
  const init = seeds(100);
  const conv = (filters, extra = {}) => tfl.layers.conv2d({
    kernelSize: 3, filters, activation: 'relu', kernelInitializer: init.kernel(), biasInitializer: init.small(), ...extra,
  });
  return tfl.sequential({
    layers: [
      conv(16, { inputShape: [28, 28, 1] }),
      tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      conv(32),
      tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init.kernel(), biasInitializer: init.small() }),
      tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init.kernel(), biasInitializer: init.small() }),
    ],
  });
}

export const SPEECH_INPUT = [43, 232, 1];

/** Listing 4.8: the speech-commands spectrogram convnet, 20 classes. */
export function speechConvnet(numClasses = 20) {
  const init = seeds(200);
  const conv = (filters, kernelSize, extra = {}) => tfl.layers.conv2d({
    filters, kernelSize, activation: 'relu', kernelInitializer: init.kernel(), biasInitializer: init.small(), ...extra,
  });
  return tfl.sequential({
    layers: [
      conv(8, [2, 8], { inputShape: SPEECH_INPUT }),
      tfl.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2] }),
      conv(32, [2, 4]),
      tfl.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2] }),
      conv(32, [2, 4]),
      tfl.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2] }),
      conv(32, [2, 4]),
      tfl.layers.maxPooling2d({ poolSize: [2, 2], strides: [1, 2] }),
      tfl.layers.flatten(),
      init.dropout(0.25),
      tfl.layers.dense({ units: 2000, activation: 'relu', kernelInitializer: init.kernel(), biasInitializer: init.small() }),
      init.dropout(0.5),
      tfl.layers.dense({ units: numClasses, activation: 'softmax', kernelInitializer: init.kernel(), biasInitializer: init.small() }),
    ],
  });
}

/** MobileNet v1 alpha 0.25: output channels and depthwise strides of conv_dw_1 .. conv_dw_13. */
const MOBILENET_BLOCKS = [
  [16, 1], [32, 2], [32, 1], [64, 2], [64, 1], [128, 2],
  [128, 1], [128, 1], [128, 1], [128, 1], [128, 1], [256, 2], [256, 1],
];

/**
 * Listing 5.9's detector: MobileNet v1 (alpha 0.25, 224x224x3, Keras layer
 * names) up to conv_pw_11_relu, then flatten -> dense(200, relu) -> dense(5)
 * (4 box coordinates and 1 class score, no activation).
 */
export function mobilenetDetector() {
  const init = seeds(300);
  const bn = (name) => tfl.layers.batchNormalization({
    name, epsilon: 1e-3,
    betaInitializer: init.small(), gammaInitializer: init.around1(),
    movingMeanInitializer: init.small(), movingVarianceInitializer: init.around1(),
  });
  const relu6 = (name) => tfl.layers.activation({ name, activation: 'relu6' });

  const input = tfl.input({ shape: [224, 224, 3], name: 'input_1' });
  let x = tfl.layers.conv2d({
    name: 'conv1', filters: 8, kernelSize: 3, strides: 2, padding: 'same', useBias: false,
    kernelInitializer: init.he(),
  }).apply(input);
  x = bn('conv1_bn').apply(x);
  x = relu6('conv1_relu').apply(x);
  for (let i = 1; i <= 11; i++) {
    const [filters, strides] = MOBILENET_BLOCKS[i - 1];
    x = tfl.layers.depthwiseConv2d({
      name: `conv_dw_${i}`, kernelSize: 3, strides, padding: 'same', useBias: false,
      depthwiseInitializer: init.heDepthwise(),
    }).apply(x);
    x = bn(`conv_dw_${i}_bn`).apply(x);
    x = relu6(`conv_dw_${i}_relu`).apply(x);
    x = tfl.layers.conv2d({
      name: `conv_pw_${i}`, filters, kernelSize: 1, padding: 'same', useBias: false,
      kernelInitializer: init.he(),
    }).apply(x);
    x = bn(`conv_pw_${i}_bn`).apply(x);
    x = relu6(`conv_pw_${i}_relu`).apply(x);
  }
  // x is conv_pw_11_relu: [14, 14, 128]. The detector head of listing 5.9:
  x = tfl.layers.flatten().apply(x);
  x = tfl.layers.dense({ units: 200, activation: 'relu', kernelInitializer: init.kernel(), biasInitializer: init.small() }).apply(x);
  const output = tfl.layers.dense({ units: 5, kernelInitializer: init.kernel(), biasInitializer: init.small() }).apply(x);
  return tfl.model({ inputs: input, outputs: output, name: 'simple_object_detector' });
}
