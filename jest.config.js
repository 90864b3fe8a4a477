/** Jest runs every package's tests; TEST_DATABASE selects PostgreSQL or the embedded PGlite. */
module.exports = {
  testEnvironment: 'node',
  // nock keeps its HTTP interceptor on the global scope across test files, which Jest 30's
  // default soft cleanup reports with a warning after every file that used nock.
  testEnvironmentOptions: { globalsCleanup: 'off' },
  roots: ['<rootDir>/bridge/test', '<rootDir>/scripts/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
  },
  // Jest cannot require ES modules, so these ES-module-only dependencies (of Fastify's
  // inject and of the Vonage SDK) are compiled to CommonJS like the project's own code.
  transformIgnorePatterns: ['/node_modules/(?!(cookie|uuid|node-fetch|data-uri-to-buffer|fetch-blob|formdata-polyfill)/)'],
  maxWorkers: 2,
  testTimeout: 30000,
}
