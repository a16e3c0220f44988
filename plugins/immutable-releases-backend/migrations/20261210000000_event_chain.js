// @ts-check

/**
 * The audit trail becomes a hash chain per entity: every event stores the
 * hash of the entity's previous event and its own hash (computed in
 * bin/immutable-releases-audit.js), and `event_chain_heads` holds each
 * entity's last hash. Appending locks the entity's head row, which is what
 * serialises the appends of one entity across backend replicas.
 *
 * Existing events are chained here, per entity in `seq` order. The events
 * table refuses UPDATE, so its triggers are lifted for that and restored.
 */
const { eventHash } = require('../bin/immutable-releases-audit');

const BATCH = 1000;

/**
 * @param {import('knex').Knex} knex
 * @param {() => Promise<void>} work
 */
async function withEventsUpdatable(knex, work) {
  if (knex.client.config.client === 'pg') {
    await knex.raw('ALTER TABLE events DISABLE TRIGGER events_refuse_change');
    await work();
    await knex.raw('ALTER TABLE events ENABLE TRIGGER events_refuse_change');
    return;
  }
  /** @type {Array<{ name: string, sql: string }>} */
  const triggers = await knex('sqlite_master')
    .select('name', 'sql')
    .where({ type: 'trigger', tbl_name: 'events' })
    .where('sql', 'like', '%BEFORE UPDATE%');
  for (const { name } of triggers) {
    await knex.raw(`DROP TRIGGER ${name}`);
  }
  await work();
  for (const { sql } of triggers) {
    await knex.raw(sql);
  }
}

/**
 * @param {import('knex').Knex} knex
 * @param {Array<{ seq: number, prevHash: string | null, hash: string }>} chained
 */
async function storeHashes(knex, chained) {
  if (chained.length === 0) {
    return;
  }
  await knex.raw(
    `WITH chained(seq, prev_hash, hash) AS (VALUES ${chained
      .map(() => '(CAST(? AS INTEGER), ?, ?)')
      .join(', ')})
    UPDATE events SET prev_hash = chained.prev_hash, hash = chained.hash
    FROM chained WHERE events.seq = chained.seq`,
    chained.flatMap(({ seq, prevHash, hash }) => [seq, prevHash, hash]),
  );
}

/**
 * @param {import('knex').Knex} knex
 * @param {Map<string, { hash: string, eventId: string }>} heads
 */
async function storeHeads(knex, heads) {
  const rows = [...heads].map(([entityRef, head]) => ({
    entity_ref: entityRef,
    head_hash: head.hash,
    head_event_id: head.eventId,
  }));
  for (let i = 0; i < rows.length; i += 300) {
    await knex('event_chain_heads').insert(rows.slice(i, i + 300));
  }
  heads.clear();
}

/**
 * @param {import('knex').Knex} knex
 */
async function chainExistingEvents(knex) {
  /** @type {{ entityRef: string, seq: number } | undefined} */
  let after;
  /** @type {{ entityRef: string, hash: string, eventId: string } | undefined} */
  let head;
  /** @type {Map<string, { hash: string, eventId: string }>} */
  const finished = new Map();
  for (;;) {
    const query = knex('events')
      .orderBy([
        { column: 'entity_ref', order: 'asc' },
        { column: 'seq', order: 'asc' },
      ])
      .limit(BATCH);
    if (after) {
      query.whereRaw('(entity_ref, seq) > (?, ?)', [
        after.entityRef,
        after.seq,
      ]);
    }
    const rows = await query;
    if (rows.length === 0) {
      break;
    }
    const chained = [];
    for (const row of rows) {
      if (head && head.entityRef !== row.entity_ref) {
        finished.set(head.entityRef, head);
        head = undefined;
      }
      const prevHash = head?.hash ?? null;
      const hash = eventHash(
        {
          id: row.id,
          type: row.type,
          entityRef: row.entity_ref,
          environment: row.environment ?? undefined,
          releaseId: row.release_id ?? undefined,
          deploymentId: row.deployment_id ?? undefined,
          actor: row.actor,
          at: row.at,
          details: JSON.parse(row.details),
        },
        prevHash,
      );
      chained.push({ seq: row.seq, prevHash, hash });
      head = { entityRef: row.entity_ref, hash, eventId: row.id };
    }
    await storeHashes(knex, chained);
    if (finished.size >= BATCH) {
      await storeHeads(knex, finished);
    }
    const last = rows[rows.length - 1];
    after = { entityRef: last.entity_ref, seq: last.seq };
  }
  if (head) {
    finished.set(head.entityRef, head);
  }
  await storeHeads(knex, finished);
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('events', table => {
    table.string('prev_hash', 71).nullable();
    table.string('hash', 71).nullable();
  });
  await knex.schema.createTable('event_chain_heads', table => {
    table.string('entity_ref', 255).primary('event_chain_heads_pk');
    // Null only while the transaction that created the row appends the
    // entity's first events.
    table.string('head_hash', 71).nullable();
    table.string('head_event_id', 36).nullable();
  });
  await withEventsUpdatable(knex, () => chainExistingEvents(knex));
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('event_chain_heads');
  // Plain SQL: knex drops a SQLite column by rebuilding the table, which
  // would lose the triggers that keep events immutable.
  await knex.raw('ALTER TABLE events DROP COLUMN hash');
  await knex.raw('ALTER TABLE events DROP COLUMN prev_hash');
};
