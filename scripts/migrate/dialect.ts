// The one dialect difference between the portable views and Postgres.
//
// The portable files (materialize/30_staging to 90_serving) say `create view if not exists`:
// in Materialize that is the idempotent form, because `create or replace view` refuses to
// replace a view that other views depend on ("cannot drop view ...: still depended upon").
// Postgres has no `create view if not exists`; its idempotent form is `create or replace
// view`, which keeps dependents. The reference target rewrites the statement's first words
// and nothing else; `--dry-run` prints the rewritten SQL.

const CREATE_VIEW_IF_NOT_EXISTS = /^create\s+view\s+if\s+not\s+exists\s+/i;

export function toPostgresDialect(sql: string): string {
  return sql.replace(CREATE_VIEW_IF_NOT_EXISTS, "create or replace view ");
}
