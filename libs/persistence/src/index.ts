export * from './persistence.module';
export * from './scoping';
export * from './pagination';
export * from './duplicate-key';
export * from './bulk';
export * from './find-by-id';
export * from './write-ids';
