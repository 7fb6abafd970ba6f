export * from './registry';
export * from './download';
export * from './brown';
