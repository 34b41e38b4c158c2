/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  setupFiles: ['<rootDir>/tests/support/setup-network.ts'],
  // Integration tests share Redis/PostgreSQL/ports; two workers suit this 2-core machine.
  maxWorkers: 2,
  testTimeout: 30000,
  testEnvironmentOptions: { globalsCleanup: 'off' },
};
