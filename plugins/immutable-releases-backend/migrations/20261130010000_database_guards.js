// @ts-check

/**
 * The database guards what the code already promises, so that a raw
 * statement cannot break it either:
 * - PostgreSQL refuses TRUNCATE of the append-only tables (row triggers do not
 *   see it; SQLite has no TRUNCATE, and its DELETE is refused row by row);
 * - a deployment's identity (what, where, by whom and why) never changes, and
 *   deployments are never deleted;
 * - digests and the closed lists of kinds, statuses and decisions are checked.
 *
 * The lists are written out here, not imported: a migration describes the
 * schema as of its date.
 */

const APPEND_ONLY_TABLES = [
  'releases',
  'release_checks',
  'release_revocations',
  'deployment_transitions',
  'deployment_approvals',
  'events',
];

const DEPLOYMENT_IDENTITY_COLUMNS = [
  'id',
  'entity_ref',
  'pipeline',
  'environment',
  'release_id',
  'kind',
  'reason',
  'requested_by',
  'created_at',
  'gates',
  'override_reason',
];

const DEPLOYMENT_STATUSES = [
  'pending',
  'running',
  'verifying',
  'succeeded',
  'failed',
  'rejected',
  'cancelled',
  'superseded',
];

/**
 * Table, column and the values it may hold.
 *
 * @type {Array<[string, string, string[]]>}
 */
const CLOSED_LISTS = [
  [
    'releases',
    'artifact_type',
    ['oci-image', 'vm-image', 'archive', 'function', 'other'],
  ],
  ['release_checks', 'status', ['passed', 'failed', 'pending']],
  ['deployments', 'kind', ['promotion', 'rollback']],
  ['deployments', 'status', DEPLOYMENT_STATUSES],
  ['deployment_transitions', 'status', DEPLOYMENT_STATUSES],
  ['deployment_approvals', 'decision', ['approve', 'reject']],
];

/** @param {string[]} values */
const sqlList = values => values.map(v => `'${v}'`).join(', ');

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const client = knex.client.config.client;
  if (client === 'pg') {
    for (const table of APPEND_ONLY_TABLES) {
      await knex.raw(`
        CREATE TRIGGER ${table}_refuse_truncate
        BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION immutable_releases_refuse_change()`);
    }
    await knex.raw(`
      CREATE TRIGGER deployments_refuse_truncate
      BEFORE TRUNCATE ON deployments
      FOR EACH STATEMENT EXECUTE FUNCTION immutable_releases_refuse_change()`);
    await knex.raw(`
      CREATE TRIGGER deployments_refuse_delete
      BEFORE DELETE ON deployments
      FOR EACH ROW EXECUTE FUNCTION immutable_releases_refuse_change()`);
    await knex.raw(`
      CREATE OR REPLACE FUNCTION immutable_releases_refuse_identity_change() RETURNS trigger AS $$
      BEGIN
        RAISE EXCEPTION 'UPDATE of the identity of a row of % refused: it is immutable', TG_TABLE_NAME;
      END;
      $$ LANGUAGE plpgsql`);
    await knex.raw(`
      CREATE TRIGGER deployments_refuse_identity_change
      BEFORE UPDATE ON deployments
      FOR EACH ROW WHEN (${DEPLOYMENT_IDENTITY_COLUMNS.map(
        column => `OLD.${column} IS DISTINCT FROM NEW.${column}`,
      ).join(' OR ')})
      EXECUTE FUNCTION immutable_releases_refuse_identity_change()`);
    await knex.raw(`
      ALTER TABLE releases ADD CONSTRAINT releases_artifact_digest_ck
      CHECK (artifact_digest ~ '^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$')`);
    for (const [table, column, values] of CLOSED_LISTS) {
      await knex.raw(`
        ALTER TABLE ${table} ADD CONSTRAINT ${table}_${column}_ck
        CHECK (${column} IN (${sqlList(values)}))`);
    }
  } else {
    await knex.raw(`
      CREATE TRIGGER deployments_refuse_delete
      BEFORE DELETE ON deployments
      BEGIN
        SELECT RAISE(ABORT, 'DELETE on deployments refused: rows of this table are immutable');
      END`);
    await knex.raw(`
      CREATE TRIGGER deployments_refuse_identity_change
      BEFORE UPDATE ON deployments
      WHEN ${DEPLOYMENT_IDENTITY_COLUMNS.map(
        column => `OLD.${column} IS NOT NEW.${column}`,
      ).join(' OR ')}
      BEGIN
        SELECT RAISE(ABORT, 'UPDATE of the identity of a row of deployments refused: it is immutable');
      END`);
    // SQLite cannot add a CHECK to an existing table: triggers refuse the rows instead.
    /** @param {number} count */
    const hex = count => '[0-9a-f]'.repeat(count);
    await knex.raw(`
      CREATE TRIGGER releases_artifact_digest_ck
      BEFORE INSERT ON releases
      WHEN NOT (NEW.artifact_digest GLOB 'sha256:${hex(64)}'
        OR NEW.artifact_digest GLOB 'sha512:${hex(128)}')
      BEGIN
        SELECT RAISE(ABORT, 'releases.artifact_digest must be sha256:<64 hex> or sha512:<128 hex>');
      END`);
    for (const [table, column, values] of CLOSED_LISTS) {
      for (const operation of ['INSERT', 'UPDATE']) {
        const allowed = sqlList(values);
        const described = values.join(', ');
        await knex.raw(`
          CREATE TRIGGER ${table}_${column}_ck_${operation.toLowerCase()}
          BEFORE ${operation} ON ${table}
          WHEN NEW.${column} NOT IN (${allowed})
          BEGIN
            SELECT RAISE(ABORT, '${table}.${column} must be one of ${described}');
          END`);
      }
    }
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  const client = knex.client.config.client;
  if (client === 'pg') {
    for (const table of [...APPEND_ONLY_TABLES, 'deployments']) {
      await knex.raw(`DROP TRIGGER ${table}_refuse_truncate ON ${table}`);
    }
    await knex.raw('DROP TRIGGER deployments_refuse_delete ON deployments');
    await knex.raw(
      'DROP TRIGGER deployments_refuse_identity_change ON deployments',
    );
    await knex.raw('DROP FUNCTION immutable_releases_refuse_identity_change()');
    await knex.raw(
      'ALTER TABLE releases DROP CONSTRAINT releases_artifact_digest_ck',
    );
    for (const [table, column] of CLOSED_LISTS) {
      await knex.raw(
        `ALTER TABLE ${table} DROP CONSTRAINT ${table}_${column}_ck`,
      );
    }
  } else {
    for (const trigger of [
      'deployments_refuse_delete',
      'deployments_refuse_identity_change',
      'releases_artifact_digest_ck',
      ...CLOSED_LISTS.flatMap(([table, column]) => [
        `${table}_${column}_ck_insert`,
        `${table}_${column}_ck_update`,
      ]),
    ]) {
      await knex.raw(`DROP TRIGGER ${trigger}`);
    }
  }
};
