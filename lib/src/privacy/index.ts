export * from './log-math';
export * from './rdp-accountant';
