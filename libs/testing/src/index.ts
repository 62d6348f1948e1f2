export * from './servers';
export * from './config';
