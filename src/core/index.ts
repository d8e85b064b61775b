export * from './canvas';
export * from './confidence';
export * from './errors';
export * from './guidance';
export * from './rng';
export * from './sampler';
export * from './schedule';
export * from './select';
