export * from './distribution';
export * from './language-model';
export * from './generate';
export * from './beam';
