/** People whose user name or shown name contains `query` (case-insensitive), in their order. */
export function matching<T extends { user: string; name: string }>(people: readonly T[], query: string): T[] {
  const q = query.trim().toLocaleLowerCase()
  if (!q) return [...people]
  return people.filter((p) => p.user.toLocaleLowerCase().includes(q) || p.name.toLocaleLowerCase().includes(q))
}
