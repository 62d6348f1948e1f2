export * from './persistence.module';
export * from './scoping';
export * from './pagination';
export * from './duplicate-key';
export * from './locking/keyed-locks';
export * from './locking/locking.module';
export * from './bulk';
