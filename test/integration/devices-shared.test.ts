/**
 * What other features get from devices (DevicesApi): items they share reach the
 * handler registered for their kind on my other devices, with where they came from,
 * also after that device was away; nothing is sent before linking; bad items are
 * dropped alone. Two kernels over a real Mosquitto, with the features up to devices
 * and a probe feature in place of contacts and blocking.
 */
import { mkdirSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { DevicesService } from '../../src/shared/contract'
import { FEATURES, ALL_MIGRATIONS } from '../../src/main/core/features'
import { devicesFeature } from '../../src/main/core/features/devices'
import type { DevicesApi, SharedOrigin } from '../../src/main/core/features/devices/api'
import { DEFAULT_TUNING, defineFeature } from '../../src/main/core/kernel/feature'
import { Kernel } from '../../src/main/core/kernel/kernel'
import { loadSettings } from '../../src/main/core/kernel/settings-file'
import { openDatabase } from '../../src/main/core/store/open-database'
import { FAST, MemoryLog, sleep, urlBroker, useMosquittoLab, waitFor } from '../helpers/core'

const ContactSchema = z.object({ person: z.string(), state: z.enum(['contact', 'removed']) })
const BlockSchema = z.object({ user: z.string(), blocked: z.boolean() })

interface Got {
  kind: string
  data: unknown
  origin: SharedOrigin
  /** Its after-commit work ran. */
  after: boolean
}

/** A kernel with the features up to devices, and a probe that shares and records 'contacts' and 'blocks'. */
class Device {
  private constructor(
    readonly name: string,
    readonly kernel: Kernel,
    readonly devices: DevicesService,
    readonly api: DevicesApi,
    readonly log: MemoryLog,
    readonly got: Got[],
  ) {}

  static async open(name: string, dataDir: string, url: string): Promise<Device> {
    const got: Got[] = []
    mkdirSync(dataDir, { recursive: true })
    const log = new MemoryLog(name)
    const { db } = openDatabase(`${dataDir}/history.db`, ALL_MIGRATIONS)
    const { settings } = loadSettings(`${dataDir}/settings.json`)
    const kernel = new Kernel({ dataDir, db, settings, problems: [], log, sessionExpirySeconds: 3600, tuning: { ...DEFAULT_TUNING, ...FAST } })
    let devices: DevicesService | null = null
    for (const f of FEATURES.slice(0, FEATURES.indexOf(devicesFeature) + 1)) {
      const made = kernel.register(f)
      if (f === devicesFeature) devices = made.service as DevicesService
    }
    let api: DevicesApi | null = null
    const record =
      (kind: string) =>
      (data: unknown, origin: SharedOrigin): (() => void) => {
        const g: Got = { kind, data, origin, after: false }
        got.push(g)
        return () => void (g.after = true)
      }
    kernel.register(
      defineFeature({
        name: 'probe',
        dependsOn: ['devices'],
        create(ctx) {
          api = ctx.use<DevicesApi>('devices')
          api.onShared('contacts', ContactSchema, record('contacts'))
          api.onShared('blocks', BlockSchema, record('blocks'))
          api.onShared('explodes', z.object({}), () => {
            throw new Error('boom')
          })
          return {}
        },
      }),
    )
    kernel.start()
    if (!settings) await kernel.configure({ user: 'alice', broker: urlBroker(url) })
    const d = new Device(name, kernel, devices!, api!, log, got)
    await waitFor(() => kernel.connection.state === 'connected', `${name} to connect`)
    await sleep(100)
    return d
  }

  close(): Promise<void> {
    return this.kernel.close(() => {})
  }
}

describe('devices: what other features share', () => {
  const env = useMosquittoLab({ tuning: FAST })
  const open: Device[] = []
  const device = async (name: string): Promise<Device> => {
    const d = await Device.open(name, env.lab.dir(name), env.broker.url)
    open.push(d)
    return d
  }
  afterEach(async (t) => {
    if (t.task.result?.state === 'fail') for (const d of open) console.error(d.log.lines.join('\n'))
    for (const d of open.splice(0)) await d.close().catch(() => {})
  })

  it('contacts and blocks reach the handler on my other device, with where they came from, after its commit', async () => {
    const desk = await device('desk')
    const laptop = await device('laptop')

    // Not linked yet: nothing goes out, and that is logged once.
    desk.api.share('contacts', { person: 'carol', state: 'contact' })
    desk.api.share('blocks', { user: 'mallory', blocked: true })
    expect(desk.log.lines.filter((l) => l.includes('not shared with other devices: this device is not linked'))).toHaveLength(1)
    expect(desk.kernel.db.prepare(`SELECT count(*) AS n FROM outbox WHERE owner = 'devices'`).get()).toEqual({ n: 0 })

    await laptop.devices.link((await desk.devices.offerLink()).code)
    const deskId = desk.kernel.account!.deviceId
    const laptopId = laptop.kernel.account!.deviceId
    await waitFor(async () => (await desk.devices.list()).some((d) => d.id === laptopId && d.sync === 'linked'), 'the desk to know the laptop')

    const before = Date.now()
    desk.api.share('contacts', { person: 'carol', state: 'contact' })
    desk.api.share('blocks', { user: 'mallory', blocked: true })
    await waitFor(() => laptop.got.length === 2, 'the laptop to get both')
    expect(laptop.got.map((g) => [g.kind, g.data, g.origin.device, g.after])).toEqual([
      ['contacts', { person: 'carol', state: 'contact' }, deskId, true],
      ['blocks', { user: 'mallory', blocked: true }, deskId, true],
    ])
    expect(laptop.got[0]!.origin.ts).toBeGreaterThanOrEqual(before)
    expect(laptop.got[0]!.origin.ts).toBeLessThanOrEqual(Date.now())
    // Never to itself.
    await sleep(200)
    expect(desk.got).toEqual([])

    // And the other way.
    laptop.api.share('blocks', { user: 'mallory', blocked: false })
    await waitFor(() => desk.got.length === 1, 'the desk to get it')
    expect(desk.got[0]).toMatchObject({ kind: 'blocks', data: { user: 'mallory', blocked: false }, origin: { device: laptopId } })
  })

  it('a bad item is dropped alone: invalid data, a kind nobody handles, a handler that throws', async () => {
    const desk = await device('desk2')
    const laptop = await device('laptop2')
    await laptop.devices.link((await desk.devices.offerLink()).link)
    const laptopId = laptop.kernel.account!.deviceId
    await waitFor(async () => (await desk.devices.list()).some((d) => d.id === laptopId && d.sync === 'linked'), 'the desk to know the laptop')

    desk.api.share('contacts', { person: 5 })
    desk.api.share('nobody-handles-this', { x: 1 })
    desk.api.share('explodes', {})
    desk.api.share('contacts', { person: 'carol', state: 'removed' })
    await waitFor(() => laptop.got.length === 1, 'the good item')
    expect(laptop.got[0]).toMatchObject({ kind: 'contacts', data: { person: 'carol', state: 'removed' } })
    const lines = laptop.log.lines.join('\n')
    expect(lines).toMatch(/dropped a sync item .*"kind":"contacts".*invalid data: person/)
    expect(lines).toMatch(/dropped a sync item .*"kind":"nobody-handles-this".*no handler for this kind/)
    expect(lines).toMatch(/a sync item handler failed .*"kind":"explodes".*boom/)
  })

  it('what is shared while my other device is away reaches it when it comes back', async () => {
    const desk = await device('desk3')
    let laptop = await device('laptop3')
    await laptop.devices.link((await desk.devices.offerLink()).link)
    const laptopId = laptop.kernel.account!.deviceId
    await waitFor(async () => (await desk.devices.list()).some((d) => d.id === laptopId && d.sync === 'linked'), 'the desk to know the laptop')

    await laptop.close()
    open.splice(open.indexOf(laptop), 1)
    desk.api.share('contacts', { person: 'dave', state: 'contact' })
    await waitFor(() => (desk.kernel.db.prepare(`SELECT count(*) AS n FROM outbox WHERE owner = 'devices'`).get() as { n: number }).n === 0, 'the broker to take it')

    laptop = await device('laptop3')
    await waitFor(() => laptop.got.length === 1, 'the laptop to get it on its return')
    expect(laptop.got[0]).toMatchObject({ kind: 'contacts', data: { person: 'dave', state: 'contact' } })
  })
})
