/** One entry of a feed item's "⋯" menu. */
export interface MenuItem {
  label: string
  testid: string
  run(): void
}
