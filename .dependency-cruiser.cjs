/** Import boundaries from DESIGN.md, checked in `npm run lint`. */
module.exports = {
  forbidden: [
    {
      name: 'pure-deciders',
      comment: 'Deciders are pure: no framework, no database, no event store runtime, no read models.',
      severity: 'error',
      from: { path: '\\.decider\\.ts$' },
      to: { path: ['node_modules/@nestjs/', 'node_modules/typeorm/', 'node_modules/pg/', '^eventstore/src/(?!types|decider)', '^projections/'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'libs-never-import-projections',
      comment: 'Projections import event types from libs, never the reverse.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^projections/' },
    },
    {
      name: 'nothing-imports-apps',
      severity: 'error',
      from: { path: '^(libs|eventstore|projections|migrations|scripts)/' },
      to: { path: '^apps/' },
    },
    { name: 'no-circular', severity: 'warn', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|\\.spec\\.ts$|\\.int-spec\\.ts$|\\.e2e-spec\\.ts$)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['types', 'import', 'default'] },
  },
};
