export * from './residency.schema';
export * from './residency.rules';
export * from './residency.options';
export * from './residency.repository';
export * from './residency.follower';
export * from './residency.module';
