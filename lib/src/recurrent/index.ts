export * from './params';
export * from './cells';
export * from './forward';
export * from './gradient-flow';
export * from './parallelism';
export * from './loss';
