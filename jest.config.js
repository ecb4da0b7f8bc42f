/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Sucrase strips types and turns ES modules into CommonJS: fast, no native binaries.
  // Type checking is `npm run lint` (tsc --noEmit, strict).
  transform: {
    '^.+\\.(t|j|mj)s$': '@sucrase/jest-plugin',
  },
  // @marcbachmann/cel-js ships ES modules only; transform it to CommonJS for jest as well.
  transformIgnorePatterns: ['/node_modules/(?!@marcbachmann/cel-js/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  // Snapshots are a complement and are never written in CI (`jest --ci`).
  ci: true,
};
