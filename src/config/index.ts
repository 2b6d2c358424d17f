export * from './errors';
export * from './load';
export * from './profiles';
export * from './schema';
export * from './settings';
export * from './subnet-plan';
export * from './service-modes';
export * from './limits/nacl-budget';
