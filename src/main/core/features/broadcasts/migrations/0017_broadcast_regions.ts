import type { Migration } from '../../../store/migrations/types'

/**
 * The regions this account follows for regional broadcasts (`R/System/{region}`):
 * one row each, read before every connection to subscribe them. The broadcasts
 * themselves are messages of the conversation `system:{region}`.
 */
export const migration0017: Migration = {
  version: 17,
  name: 'broadcast_regions',
  up(db) {
    db.exec(`
      CREATE TABLE broadcast_regions (
        region TEXT PRIMARY KEY CHECK (length(region) BETWEEN 1 AND 256),
        since  INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `)
  },
}
