import { MAX_IMPORT_CHARS } from '../../../../shared/contract'
import { ParleyError } from '../../../../shared/rpc'

/** An upload not imported within this long after its last part is dropped. */
const UPLOAD_TTL_MS = 10 * 60_000
/** Uploads kept at once; together they hold at most MAX_IMPORT_CHARS (one largest file, not one per upload). */
const MAX_UPLOADS = 2

interface Upload {
  parts: string[]
  chars: number
  timer: NodeJS.Timeout
}

/**
 * Files' texts sent in parts by a user interface whose transport takes small
 * messages (the web host's bridge), kept in memory until they are imported.
 */
export class Uploads {
  private readonly uploads = new Map<string, Upload>()

  append(id: string, text: string): void {
    let upload = this.uploads.get(id)
    if (!upload) {
      if (this.uploads.size >= MAX_UPLOADS) throw new ParleyError('Another import is being sent; wait for it to finish.', 'failed')
      upload = { parts: [], chars: 0, timer: this.expire(id) }
      this.uploads.set(id, upload)
    } else {
      upload.timer.refresh()
    }
    if (upload.chars + text.length > MAX_IMPORT_CHARS) {
      this.drop(id)
      throw new ParleyError(`That file is over ${MAX_IMPORT_CHARS / (1024 * 1024)} MB, more than an import reads.`, 'invalid-argument')
    }
    if (this.held() + text.length > MAX_IMPORT_CHARS) {
      this.drop(id)
      throw new ParleyError('Another import is being sent; wait for it to finish.', 'failed')
    }
    upload.parts.push(text)
    upload.chars += text.length
  }

  /** The whole text of an upload, which is forgotten here. */
  take(id: string): string {
    const upload = this.uploads.get(id)
    if (!upload) throw new ParleyError('That file is no longer here (it was sent more than 10 minutes ago). Choose it again.', 'not-found')
    this.drop(id)
    return upload.parts.join('')
  }

  /** Characters held across every upload. */
  private held(): number {
    let n = 0
    for (const u of this.uploads.values()) n += u.chars
    return n
  }

  close(): void {
    for (const id of [...this.uploads.keys()]) this.drop(id)
  }

  private expire(id: string): NodeJS.Timeout {
    const timer = setTimeout(() => this.drop(id), UPLOAD_TTL_MS)
    timer.unref()
    return timer
  }

  private drop(id: string): void {
    const upload = this.uploads.get(id)
    if (upload) clearTimeout(upload.timer)
    this.uploads.delete(id)
  }
}
