import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

/** The current time, refreshed every `everyMs` while the component is mounted. */
export function useNow(everyMs: number): Ref<number> {
  const now = ref(Date.now())
  let timer: ReturnType<typeof setInterval> | undefined
  onMounted(() => {
    timer = setInterval(() => (now.value = Date.now()), everyMs)
  })
  onBeforeUnmount(() => clearInterval(timer))
  return now
}
