import { describe, expect, it } from 'vitest'
import {
  clientId,
  directTopic,
  inboxFilter,
  inboxTopic,
  parseInboxTopic,
  momentsTopic,
  parsePresenceTopic,
  phoneTopic,
  presenceFilter,
  presenceTopic,
  profileTopic,
  syncFilter,
  syncTopic,
  topicMatches,
  unsubFilter,
  unsubTopic,
} from '../../../../src/shared/protocol/topics'

describe('topic scheme', () => {
  it('direct messages go to R/{to}/Inbox/Msg/{from}', () => {
    expect(directTopic('IMS', 'bob', 'alice')).toBe('IMS/bob/Inbox/Msg/alice')
    expect(directTopic('corp', '李雷', 'Zoë')).toBe('corp/李雷/Inbox/Msg/Zoë')
  })

  it('receipts and typing use the same inbox shape with their own kind', () => {
    expect(inboxTopic('IMS', 'Rcpt', 'bob', 'alice')).toBe('IMS/bob/Inbox/Rcpt/alice')
    expect(inboxTopic('IMS', 'Typing', 'bob', 'alice')).toBe('IMS/bob/Inbox/Typing/alice')
  })

  it('the inbox filter is a single-level wildcard over senders', () => {
    expect(inboxFilter('IMS', 'Msg', 'bob')).toBe('IMS/bob/Inbox/Msg/+')
    expect(inboxFilter('IMS', 'Rcpt', 'bob')).toBe('IMS/bob/Inbox/Rcpt/+')
  })

  it("friend requests and answers use seed 000's Add/GFReq and Add/GFResp, and parse back", () => {
    expect(inboxTopic('IMS', 'Add/GFReq', 'UserB', 'UserA')).toBe('IMS/UserB/Inbox/Add/GFReq/UserA')
    expect(inboxTopic('IMS', 'Add/GFResp', 'UserA', 'UserB')).toBe('IMS/UserA/Inbox/Add/GFResp/UserB')
    expect(inboxFilter('IMS', 'Add/GFReq', 'bob')).toBe('IMS/bob/Inbox/Add/GFReq/+')
    expect(parseInboxTopic('IMS', 'IMS/UserB/Inbox/Add/GFReq/UserA')).toEqual({ kind: 'Add/GFReq', to: 'UserB', from: 'UserA' })
    expect(parseInboxTopic('IMS', 'IMS/UserA/Inbox/Add/GFResp/UserB')).toEqual({ kind: 'Add/GFResp', to: 'UserA', from: 'UserB' })
  })

  it("seed 000's unfollow notice has the sender in the middle: R/{to}/Inbox/Update/{from}/Unsub", () => {
    expect(unsubTopic('IMS', 'UserA', 'UserB')).toBe('IMS/UserA/Inbox/Update/UserB/Unsub')
    expect(unsubFilter('IMS', 'UserA')).toBe('IMS/UserA/Inbox/Update/+/Unsub')
    expect(topicMatches(unsubFilter('IMS', 'UserA'), unsubTopic('IMS', 'UserA', 'UserB'))).toBe(true)
    expect(parseInboxTopic('IMS', 'IMS/UserA/Inbox/Update/UserB/Unsub')).toEqual({ kind: 'Update/Unsub', to: 'UserA', from: 'UserB' })
    expect(parseInboxTopic('IMS', 'IMS/UserA/Inbox/Update/UserB/Other')).toBeNull()
    expect(parseInboxTopic('IMS', 'IMS/UserA/Inbox/Add//UserB')).toBeNull()
  })

  it('profiles, moments, the phone directory and device sync have topics of their own that cannot meet an inbox', () => {
    expect(profileTopic('IMS', 'bob')).toBe('IMS/bob/Profile')
    expect(momentsTopic('IMS', 'bob')).toBe('IMS/bob')
    // Names cannot start with "$": no user's topics are under IMS/$Phone.
    expect(phoneTopic('IMS', 'ab'.repeat(32))).toBe(`IMS/$Phone/${'ab'.repeat(32)}`)
    expect(syncTopic('IMS', 'bob', 'dev1')).toBe('IMS/bob/Sync/dev1')
    expect(topicMatches(syncFilter('IMS', 'bob'), 'IMS/bob/Sync/dev1')).toBe(true)
    for (const t of [profileTopic('IMS', 'bob'), momentsTopic('IMS', 'bob'), syncTopic('IMS', 'bob', 'd')]) {
      expect(parseInboxTopic('IMS', t)).toBeNull()
      expect(topicMatches(inboxFilter('IMS', 'Msg', 'bob'), t)).toBe(false)
    }
  })

  it('parseInboxTopic reads an inbox topic back', () => {
    expect(parseInboxTopic('IMS', directTopic('IMS', 'bob', 'alice'))).toEqual({ kind: 'Msg', to: 'bob', from: 'alice' })
    expect(parseInboxTopic('IMS', inboxTopic('IMS', 'Rcpt', 'bob', 'alice'))).toEqual({ kind: 'Rcpt', to: 'bob', from: 'alice' })
    // The kind is returned as is; which kinds a feature handles is its route's filter.
    expect(parseInboxTopic('IMS', 'IMS/bob/Inbox/Add/alice')).toEqual({ kind: 'Add', to: 'bob', from: 'alice' })
  })

  it.each([
    'IMS/bob/Inbox/Msg',
    'IMS/bob/Inbox/Msg/alice/extra',
    'OTHER/bob/Inbox/Msg/alice',
    'IMS/bob/Outbox/Msg/alice',
    'IMS//Inbox/Msg/alice',
    'IMS/bob/Inbox//alice',
    'IMS/bob/Inbox/Msg/',
    '',
    'team/coding_issues',
  ])('parseInboxTopic refuses %j', (topic) => {
    expect(parseInboxTopic('IMS', topic)).toBeNull()
  })

  it('presence is R/{user}/Presence/{device}, followed per user with a wildcard', () => {
    expect(presenceTopic('IMS', 'bob', 'dev1')).toBe('IMS/bob/Presence/dev1')
    expect(presenceFilter('IMS', 'bob')).toBe('IMS/bob/Presence/+')
    expect(parsePresenceTopic('IMS', 'IMS/bob/Presence/dev1')).toEqual({ user: 'bob', device: 'dev1' })
    for (const bad of ['IMS/bob/Presence', 'IMS/bob/Presence/', 'IMS//Presence/d', 'X/bob/Presence/d', 'IMS/bob/Presence/d/x', 'IMS/bob/Inbox/d']) {
      expect(parsePresenceTopic('IMS', bad), bad).toBeNull()
    }
  })

  it('client ids follow seed 000: GroupID@@@DeviceID', () => {
    expect(clientId('GID_PARLEY', 'dev')).toBe('GID_PARLEY@@@dev')
  })
})

