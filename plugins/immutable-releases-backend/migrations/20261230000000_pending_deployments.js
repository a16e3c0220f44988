// @ts-check

/**
 * The pending deployments of an environment, by an index of their own.
 *
 * The queue and the environments answer ask for an environment's `pending`
 * deployments on every promotion and every view. Where most pending
 * deployments belong to other entities (a fleet waiting for approvals),
 * PostgreSQL judged the pending ones common and read all of the
 * environment's history through (entity_ref, environment, seq) instead of
 * using (entity_ref, environment, status, …): 333 rows read for none found
 * with 10,000 pending elsewhere, 0.52 against 0.04 ms. An index of only the
 * pending rows is small, and it is the one PostgreSQL picks. Not on SQLite:
 * it uses a partial index only where a statement names the same literal,
 * and knex binds `status`; it already reads the pending ones through the
 * wider index.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (knex.client.config.client !== 'pg') {
    return;
  }
  await knex.raw(
    `CREATE INDEX deployments_pending_idx ON deployments (entity_ref, environment, seq)
     WHERE status = 'pending'`,
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  if (knex.client.config.client !== 'pg') {
    return;
  }
  await knex.raw('DROP INDEX deployments_pending_idx');
};
