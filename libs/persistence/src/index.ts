export * from './persistence.module';
export * from './scoping';
