import type { Migration } from '../../../store/migrations/types'

/**
 * Device sync (linked devices). `account_devices`: the other devices of my account
 * heard through the sync, with the name each gave itself (the newest by its clock),
 * when it linked, and whether it was removed (its retained records still to clear
 * when `cleared` is 0). `sync_seen`: ids of sync items already applied, so a
 * re-delivered or replayed item is applied once; pruned by age.
 */
export const migration0013: Migration = {
  version: 13,
  name: 'devices',
  up(db) {
    db.exec(`
      CREATE TABLE account_devices (
        id         TEXT PRIMARY KEY,
        name       TEXT,
        name_ts    INTEGER,
        linked_at  INTEGER,
        removed_at INTEGER,
        cleared    INTEGER NOT NULL DEFAULT 1 CHECK (cleared IN (0, 1)),
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE sync_seen (
        id TEXT PRIMARY KEY,
        at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX sync_seen_by_time ON sync_seen (at);
    `)
  },
}
