import type { Migration } from '../../../store/migrations/types'

/**
 * Contacts and friend requests (seed 000 scenario 1), one row per person:
 * 'contact' (accepted, either way), 'incoming' (they asked me), 'outgoing' (I
 * asked them), or 'declined' (I said no to their request `request_id`: kept until
 * it lapses, so a re-offer of that same request gets the same answer instead of
 * showing up again). A pending row lapses at `expires_at`; contacts have none.
 * `delivery` says whether the broker took what I last sent about the person (my
 * request or my answer), `error` why it refused it.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'contacts',
  up(db) {
    db.exec(`
      CREATE TABLE contacts (
        user       TEXT PRIMARY KEY,
        state      TEXT NOT NULL CHECK (state IN ('contact', 'incoming', 'outgoing', 'declined')),
        note       TEXT,
        since      INTEGER NOT NULL,
        expires_at INTEGER,
        request_id TEXT,
        delivery   TEXT CHECK (delivery IN ('queued', 'sent', 'failed')),
        error      TEXT,
        CHECK ((state = 'contact') = (expires_at IS NULL))
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX contacts_by_state ON contacts (state, since);
      CREATE INDEX contacts_by_expiry ON contacts (expires_at) WHERE expires_at IS NOT NULL;
    `)
  },
}
