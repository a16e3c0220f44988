// @ts-check

/**
 * A view per release: the release with its attachments as the API answers
 * it (JSON), so that a page of history is one indexed read instead of three
 * aggregates per release, and its answer is not rebuilt from rows each time.
 *
 * Writers never touch a view. Every change that alters what a view shows (a
 * check, revocation or attestation recorded, a deployment requested or its
 * status changed) appends a row to `release_view_changes` in its own
 * transaction, by trigger, so that no writer can forget it: appending takes
 * no lock another writer waits for. A view is fresh while its release has no
 * such row. Readers make stale views again and write them back, deleting
 * the changes they saw, only if no other reader wrote the view since
 * (`revision`).
 */

/** Tables whose new rows change their release's view, by their `release_id`. */
const ATTACHMENT_TABLES = [
  'release_checks',
  'release_revocations',
  'release_attestations',
];

/** What a view shows of a deployment that may change after it is inserted. */
const DEPLOYMENT_VIEW_COLUMNS = ['status', 'updated_at'];

const RECORD_CHANGE = `INSERT INTO release_view_changes (release_id)
  VALUES (NEW.release_id)`;

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('release_views', table => {
    table.string('release_id', 36).primary('release_views_pk');
    table.integer('revision').notNullable().defaultTo(0);
    table.integer('format').nullable();
    table.text('body').nullable();
  });
  await knex.schema.createTable('release_view_changes', table => {
    table.increments('seq');
    table.string('release_id', 36).notNullable();
    table.index(['release_id'], 'release_view_changes_release_idx');
  });
  await knex.raw(
    'INSERT INTO release_views (release_id) SELECT id FROM releases',
  );

  if (knex.client.config.client === 'pg') {
    // A statement-level trigger: seeding and imports insert releases 500 at a time.
    await knex.raw(`
      CREATE FUNCTION immutable_releases_add_release_views() RETURNS trigger AS $$
      BEGIN
        INSERT INTO release_views (release_id) SELECT id FROM added_releases;
        RETURN NULL;
      END;
      $$ LANGUAGE plpgsql`);
    await knex.raw(`
      CREATE TRIGGER releases_add_views
      AFTER INSERT ON releases
      REFERENCING NEW TABLE AS added_releases
      FOR EACH STATEMENT EXECUTE FUNCTION immutable_releases_add_release_views()`);
    await knex.raw(`
      CREATE FUNCTION immutable_releases_release_view_changed() RETURNS trigger AS $$
      BEGIN
        ${RECORD_CHANGE};
        RETURN NULL;
      END;
      $$ LANGUAGE plpgsql`);
    for (const table of ATTACHMENT_TABLES) {
      await knex.raw(`
        CREATE TRIGGER ${table}_release_view_changed
        AFTER INSERT ON ${table}
        FOR EACH ROW EXECUTE FUNCTION immutable_releases_release_view_changed()`);
    }
    await knex.raw(`
      CREATE TRIGGER deployments_release_view_changed
      AFTER INSERT OR UPDATE OF ${DEPLOYMENT_VIEW_COLUMNS.join(', ')}
      ON deployments
      FOR EACH ROW EXECUTE FUNCTION immutable_releases_release_view_changed()`);
  } else {
    await knex.raw(`
      CREATE TRIGGER releases_add_views
      AFTER INSERT ON releases
      BEGIN
        INSERT INTO release_views (release_id) VALUES (NEW.id);
      END`);
    for (const table of ATTACHMENT_TABLES) {
      await knex.raw(`
        CREATE TRIGGER ${table}_release_view_changed
        AFTER INSERT ON ${table}
        BEGIN
          ${RECORD_CHANGE};
        END`);
    }
    await knex.raw(`
      CREATE TRIGGER deployments_release_view_changed_insert
      AFTER INSERT ON deployments
      BEGIN
        ${RECORD_CHANGE};
      END`);
    await knex.raw(`
      CREATE TRIGGER deployments_release_view_changed_update
      AFTER UPDATE OF ${DEPLOYMENT_VIEW_COLUMNS.join(', ')} ON deployments
      BEGIN
        ${RECORD_CHANGE};
      END`);
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  if (knex.client.config.client === 'pg') {
    await knex.raw('DROP TRIGGER releases_add_views ON releases');
    for (const table of [...ATTACHMENT_TABLES, 'deployments']) {
      await knex.raw(`DROP TRIGGER ${table}_release_view_changed ON ${table}`);
    }
    await knex.raw('DROP FUNCTION immutable_releases_add_release_views()');
    await knex.raw('DROP FUNCTION immutable_releases_release_view_changed()');
  } else {
    for (const trigger of [
      'releases_add_views',
      ...ATTACHMENT_TABLES.map(table => `${table}_release_view_changed`),
      'deployments_release_view_changed_insert',
      'deployments_release_view_changed_update',
    ]) {
      await knex.raw(`DROP TRIGGER ${trigger}`);
    }
  }
  await knex.schema.dropTable('release_view_changes');
  await knex.schema.dropTable('release_views');
};
