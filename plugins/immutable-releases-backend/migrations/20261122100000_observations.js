// @ts-check

/**
 * Observations: what actually runs in each environment, reported by deploy
 * pipelines, probes and other observation sources.
 *
 * - `observations` keeps every report; like the other histories it is
 *   append-only, and the database refuses UPDATE and DELETE on it.
 * - `drift_states` holds one row per entity and environment: the latest
 *   observation, the last drift status recorded in the audit trail (changed
 *   with conditional updates, so two replicas never both record a change) and
 *   the last failure to observe.
 */

/**
 * @param {import('knex').Knex} knex
 */
async function refuseObservationChanges(knex) {
  const client = knex.client.config.client;
  if (client === 'pg') {
    // The function is created by the init migration.
    await knex.raw(`
      CREATE TRIGGER observations_refuse_change
      BEFORE UPDATE OR DELETE ON observations
      FOR EACH ROW EXECUTE FUNCTION immutable_releases_refuse_change()`);
  } else if (client === 'better-sqlite3' || client === 'sqlite3') {
    for (const operation of ['UPDATE', 'DELETE']) {
      await knex.raw(`
        CREATE TRIGGER observations_refuse_${operation.toLowerCase()}
        BEFORE ${operation} ON observations
        BEGIN
          SELECT RAISE(ABORT, '${operation} on observations refused: rows of this table are immutable');
        END`);
    }
  } else {
    throw new Error(
      `immutable-releases supports SQLite and PostgreSQL, not the database client '${client}'`,
    );
  }
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('observations', table => {
    table.increments('seq');
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 200).notNullable();
    table.string('digest', 140).notNullable();
    table.string('source', 255).notNullable();
    table.string('observed_at', 30).notNullable();
    table.string('recorded_at', 30).notNullable();
    table.string('recorded_by', 255).notNullable();
    // The history of one environment, newest first.
    table.index(
      ['entity_ref', 'environment', 'seq'],
      'observations_entity_environment_seq_idx',
    );
  });

  await knex.schema.createTable('drift_states', table => {
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 200).notNullable();
    table.string('observed_digest', 140).nullable();
    table.string('observed_at', 30).nullable();
    table.string('observed_source', 255).nullable();
    table.string('status', 16).notNullable().defaultTo('unknown');
    table.string('status_changed_at', 30).nullable();
    table.text('error_message').nullable();
    table.string('error_at', 30).nullable();
    table.string('error_source', 255).nullable();
    table.primary(['entity_ref', 'environment'], 'drift_states_pk');
    // The sweep re-evaluates the environments whose recorded status is not `unknown`.
    table.index(
      ['status', 'entity_ref', 'environment'],
      'drift_states_status_idx',
    );
  });

  await refuseObservationChanges(knex);
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('drift_states');
  await knex.schema.dropTable('observations');
};
