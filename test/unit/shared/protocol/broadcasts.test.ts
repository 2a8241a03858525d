import { describe, expect, it } from 'vitest'
import { broadcastTopic, parseBroadcastTopic, RegionListSchema, RegionSchema } from '../../../../src/shared/protocol/broadcasts'
import { NameSchema, nameProblem, SYSTEM_NAME } from '../../../../src/shared/protocol/names'

describe('regional broadcast names and topics', () => {
  it('reserves "System" as a user name, so no R/{user} meets R/System/{region}; other spellings stay ordinary names', () => {
    expect(SYSTEM_NAME).toBe('System')
    expect(nameProblem('System')).toBe('"System" is reserved (regional broadcasts use it).')
    expect(NameSchema.safeParse('system').success).toBe(true)
    expect(NameSchema.safeParse('Systems').success).toBe(true)
  })

  it('validates regions like names', () => {
    expect(RegionSchema.parse('eu')).toBe('eu')
    expect(RegionSchema.safeParse('eu/west').error?.issues[0]?.message).toBe('A name cannot contain "/", "+" or "#".')
    expect(RegionSchema.safeParse('+').success).toBe(false)
    expect(RegionSchema.safeParse('$SYS').success).toBe(false)
    expect(RegionSchema.safeParse('System').success).toBe(false)
  })

  it('a region list is sorted and each region counted once', () => {
    expect(RegionListSchema.parse(['us', 'eu', 'us'])).toEqual(['eu', 'us'])
    expect(RegionListSchema.parse([])).toEqual([])
    expect(RegionListSchema.safeParse(Array.from({ length: 33 }, (_, i) => `r${i}`)).success).toBe(false)
  })

  it('R/System/{region} both ways; anything else is not a broadcast topic', () => {
    expect(broadcastTopic('IMS', 'eu')).toBe('IMS/System/eu')
    expect(parseBroadcastTopic('IMS', 'IMS/System/eu')).toBe('eu')
    expect(parseBroadcastTopic('IMS', 'IMS/System/eu/extra')).toBeNull()
    expect(parseBroadcastTopic('IMS', 'IMS/system/eu')).toBeNull()
    expect(parseBroadcastTopic('IMS', 'IMS/bob/Inbox/Msg/alice')).toBeNull()
    expect(parseBroadcastTopic('IMS', 'OTHER/System/eu')).toBeNull()
  })
})
