/**
 * The course library. `await ready()` (runtime/) before tensor work: it picks the backend and plugs the accelerator's
 * faster versions into `ops` (ops/, on the subpath @how-llms-work/lib/ops); the accelerator's own controls are
 * imported from @how-llms-work/accel. Follow one token from text to text through these folders:
 * data → tokenizers → model → training → sampling; recurrent and embeddings for the history;
 * scale, compression and privacy for the second half; families for the encoder-only and encoder–decoder models; viz draws it all.
 */
export * from './runtime';
export * from './core';
export * from './data';
export * from './tokenizers';
export * from './recurrent';
export * from './embeddings';
export * from './model';
export * from './training';
export * from './sampling';
export * from './scale';
export * from './compression';
export * from './privacy';
export * from './applications';
export * from './finetune';
export * from './families';
export * from './viz';
