// @ts-check

/**
 * Tables that only ever grow. The database itself refuses to change or remove
 * their rows, so immutability does not depend on every code path behaving.
 */
const APPEND_ONLY_TABLES = [
  'releases',
  'release_checks',
  'release_revocations',
  'deployment_transitions',
  'deployment_approvals',
  'events',
];

/**
 * @param {import('knex').Knex} knex
 */
async function refuseChanges(knex) {
  const client = knex.client.config.client;
  if (client === 'pg') {
    await knex.raw(`
      CREATE OR REPLACE FUNCTION immutable_releases_refuse_change() RETURNS trigger AS $$
      BEGIN
        RAISE EXCEPTION '% on % refused: rows of this table are immutable', TG_OP, TG_TABLE_NAME;
      END;
      $$ LANGUAGE plpgsql`);
    for (const table of APPEND_ONLY_TABLES) {
      await knex.raw(`
        CREATE TRIGGER ${table}_refuse_change
        BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION immutable_releases_refuse_change()`);
    }
  } else if (client === 'better-sqlite3' || client === 'sqlite3') {
    for (const table of APPEND_ONLY_TABLES) {
      for (const operation of ['UPDATE', 'DELETE']) {
        await knex.raw(`
          CREATE TRIGGER ${table}_refuse_${operation.toLowerCase()}
          BEFORE ${operation} ON ${table}
          BEGIN
            SELECT RAISE(ABORT, '${operation} on ${table} refused: rows of this table are immutable');
          END`);
      }
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
  // Times are ISO 8601 UTC strings (fixed width, so they sort as they compare);
  // `seq` columns give every list a stable keyset order.
  await knex.schema.createTable('releases', table => {
    table.increments('seq');
    table.string('id', 36).notNullable().unique('releases_id_uq');
    table.string('entity_ref', 255).notNullable();
    table.string('version', 200).notNullable();
    table.string('artifact_type', 32).notNullable();
    table.text('artifact_uri').notNullable();
    table.string('artifact_digest', 140).notNullable();
    table.text('source').notNullable();
    table.text('build').notNullable();
    table.text('labels').notNullable();
    table.string('created_at', 30).notNullable();
    table.string('created_by', 255).notNullable();
    table.unique(['entity_ref', 'version'], {
      indexName: 'releases_entity_version_uq',
    });
    table.index(['entity_ref', 'seq'], 'releases_entity_seq_idx');
    table.index(
      ['entity_ref', 'artifact_digest'],
      'releases_entity_digest_idx',
    );
  });

  await knex.schema.createTable('release_checks', table => {
    table.increments('seq');
    table.string('release_id', 36).notNullable();
    table.string('name', 200).notNullable();
    table.string('status', 16).notNullable();
    table.text('url').nullable();
    table.text('summary').nullable();
    table.string('recorded_at', 30).notNullable();
    table.string('recorded_by', 255).notNullable();
    table.index(
      ['release_id', 'name', 'seq'],
      'release_checks_release_name_idx',
    );
  });

  await knex.schema.createTable('release_revocations', table => {
    table.string('release_id', 36).primary('release_revocations_pk');
    table.text('reason').notNullable();
    table.string('revoked_at', 30).notNullable();
    table.string('revoked_by', 255).notNullable();
  });

  await knex.schema.createTable('deployments', table => {
    table.increments('seq');
    table.string('id', 36).notNullable().unique('deployments_id_uq');
    table.string('entity_ref', 255).notNullable();
    table.string('pipeline', 200).notNullable();
    table.string('environment', 200).notNullable();
    table.string('release_id', 36).notNullable();
    table.string('kind', 16).notNullable();
    table.string('status', 16).notNullable();
    table.text('reason').nullable();
    table.string('requested_by', 255).notNullable();
    table.string('created_at', 30).notNullable();
    table.string('updated_at', 30).notNullable();
    table.text('gates').notNullable();
    table.text('executor').nullable();
    table.text('override_reason').nullable();
    // Which backend instance runs it, and until when its claim holds without a heartbeat.
    table.string('lease_owner', 64).nullable();
    table.string('lease_expires_at', 30).nullable();
    // An asynchronous executor took it: completion arrives on the status callback.
    table.boolean('awaiting_callback').notNullable().defaultTo(false);
    table.string('callback_deadline', 30).nullable();
    table.index(['entity_ref', 'seq'], 'deployments_entity_seq_idx');
    table.index(
      ['entity_ref', 'environment', 'seq'],
      'deployments_entity_environment_seq_idx',
    );
    table.index(['release_id', 'seq'], 'deployments_release_seq_idx');
    table.index(['status'], 'deployments_status_idx');
  });
  // The database, not the process, decides that one deployment at a time
  // occupies an environment, whatever the number of backend replicas.
  await knex.raw(`
    CREATE UNIQUE INDEX deployments_one_active_per_environment
    ON deployments (entity_ref, environment)
    WHERE status IN ('running', 'verifying')`);

  await knex.schema.createTable('deployment_transitions', table => {
    table.increments('seq');
    table.string('deployment_id', 36).notNullable();
    table.string('status', 16).notNullable();
    table.string('at', 30).notNullable();
    table.string('actor', 255).notNullable();
    table.text('message').notNullable();
    table.index(
      ['deployment_id', 'seq'],
      'deployment_transitions_deployment_idx',
    );
  });

  await knex.schema.createTable('deployment_approvals', table => {
    table.increments('seq');
    table.string('deployment_id', 36).notNullable();
    table.string('approver', 255).notNullable();
    table.string('decision', 16).notNullable();
    table.text('comment').nullable();
    table.string('at', 30).notNullable();
    table.unique(['deployment_id', 'approver'], {
      indexName: 'deployment_approvals_deployment_approver_uq',
    });
  });

  await knex.schema.createTable('environment_holds', table => {
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 200).notNullable();
    table.text('reason').notNullable();
    table.string('set_at', 30).notNullable();
    table.string('set_by', 255).notNullable();
    table.primary(['entity_ref', 'environment'], 'environment_holds_pk');
  });

  await knex.schema.createTable('events', table => {
    table.increments('seq');
    table.string('id', 36).notNullable().unique('events_id_uq');
    table.string('type', 64).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 200).nullable();
    table.string('release_id', 36).nullable();
    table.string('deployment_id', 36).nullable();
    table.string('actor', 255).notNullable();
    table.string('at', 30).notNullable();
    table.text('details').notNullable();
    table.index(['entity_ref', 'seq'], 'events_entity_seq_idx');
  });

  await refuseChanges(knex);
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const table of [
    'events',
    'environment_holds',
    'deployment_approvals',
    'deployment_transitions',
    'deployments',
    'release_revocations',
    'release_checks',
    'releases',
  ]) {
    await knex.schema.dropTable(table);
  }
  if (knex.client.config.client === 'pg') {
    await knex.raw(
      'DROP FUNCTION IF EXISTS immutable_releases_refuse_change()',
    );
  }
};
