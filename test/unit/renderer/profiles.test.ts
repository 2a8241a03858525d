/**
 * The profiles feature over a fake API: display names and photos through the
 * `person.name` / `person.avatar` extension points, read once per person however
 * often the screen asks, kept current by events, read again after a reconnect;
 * and my profile's form rules.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Pinia } from 'pinia'
import type { ParleyApi, Profile } from '../../../src/shared/contract'
import { defineFeature } from '../../../src/renderer/src/features/feature'
import { setupAccount } from '../../../src/renderer/src/features/account/io'
import { createProfileFetcher } from '../../../src/renderer/src/features/profiles/fetcher'
import { changesBetween, draftOf, fieldProblem } from '../../../src/renderer/src/features/profiles/fields'
import { ProfilesActionsKey, setupProfiles, type ProfilesActions } from '../../../src/renderer/src/features/profiles/io'
import { isNewer, useProfilesStore } from '../../../src/renderer/src/features/profiles/store'
import type { Extensions } from '../../../src/renderer/src/ui/extensions'
import { imageFileProblem } from '../../../src/renderer/src/ui/image-file'
import { CONFIGURED, fakeApi, fakePage } from './fake-api'
import { installOver } from './install-features'

vi.mock('../../../src/renderer/src/features/account/index.ts', async () => ({
  ...(await import('../../../src/renderer/src/features/account/io')),
  ...(await import('../../../src/renderer/src/features/account/store')),
}))

const PNG = 'data:image/png;base64,iVBORw0KGgo='

const profile = (user: string, over: Partial<Profile> = {}): Profile => ({
  user,
  name: null,
  status: null,
  avatar: null,
  email: null,
  updatedAt: 1,
  ...over,
})

/** The fake API with the profiles service (what fake-api.ts does not cover). */
function fakeWithProfiles() {
  const fake = fakeApi()
  type Api = ParleyApi['profiles']
  const profiles = {
    mine: vi.fn<Api['mine']>(async () => profile('alice')),
    update: vi.fn<Api['update']>(async (changes) => profile('alice', { ...changes, updatedAt: 5 } as Partial<Profile>)),
    setAvatar: vi.fn<Api['setAvatar']>(async (image) => profile('alice', { avatar: image ? PNG : null, updatedAt: 6 })),
    get: vi.fn<Api['get']>(async (user) => profile(user)),
    publishState: vi.fn(async () => ({ published: true, error: null })),
  }
  Object.assign(fake.api, { profiles })
  return { ...fake, profiles }
}

describe('profile fetcher', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('reads each user once, gathered into one batch, a few at a time', async () => {
    const resolvers: (() => void)[] = []
    const read = vi.fn((_user: string) => new Promise<void>((resolve) => resolvers.push(resolve)))
    const f = createProfileFetcher({ read, delayMs: 20, parallel: 2 })
    for (let i = 0; i < 50; i++) for (const u of ['bob', 'carol', 'dave']) f.want(u)
    expect(read).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(20)
    expect(read.mock.calls.map((c) => c[0])).toEqual(['bob', 'carol'])
    resolvers.shift()!()
    await vi.advanceTimersByTimeAsync(0)
    expect(read.mock.calls.map((c) => c[0])).toEqual(['bob', 'carol', 'dave'])
    f.want('bob')
    await vi.advanceTimersByTimeAsync(100)
    expect(read).toHaveBeenCalledTimes(3)
  })

  it('does not retry a failed read by itself; refreshAll reads everyone again', async () => {
    const read = vi.fn(async (_user: string) => {
      throw new Error('This part of Parley is not built yet.')
    })
    const f = createProfileFetcher({ read, delayMs: 5 })
    f.want('bob')
    await vi.advanceTimersByTimeAsync(1000)
    f.want('bob')
    await vi.advanceTimersByTimeAsync(1000)
    expect(read).toHaveBeenCalledTimes(1)
    f.known('carol')
    f.refreshAll()
    await vi.advanceTimersByTimeAsync(5)
    expect(read.mock.calls.map((c) => c[0])).toEqual(['bob', 'bob', 'carol'])
  })

  it('reset forgets everyone and drops what was queued', async () => {
    const read = vi.fn(async () => {})
    const f = createProfileFetcher({ read, delayMs: 5 })
    f.want('bob')
    f.reset()
    await vi.advanceTimersByTimeAsync(10)
    expect(read).not.toHaveBeenCalled()
    f.want('bob')
    await vi.advanceTimersByTimeAsync(10)
    expect(read).toHaveBeenCalledTimes(1)
  })
})

