import type { Migration } from '../../../store/migrations/types'

/**
 * Groups (issue 9). `groups`: one row per group I know, with the metadata version
 * I hold (`members` as JSON: user, state, admin) and where I stand: 'checking' (an
 * invite whose group metadata has not confirmed it yet), 'invited', 'member',
 * 'left', 'removed'. `publish` = 1 while a metadata version I made as admin still
 * has to reach the broker (it goes out on the next connection).
 * `group_messages`: who sent each group message (read receipts go to them) and,
 * for mine, how many other members there were (the receipt counts' total).
 * `group_receipts`: per message of mine and member, delivered (read = 0) or read.
 */
export const migration0015: Migration = {
  version: 15,
  name: 'groups',
  up(db) {
    db.exec(`
      CREATE TABLE groups (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        avatar     TEXT,
        version    INTEGER NOT NULL CHECK (version >= 0),
        members    TEXT NOT NULL,
        membership TEXT NOT NULL CHECK (membership IN ('checking', 'invited', 'member', 'left', 'removed')),
        invited_by TEXT,
        muted      INTEGER NOT NULL DEFAULT 0 CHECK (muted IN (0, 1)),
        publish    INTEGER NOT NULL DEFAULT 0 CHECK (publish IN (0, 1)),
        updated_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE group_messages (
        id       TEXT PRIMARY KEY,
        group_id TEXT NOT NULL,
        sender   TEXT NOT NULL,
        members  INTEGER
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE group_receipts (
        message_id TEXT NOT NULL,
        member     TEXT NOT NULL,
        read       INTEGER NOT NULL CHECK (read IN (0, 1)),
        PRIMARY KEY (message_id, member)
      ) STRICT, WITHOUT ROWID;
    `)
  },
}
