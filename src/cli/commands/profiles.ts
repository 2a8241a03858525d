import { MAX_AVATAR_UPLOAD_BYTES, ProfileUpdateSchema, type Profile, type ProfilePublishState, type ProfileUpdate } from '../../shared/contract'
import { NameSchema } from '../../shared/protocol/names'
import { defineCommand, field, UsageError, type CliCommand } from '../command'
import { delay, ensureAccount, EXIT, nextEvent, online, readFileArg, requireOwner, type CommandContext } from '../common'

/** How long to wait for someone's retained profile (it comes at once if the broker has one). */
const ANSWER_SECONDS = 2

type ProfileCommand =
  | { kind: 'show-mine' }
  | { kind: 'show'; of: string }
  | { kind: 'change'; update: ProfileUpdate; avatar: string | null | undefined }

/** "" clears a field; anything else is the new value; absent leaves it. */
const cleared = (v: string | boolean | undefined): string | null | undefined => (typeof v === 'string' ? (v === '' ? null : v) : undefined)

/** "JPEG, 12.3 KiB" from a data URL. */
function avatarText(dataUrl: string | null): string {
  if (!dataUrl) return 'none'
  const m = /^data:image\/([a-z]+);base64,(.*)$/.exec(dataUrl)
  if (!m) return 'yes'
  const bytes = Math.floor((m[2]!.length * 3) / 4) - (m[2]!.match(/=+$/)?.[0].length ?? 0)
  return `${m[1]!.toUpperCase()}, ${(bytes / 1024).toFixed(1)} KiB`
}

export function profileJson(p: Profile): string {
  return JSON.stringify({ ...p, updatedAt: p.updatedAt === null ? null : new Date(p.updatedAt).toISOString() })
}

export function profileText(p: Profile): string {
  if (p.updatedAt === null) return `${p.user}: no profile published`
  return [
    `user: ${p.user}`,
    `name: ${p.name ?? '(not set)'}`,
    `status: ${p.status ?? '(not set)'}`,
    `email: ${p.email ?? '(not set)'}`,
    `avatar: ${avatarText(p.avatar)}`,
    `updated: ${new Date(p.updatedAt).toISOString()}`,
  ].join('\n')
}

function readAvatar(path: string): string {
  return readFileArg(path, MAX_AVATAR_UPLOAD_BYTES).toString('base64')
}

async function show(ctx: CommandContext, of: string): Promise<number> {
  const { core, opts, io } = ctx
  const failed = await online(ctx)
  if (failed !== null) return failed
  // Listen first: asking makes the core subscribe, and the retained profile can come at once.
  const heard = nextEvent(core, 'profile', (p) => (p.user === of ? true : undefined))
  const known = await core.services.profiles.get(of)
  if (of !== opts.user) await Promise.race([heard, delay(ANSWER_SECONDS), io.interrupted])
  const p = of === opts.user ? known : await core.services.profiles.get(of)
  io.out(opts.json ? profileJson(p) : profileText(p))
  return EXIT.ok
}

/** Polls until the broker acknowledged my current profile or refused it (or `seconds` pass). */
async function publication(ctx: CommandContext, seconds: number): Promise<ProfilePublishState> {
  const deadline = Date.now() + seconds * 1000
  for (;;) {
    const state = await ctx.core.services.profiles.publishState()
    if (state.published || state.error !== null || Date.now() > deadline) return state
    await delay(0.05)
  }
}

/**
 * Changes my profile (a picture that is not one is refused before anything waits
 * for the broker), then waits until the broker has it: 0, or 1 refused, 3 not
 * reachable (kept here, published on the next connection).
 */
async function change(ctx: CommandContext, c: Extract<ProfileCommand, { kind: 'change' }>): Promise<number> {
  const { core, opts, io } = ctx
  const avatar = typeof c.avatar === 'string' ? readAvatar(c.avatar) : c.avatar
  await ensureAccount(ctx)
  const services = core.services.profiles
  let p = Object.keys(c.update).length ? await services.update(c.update) : await services.mine()
  if (avatar !== undefined) p = await services.setAvatar(avatar === null ? null : { base64: avatar })
  const failed = await online(ctx)
  if (failed !== null) {
    io.err(`Saved in this history; it goes to the broker the next time Parley runs for ${opts.user}.`)
    return failed
  }
  // Published by the change itself if the connection was up, else by the connection.
  const state = await publication(ctx, opts.timeoutSeconds ?? 15)
  if (!state.published) {
    io.err(`parley: The broker does not have your profile: ${state.error ?? 'no answer in time'}`)
    return state.error ? EXIT.failed : EXIT.timeout
  }
  io.out(opts.json ? profileJson(p) : profileText(p))
  return EXIT.ok
}

async function profile(ctx: CommandContext, c: ProfileCommand): Promise<number> {
  if (c.kind === 'change') return change(ctx, c)
  if (c.kind === 'show') return show(ctx, c.of)
  requireOwner(ctx.core, ctx.opts.user)
  const p = await ctx.core.services.profiles.mine()
  ctx.io.out(ctx.opts.json ? profileJson(p) : profileText(p))
  return EXIT.ok
}

export const PROFILE_COMMANDS: readonly CliCommand[] = [
  defineCommand<ProfileCommand>({
    name: 'profile',
    usage: `profile   --user NAME [--name TEXT] [--status TEXT] [--email ADDR] [--avatar FILE]
                                                       with options: change my profile and publish it (retained on
                                                       R/{me}/Profile), waiting until the broker has it; "" clears a
                                                       field; --avatar takes a PNG, JPEG, GIF or BMP (up to 10 MB).
                                                       Without: print my profile.
profile   NAME --user NAME [--json]                    print NAME's profile as the broker has it`,
    options: { name: { type: 'string' }, status: { type: 'string' }, email: { type: 'string' }, avatar: { type: 'string' } },
    parse: ({ args, values }) => {
      const update = { name: cleared(values.name), status: cleared(values.status), email: cleared(values.email) }
      const avatar = cleared(values.avatar)
      const changing = Object.values(update).some((v) => v !== undefined) || avatar !== undefined
      if (args.length > 1) throw new UsageError('profile takes at most one user name: parley profile [NAME] --user YOU.')
      if (args.length === 1) {
        if (changing) throw new UsageError('Only your own profile can be changed: leave out the user name.')
        return { kind: 'show', of: field(NameSchema, args[0], 'profile NAME') }
      }
      if (!changing) return { kind: 'show-mine' }
      const defined = Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined))
      return { kind: 'change', update: field(ProfileUpdateSchema, defined, 'profile'), avatar }
    },
    run: profile,
  }),
]
