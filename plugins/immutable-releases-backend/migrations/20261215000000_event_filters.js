// @ts-check

/**
 * Indexes for the filters of an entity's audit trail (`GET …/events?…`).
 *
 * A page is read newest first by `seq`. With only (entity_ref, seq), a filter
 * that few events match reads the entity's whole trail to fill a page or
 * find its end: the events of one deployment or release (a handful among
 * 100,000) always, a rare actor, environment or event type (a hold) often.
 * Each index below finds the matching events of its column in `seq` order.
 * Event type groups are sent to the database as lists of exact types, so
 * that the type index serves them (a LIKE prefix could not use it).
 */

/** @type {Array<[string[], string]>} */
const INDEXES = [
  [['deployment_id', 'seq'], 'events_deployment_seq_idx'],
  [['release_id', 'seq'], 'events_release_seq_idx'],
  [['entity_ref', 'environment', 'seq'], 'events_entity_environment_seq_idx'],
  [['entity_ref', 'actor', 'seq'], 'events_entity_actor_seq_idx'],
  [['entity_ref', 'type', 'seq'], 'events_entity_type_seq_idx'],
];

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('events', table => {
    for (const [columns, name] of INDEXES) {
      table.index(columns, name);
    }
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('events', table => {
    for (const [, name] of INDEXES) {
      table.dropIndex([], name);
    }
  });
};
