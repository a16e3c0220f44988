// @ts-check

/**
 * Attestations of a release: Sigstore bundles, kept as received with what was
 * read from them (predicate type, subject digests, signer). Append-only like
 * checks; a bundle is stored once per release (its canonical hash is unique).
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('release_attestations', table => {
    table.increments('seq');
    table.string('id', 36).notNullable().unique('release_attestations_id_uq');
    table.string('release_id', 36).notNullable();
    table.text('bundle').notNullable();
    table.string('bundle_sha256', 64).notNullable();
    table.string('media_type', 100).notNullable();
    table.text('predicate_type').notNullable();
    table.text('subject_digests').notNullable();
    table.text('signer').notNullable();
    table.string('recorded_at', 30).notNullable();
    table.string('recorded_by', 255).notNullable();
    table.unique(['release_id', 'bundle_sha256'], {
      indexName: 'release_attestations_release_bundle_uq',
    });
    table.index(['release_id', 'seq'], 'release_attestations_release_seq_idx');
  });

  if (knex.client.config.client === 'pg') {
    await knex.raw(`
      CREATE TRIGGER release_attestations_refuse_change
      BEFORE UPDATE OR DELETE ON release_attestations
      FOR EACH ROW EXECUTE FUNCTION immutable_releases_refuse_change()`);
    await knex.raw(`
      CREATE TRIGGER release_attestations_refuse_truncate
      BEFORE TRUNCATE ON release_attestations
      FOR EACH STATEMENT EXECUTE FUNCTION immutable_releases_refuse_change()`);
  } else {
    for (const operation of ['UPDATE', 'DELETE']) {
      await knex.raw(`
        CREATE TRIGGER release_attestations_refuse_${operation.toLowerCase()}
        BEFORE ${operation} ON release_attestations
        BEGIN
          SELECT RAISE(ABORT, '${operation} on release_attestations refused: rows of this table are immutable');
        END`);
    }
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  // Dropping the table drops its triggers on both databases.
  await knex.schema.dropTable('release_attestations');
};
