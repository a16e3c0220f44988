// @ts-check

/**
 * An observation may say how many instances run its digest and which other
 * digests run beside it (mid-rollout): kept as JSON with the observation and
 * with the environment's latest observation.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('observations', table => {
    table.text('details').nullable();
  });
  await knex.schema.alterTable('drift_states', table => {
    table.text('observed_details').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  // Plain SQL: knex drops a SQLite column by rebuilding the table, which
  // would lose the triggers that keep observations immutable.
  await knex.raw('ALTER TABLE drift_states DROP COLUMN observed_details');
  await knex.raw('ALTER TABLE observations DROP COLUMN details');
};
