export * from './prune';
export * from './quantize';
export * from './distill';
