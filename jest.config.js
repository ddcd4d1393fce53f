// Three projects selected by file suffix: `*.spec.ts` (unit), `*.int.spec.ts`
// (integration: real stores, real servers on loopback), `*.e2e.spec.ts` (the whole
// service over real HTTP). Type checking is `npm run typecheck`; here ts-jest only
// transpiles (isolatedModules), which keeps the runs fast.
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src' },
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testRegex: '(?<!\\.int|\\.e2e)\\.spec\\.ts$' },
    { ...common, displayName: 'int', testRegex: '\\.int\\.spec\\.ts$' },
    { ...common, displayName: 'e2e', testRegex: '\\.e2e\\.spec\\.ts$' },
  ],
};