describe('topicMatches', () => {
  it.each([
    ['IMS/bob/Inbox/Msg/+', 'IMS/bob/Inbox/Msg/alice'],
    ['IMS/+/Presence/+', 'IMS/bob/Presence/d1'],
    ['IMS/#', 'IMS/bob/Inbox/Msg/alice'],
    ['IMS/#', 'IMS'], // '#' also matches the parent level
    ['#', 'anything/at/all'],
    ['+', 'one'],
    ['a/+/c', 'a//c'], // '+' matches an empty level
    ['exact/topic', 'exact/topic'],
    ['$SYS/#', '$SYS/broker/uptime'],
    ['$SYS/+/uptime', '$SYS/broker/uptime'],
  ])('%s matches %s', (filter, topic) => {
    expect(topicMatches(filter, topic)).toBe(true)
  })

  it.each([
    ['IMS/bob/Inbox/Msg/+', 'IMS/bob/Inbox/Msg'],
    ['IMS/bob/Inbox/Msg/+', 'IMS/bob/Inbox/Msg/alice/x'],
    ['IMS/bob/Inbox/Msg/+', 'IMS/bob/Inbox/Rcpt/alice'],
    ['IMS/bob/Inbox/Msg/+', 'IMS/carol/Inbox/Msg/alice'],
    ['+', 'a/b'],
    ['exact/topic', 'exact/topic/more'],
    ['exact/topic', 'exact'],
    ['Exact', 'exact'], // case-sensitive
    // MQTT 4.7.2: a leading wildcard does not match a topic starting with '$'.
    ['#', '$SYS/broker/uptime'],
    ['+/broker/uptime', '$SYS/broker/uptime'],
    ['+/#', '$share/x'],
  ])('%s does not match %s', (filter, topic) => {
    expect(topicMatches(filter, topic)).toBe(false)
  })
})
