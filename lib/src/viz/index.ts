export * from './display';
export * from './plot';
export * from './plotly';
export * from './live';
export * from './charts';
