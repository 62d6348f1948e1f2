export * from './dto';
export * from './views';
export * from './subjects';
export * from './events';
export * from './cases';
export * from './meetings';
export * from './calendars';
export * from './trends';
