export * from './prune';
export * from './shrink';
export * from './quantize';
export * from './distill';
export * from './distill-train';
export * from './variants';
