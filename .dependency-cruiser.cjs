/**
 * The intended module graph of `src/`, checked by `npm run lint` (scripts/check-boundaries.mjs,
 * which also refuses cycles between the top-level folders). Change a rule deliberately, with
 * the reason, when the design changes (docs/architecture.md, "Dependency rules").
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-module-cycles',
      comment: 'A file must not reach itself through its imports.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-foreign-entities',
      comment:
        "A module uses another module's data through that module's exported services, never " +
        'its entities or repositories. Allowed: the enums and value types kept beside the ' +
        'entities (`*-enums.ts`, `*.enum.ts`, `*.type.ts`, `service-definition.ts`), type-only ' +
        'imports (a service returning another module’s entity), and resolvers and loaders, ' +
        'whose GraphQL fields name the other module’s object type (code-first: the entity is ' +
        'the GraphQL type).',
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: '[.](resolver|loaders)[.]ts$' },
      to: {
        path: ['/entities/', '[.](entity|entities|repository)[.]ts$'],
        pathNot: [
          '^src/$1/',
          '(-enums|[.]enum|[.]type|service-definition)[.]ts$',
          // Allowed exception: the AuditActorType enum is declared in the audit entity's file
          // and every module that writes the audit trail names it. Moving the enum to its own
          // file is a later, separate change.
          '^src/audit/entities/audit-entry[.]entity[.]ts$',
        ],
        dependencyTypesNot: ['type-only', 'pre-compilation-only'],
      },
    },
    {
      name: 'common-imports-no-feature',
      comment: '`common` holds only truly shared pieces: it may import config, never a module.',
      severity: 'error',
      from: { path: '^src/common/' },
      to: { path: '^src/', pathNot: '^src/(common|config)/' },
    },
    {
      name: 'database-imports-no-feature',
      comment: 'The database layer sits below every module.',
      severity: 'error',
      from: { path: '^src/database/', pathNot: '^src/database/migrations/' },
      to: { path: '^src/', pathNot: '^src/(common|config|database)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['[.]spec[.]ts$', '^src/database/migrations/'] },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
  },
};
