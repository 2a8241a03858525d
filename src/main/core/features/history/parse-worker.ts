import { Worker } from 'node:worker_threads'

/** Rows per chunk: what one import batch checks and stores. */
export const ROWS_PER_CHUNK = 1000

/** A parsed export whose conversations carry their messages as chunks of JSON text (`chunks`, `count`) instead of `messages`. */
export type Skeleton = { ok: true; doc: unknown } | { ok: false }

/**
 * Splits each conversation's `messages` into JSON texts of `size` rows, so the
 * thread that gets the result parses them one batch at a time. Plain JavaScript
 * with nothing from outside: it also runs in the worker, from its source text.
 */
function splitMessages(doc: unknown, size: number): unknown {
  if (!doc || typeof doc !== 'object' || !Array.isArray((doc as { conversations?: unknown }).conversations)) return doc
  const d = doc as { conversations: unknown[] }
  d.conversations = d.conversations.map((c) => {
    if (!c || typeof c !== 'object') return c
    // Chunks come only from here: a file's own `chunks` (one holding a million rows, or not rows at all)
    // would be stored as one batch, or end the import with a TypeError. Without messages it is no conversation.
    if (!Array.isArray((c as { messages?: unknown }).messages)) return { ...c, chunks: undefined, count: undefined }
    const rows = (c as { messages: unknown[] }).messages
    const chunks: string[] = []
    for (let i = 0; i < rows.length; i += size) chunks.push(JSON.stringify(rows.slice(i, i + size)))
    return { ...c, messages: undefined, chunks, count: rows.length }
  })
  return d
}

/** What runs in the worker thread (evaluated from this text, so it does not depend on how this file was bundled). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const split = (${splitMessages.toString()})
let doc
try {
  doc = JSON.parse(workerData.text)
} catch {
  parentPort.postMessage({ ok: false })
}
if (doc !== undefined) parentPort.postMessage({ ok: true, doc: split(doc, workerData.size) })
`

/** Parses and splits here: when no worker can be started. */
function parseHere(text: string): Skeleton {
  try {
    return { ok: true, doc: splitMessages(JSON.parse(text), ROWS_PER_CHUNK) }
  } catch {
    return { ok: false }
  }
}

/**
 * Parses an export's text in a worker thread: JSON.parse of a 100,000-message file
 * takes 50–100 ms and of the largest allowed many seconds, which would hold the
 * engine's event loop (IPC, MQTT keepalives). What comes back is small per piece:
 * the messages as chunks of JSON text, each parsed when its batch is stored.
 */
export function parseExportText(text: string): Promise<Skeleton> {
  return new Promise((resolve) => {
    let worker: Worker
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { text, size: ROWS_PER_CHUNK } })
    } catch {
      resolve(parseHere(text))
      return
    }
    let answered = false
    worker.once('message', (answer: Skeleton) => {
      answered = true
      void worker.terminate()
      resolve(answer)
    })
    worker.once('error', () => {
      if (!answered) resolve({ ok: false })
    })
    worker.once('exit', () => {
      if (!answered) resolve({ ok: false })
    })
  })
}
