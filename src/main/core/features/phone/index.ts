import type { IPublishPacket } from 'mqtt'
import { z } from 'zod'
import {
  ImportInputSchema,
  PhoneInputSchema,
  type ImportInput,
  type ImportResult,
  type MyPhone,
  type PhoneInput,
  type PhoneMatch,
} from '../../../../shared/contract'
import { PhoneIdSchema } from '../../../../shared/protocol/envelope'
import { phoneTopic } from '../../../../shared/protocol/topics'
import { ParleyError } from '../../../../shared/rpc'
import { MAX_PAYLOAD_BYTES } from '../../../../shared/schemas'
import { defineFeature, type Account, type FeatureContext } from '../../kernel/feature'
import type { Route } from '../../mqtt/router'
import { envelope } from '../../protocol/codec'
import { readContactsFile } from './contacts-file'
import { migration0014 } from './migrations/0014_phone_matches'
import { knownCountry, phoneId, toE164 } from './numbers'
import { PhoneMatchStore } from './store'

const MINE_PREF = 'phone.mine'
/** Ids whose retained record still has to be removed (unregistered or replaced while offline). */
const CLEAR_PREF = 'phone.clear'
const MineSchema = z.object({ number: z.string().regex(/^\+[1-9]\d{3,15}$/), id: PhoneIdSchema })
type Mine = z.infer<typeof MineSchema>

/** Lookups per SUBSCRIBE packet. */
const BATCH = 200
/** Most distinct numbers one discovery asks about: a file with more is refused rather than flooding the broker. */
export const MAX_DISCOVER_NUMBERS = 5000
const DEFAULT_WAIT_MS = 1000
/** How long a SUBACK or PUBACK may take before we stop waiting for it. */
const BROKER_ANSWER_MS = 10_000

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new ParleyError(`The broker did not answer (${what}) within ${ms / 1000} s.`, 'failed')), ms)
    t.unref()
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e instanceof Error ? e : new Error(String(e)))),
    )
  })
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

function countryOf(country: string | undefined) {
  if (country === undefined) return undefined
  if (!knownCountry(country)) throw new ParleyError(`${country} is not a country Parley knows phone numbers of.`, 'invalid-argument')
  return country
}

/** `R/$Phone/{id}` → id, or null. */
function idOfTopic(root: string, topic: string): string | null {
  const parts = topic.split('/')
  if (parts.length !== 3 || parts[0] !== root || parts[1] !== '$Phone') return null
  return PhoneIdSchema.safeParse(parts[2]).success ? parts[2]! : null
}

/** The envelope's `from`, read before the codec checks the whole envelope against it (the topic names no sender). */
function claimedSender(payload: Uint8Array): string | null {
  try {
    const json: unknown = JSON.parse(Buffer.from(payload).toString('utf8'))
    const from = typeof json === 'object' && json !== null ? (json as { from?: unknown }).from : undefined
    return typeof from === 'string' ? from : null
  } catch {
    return null
  }
}

/**
 * Phone-number discovery (seed 001). Registering publishes a retained `phone`
 * envelope on `R/$Phone/{id}`, id = SHA-256 of a fixed salt and the E.164 number
 * (numbers.ts); each connection publishes it again. Discovery reads a contacts
 * file, hashes its numbers, subscribes to their ids in batches for a moment
 * (retained answers only) and reports who is there. Anyone can publish any id:
 * only a broker ACL can stop someone claiming another person's number.
 */
