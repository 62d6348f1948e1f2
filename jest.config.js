const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

const moduleNameMapper = {
  '^@cg/contracts$': '<rootDir>/libs/contracts/src',
  '^@cg/contracts/(.*)$': '<rootDir>/libs/contracts/src/$1',
  '^@cg/messaging$': '<rootDir>/libs/messaging/src',
  '^@cg/persistence$': '<rootDir>/libs/persistence/src',
  '^@cg/residency$': '<rootDir>/libs/residency/src',
  '^@cg/auth$': '<rootDir>/libs/auth/src',
  '^@cg/observability$': '<rootDir>/libs/observability/src',
  '^@cg/testing$': '<rootDir>/libs/testing/src',
  '^@cg/api-client$': '<rootDir>/libs/api-client/src',
};

// content-disposition ships only ES modules, which jest cannot require; it is compiled like our own code.
const base = {
  rootDir: __dirname,
  transform: { '^.+\\.(ts|js)$': swc },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  moduleNameMapper,
  testEnvironment: 'node',
};

module.exports = {
  testTimeout: 90000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,deploy}/**/*.spec.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/apps/**/test/**/*.int-spec.ts', '<rootDir>/libs/**/test/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/per-suite-nats.ts'],
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/per-suite-nats.ts'],
    },
  ],
};
