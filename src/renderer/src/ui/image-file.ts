/**
 * Picking an image file to send to the engine: a check people can act on before
 * anything is read, then the bytes as base64 (the engine decodes, resizes and
 * re-encodes; the renderer never trusts the file's name or type beyond this check).
 */

/** Why `file` cannot be used as an image of at most `maxBytes`, or null. */
export function imageFileProblem(file: Pick<File, 'type' | 'size' | 'name'>, maxBytes: number): string | null {
  const looksLikeImage = file.type ? file.type.startsWith('image/') : /\.(png|jpe?g|webp|gif|bmp|tiff?)$/i.test(file.name)
  if (!looksLikeImage) return 'That file is not an image. Choose a PNG, JPEG, WebP or GIF picture.'
  if (file.size === 0) return 'That file is empty. Choose another picture.'
  if (file.size > maxBytes) return `That image is over ${formatBytes(maxBytes)}. Choose a smaller one.`
  return null
}

/** "10 MB", "64 KB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`
  return `${bytes} bytes`
}

/** The file's bytes as base64 (without a data: prefix). */
export function readFileAsBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => {
      const url = typeof reader.result === 'string' ? reader.result : ''
      const comma = url.indexOf(',')
      resolve(comma >= 0 ? url.slice(comma + 1) : '')
    }
    reader.onerror = () => reject(new Error('That file could not be read. Choose another picture.'))
    reader.readAsDataURL(file)
  })
}