describe('profiles store', () => {
  it('keeps the profile changed last, whatever order answers and events come in', () => {
    expect(isNewer(profile('bob', { updatedAt: 2 }), profile('bob', { updatedAt: 3 }))).toBe(false)
    expect(isNewer(profile('bob', { updatedAt: 3 }), profile('bob', { updatedAt: 3 }))).toBe(true)
    expect(isNewer(profile('bob', { updatedAt: null }), profile('bob', { updatedAt: 3 }))).toBe(false)
    expect(isNewer(profile('bob', { updatedAt: 1 }), profile('bob', { updatedAt: null }))).toBe(true)
    expect(isNewer(profile('bob'), undefined)).toBe(true)
  })
})

describe('profiles feature over a fake API', () => {
  let fake: ReturnType<typeof fakeWithProfiles>
  let pinia: Pinia
  let extensions: Extensions
  let actions: ProfilesActions
  let stop: () => void

  beforeEach(async () => {
    fakePage()
    fake = fakeWithProfiles()
    const installed = installOver(fake.parley, [
      defineFeature({ name: 'account', setup: setupAccount }),
      defineFeature({ name: 'profiles', dependsOn: ['account'], setup: setupProfiles }),
    ])
    pinia = installed.pinia
    stop = installed.stop
    extensions = installed.extensions
    actions = installed.use(ProfilesActionsKey)
    await installed.start()
  })

  afterEach(() => {
    stop()
    vi.unstubAllGlobals()
  })

  const name = (user: string) => extensions.text('person.name', { user })
  const avatar = (user: string) => extensions.text('person.avatar', { user })

  it('shows user names until a profile arrives, asking the engine once per person', async () => {
    fake.profiles.get.mockImplementation(async (user) => profile(user, { name: `${user} (display)`, avatar: PNG }))
    // A list re-rendering many times asks many times.
    for (let i = 0; i < 20; i++) {
      expect(name('bob')).toBeNull()
      expect(avatar('bob')).toBeNull()
      name('carol')
    }
    await vi.waitFor(() => expect(name('bob')).toBe('bob (display)'))
    expect(avatar('bob')).toBe(PNG)
    expect(name('carol')).toBe('carol (display)')
    expect(fake.profiles.get.mock.calls.map((c) => c[0]).sort()).toEqual(['bob', 'carol'])
  })

  it('never asks about myself (mine() answers that) nor about strings that cannot be user names', async () => {
    fake.profiles.mine.mockResolvedValue(profile('alice', { name: 'Alice L.' }))
    await actions.loadMine()
    expect(name('alice')).toBe('Alice L.')
    name('a/b')
    name('has space')
    await new Promise((r) => setTimeout(r, 60))
    expect(fake.profiles.get).not.toHaveBeenCalled()
  })

  it('a failing engine is asked once, not in a loop; a reconnect asks again', async () => {
    fake.profiles.get.mockRejectedValue(new Error('This part of Parley is not built yet.'))
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    name('bob')
    name('carol')
    await vi.waitFor(() => expect(fake.profiles.get).toHaveBeenCalledTimes(2))
    for (let i = 0; i < 10; i++) name('bob')
    await new Promise((r) => setTimeout(r, 60))
    expect(fake.profiles.get).toHaveBeenCalledTimes(2)
    expect(name('bob')).toBeNull()
    // One warning for the kind of failure, not one per person.
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('reading profiles'))).toHaveLength(1)

    fake.profiles.get.mockImplementation(async (user) => profile(user, { name: user.toUpperCase() }))
    fake.emit('connection', { ...CONFIGURED.connection, state: 'reconnecting' })
    fake.emit('connection', CONFIGURED.connection)
    await vi.waitFor(() => expect(name('bob')).toBe('BOB'))
    expect(name('carol')).toBe('CAROL')
    expect(fake.profiles.get).toHaveBeenCalledTimes(4)
    warn.mockRestore()
  })

  it('a profile event updates what is shown; an older answer does not undo it', async () => {
    let answer!: (p: Profile) => void
    fake.profiles.get.mockReturnValue(new Promise<Profile>((resolve) => (answer = resolve)))
    name('bob')
    await vi.waitFor(() => expect(fake.profiles.get).toHaveBeenCalledTimes(1))
    fake.emit('profile', profile('bob', { name: 'Robert', updatedAt: 10 }))
    expect(name('bob')).toBe('Robert')
    answer(profile('bob', { name: 'Bobby', updatedAt: 5 }))
    await new Promise((r) => setTimeout(r, 0))
    expect(name('bob')).toBe('Robert')
    // A cleared name and photo fall back to the user name and initials.
    fake.emit('profile', profile('bob', { name: '  ', avatar: null, updatedAt: 11 }))
    expect(name('bob')).toBeNull()
    // Someone announced by an event is not asked for again.
    fake.emit('profile', profile('erin', { name: 'Erin', updatedAt: 1 }))
    expect(name('erin')).toBe('Erin')
    await new Promise((r) => setTimeout(r, 60))
    expect(fake.profiles.get).toHaveBeenCalledTimes(1)
  })

  it('a photo that is not an image data URL is not used', () => {
    fake.emit('profile', profile('mallory', { avatar: 'javascript:alert(1)', updatedAt: 1 }))
    expect(avatar('mallory')).toBeNull()
    fake.emit('profile', profile('mallory', { avatar: 'data:text/html;base64,PHNjcmlwdD4=', updatedAt: 2 }))
    expect(avatar('mallory')).toBeNull()
    fake.emit('profile', profile('mallory', { avatar: PNG, updatedAt: 3 }))
    expect(avatar('mallory')).toBe(PNG)
  })

  it('my changes and photo go to the engine and show at once', async () => {
    await actions.update({ name: 'Alice Liddell', status: 'Down the rabbit hole' })
    expect(fake.profiles.update).toHaveBeenCalledWith({ name: 'Alice Liddell', status: 'Down the rabbit hole' })
    expect(useProfilesStore(pinia).mine?.status).toBe('Down the rabbit hole')
    expect(name('alice')).toBe('Alice Liddell')
    await actions.setAvatar({ base64: 'AAAA' })
    expect(avatar('alice')).toBe(PNG)
    await actions.setAvatar(null)
    expect(avatar('alice')).toBeNull()
  })

  it('another account signing in starts from nothing', async () => {
    fake.emit('profile', profile('bob', { name: 'Robert' }))
    expect(name('bob')).toBe('Robert')
    fake.api.account.setup.mockResolvedValue({ ...CONFIGURED, user: 'zoe' })
    fake.profiles.mine.mockResolvedValue(profile('zoe'))
    fake.profiles.get.mockResolvedValue(profile('bob'))
    fake.emit('account', { ...CONFIGURED, configured: false })
    fake.emit('account', { ...CONFIGURED, user: 'zoe' })
    await vi.waitFor(() => expect(useProfilesStore(pinia).me).toBe('zoe'))
    expect(name('bob')).toBeNull()
  })
})

