import type { Unsubscribe } from '../../../shared/contract'

/** A listener for every event: hosts forward `(name, payload)` over IPC or WebSocket as they are. */
export type AnyListener<E> = <K extends keyof E & string>(event: K, payload: E[K]) => void

/**
 * A typed event bus: the payload type follows the event name. The engine's outward
 * events (ParleyEvents) travel on one; features may keep their own for what they
 * tell each other.
 */
export class EventBus<E> {
  private readonly any = new Set<AnyListener<E>>()
  private readonly byName = new Map<keyof E, Set<(payload: never) => void>>()

  emit<K extends keyof E & string>(event: K, payload: E[K]): void {
    for (const l of this.any) {
      try {
        l(event, payload)
      } catch {
        // One broken listener (a closed window) must not stop the others.
      }
    }
    const named = this.byName.get(event)
    if (!named) return
    for (const l of named) {
      try {
        ;(l as (p: E[K]) => void)(payload)
      } catch {
        // As above.
      }
    }
  }

  on<K extends keyof E & string>(event: K, listener: (payload: E[K]) => void): Unsubscribe {
    let set = this.byName.get(event)
    if (!set) this.byName.set(event, (set = new Set()))
    set.add(listener as (payload: never) => void)
    return () => void set.delete(listener as (payload: never) => void)
  }

  onAny(listener: AnyListener<E>): Unsubscribe {
    this.any.add(listener)
    return () => void this.any.delete(listener)
  }

  get listenerCount(): number {
    let n = this.any.size
    for (const s of this.byName.values()) n += s.size
    return n
  }
}
