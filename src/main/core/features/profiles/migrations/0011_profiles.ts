import type { Migration } from '../../../store/migrations/types'

/**
 * Other people's profiles as last heard on `R/{user}/Profile`, so names and
 * avatars show at once after a restart. `ts` is the owner's clock of the profile
 * kept: an older copy (a stale retained replay) never replaces it. A cleared
 * profile keeps its row, fields empty, so an older copy cannot bring it back.
 */
export const migration0011: Migration = {
  version: 11,
  name: 'profiles cache',
  up(db) {
    db.exec(`
      CREATE TABLE profiles (
        user        TEXT PRIMARY KEY,
        name        TEXT,
        status      TEXT,
        avatar      TEXT,
        email       TEXT,
        ts          INTEGER NOT NULL,
        received_at INTEGER NOT NULL
      ) STRICT;
    `)
  },
}
