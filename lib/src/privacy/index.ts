export * from './log-math';
export * from './rdp-accountant';
export * from './clipping';
export * from './dp-sgd';
export * from './fedavg';
export * from './weat';
export * from './sequence-score';
export * from './exposure';
