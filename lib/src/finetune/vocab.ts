/**
 * New tokens for a trained model: the token embedding (tied to the output head) grows by rows. New rows start at
 * the mean of the old ones, so the model's predictions barely move until fine-tuning teaches the new tokens
 * (Hewitt 2021, "Initializing new word embeddings for pretrained language models").
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/random';
import type { GPTConfig } from '../model/gpt';
import { param } from '../model/init';
import type { Params } from '../model/params';

/** Replace `transformer.wte.weight` (V, C) in place by (newVocabSize, C): old rows kept, new rows mean + N(0, noise²); returns the new config. */
export function growTokenEmbedding(
  params: Params,
  config: GPTConfig,
  newVocabSize: number,
  seed = 0,
  noise = 0.01,
): GPTConfig {
  const old = param(params, 'transformer.wte.weight');
  const [V, C] = old.shape;
  if (!(Number.isInteger(newVocabSize) && newVocabSize >= V))
    throw new Error(`the vocabulary can only grow: have ${V} tokens, asked for ${newVocabSize}`);
  if (V !== config.vocabSize)
    throw new Error(
      `config.vocabSize ${config.vocabSize} does not match the embedding's ${V} rows: pass the config these params were built with`,
    );
  if (newVocabSize === V) return config;
  const rng = new Rng(seed);
  const fresh = new Float32Array((newVocabSize - V) * C).map(() => rng.normal() * noise);
  params['transformer.wte.weight'] = tf.tidy(() => {
    const rows = old.mean(0, true).add(tf.tensor2d(fresh, [newVocabSize - V, C])); // (V' − V, C)
    return tf.variable(tf.concat([old, rows], 0), true); // (V', C)
  });
  old.dispose();
  return { ...config, vocabSize: newVocabSize };
}
