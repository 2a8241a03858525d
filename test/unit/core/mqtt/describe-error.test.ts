import { describe, expect, it } from 'vitest'
import { describeError } from '../../../../src/main/core/mqtt/describe-error'

const err = (code: string | number | undefined, message = 'raw') => Object.assign(new Error(message), { code })

describe('connection error sentences', () => {
  it.each([
    ['ECONNREFUSED', /^Nothing answers at mqtt:\/\/h:1883\. Is the broker running\?$/],
    ['ENOTFOUND', /Cannot find the host of mqtt:\/\/h:1883/],
    ['ETIMEDOUT', /Cannot reach mqtt:\/\/h:1883 \(ETIMEDOUT\)/],
    ['ECONNRESET', /connection to mqtt:\/\/h:1883 was cut/],
  ])('turns %s into a sentence', (code, expected) => {
    expect(describeError(err(code), 'mqtt://h:1883')).toMatch(expected)
  })

  it('says when the broker never answered the CONNECT', () => {
    expect(describeError(err(undefined, 'connack timeout'), 'mqtt://h:1883')).toBe('mqtt://h:1883 did not answer in time.')
  })

  it("keeps the broker's own words for anything else", () => {
    expect(describeError(err(135, 'Connection refused: Not authorized'), 'mqtt://h:1883')).toBe('Connection refused: Not authorized')
  })
})
