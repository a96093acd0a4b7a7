// The one jest configuration every package uses: `"jest": { "preset": "@edu/testing" }`.
// TypeScript is compiled by SWC (no type check in tests: `npm run typecheck` does that).
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      {
        jsc: { target: 'es2023', parser: { syntax: 'typescript', decorators: false } },
        module: { type: 'commonjs' },
      },
    ],
  },
  // jose is published as ES modules only; let SWC turn it into CommonJS for jest.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  globalSetup: require.resolve('./global-setup.js'),
  reporters: ['default', require.resolve('./summary-reporter.js')],
  // Integration tests talk to real processes; a slow broker start is not a failure.
  testTimeout: 60_000,
  // Two cores and real infrastructure: one test file at a time per package.
  maxWorkers: 1,
};
