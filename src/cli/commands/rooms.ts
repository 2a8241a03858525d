import type { ConnectionStatus, Room, RoomMessage } from '../../shared/contract'
import { readRoomInput, roomFilterProblem, RoomQosSchema, type RoomQos } from '../../shared/protocol/rooms'
import { MessageTextSchema } from '../../shared/schemas'
import { z } from 'zod'
import { Count, defineCommand, field, noArgs, UsageError, type CliCommand } from '../command'
import { delay, EXIT, online, withinTimeout, type CommandContext } from '../common'

const Qos = z.coerce.number().pipe(RoomQosSchema)

/** A room message as a script sees it: one JSON object per line, like `listen`. */
function roomLine(r: RoomMessage): string {
  const m = r.message
  return JSON.stringify({ id: m.id, topic: r.topic, from: m.sender, text: m.text, retained: r.retained, ts: m.ts, time: new Date(m.ts).toISOString() })
}

function roomText(r: Room): string {
  return `${r.filter}  QoS ${r.qos}${r.wildcard ? '  (filter: read only)' : ''}  ${r.code ?? r.link}`
}

/**
 * The shape checks that need no account (the engine adds the one for Parley's own
 * root): a bad filter is a usage error before anything connects.
 */
function roomArg(value: string | undefined, what: string, concrete: boolean): string {
  if (value === undefined) throw new UsageError(`${what} is required.`)
  const { filter } = readRoomInput(value, 1)
  const problem = roomFilterProblem(filter, '\u0000', concrete)
  if (problem) throw new UsageError(`${what}: ${problem}`)
  return value
}

type JoinInput = { room: string; qos: RoomQos; count: number | null }

/** Joins (the room stays joined) and prints its messages until --count, --timeout or a signal. */
async function join(ctx: CommandContext, c: JoinInput): Promise<number> {
  const { core, opts, io } = ctx
  const failed = await online(ctx)
  if (failed !== null) return failed
  let received = 0
  let done: () => void = () => {}
  const finished = new Promise<void>((r) => (done = r))
  let conversationId: string | null = null
  const early: RoomMessage[] = []
  const print = (r: RoomMessage): void => {
    if (r.message.conversationId !== conversationId || r.message.direction !== 'in') return
    io.out(roomLine(r))
    received++
    if (c.count !== null && received >= c.count) done()
  }
  // Listen before joining: retained messages come with the subscription's answer.
  const off = core.onEvent((event, payload) => {
    if (event === 'connection') {
      const s = payload as ConnectionStatus
      if (opts.verbose || s.state === 'error') io.err(`connection: ${s.state}${s.detail ? ` (${s.detail})` : ''}`)
    }
    if (event !== 'roomMessage') return
    if (conversationId === null) early.push(payload as RoomMessage)
    else print(payload as RoomMessage)
  })
  try {
    const room = await core.services.rooms.join({ room: c.room, qos: c.qos })
    conversationId = room.conversationId
    io.err(`Joined ${room.filter} (QoS ${room.qos}).${room.code ? ` Code: ${room.code}` : ''}`)
    for (const r of early.splice(0)) print(r)
    const r = await Promise.race([finished.then(() => 'done' as const), delay(opts.timeoutSeconds), io.interrupted.then(() => 'stop' as const)])
    return r === 'timeout' && c.count !== null ? EXIT.timeout : EXIT.ok
  } finally {
    off()
  }
}

/** Posts one text on a concrete topic; for QoS 1 and 2 waits until the broker has it. */
async function send(ctx: CommandContext, c: { topic: string; text: string; qos: RoomQos }): Promise<number> {
  const failed = await online(ctx)
  if (failed !== null) return failed
  const r = await withinTimeout(ctx, ctx.core.services.rooms.post({ topic: c.topic, text: c.text, qos: c.qos }))
  if (r === 'timeout') {
    ctx.io.err(`parley: The broker did not confirm the post within the time allowed; it may not have been sent.`)
    return EXIT.timeout
  }
  ctx.io.err(`Sent to ${c.topic} (QoS ${c.qos}).`)
  return EXIT.ok
}

async function leave(ctx: CommandContext, c: { room: string }): Promise<number> {
  const failed = await online(ctx)
  if (failed !== null) return failed
  const { filter } = readRoomInput(c.room, 1)
  await ctx.core.services.rooms.leave(filter)
  ctx.io.err(`Left ${filter}; its messages stay in the history.`)
  return EXIT.ok
}

async function list(ctx: CommandContext): Promise<number> {
  const { core, opts, io } = ctx
  const failed = await online(ctx)
  if (failed !== null) return failed
  const rooms = await core.services.rooms.list()
  if (opts.json) io.out(JSON.stringify(rooms.map((r) => ({ filter: r.filter, qos: r.qos, wildcard: r.wildcard, link: r.link, code: r.code }))))
  else for (const r of rooms) io.out(roomText(r))
  if (rooms.length === 0 && !opts.json) io.err('No rooms joined yet: parley room join TOPIC --user YOU.')
  return EXIT.ok
}

type RoomInput = { action: 'join'; join: JoinInput } | { action: 'send'; topic: string; text: string; qos: RoomQos } | { action: 'leave'; room: string }

const HINT = 'room takes join TOPIC-OR-FILTER, send TOPIC "text" or leave TOPIC-OR-FILTER.'

export const ROOM_COMMANDS: readonly CliCommand[] = [
  defineCommand<RoomInput>({
    name: 'room',
    usage: `room join TOPIC-OR-FILTER --user NAME [--qos 0|1|2] [--count N] [--timeout S]
                                                       join an open room (a topic, a filter such as sensors/#,
                                                       a parley://room link or a code) and print each message
                                                       as one JSON line: {"topic","from","text","retained","time"}
room send TOPIC --user NAME [--qos 0|1|2] "text"       post plain text ("NAME (device): text") on a topic;
                                                       waits until the broker has it (QoS 1 and 2)
room leave TOPIC-OR-FILTER --user NAME                 unsubscribe; the room's history stays`,
    options: { qos: { type: 'string' }, count: { type: 'string' } },
    parse: ({ args, values }) => {
      const [action, ...rest] = args
      const qos = values.qos === undefined ? 1 : field(Qos, values.qos, '--qos')
      if (action === 'join') {
        if (rest.length !== 1) throw new UsageError('room join takes exactly one topic or filter: parley room join sensors/# --user YOU.')
        return {
          action,
          join: { room: roomArg(rest[0], 'room join TOPIC', false), qos, count: values.count === undefined ? null : field(Count, values.count, '--count') },
        }
      }
      if (values.count !== undefined) throw new UsageError('--count goes with room join.')
      if (action === 'send') {
        if (rest.length !== 2) throw new UsageError('room send takes a topic and one message text (quote it): parley room send team/chat "hi" --user YOU.')
        return { action, topic: roomArg(rest[0], 'room send TOPIC', true), text: field(MessageTextSchema, rest[1], 'message'), qos }
      }
      if (action === 'leave') {
        if (rest.length !== 1) throw new UsageError('room leave takes exactly one topic or filter.')
        return { action, room: roomArg(rest[0], 'room leave TOPIC', false) }
      }
      throw new UsageError(HINT)
    },
    run: (ctx, c) => (c.action === 'join' ? join(ctx, c.join) : c.action === 'send' ? send(ctx, c) : leave(ctx, c)),
  }),
  defineCommand({
    name: 'rooms',
    usage: `rooms --user NAME [--json]                        list the rooms joined: filter, QoS, and code or link`,
    parse: ({ args }) => noArgs('rooms', args),
    run: list,
  }),
]
