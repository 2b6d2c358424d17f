export * from './acknowledgements';
export * from './findings';
export * from './gate';
export * from './packs';
export * from './summary';
