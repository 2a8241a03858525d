import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { HistoryJob } from '../../../../shared/contract'

/**
 * What the history dialog is for: exporting a conversation (or all, null), or
 * importing a file; `inline`: shown in Settings › History itself (the settings
 * screen is a modal <dialog>, above any overlay), else as a dialog of its own.
 */
export type HistoryDialogMode = ({ mode: 'export'; conversationId: string | null; /** The conversation's name as shown (a title, not a group's id). */ peer: string | null } | { mode: 'import' }) & { inline: boolean }

/** The history dialog and the one job it follows. State only. */
export const useHistoryStore = defineStore('history', () => {
  const dialog = ref<HistoryDialogMode | null>(null)
  /** The job the dialog shows (started from it), by id; its events keep it current. */
  const jobId = ref<string | null>(null)
  const jobs = ref<Record<string, HistoryJob>>({})
  /** Why the job could not start (a file that is not a Parley export), in words to show. */
  const error = ref<string | null>(null)
  const starting = ref(false)

  const job = computed(() => (jobId.value ? (jobs.value[jobId.value] ?? null) : null))

  /**
   * A job as an event or a start's answer told it. Events come in order; an answer
   * can come after the job's later events (a small job ends at once), so an answer
   * never replaces what is known.
   */
  function remember(j: HistoryJob, answer = false): void {
    if (answer && jobs.value[j.id]) return
    jobs.value[j.id] = j
  }

  function open(mode: HistoryDialogMode): void {
    dialog.value = mode
    jobId.value = null
    jobs.value = {}
    error.value = null
    starting.value = false
  }

  function close(): void {
    dialog.value = null
    jobId.value = null
    jobs.value = {}
    error.value = null
    starting.value = false
  }

  return { dialog, jobId, jobs, job, error, starting, remember, open, close }
})
