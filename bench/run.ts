/**
 * npm run bench [-- pipeline | search | ui] [options]: one entry for the benches.
 * Alone it runs the receive pipeline bench, as it always did.
 */
const BENCHES = {
  pipeline: () => import('./pipeline'),
  search: () => import('./search'),
  ui: () => import('./ui'),
} as const

const name = process.argv[2] && !process.argv[2].startsWith('-') ? process.argv[2] : 'pipeline'
if (!(name in BENCHES)) {
  console.error(`bench: unknown bench ${name}; one of ${Object.keys(BENCHES).join(', ')}`)
  process.exit(2)
}
// The chosen bench reads its own options from what follows its name.
if (name === process.argv[2]) process.argv.splice(2, 1)
void BENCHES[name as keyof typeof BENCHES]()
