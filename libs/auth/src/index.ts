export * from './passwords';
export * from './tokens';
export * from './access';
export * from './auth.module';
export * from './public';
export * from './secret-strength';
