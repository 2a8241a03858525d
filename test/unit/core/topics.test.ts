import { describe, expect, it } from 'vitest'
import { clientId, directTopic, dmConversationId, inboxFilter, parseTopic, peerOf } from '../../../src/shared/topics'

describe('topic scheme', () => {
  it('direct messages go to R/{to}/Inbox/Msg/{from}', () => {
    expect(directTopic('IMS', 'bob', 'alice')).toBe('IMS/bob/Inbox/Msg/alice')
    expect(directTopic('corp', '李雷', 'Zoë')).toBe('corp/李雷/Inbox/Msg/Zoë')
  })

  it('the inbox filter is a single-level wildcard over senders', () => {
    expect(inboxFilter('IMS', 'bob')).toBe('IMS/bob/Inbox/Msg/+')
  })

  it('parseTopic reads a direct topic back', () => {
    expect(parseTopic('IMS', directTopic('IMS', 'bob', 'alice'))).toEqual({ kind: 'direct', to: 'bob', from: 'alice' })
  })

  it.each([
    'IMS/bob/Inbox/Msg',
    'IMS/bob/Inbox/Msg/alice/extra',
    'OTHER/bob/Inbox/Msg/alice',
    'IMS/bob/Inbox/Add/alice',
    'IMS/bob/Outbox/Msg/alice',
    'IMS//Inbox/Msg/alice',
    'IMS/bob/Inbox/Msg/',
    '',
    'team/coding_issues',
  ])('parseTopic refuses %j', (topic) => {
    expect(parseTopic('IMS', topic)).toBeNull()
  })

  it('client ids follow seed 000: GroupID@@@DeviceID', () => {
    expect(clientId('GID_PARLEY', 'dev')).toBe('GID_PARLEY@@@dev')
  })

  it('dm conversation ids round-trip to the peer', () => {
    expect(dmConversationId('bob')).toBe('dm:bob')
    expect(peerOf('dm:bob')).toBe('bob')
    expect(peerOf(dmConversationId('李雷'))).toBe('李雷')
  })
})
