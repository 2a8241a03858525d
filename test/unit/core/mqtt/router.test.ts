import Database from 'better-sqlite3'
import type { IPublishPacket } from 'mqtt'
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest'
import { silentLogger } from '../../../../src/main/core/kernel/log'
import { TopicRouter, type AfterCommit, type Route, type RouterHooks } from '../../../../src/main/core/mqtt/router'
import { settle } from './fake-session'

const packet = (topic: string, text = topic, retain = false): IPublishPacket => ({
  cmd: 'publish',
  topic,
  payload: Buffer.from(text),
  qos: 1,
  dup: false,
  retain,
  messageId: 1,
})

describe('TopicRouter', () => {
  let db: Database.Database
  let hooks: RouterHooks & { transactions: number }
  let warn: Mock<(msg: string, fields?: Record<string, unknown>) => void>
  let router: TopicRouter
  /** Every route writes what it handled into `handled`, inside the router's transaction. */
  const insert = () => db.prepare(`INSERT INTO handled (route, text) VALUES (?, ?)`)
  const handled = () => db.prepare(`SELECT route, text FROM handled ORDER BY rowid`).all() as { route: string; text: string }[]

  const route = (name: string, filter: string, retained: Route['retained'] = 'drop', after?: () => void): Route & { calls: string[][] } => {
    const calls: string[][] = []
    return {
      filter,
      qos: 1,
      retained,
      calls,
      handle(ps): AfterCommit {
        calls.push(ps.map((p) => p.topic))
        for (const p of ps) insert().run(name, p.payload.toString())
        return after
      },
    }
  }

  beforeEach(() => {
    db = new Database(':memory:')
    db.exec(`CREATE TABLE handled (route TEXT NOT NULL, text TEXT NOT NULL)`)
    hooks = {
      transactions: 0,
      transaction(fn) {
        hooks.transactions++
        return db.transaction(fn)()
      },
      subscribe: vi.fn(),
      unsubscribe: vi.fn(),
    }
    warn = vi.fn()
    router = new TopicRouter(hooks, { ...silentLogger, warn })
  })
  afterEach(() => db.close())

  it('routes by filter with + and #, first matching route wins, and caches nothing stale', () => {
    const msg = route('msg', 'IMS/bob/Inbox/Msg/+')
    const presence = route('presence', 'IMS/+/Presence/+', 'accept')
    const rest = route('rest', 'IMS/#')
    router.reset([msg, presence, rest])
    expect(router.match('IMS/bob/Inbox/Msg/alice')).toBe(msg)
    expect(router.match('IMS/carol/Presence/d1')).toBe(presence)
    expect(router.match('IMS/bob/Inbox/Rcpt/alice')).toBe(rest)
    expect(router.match('IMS')).toBe(rest)
    expect(router.match('IMS/bob/Inbox/Msg/alice/x')).toBe(rest)
    expect(router.match('OTHER/bob/Inbox/Msg/alice')).toBeNull()
    router.remove('IMS/#', false)
    expect(router.match('IMS/bob/Inbox/Rcpt/alice')).toBeNull() // the cached decision went with the route
    router.add(rest, false)
    expect(router.match('IMS/bob/Inbox/Rcpt/alice')).toBe(rest)
  })

  it('a leading wildcard does not route $ topics', () => {
    router.reset([route('all', '#'), route('plus', '+/broker/uptime')])
    expect(router.match('$SYS/broker/uptime')).toBeNull()
    expect(router.match('x/broker/uptime')?.filter).toBe('#')
    router.dispatch([packet('$SYS/broker/uptime')])
    expect(hooks.transactions).toBe(0)
    expect(warn).toHaveBeenCalledWith('dropped a message on a topic nothing handles', { topic: '$SYS/broker/uptime' })
  })

  it('drops unrouted topics with a warning, without a transaction', () => {
    const msg = route('msg', 'IMS/bob/Inbox/Msg/+')
    router.reset([msg])
    router.dispatch([packet('IMS/carol/Inbox/Msg/alice'), packet('IMS/bob/Inbox/Typing/alice')])
    expect(msg.calls).toEqual([])
    expect(hooks.transactions).toBe(0)
    expect(warn.mock.calls.map((c) => c[1]!.topic)).toEqual(['IMS/carol/Inbox/Msg/alice', 'IMS/bob/Inbox/Typing/alice'])
  })

  it("retained: 'drop' drops a retained message with a reason, 'accept' handles it", () => {
    const msg = route('msg', 'IMS/bob/Inbox/Msg/+', 'drop')
    const presence = route('presence', 'IMS/+/Presence/+', 'accept')
    router.reset([msg, presence])
    router.dispatch([packet('IMS/bob/Inbox/Msg/mallory', 'stale', true), packet('IMS/bob/Inbox/Msg/alice', 'live'), packet('IMS/carol/Presence/d', 'online', true)])
    expect(handled()).toEqual([
      { route: 'msg', text: 'live' },
      { route: 'presence', text: 'online' },
    ])
    expect(warn).toHaveBeenCalledWith('dropped a retained message', { topic: 'IMS/bob/Inbox/Msg/mallory' })
  })

  it('subscribes with Retain As Published only where retained messages are dropped', () => {
    router.reset([route('msg', 'IMS/bob/Inbox/Msg/+', 'drop'), route('presence', 'IMS/bob/Presence/+', 'accept')])
    expect(router.subscriptions()).toEqual({
      'IMS/bob/Inbox/Msg/+': { qos: 1, rap: true },
      'IMS/bob/Presence/+': { qos: 1, rap: false },
    })
  })

  it('retainedSubscriptions lists only the routes that keep retained state, to replay it', () => {
    router.reset([route('p', 'IMS/bob/Presence/+', 'accept'), route('m', 'IMS/me/Inbox/Msg/+', 'drop'), route('r', 'IMS/bob/Profile', 'accept')])
    expect(Object.keys(router.retainedSubscriptions()).sort()).toEqual(['IMS/bob/Presence/+', 'IMS/bob/Profile'])
    expect(Object.keys(router.retainedSubscriptions((f) => f.endsWith('/Profile')))).toEqual(['IMS/bob/Profile'])
  })

  it('add/remove (un)subscribe at once only when connected, and add only for a new filter', () => {
    const p = route('p', 'IMS/carol/Presence/+', 'accept')
    router.add(p, false)
    expect(hooks.subscribe).not.toHaveBeenCalled()
    router.remove(p.filter, false)
    router.add(p, true)
    expect(hooks.subscribe).toHaveBeenCalledWith({ 'IMS/carol/Presence/+': { qos: 1, rap: false } })
    router.add(p, true)
    expect(hooks.subscribe).toHaveBeenCalledTimes(1)
    expect(router.has(p.filter)).toBe(true)
    router.remove(p.filter, true)
    expect(hooks.unsubscribe).toHaveBeenCalledWith(['IMS/carol/Presence/+'])
    router.remove(p.filter, true) // not there any more: nothing to do
    expect(hooks.unsubscribe).toHaveBeenCalledTimes(1)
    expect(router.has(p.filter)).toBe(false)
  })

  it('groups packets per route (in arrival order) and runs every handler in ONE transaction', () => {
    const inTx: boolean[] = []
    const msg = route('msg', 'IMS/bob/Inbox/Msg/+')
    const rcpt = route('rcpt', 'IMS/bob/Inbox/Rcpt/+')
    const spy = (r: Route): Route => ({ ...r, handle: (ps) => (inTx.push(db.inTransaction), r.handle(ps)) })
    router.reset([spy(msg), spy(rcpt)])
    router.dispatch([
      packet('IMS/bob/Inbox/Msg/alice', 'm1'),
      packet('IMS/bob/Inbox/Rcpt/alice', 'r1'),
      packet('IMS/bob/Inbox/Msg/carol', 'm2'),
      packet('IMS/bob/Inbox/Rcpt/carol', 'r2'),
    ])
    expect(hooks.transactions).toBe(1)
    expect(inTx).toEqual([true, true])
    expect(msg.calls).toEqual([['IMS/bob/Inbox/Msg/alice', 'IMS/bob/Inbox/Msg/carol']])
    expect(rcpt.calls).toEqual([['IMS/bob/Inbox/Rcpt/alice', 'IMS/bob/Inbox/Rcpt/carol']])
    expect(handled().map((h) => h.text)).toEqual(['m1', 'm2', 'r1', 'r2'])
  })

  it('after-commit work runs after dispatch returns, once the batch is committed', async () => {
    const seen: { rows: number; inTx: boolean }[] = []
    const after = () => seen.push({ rows: handled().length, inTx: db.inTransaction })
    router.reset([route('msg', 'IMS/bob/Inbox/Msg/+', 'drop', after), route('rcpt', 'IMS/bob/Inbox/Rcpt/+', 'drop', after), route('quiet', 'q/+')])
    router.dispatch([packet('IMS/bob/Inbox/Msg/a'), packet('IMS/bob/Inbox/Rcpt/a'), packet('q/x')])
    expect(seen).toEqual([])
    await settle(1)
    expect(seen).toEqual([
      { rows: 3, inTx: false },
      { rows: 3, inTx: false },
    ])
  })

  it('a throwing handler rolls back the whole batch, every route, and its after-commit work never runs', async () => {
    const after = vi.fn()
    const good = route('good', 'IMS/bob/Inbox/Msg/+', 'drop', after)
    const bad: Route = {
      filter: 'IMS/bob/Inbox/Rcpt/+',
      qos: 1,
      retained: 'drop',
      handle(ps) {
        insert().run('bad', ps[0]!.payload.toString())
        throw new Error('SQLITE_FULL')
      },
    }
    router.reset([good, bad])
    expect(() => router.dispatch([packet('IMS/bob/Inbox/Msg/alice', 'kept?'), packet('IMS/bob/Inbox/Rcpt/alice', 'r')])).toThrow('SQLITE_FULL')
    expect(good.calls).toHaveLength(1)
    expect(handled()).toEqual([])
    expect(db.inTransaction).toBe(false)
    await settle()
    expect(after).not.toHaveBeenCalled()
    // The router is still usable: the redelivered batch commits.
    router.reset([good])
    router.dispatch([packet('IMS/bob/Inbox/Msg/alice', 'again')])
    expect(handled()).toEqual([{ route: 'good', text: 'again' }])
  })
})
