import { Worker } from 'node:worker_threads'
import { AVATAR_PIXELS, MAX_AVATAR_BYTES } from '../../../../shared/protocol/envelope'
import { ParleyError } from '../../../../shared/rpc'
import { imageFormat, imageSize, type ImageFormat } from './image-format'

/** Decoding needs about 4 bytes a pixel: refuse what would take over ~200 MB before decoding it. */
export const MAX_AVATAR_SOURCE_PIXELS = 50_000_000
/** A decode that takes longer than this is given up (the worker is stopped). */
const WORKER_TIMEOUT_MS = 30_000
/** JPEG qualities tried in turn until the picture fits MAX_AVATAR_BYTES. */
const QUALITIES = [85, 75, 65, 55, 45, 35, 25, 15]

const NOT_AN_IMAGE = 'That file is not an image Parley can read. Use a PNG, JPEG, GIF or BMP picture.'

export interface Avatar {
  /** `data:image/jpeg;base64,…`: what the profile envelope carries. */
  dataUrl: string
  width: number
  height: number
  bytes: number
}

type WorkerAnswer = { ok: true; jpeg: Uint8Array; side: number } | { ok: false; reason: 'too-big' } | { ok: false; reason: 'decode'; message: string }

/**
 * What runs in the worker thread (plain CommonJS: it is evaluated as a string, so it
 * must not depend on how this file was compiled or bundled). Decodes, crops to the
 * centre square and scales it to at most `side` pixels (never up), puts it on
 * white (JPEG keeps no transparency), then encodes JPEG at falling qualities until
 * it fits.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const { Jimp } = require(workerData.jimp)
;(async () => {
  const input = workerData.bytes
  const image = await Jimp.fromBuffer(Buffer.from(input.buffer, input.byteOffset, input.byteLength))
  const side = Math.max(1, Math.min(workerData.side, image.width, image.height))
  image.cover({ w: side, h: side })
  const flat = new Jimp({ width: side, height: side, color: 0xffffffff })
  flat.composite(image, 0, 0)
  for (const quality of workerData.qualities) {
    const jpeg = await flat.getBuffer('image/jpeg', { quality })
    if (jpeg.length <= workerData.maxBytes) return parentPort.postMessage({ ok: true, jpeg, side })
  }
  parentPort.postMessage({ ok: false, reason: 'too-big' })
})().catch((err) => parentPort.postMessage({ ok: false, reason: 'decode', message: String((err && err.message) || err) }))
`

/** Where jimp is, for the worker (an evaluated worker resolves modules from the working directory, not from here). */
function jimpPath(): string {
  try {
    return require.resolve('jimp')
  } catch {
    throw new ParleyError('Pictures cannot be processed here: the image library is missing.', 'failed')
  }
}

function runWorker(bytes: Uint8Array): Promise<WorkerAnswer> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { jimp: jimpPath(), bytes, side: AVATAR_PIXELS, maxBytes: MAX_AVATAR_BYTES, qualities: QUALITIES },
      // The decoded bitmap lives outside the V8 heap; this caps the rest.
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    })
    const timer = setTimeout(() => {
      void worker.terminate()
      reject(new ParleyError('That picture took too long to process. Try a smaller one.', 'failed'))
    }, WORKER_TIMEOUT_MS)
    timer.unref()
    worker.once('message', (answer: WorkerAnswer) => {
      clearTimeout(timer)
      void worker.terminate()
      resolve(answer)
    })
    worker.once('error', (err) => {
      clearTimeout(timer)
      reject(new ParleyError(`That picture could not be processed (${err.message}).`, 'failed'))
    })
    worker.once('exit', (code) => {
      clearTimeout(timer)
      reject(new ParleyError(`That picture could not be processed (the worker stopped with code ${code}).`, 'failed'))
    })
  })
}

/** The format of an uploaded file, or a ParleyError a person can act on. */
export function uploadFormat(bytes: Uint8Array): Exclude<ImageFormat, 'webp'> {
  const format = imageFormat(bytes)
  if (format === null) throw new ParleyError(NOT_AN_IMAGE, 'invalid-argument')
  if (format === 'webp') throw new ParleyError('WebP pictures cannot be read here yet. Save it as PNG or JPEG and try again.', 'invalid-argument')
  const size = imageSize(bytes, format)
  if (!size || size.width < 1 || size.height < 1) throw new ParleyError(`${NOT_AN_IMAGE} (Its ${format.toUpperCase()} header is damaged.)`, 'invalid-argument')
  if (size.width * size.height > MAX_AVATAR_SOURCE_PIXELS) {
    throw new ParleyError(
      `That picture is too large (${size.width} × ${size.height} pixels); the most is ${MAX_AVATAR_SOURCE_PIXELS / 1_000_000} megapixels.`,
      'invalid-argument',
    )
  }
  return format
}

/**
 * Turns any common picture into an avatar: the centre square, at most
 * AVATAR_PIXELS a side, JPEG of at most MAX_AVATAR_BYTES. Decoding a 10 MB photo
 * takes about a second of CPU, so it runs in a worker thread: the engine keeps
 * answering (and the MQTT session keeps its keepalive) meanwhile.
 */
export async function makeAvatar(bytes: Uint8Array): Promise<Avatar> {
  const format = uploadFormat(bytes)
  const answer = await runWorker(bytes)
  if (!answer.ok) {
    if (answer.reason === 'too-big') throw new ParleyError('That picture cannot be made small enough for an avatar.', 'invalid-argument')
    throw new ParleyError(`${NOT_AN_IMAGE} (The ${format.toUpperCase()} data is damaged: ${answer.message}.)`, 'invalid-argument')
  }
  const jpeg = Buffer.from(answer.jpeg.buffer, answer.jpeg.byteOffset, answer.jpeg.byteLength)
  return { dataUrl: `data:image/jpeg;base64,${jpeg.toString('base64')}`, width: answer.side, height: answer.side, bytes: jpeg.length }
}

/** The image bytes of a data URL (whatever its declared type), or null when it is not base64. */
export function dataUrlBytes(dataUrl: string): { mime: string; bytes: Buffer } | null {
  const m = /^data:([a-z]+\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/]*={0,2})$/.exec(dataUrl)
  if (!m) return null
  return { mime: m[1]!, bytes: Buffer.from(m[2]!, 'base64') }
}

/**
 * Why a received avatar cannot be shown, or null: its bytes must start with the
 * signature of the type the data URL declares (no full decode on receive; the
 * renderer's <img> decodes it in its sandbox).
 */
export function avatarProblem(dataUrl: string): string | null {
  const parsed = dataUrlBytes(dataUrl)
  if (!parsed) return 'not a base64 data URL'
  const format = imageFormat(parsed.bytes)
  if (format === null) return 'its bytes are not a PNG, JPEG or WebP image'
  if (`image/${format}` !== parsed.mime) return `it says ${parsed.mime} but holds ${format.toUpperCase()} bytes`
  if (format !== 'png' && format !== 'jpeg' && format !== 'webp') return `${format.toUpperCase()} is not an avatar format`
  return null
}
