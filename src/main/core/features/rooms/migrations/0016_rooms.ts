import type { Migration } from '../../../store/migrations/types'

/**
 * Open rooms (seed 004). `rooms`: the topics and filters this account has joined,
 * with the QoS of each subscription; leaving deletes the row and keeps the
 * conversation. `room_messages`: where each stored room message came from (the
 * topic: under a wildcard filter it says which one) and whether the broker kept it
 * (retained). `room_retained`: the last retained payload seen per room and topic,
 * by digest, so the copy the broker sends again on every subscription is shown once.
 */
export const migration0016: Migration = {
  version: 16,
  name: 'rooms',
  up(db) {
    db.exec(`
      CREATE TABLE rooms (
        filter    TEXT PRIMARY KEY,
        qos       INTEGER NOT NULL CHECK (qos IN (0, 1, 2)),
        joined_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE room_messages (
        id       TEXT PRIMARY KEY,
        topic    TEXT NOT NULL,
        retained INTEGER NOT NULL CHECK (retained IN (0, 1))
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE room_retained (
        filter TEXT NOT NULL,
        topic  TEXT NOT NULL,
        digest TEXT NOT NULL,
        PRIMARY KEY (filter, topic)
      ) STRICT, WITHOUT ROWID;
    `)
  },
}
