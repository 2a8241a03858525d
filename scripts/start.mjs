#!/usr/bin/env node
// `npm start`: the Electron app when an Electron binary is installed, otherwise the
// Parley web host (same core and renderer, served to a browser).
//
// The binary is looked up on disk (node_modules/electron/path.txt + dist/) instead of
// `require('electron')`: from Node, that require *downloads* Electron when the binary is
// missing (Electron 45's index.js runs install.js), which is exactly what
// ELECTRON_SKIP_BINARY_DOWNLOAD machines must not do.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(ROOT, 'package.json'))
const IS_WINDOWS = process.platform === 'win32'

/** The Electron package directory, or null when the package is not installed. */
function electronPackageDir() {
  try {
    return dirname(require.resolve('electron/package.json'))
  } catch {
    return null
  }
}

/** The Electron executable if it is really there, else null. Never downloads. */
export function findElectronBinary(env = process.env) {
  if (env.ELECTRON_EXEC_PATH) return existsSync(env.ELECTRON_EXEC_PATH) ? env.ELECTRON_EXEC_PATH : null
  const pkg = electronPackageDir()
  if (!pkg) return null
  const pathFile = join(pkg, 'path.txt')
  if (!existsSync(pathFile)) return null
  const relative = readFileSync(pathFile, 'utf8').trim()
  if (!relative) return null
  const full = join(env.ELECTRON_OVERRIDE_DIST_PATH || join(pkg, 'dist'), relative)
  return existsSync(full) ? full : null
}

/**
 * better-sqlite3 is a native module: built for Node's ABI it will not load in Electron.
 * If it loads here (plain Node) and Electron's ABI differs, it needs a rebuild.
 */
function sqliteBuiltForNode() {
  const pkg = electronPackageDir()
  if (!pkg) return false
  let electronAbi = ''
  try {
    electronAbi = readFileSync(join(pkg, 'abi_version'), 'utf8').trim()
  } catch {
    return false
  }
  if (!electronAbi || electronAbi === process.versions.modules) return false
  try {
    const Database = require('better-sqlite3')
    new Database(':memory:').close()
    return true
  } catch {
    return false
  }
}

/** Runs a command with inherited stdio, forwarding SIGINT/SIGTERM; resolves with its exit code. */
function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', shell: IS_WINDOWS && /\.(cmd|bat)$/i.test(command) })
    const forward = (signal) => {
      if (child.exitCode === null) child.kill(signal)
    }
    process.on('SIGINT', forward)
    process.on('SIGTERM', forward)
    child.on('error', (err) => {
      console.error(`Could not run ${command}: ${err.message}`)
      resolve(1)
    })
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward)
      process.off('SIGTERM', forward)
      if (code !== null) resolve(code)
      else resolve(signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1)
    })
  })
}

function bin(name) {
  return join(ROOT, 'node_modules', '.bin', IS_WINDOWS ? `${name}.cmd` : name)
}

async function startElectron(binary) {
  console.log(`Starting Parley in Electron (${binary}).`)
  if (sqliteBuiltForNode()) {
    console.log(
      [
        '',
        'Note: better-sqlite3 is currently built for Node, not for Electron. If Parley fails to open its',
        'history database, rebuild it for Electron with:  npx electron-builder install-app-deps',
        '(and `npm rebuild better-sqlite3` afterwards to run the tests, the CLI or the web host in Node again).',
        '',
      ].join('\n'),
    )
  }
  const built = await run(bin('electron-vite'), ['build'])
  if (built !== 0) return built
  return run(bin('electron-vite'), ['preview', '--skipBuild'])
}

async function startWebHost() {
  console.log(
    'Electron is not installed on this machine (ELECTRON_SKIP_BINARY_DOWNLOAD?). ' +
      'Starting the Parley web host instead — open the URL below in your browser.',
  )
  const npmCli = process.env.npm_execpath
  if (npmCli && /\.(c|m)?js$/.test(npmCli)) return run(process.execPath, [npmCli, 'run', 'web'])
  return run(IS_WINDOWS ? 'npm.cmd' : 'npm', ['run', 'web'])
}

async function main() {
  const binary = findElectronBinary()
  const code = binary ? await startElectron(binary) : await startWebHost()
  process.exit(code)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.stack : err)
    process.exit(1)
  })
}
