/**
 * npm run gen-history -- --messages 1000000 --data-dir DIR [--user U]
 *   [--conversations N] [--seed S] [--big-conversation 100000] [--broker URL]
 *
 * Writes a generated history (bench/history/generate.ts) into a new data
 * directory, then lets the search feature index it. Open it afterwards with the
 * web host or `parley --user U --data-dir DIR ...`.
 */
import { parseArgs } from 'node:util'
import { writeSummary } from './history/cache'
import { generateHistory } from './history/generate'
import { indexHistory } from './history/index-search'

function usage(why: string): never {
  console.error(`gen-history: ${why}`)
  console.error('usage: npm run gen-history -- --messages N --data-dir DIR [--user U] [--conversations N] [--seed S] [--big-conversation N] [--broker URL]')
  process.exit(2)
}

function count(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0) usage(`--${name} must be a whole number, not ${v}`)
  return n
}

async function main(): Promise<void> {
  let values
  try {
    ;({ values } = parseArgs({
      options: {
        messages: { type: 'string' },
        'data-dir': { type: 'string' },
        user: { type: 'string' },
        conversations: { type: 'string' },
        seed: { type: 'string' },
        'big-conversation': { type: 'string' },
        broker: { type: 'string' },
      },
    }))
  } catch (err) {
    usage((err as Error).message)
  }
  const dataDir = values['data-dir']
  if (!dataDir) usage('--data-dir is required')
  const messages = count(values.messages, 'messages', 1_000_000)
  let lastPrint = 0
  const made = generateHistory({
    dataDir,
    messages,
    user: values.user ?? 'me',
    conversations: count(values.conversations, 'conversations', 50),
    seed: count(values.seed, 'seed', 1),
    bigConversation: count(values['big-conversation'], 'big-conversation', 0),
    brokerUrl: values.broker,
    onProgress(written, total) {
      const now = Date.now()
      if (written === total || now - lastPrint > 1000) {
        lastPrint = now
        console.log(`messages: ${written.toLocaleString('en')} / ${total.toLocaleString('en')}`)
      }
    },
  })
  console.log(`wrote ${made.messages.toLocaleString('en')} messages in ${made.conversations.length} conversations in ${(made.ms / 1000).toFixed(1)} s`)
  const indexed = indexHistory(dataDir, (done, total) => console.log(`search index: ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`))
  console.log(`search index: ${indexed.indexed.toLocaleString('en')} messages in ${(indexed.ms / 1000).toFixed(1)} s`)
  console.log(`total: ${((made.ms + indexed.ms) / 1000).toFixed(1)} s`)
  // What was written (conversations, rare words and their counts), for `npm run bench -- search --data-dir`.
  writeSummary(made)
  console.log(`rare words: ${Object.entries(made.rareWords).map(([w, n]) => `${w} ×${n}`).join(', ')}`)
  if (made.bigConversation) console.log(`big conversation: ${made.bigConversation}`)
  console.log(`open it: npm run cli -- history --with ${made.peers[0]} --limit 5 --user ${made.user} --data-dir ${dataDir}`)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
