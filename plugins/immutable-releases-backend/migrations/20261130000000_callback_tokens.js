// @ts-check

/**
 * The SHA-256 of the token a deployment's executor received when it started:
 * a completion callback must present the token itself to be accepted.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deployments', table => {
    table.string('callback_token_hash', 64).nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('deployments', table => {
    table.dropColumn('callback_token_hash');
  });
};
