/**
 * One Parley in a process of its own, for tests that kill it (SIGKILL): opens a
 * core, sets it up, prints "connected" once it is, then runs until killed.
 * Usage: node --import tsx parley-node.ts '{"dataDir","user","url","tuning"}'
 */
import { ParleyCore } from '../../../src/main/core/engine'

interface Args {
  dataDir: string
  user: string
  url: string
  tuning?: Record<string, number>
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as Args
  const core = await ParleyCore.open({ dataDir: args.dataDir, sessionExpirySeconds: 3600, tuning: args.tuning ?? {} })
  let told = false
  core.onEvent((event, payload) => {
    if (event === 'connection' && (payload as { state: string }).state === 'connected' && !told) {
      told = true
      process.stdout.write('connected\n')
    }
  })
  await core.services.account.setup({ user: args.user, broker: { kind: 'url', url: args.url } })
  setInterval(() => {}, 60_000)
}

main().catch((err) => {
  process.stderr.write(String((err as Error).stack ?? err) + '\n')
  process.exit(1)
})