describe('my profile form', () => {
  it('checks fields with the contract rules; blank clears a field', () => {
    expect(fieldProblem('email', 'not-an-email')).toBe('That is not an email address.')
    expect(fieldProblem('email', ' alice@example.org ')).toBeNull()
    expect(fieldProblem('email', '')).toBeNull()
    expect(fieldProblem('name', 'x'.repeat(65))).toMatch(/at most 64/)
    expect(fieldProblem('name', 'evil\u202Eeman')).toMatch(/invisible/)
    expect(fieldProblem('status', 's'.repeat(141))).toMatch(/at most 140/)
    expect(fieldProblem('status', 'Reading 📚')).toBeNull()
  })

  it('sends only what changed, trimmed, with null for a cleared field', () => {
    const base = draftOf(profile('alice', { name: 'Alice', status: 'Hi', email: null }))
    expect(changesBetween(base, { name: ' Alice ', status: '', email: 'a@b.co' })).toEqual({ status: null, email: 'a@b.co' })
    expect(changesBetween(base, { ...base })).toEqual({})
  })

  it('explains a file that is not an image, or too large, before reading it', () => {
    const MB = 1024 * 1024
    expect(imageFileProblem({ name: 'notes.txt', type: 'text/plain', size: 10 }, 10 * MB)).toMatch(/not an image/)
    expect(imageFileProblem({ name: 'big.jpg', type: 'image/jpeg', size: 10 * MB + 1 }, 10 * MB)).toBe('That image is over 10 MB. Choose a smaller one.')
    expect(imageFileProblem({ name: 'me.heic', type: '', size: 100 }, 10 * MB)).toMatch(/not an image/)
    expect(imageFileProblem({ name: 'me.png', type: '', size: 100 }, 10 * MB)).toBeNull()
    expect(imageFileProblem({ name: 'me.webp', type: 'image/webp', size: 5 * MB }, 10 * MB)).toBeNull()
  })
})
