/**
 * Reads people's profiles as they come on screen, without a storm of requests: a
 * conversation list of a hundred rows asks for a hundred names inside one render,
 * and re-renders ask again. Each user is read once (until `refreshAll`, after a
 * reconnect); the users asked for within `delayMs` are read together, at most
 * `parallel` at a time. A failed read is not retried by itself (that would loop
 * while the engine says no); the next `refreshAll` tries again.
 */
export interface ProfileFetcher {
  /** `user` is on screen: read their profile unless it has been read (or asked for) already. */
  want(user: string): void
  /** Marks `user` as known without reading (an event told us). */
  known(user: string): void
  /** Reads everyone asked for so far again (the connection came back: events were missed). */
  refreshAll(): void
  /** Forgets everyone (another account signed in). Answers still on their way are dropped. */
  reset(): void
}

export interface FetcherOptions {
  read(user: string): Promise<void>
  /** How long to gather users before reading (ms). */
  delayMs?: number
  /** Reads running at once. */
  parallel?: number
}

export function createProfileFetcher({ read, delayMs = 25, parallel = 4 }: FetcherOptions): ProfileFetcher {
  /** Everyone asked for (read, being read, or waiting). */
  const asked = new Set<string>()
  const queue = new Set<string>()
  let running = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  /** Bumped by reset, so reads started before it do not pump a queue that is no longer theirs. */
  let generation = 0

  function schedule(): void {
    if (timer !== undefined) return
    timer = setTimeout(() => {
      timer = undefined
      pump()
    }, delayMs)
  }

  function pump(): void {
    const gen = generation
    while (running < parallel && queue.size > 0) {
      const user = queue.values().next().value as string
      queue.delete(user)
      running++
      read(user)
        .catch(() => {})
        .finally(() => {
          if (gen !== generation) return
          running--
          pump()
        })
    }
  }

  return {
    want(user) {
      if (asked.has(user)) return
      asked.add(user)
      queue.add(user)
      schedule()
    },
    known(user) {
      asked.add(user)
    },
    refreshAll() {
      for (const user of asked) queue.add(user)
      if (queue.size > 0) schedule()
    },
    reset() {
      generation++
      asked.clear()
      queue.clear()
      running = 0
      clearTimeout(timer)
      timer = undefined
    },
  }
}
