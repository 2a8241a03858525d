import type { Migration } from '../../../store/migrations/types'

/**
 * People found through phone discovery: each number of an imported file that
 * someone on the broker registered, with the name the file gave it, so they can
 * be listed again without asking the broker.
 */
export const migration0014: Migration = {
  version: 14,
  name: 'phone matches',
  up(db) {
    db.exec(`
      CREATE TABLE phone_matches (
        number     TEXT PRIMARY KEY CHECK (number GLOB '+[1-9]*'),
        user       TEXT NOT NULL,
        name       TEXT,
        found_at   INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX phone_matches_by_user ON phone_matches (user);
    `)
  },
}
