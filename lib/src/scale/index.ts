export * from './flops';
export * from './memory';
export * from './precision';
export * from './allreduce';
export * from './shard-loss';
export * from './tensor-transfer';
export * from './worker-pool';
export * from './data-parallel';
