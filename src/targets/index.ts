export * from './cost';
export * from './create-target';
export * from './errors';
export * from './http-client';
export * from './target';
