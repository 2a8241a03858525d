import { runCli } from './run'

const interrupted = new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve())
  process.once('SIGTERM', () => resolve())
})

runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  env: process.env,
  styled: process.stdout.isTTY === true && !process.env.NO_COLOR,
  interrupted,
}).then(
  (code) => {
    process.exitCode = code
    // Open sockets or timers must not keep a finished command alive.
    setTimeout(() => process.exit(code), 200).unref()
  },
  (err) => {
    process.stderr.write(`parley: ${(err as Error).stack ?? String(err)}\n`)
    process.exit(1)
  },
)
