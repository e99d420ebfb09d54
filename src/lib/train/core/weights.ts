import * as tf from '@tensorflow/tfjs-core';
import type { Model } from './model';
import type { RunConfig } from '../config';

/** What tfjs IO needs to save a model: the run's config as topology, weight specs and bytes. */
export interface ModelArtifactsJson {
  config: RunConfig;
  weightSpecs: Array<{ name: string; shape: number[]; dtype: 'float32' }>;
  weightData: ArrayBuffer;
}

/**
 * A lab network's state as named tensors, for tfjs IO (export, saved runs) and back. Names are
 * stable ("layer1/weight", "layer1/norm/running_mean", "head/bias"), unlike the variables' own
 * names, which carry a random tag so both twins can live in one engine. BN's running averages
 * are part of the state: without them the network cannot run in inference mode.
 */
export interface NamedWeight {
  name: string;
  tensor: tf.Tensor;
}

export function modelWeights(model: Model): NamedWeight[] {
  const out: NamedWeight[] = [];
  model.layers.forEach((layer, i) => {
    out.push({ name: `layer${i}/weight`, tensor: layer.weight }, { name: `layer${i}/bias`, tensor: layer.bias });
    if (layer.norm) {
      out.push(
        { name: `layer${i}/norm/gamma`, tensor: layer.norm.gamma },
        { name: `layer${i}/norm/beta`, tensor: layer.norm.beta },
        { name: `layer${i}/norm/running_mean`, tensor: layer.norm.running.mean },
        { name: `layer${i}/norm/running_variance`, tensor: layer.norm.running.variance },
      );
    }
  });
  out.push({ name: 'head/weight', tensor: model.head.weight }, { name: 'head/bias', tensor: model.head.bias });
  return out;
}

/**
 * Sets the model's weights and running averages from decoded tensors (tf.io.decodeWeights).
 * Every name the model has must be there with its shape; otherwise nothing is changed and the
 * error says which. The given tensors stay the caller's.
 */
export function loadModelWeights(model: Model, tensors: Record<string, tf.Tensor>): void {
  const wanted = modelWeights(model);
  for (const { name, tensor } of wanted) {
    const got = tensors[name];
    if (!got) throw new Error(`the saved network has no "${name}" (saved by an older version of the lab, or for another network)`);
    if (got.shape.join('×') !== tensor.shape.join('×')) throw new Error(`"${name}" has shape ${got.shape.join('×')}, the network needs ${tensor.shape.join('×')}`);
  }
  const all = [...model.layers, model.head];
  all.forEach((layer, i) => {
    const prefix = layer === model.head ? 'head' : `layer${i}`;
    layer.weight.assign(tensors[`${prefix}/weight`]!);
    layer.bias.assign(tensors[`${prefix}/bias`]!);
    if (layer.norm) {
      layer.norm.gamma.assign(tensors[`${prefix}/norm/gamma`]!);
      layer.norm.beta.assign(tensors[`${prefix}/norm/beta`]!);
      tf.dispose([layer.norm.running.mean, layer.norm.running.variance]);
      layer.norm.running = {
        ...layer.norm.running,
        mean: tf.clone(tensors[`${prefix}/norm/running_mean`]!) as tf.Tensor1D,
        variance: tf.clone(tensors[`${prefix}/norm/running_variance`]!) as tf.Tensor1D,
      };
    }
  });
}

/** Sets the model's weights and running averages from a saved network (tfjs IO specs and bytes). */
export function loadModelArtifacts(model: Model, saved: Pick<ModelArtifactsJson, 'weightData' | 'weightSpecs'>): void {
  const tensors = tf.io.decodeWeights(saved.weightData, saved.weightSpecs);
  try {
    loadModelWeights(model, tensors);
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
