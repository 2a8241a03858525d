import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { TypingNotice } from '../../../../shared/contract'

/** A typing notice that is not refreshed within this time has expired (the sender repeats it while typing). */
export const TYPING_EXPIRES_MS = 6000

/** Who is typing where, right now. State only; a notice expires on its own after TYPING_EXPIRES_MS. */
export const useTypingStore = defineStore('typing', () => {
  /** conversation id → users typing there. */
  const typing = ref<Record<string, string[]>>({})
  const timers = new Map<string, ReturnType<typeof setTimeout>>()
  const keyOf = (conversationId: string, user: string) => `${conversationId}\n${user}`

  function start(conversationId: string, user: string): void {
    const key = keyOf(conversationId, user)
    clearTimeout(timers.get(key))
    timers.set(
      key,
      setTimeout(() => stop(conversationId, user), TYPING_EXPIRES_MS),
    )
    const users = typing.value[conversationId] ?? []
    if (!users.includes(user)) typing.value[conversationId] = [...users, user]
  }

  function stop(conversationId: string, user: string): void {
    const key = keyOf(conversationId, user)
    clearTimeout(timers.get(key))
    timers.delete(key)
    const users = typing.value[conversationId]
    if (!users?.includes(user)) return
    const rest = users.filter((u) => u !== user)
    if (rest.length) typing.value[conversationId] = rest
    else delete typing.value[conversationId]
  }

  function notice(n: TypingNotice): void {
    if (n.typing) start(n.conversationId, n.user)
    else stop(n.conversationId, n.user)
  }

  /** Forgets every notice (after a reconnect, none can be trusted). */
  function clear(): void {
    for (const t of timers.values()) clearTimeout(t)
    timers.clear()
    typing.value = {}
  }

  function typers(conversationId: string): readonly string[] {
    return typing.value[conversationId] ?? []
  }

  return { typing, notice, stop, clear, typers }
})