export const phoneFeature = defineFeature({
  name: 'phone',
  migrations: [migration0014],
  create(ctx: FeatureContext) {
    const matches = new PhoneMatchStore(ctx.db)
    let acked: string | null = null
    /** The discovery under way: id → its user once a record arrives. */
    let collecting: Map<string, string | null> | null = null
    let queue: Promise<unknown> = Promise.resolve()

    const mine = (): Mine | null => ctx.prefs.get(MINE_PREF, MineSchema.nullable(), null)
    const pendingClears = (): string[] => ctx.prefs.get(CLEAR_PREF, z.array(PhoneIdSchema), [])
    const myPhone = (): MyPhone => {
      const m = mine()
      return { number: m?.number ?? null, id: m?.id ?? null, published: m !== null && acked === m.id }
    }

    const publishRecord = async (account: Account, m: Mine): Promise<void> => {
      const topic = phoneTopic(account.root, m.id)
      const e = envelope('phone', account.user, { id: m.id }, { dev: account.deviceId })
      await within(ctx.publisher.publish(topic, ctx.codec.encode(e, topic), { qos: 1, retain: true }), BROKER_ANSWER_MS, 'phone registration')
      if (mine()?.id === m.id) acked = m.id
    }

    const clearRecord = async (account: Account, id: string): Promise<void> => {
      await within(ctx.publisher.publish(phoneTopic(account.root, id), Buffer.alloc(0), { qos: 1, retain: true }), BROKER_ANSWER_MS, 'phone removal')
      ctx.prefs.set(
        CLEAR_PREF,
        pendingClears().filter((x) => x !== id),
      )
    }

    /** Brings the broker in line with what is registered here: old records removed, mine (again) retained. */
    const sync = async (): Promise<void> => {
      const account = ctx.account()
      if (!account || !ctx.connected()) return
      const m = mine()
      for (const id of pendingClears()) if (id !== m?.id) await clearRecord(account, id)
      if (m) await publishRecord(account, m)
    }

    const handle = (account: Account, packets: readonly IPublishPacket[]): void => {
      for (const p of packets) {
        const id = idOfTopic(account.root, p.topic)
        const payload = p.payload as Uint8Array
        if (!id || !collecting?.has(id)) continue // a lookup that already ended
        if (payload.byteLength === 0) continue
        if (payload.byteLength > MAX_PAYLOAD_BYTES) {
          ctx.log.warn('dropped a phone record', { topic: p.topic, reason: `payload of ${payload.byteLength} bytes is over ${MAX_PAYLOAD_BYTES}` })
          continue
        }
        const from = claimedSender(payload)
        if (from === null) {
          ctx.log.warn('dropped a phone record', { topic: p.topic, reason: 'not an envelope with a sender' })
          continue
        }
        const decoded = ctx.codec.decode(p.topic, payload, 'phone', from)
        if (!decoded.ok) {
          ctx.log.warn('dropped a phone record', { topic: p.topic, reason: decoded.reason })
          continue
        }
        if (decoded.envelope.body.id !== id) {
          ctx.log.warn('dropped a phone record', { topic: p.topic, reason: 'its id is not the topic\'s' })
          continue
        }
        collecting.set(id, from)
      }
    }

    const lookupRoute = (account: Account, id: string): Route => ({
      filter: phoneTopic(account.root, id),
      qos: 1,
      retained: 'accept',
      handle: (packets) => handle(account, packets),
    })

    /** Subscribes to each id's topic in batches, waits `waitMs` after the last SUBACK, unsubscribes: id → user. */
    const lookup = async (account: Account, ids: string[], waitMs: number): Promise<Map<string, string | null>> => {
      const found = new Map<string, string | null>(ids.map((id) => [id, null]))
      collecting = found
      const filters = ids.map((id) => phoneTopic(account.root, id))
      try {
        for (let i = 0; i < ids.length; i += BATCH) {
          const routes = ids.slice(i, i + BATCH).map((id) => lookupRoute(account, id))
          const granted = await within(ctx.router.addAll(routes, ctx.connected()), BROKER_ANSWER_MS, 'subscribe')
          if (!granted) {
            throw new ParleyError(
              ctx.connected() ? 'The broker refused to look up phone numbers (not authorized).' : 'The connection to the broker was lost; try again.',
              'failed',
            )
          }
        }
        await sleep(waitMs)
      } finally {
        collecting = null
        ctx.router.removeAll(filters, ctx.connected())
      }
      return found
    }

    const discover = async (input: ImportInput): Promise<ImportResult> => {
      const { text, country, waitMs } = ImportInputSchema.parse(input)
      const region = countryOf(country)
      const account = ctx.requireAccount()
      const numbers = new Map<string, string | null>()
      let invalid = 0
      for (const entry of readContactsFile(text)) {
        const e164 = toE164(entry.raw, region)
        if (e164 === null) invalid++
        else if (!numbers.has(e164) || (numbers.get(e164) === null && entry.name)) numbers.set(e164, entry.name)
        // Normalising is the slow part: stop as soon as the answer is no, not at the end of a 5 MB file.
        if (numbers.size > MAX_DISCOVER_NUMBERS) {
          throw new ParleyError(`That file has more than ${MAX_DISCOVER_NUMBERS} numbers; Parley looks up at most ${MAX_DISCOVER_NUMBERS} at a time.`, 'invalid-argument')
        }
      }
      if (numbers.size === 0) return { matches: [], invalid }
      if (!ctx.connected()) throw new ParleyError('Finding people needs the broker: Parley is not connected.', 'failed')
      const idOf = new Map([...numbers.keys()].map((n) => [n, phoneId(account.root, n)]))
      const users = await lookup(account, [...idOf.values()], waitMs ?? DEFAULT_WAIT_MS)
      const result: PhoneMatch[] = [...numbers].map(([number, name]) => ({ number, name, user: users.get(idOf.get(number)!) ?? null }))
      ctx.db.transaction(() => matches.record(result))()
      ctx.log.info('phone discovery', { numbers: result.length, found: result.filter((m) => m.user).length, invalid })
      return { matches: result, invalid }
    }

    return {
      onConnected() {
        sync().catch((err: Error) => ctx.log.info('phone registration not published', { reason: err.message }))
      },
      onAccount() {
        acked = null
      },
      service: {
        async mine() {
          ctx.requireAccount()
          return myPhone()
        },
        async register(input: PhoneInput) {
          const { number, country } = PhoneInputSchema.parse(input)
          const account = ctx.requireAccount()
          const e164 = toE164(number, countryOf(country))
          if (e164 === null) {
            throw new ParleyError(
              `${number} is not a valid phone number${country ? ` in ${country}` : ''}. Write it with its country code (+48 555 555 555) or give the country.`,
              'invalid-argument',
            )
          }
          const before = mine()
          const next = { number: e164, id: phoneId(account.root, e164) }
          if (before && before.id !== next.id) ctx.prefs.set(CLEAR_PREF, [...new Set([...pendingClears(), before.id])])
          ctx.prefs.set(MINE_PREF, next)
          if (before?.id !== next.id) acked = null
          await sync().catch((err: Error) => ctx.log.info('phone registration not published', { reason: err.message }))
          return myPhone()
        },
        async unregister() {
          const before = mine()
          ctx.requireAccount()
          if (before) {
            ctx.prefs.set(CLEAR_PREF, [...new Set([...pendingClears(), before.id])])
            ctx.prefs.set(MINE_PREF, null)
            acked = null
          }
          await sync().catch((err: Error) => ctx.log.info('phone registration not removed', { reason: err.message }))
          return myPhone()
        },
        discover(input: ImportInput) {
          // One at a time: two lookups of the same number would unsubscribe each other.
          const run = queue.then(() => discover(input))
          queue = run.catch(() => {})
          return run
        },
        async matches() {
          return matches.all()
        },
      },
    }
  },
})
