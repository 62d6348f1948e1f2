export * from './servers';
export * from './config';
export * from './mailpit';
