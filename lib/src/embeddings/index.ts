export * from './one-hot';
export * from './word-vectors';
export * from './similarity';
export * from './skip-gram';
export * from './pca';
