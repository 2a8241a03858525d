import type { Migration } from '../../../store/migrations/types'

/**
 * Where a conversation is listed: 'inbox' (the conversation list) or 'requests'
 * (someone who is not a contact wrote first: held apart until accepted). Every
 * conversation that exists already was chosen under the old rules: inbox.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'conversation folders',
  up(db) {
    db.exec(`
      ALTER TABLE conversations ADD COLUMN folder TEXT NOT NULL DEFAULT 'inbox' CHECK (folder IN ('inbox', 'requests'));
      CREATE INDEX conversations_by_folder ON conversations (folder, updated_at);
    `)
  },
}
