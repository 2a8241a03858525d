/**
 * Parley's topic scheme (docs/protocol.md). The sender is the last level of an
 * inbox topic so a broker ACL can force it: `pattern write IMS/+/Inbox/Msg/%u`.
 */
export function directTopic(root: string, to: string, from: string): string {
  return `${root}/${to}/Inbox/Msg/${from}`
}

/** What a user subscribes to for direct messages. */
export function inboxFilter(root: string, me: string): string {
  return `${root}/${me}/Inbox/Msg/+`
}

export type ParsedTopic = { kind: 'direct'; to: string; from: string }

export function parseTopic(root: string, topic: string): ParsedTopic | null {
  const parts = topic.split('/')
  if (parts.length === 5 && parts[0] === root && parts[2] === 'Inbox' && parts[3] === 'Msg' && parts[1] && parts[4]) {
    return { kind: 'direct', to: parts[1], from: parts[4] }
  }
  return null
}

/** seed 000: client ids are `GroupID@@@DeviceID`. */
export function clientId(groupId: string, deviceId: string): string {
  return `${groupId}@@@${deviceId}`
}

export function dmConversationId(peer: string): string {
  return `dm:${peer}`
}

export function peerOf(conversationId: string): string {
  return conversationId.startsWith('dm:') ? conversationId.slice(3) : conversationId
}
