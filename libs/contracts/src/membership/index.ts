export * from './dto';
export * from './views';
export * from './events';
export * from './subjects';
