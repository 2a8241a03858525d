/**
 * What kind of image a file is, and how big, from its first bytes: enough to refuse
 * what is not a picture (or would take gigabytes to decode) before any decoder runs,
 * and to check that a received avatar really is the PNG, JPEG or WebP it claims.
 */

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'webp'

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

function startsWith(bytes: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (bytes.length < at + sig.length) return false
  return sig.every((b, i) => bytes[at + i] === b)
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0))

/** The format its signature says, or null for anything else. */
export function imageFormat(bytes: Uint8Array): ImageFormat | null {
  if (startsWith(bytes, PNG)) return 'png'
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg'
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif'
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp'
  // "BM" alone is too weak (plain text can start so): also a known DIB header size.
  if (startsWith(bytes, ascii('BM')) && bytes.length >= 26 && [12, 40, 52, 56, 64, 108, 124].includes(u32le(bytes, 14))) return 'bmp'
  return null
}

/** The MIME type of a format, as in a data URL. */
export function mimeOf(format: ImageFormat): string {
  return `image/${format}`
}

export interface ImageSize {
  width: number
  height: number
}

function u16be(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!
}
function u16le(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8)
}
function u32be(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!
}
function u32le(b: Uint8Array, at: number): number {
  return ((b[at + 3]! << 24) >>> 0) + (b[at + 2]! << 16) + (b[at + 1]! << 8) + b[at]!
}

/**
 * Width and height from the header, or null when the header is cut short or
 * damaged. JPEG: the first start-of-frame marker; the others: fixed offsets.
 */
export function imageSize(bytes: Uint8Array, format: ImageFormat): ImageSize | null {
  switch (format) {
    case 'png':
      // IHDR is always the first chunk: width and height right after its type.
      if (bytes.length < 24 || !startsWith(bytes, ascii('IHDR'), 12)) return null
      return { width: u32be(bytes, 16), height: u32be(bytes, 20) }
    case 'gif':
      if (bytes.length < 10) return null
      return { width: u16le(bytes, 6), height: u16le(bytes, 8) }
    case 'bmp': {
      if (bytes.length < 26) return null
      if (u32le(bytes, 14) === 12) return { width: u16le(bytes, 18), height: u16le(bytes, 20) }
      // Height is signed: negative means top-down rows.
      const h = u32le(bytes, 22) | 0
      return { width: u32le(bytes, 18) | 0, height: Math.abs(h) }
    }
    case 'jpeg':
      return jpegSize(bytes)
    case 'webp':
      return null
  }
}

/** Walks the JPEG segments up to the first SOFn (baseline, progressive, …). */
function jpegSize(b: Uint8Array): ImageSize | null {
  let at = 2
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return null
    const marker = b[at + 1]!
    if (marker === 0xff) {
      at++ // fill byte
      continue
    }
    // Markers without a length: TEM, RSTn.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2
      continue
    }
    const length = u16be(b, at + 2)
    if (length < 2) return null
    // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (at + 9 > b.length) return null
      return { height: u16be(b, at + 5), width: u16be(b, at + 7) }
    }
    if (marker === 0xda || marker === 0xd9) return null // scan data or end before any frame
    at += 2 + length
  }
  return null
}
