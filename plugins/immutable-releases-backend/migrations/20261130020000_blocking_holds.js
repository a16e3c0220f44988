// @ts-check

/**
 * A hold that also keeps pending deployments from starting: set when the
 * outcome of a deployment is unknown (its backend stopped mid-way), until a
 * person releases it or an observation tells what runs.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('environment_holds', table => {
    table.boolean('blocks_deployments').notNullable().defaultTo(false);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('environment_holds', table => {
    table.dropColumn('blocks_deployments');
  });
};
