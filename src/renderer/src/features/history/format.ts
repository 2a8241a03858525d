import type { HistoryJob } from '../../../../shared/contract'

/** How far a job is, 0–100 (a job with nothing to do is done at 100). */
export function percent(job: HistoryJob): number {
  if (job.state === 'done') return 100
  if (job.total <= 0) return 0
  return Math.min(100, Math.floor((job.done / job.total) * 100))
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en')} ${n === 1 ? one : many}`

/** What the dialog says while a job runs. */
export function progressText(job: HistoryJob): string {
  const verb = job.kind === 'export' ? 'Exported' : 'Read'
  return `${verb} ${job.done.toLocaleString('en')} of ${plural(job.total, 'message')}…`
}

/** What the dialog says once a job is over. */
export function resultText(job: HistoryJob): string {
  switch (job.state) {
    case 'running':
      return progressText(job)
    case 'failed':
      return job.error ?? `The ${job.kind} failed.`
    case 'cancelled':
      return job.kind === 'export'
        ? 'Export cancelled: no file was written.'
        : `Import cancelled: ${plural(job.added, 'message')} imported before it stopped.`
    case 'done':
      if (job.kind === 'export') return `Saved to ${job.path ?? 'the exports folder'}`
      return `Imported ${plural(job.added, 'message')}, ${job.skipped.toLocaleString('en')} already here${job.invalid ? `; ${job.invalid.toLocaleString('en')} not valid (left out)` : ''}.`
  }
}
