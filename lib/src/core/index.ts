export * from './profile';
export * from './random';
