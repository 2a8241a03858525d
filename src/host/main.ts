/**
 * `npm run web` / `node out/main/host.js`: runs one Parley engine and serves the
 * renderer to a browser on 127.0.0.1 (see server.ts).
 *
 *   node out/main/host.js [--data-dir DIR] [--port N]
 *
 * Environment: PARLEY_DATA_DIR (data directory), PARLEY_WEB_PORT (port),
 * PARLEY_WEB_TOKEN (a fixed bridge token, so an open page survives a restart on
 * the same port; at least 16 characters), PARLEY_LOG_LEVEL.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ParleyCore } from '../main/core/engine'
import { createConsoleLogger } from '../main/core/kernel/log'
import { resolveDataDir } from '../main/core/kernel/paths'
import { HOST_USAGE as USAGE, parseHostArgs, UsageError, type HostArgs } from './args'
import { startWebHost } from './server'

async function main(): Promise<void> {
  let args: HostArgs
  try {
    args = parseHostArgs(process.argv.slice(2))
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`parley web host: ${err.message}\n\n${USAGE}`)
      process.exit(1)
    }
    throw err
  }
  if (args.help) {
    process.stdout.write(USAGE)
    return
  }

  // At runtime this file is out/main/host.js; the renderer build sits in out/renderer.
  const rendererDir = join(__dirname, '../renderer')
  for (const file of ['index.html', 'web-preload.js']) {
    if (!existsSync(join(rendererDir, file))) {
      process.stderr.write(`parley web host: the web interface is not built (${join(rendererDir, file)} is missing). Run npm run build first.\n`)
      process.exit(1)
    }
  }

  const log = createConsoleLogger()
  const dataDir = resolveDataDir({ flag: args.dataDir, env: process.env })
  let core: ParleyCore
  try {
    core = await ParleyCore.open({
      dataDir,
      log,
      dataDirSwitch: {
        howTo:
          'Stop this web host (Ctrl+C) and start it again with another folder: npm run web -- --data-dir DIR (or node out/main/host.js --data-dir DIR). Each data directory is one account.',
      },
    })
  } catch (err) {
    process.stderr.write(`parley web host: cannot open ${dataDir}: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  }
  let host: Awaited<ReturnType<typeof startWebHost>>
  try {
    host = await startWebHost({ core, rendererDir, port: args.port, token: process.env.PARLEY_WEB_TOKEN || undefined, log })
  } catch (err) {
    await core.close().catch(() => {})
    process.stderr.write(`parley web host: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  }
  process.stdout.write(`Parley web host for ${dataDir} is running at ${host.url}\n`)

  let stopping = false
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`parley web host: ${signal} again, exiting now.\n`)
      process.exit(1)
    }
    stopping = true
    log.info('web host: stopping', { signal })
    const force = setTimeout(() => {
      process.stderr.write('parley web host: shutdown took too long, exiting.\n')
      process.exit(1)
    }, 10_000)
    force.unref()
    void (async () => {
      try {
        await host.close()
      } catch (err) {
        log.warn('web host: close failed', { error: err instanceof Error ? err.message : String(err) })
      }
      try {
        await core.close()
      } catch (err) {
        log.warn('web host: engine close failed', { error: err instanceof Error ? err.message : String(err) })
      }
      process.exit(0)
    })()
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((err: unknown) => {
  process.stderr.write(`parley web host: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
})
