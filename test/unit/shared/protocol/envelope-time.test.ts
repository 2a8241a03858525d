import { describe, expect, it } from 'vitest'
import { EnvelopeSchema } from '../../../../src/shared/protocol/envelope'

const text = (ts: number) => ({ v: 1, type: 'text', id: '00000000-0000-7000-8000-000000000001', from: 'bob', ts, body: { text: 'hi' } })

describe('envelope time', () => {
  it('takes any real date and refuses a time no Date can hold (it could not be shown, searched by date or exported)', () => {
    expect(EnvelopeSchema.safeParse(text(Date.now())).success).toBe(true)
    expect(EnvelopeSchema.safeParse(text(8.64e15)).success).toBe(true)
    expect(EnvelopeSchema.safeParse(text(8.64e15 + 1)).success).toBe(false)
    expect(EnvelopeSchema.safeParse(text(Number.MAX_SAFE_INTEGER)).success).toBe(false)
  })
})
