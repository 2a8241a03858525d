import type { ParleyEventName, ParleyEvents, Unsubscribe } from '../../shared/contract'

export type AnyEventListener = (event: ParleyEventName, payload: unknown) => void

/** The engine's outgoing events; hosts forward them over IPC or WebSocket as they are. */
export class EventBus {
  private readonly listeners = new Set<AnyEventListener>()

  emit<K extends ParleyEventName>(event: K, payload: ParleyEvents[K]): void {
    for (const l of this.listeners) {
      try {
        l(event, payload)
      } catch {
        // One broken listener (a closed window) must not stop the others.
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.size
  }

  on(listener: AnyEventListener): Unsubscribe {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }
}
