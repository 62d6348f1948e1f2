export * from './dto';
export * from './views';
export * from './events';
export * from './subjects';
export * from './ownership';
export * from './volunteers';
export * from './party';
