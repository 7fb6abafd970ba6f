/**
 * The recurrent model's training loss, shaped for the course trainer (`train` in training/), so that an
 * RNN, an LSTM and a GPT train with the same loop, optimizer and batches.
 */
import type { LMBatch } from '../training/batches';
import { crossEntropy } from '../training/loss';
import type { LossFn } from '../training/trainer';
import { recurrentForward } from './forward';
import type { RecurrentConfig } from './params';

/** Cross-entropy of recurrentForward(batch.x) (B, T, V) against batch.y (B, T), from a zero state each window. */
export function recurrentLoss(config: RecurrentConfig): LossFn<LMBatch> {
  return (params, batch) => crossEntropy(recurrentForward(params, config, batch.x), batch.y);
}
