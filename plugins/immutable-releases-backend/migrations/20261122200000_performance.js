// @ts-check

/**
 * Indexes found by `yarn bench` (plugins/immutable-releases-backend/bench).
 *
 * The environments answer asks, per environment, for the latest `succeeded`
 * deployment ordered by `updated_at` and for the `pending` ones. With only
 * (entity_ref, environment, seq), both databases read every deployment the
 * environment ever had and sort them: the answer slowed down with the
 * length of the history. This index finds them directly, in order.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deployments', table => {
    table.index(
      ['entity_ref', 'environment', 'status', 'updated_at', 'seq'],
      'deployments_entity_environment_status_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('deployments', table => {
    table.dropIndex([], 'deployments_entity_environment_status_idx');
  });
};
