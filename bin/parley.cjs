#!/usr/bin/env node
// The `parley` command: runs the built CLI (npm run build), the same engine as the app.
const { existsSync } = require('node:fs')
const { join } = require('node:path')
const built = join(__dirname, '..', 'out', 'main', 'cli.js')
if (!existsSync(built)) {
  process.stderr.write('parley: the CLI is not built yet. Run `npm run build` (or use `npm run cli -- …`).\n')
  process.exit(1)
}
require(built)
