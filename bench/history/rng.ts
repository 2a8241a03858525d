/** A small seeded PRNG (sfc32): the same seed gives the same history on every machine. */
export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    this.a = 0x9e3779b9
    this.b = 0x243f6a88
    this.c = 0xb7e15162
    this.d = seed >>> 0
    for (let i = 0; i < 15; i++) this.u32()
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!
  }

  /** Exponentially distributed with the given mean (gaps between messages). */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean
  }

  /** A random (version 4 shaped) UUID, as message ids are. */
  uuid(): string {
    const h = (n: number, len: number) => n.toString(16).padStart(len, '0')
    const a = this.u32()
    const b = this.u32()
    const c = this.u32()
    const d = this.u32()
    return `${h(a, 8)}-${h(b >>> 16, 4)}-${h(0x4000 | (b & 0x0fff), 4)}-${h(0x8000 | ((c >>> 16) & 0x3fff), 4)}-${h(c & 0xffff, 4)}${h(d, 8)}`
  }
}
