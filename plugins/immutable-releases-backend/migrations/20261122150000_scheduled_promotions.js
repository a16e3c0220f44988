// @ts-check

/**
 * Automatic promotions that only wait for a soak time: retried once it has
 * passed. Rows are removed by whichever replica claims them first.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('scheduled_promotions', table => {
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 200).notNullable();
    table.string('release_id', 36).notNullable();
    table.string('due_at', 30).notNullable();
    table.string('created_at', 30).notNullable();
    table.primary(
      ['entity_ref', 'environment', 'release_id'],
      'scheduled_promotions_pk',
    );
    table.index(['due_at'], 'scheduled_promotions_due_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scheduled_promotions');
};
