import { z } from 'zod'
import { ParleyError } from '../shared/rpc'
import { ParleyCore } from '../main/core/engine'
import { createConsoleLogger, silentLogger } from '../main/core/kernel/log'
import { resolveDataDir } from '../main/core/kernel/paths'
import { parseCli, usage, UsageError, type CliOptions } from './args'
import { EXIT, type CliIo, type CommandContext } from './common'

export { EXIT, type CliIo }

function execute(ctx: CommandContext): Promise<number> {
  return ctx.opts.command.run(ctx, ctx.opts.input)
}

/** Runs one CLI invocation and returns its exit code; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let opts: CliOptions
  try {
    opts = parseCli(argv, io.env)
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.message) io.err(`parley: ${err.message}`)
      io.err(usage())
      return EXIT.usage
    }
    throw err
  }
  const log = opts.verbose ? createConsoleLogger('info') : io.env.PARLEY_LOG_LEVEL ? createConsoleLogger() : silentLogger
  let core: ParleyCore
  try {
    core = await ParleyCore.open({
      dataDir: resolveDataDir({ flag: opts.dataDir, env: io.env }),
      log,
      tuning: opts.keepaliveSeconds === null ? {} : { keepaliveSeconds: opts.keepaliveSeconds },
    })
  } catch (err) {
    io.err(`parley: ${(err as Error).message}`)
    return EXIT.dataDir
  }
  try {
    return await execute({ core, opts, io })
  } catch (err) {
    if (err instanceof z.ZodError) {
      // The engine validates too; its first issue is written for people.
      io.err(`parley: ${err.issues[0]?.message ?? 'invalid input'}`)
      return EXIT.usage
    }
    io.err(`parley: ${(err as Error).message}`)
    return err instanceof ParleyError && (err.code === 'invalid-argument' || err.code === 'not-configured') ? EXIT.usage : EXIT.failed
  } finally {
    await core.close()
  }
}
