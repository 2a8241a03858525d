import { describe, expect, it } from 'vitest'
import {
  clientId,
  directTopic,
  inboxFilter,
  inboxTopic,
  parseInboxTopic,
  parsePresenceTopic,
  presenceFilter,
  presenceTopic,
  topicMatches,
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
