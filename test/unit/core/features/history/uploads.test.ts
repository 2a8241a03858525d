import { describe, expect, it, vi } from 'vitest'

// A small import limit keeps the test light; the rule is the same at 256M characters.
vi.mock('../../../../../src/shared/contract', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../../../src/shared/contract')>()),
  MAX_IMPORT_CHARS: 100,
}))
const { Uploads } = await import('../../../../../src/main/core/features/history/uploads')

describe('uploads in parts', () => {
  it('hold at most one largest file in all: a second upload that would pass the limit together is refused', () => {
    const uploads = new Uploads()
    uploads.append('a', 'x'.repeat(60))
    expect(() => uploads.append('b', 'y'.repeat(60))).toThrow(/Another import is being sent/)
    uploads.append('b', 'y'.repeat(40))
    expect(uploads.take('a')).toHaveLength(60)
    uploads.append('b', 'y'.repeat(60))
    expect(uploads.take('b')).toHaveLength(100)
    expect(() => uploads.append('c', 'z'.repeat(101))).toThrow(/more than an import reads/)
    uploads.close()
  })
})
