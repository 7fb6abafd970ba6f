export * from './prompts';
export * from './tasks';
export * from './metrics';
export * from './task-eval';
export * from './finetune';
export * from './patches';
export * from './costs';
