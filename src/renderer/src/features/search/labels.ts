import type { SearchHit } from '../../../../shared/contract'

/** What kind of conversation a result is in, as a person would say it. */
export const KIND_LABELS: Record<SearchHit['conversationKind'], string> = {
  dm: 'Direct chat',
  group: 'Group',
  room: 'Room',
  system: 'Parley',
}

/** The filters the engine understands, for the tips. */
export const FILTER_TIPS: readonly { example: string; means: string }[] = [
  { example: 'from:alice', means: 'sent by alice' },
  { example: 'from:me', means: 'sent by you' },
  { example: 'in:"Team chat"', means: 'in one conversation' },
  { example: 'after:2024-01-31', means: 'after that day' },
  { example: 'before:2024-03-01', means: 'before that day' },
  { example: 'has:link', means: 'with a link' },
  { example: '"exact phrase"', means: 'these words in this order' },
]
