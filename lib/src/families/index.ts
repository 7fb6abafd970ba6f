export * from './masking';
export * from './encoder-lm';
export * from './translation-task';
export * from './seq2seq';
export * from './translation-metrics';
