/**
 * Extension points: places in shared screens (a conversation's row and header, the
 * composer, the sidebar header) where features add what they know without the
 * feature that draws the place importing them. Presence puts its dot on avatars and
 * "online" in the header; typing puts "typing…" in the header and the row.
 *
 * A feature adds items in its setup (`ctx.extensions.add(point, item)`); components
 * read them with `useExtensions()`. The lists are reactive, and text contributions
 * are called inside the reader's computed, so whatever store they read is tracked.
 */
import { inject, markRaw, shallowReactive, type Component, type InjectionKey } from 'vue'
import type { ConversationSummary } from '../../../shared/contract'

/** What a contribution is told about a conversation. */
export type ConversationRef = Pick<ConversationSummary, 'id' | 'kind' | 'peer'>

/** Text for a line; among all contributions of a point, the highest priority that answers wins. */
export interface TextContribution<Args> {
  priority: number
  text(args: Args): string | null
}

export interface ExtensionPoints {
  /** Drawn on a conversation's avatar (bottom corner), in its row and in the chat header. Props: `conversation`, `size`. */
  'conversation.avatar': Component<{ conversation: ConversationRef; size: number }>
  /** The chat header's status line ("online", "last seen …", "typing…"). `now` ticks so relative times stay true. */
  'conversation.status': TextContribution<{ conversation: ConversationRef; now: number }>
  /** Shown instead of the last message's preview in the conversation row while it answers. */
  'conversation.preview': TextContribution<{ conversation: ConversationRef }>
  /** Told of every edit of a conversation's draft (cheap: called on each input event). */
  'composer.input': (conversationId: string, text: string) => void
  /** Small controls under my own name in the sidebar header. No props. */
  'sidebar.me': Component
}

export type ExtensionPoint = keyof ExtensionPoints

export interface Extensions {
  /** Adds `item` to `point`; the returned function takes it out again. */
  add<P extends ExtensionPoint>(point: P, item: ExtensionPoints[P]): () => void
  /** What has been added to `point`, in order of addition (reactive). */
  list<P extends ExtensionPoint>(point: P): readonly ExtensionPoints[P][]
  /** The answer of the highest-priority text contribution that has one, else null. */
  text<P extends 'conversation.status' | 'conversation.preview'>(
    point: P,
    args: ExtensionPoints[P] extends TextContribution<infer A> ? A : never,
  ): string | null
}

export function createExtensions(): Extensions {
  const points = new Map<ExtensionPoint, unknown[]>()
  const listOf = (point: ExtensionPoint): unknown[] => {
    let list = points.get(point)
    if (!list) points.set(point, (list = shallowReactive([])))
    return list
  }
  return {
    add(point, item) {
      const entry = typeof item === 'object' && item !== null && !('text' in item) ? markRaw(item) : item
      const list = listOf(point)
      list.push(entry)
      return () => {
        const at = list.indexOf(entry)
        if (at >= 0) list.splice(at, 1)
      }
    },
    list: (point) => listOf(point) as never,
    text(point, args) {
      const items = listOf(point) as TextContribution<typeof args>[]
      let best: { priority: number; text: string } | null = null
      for (const item of items) {
        if (best && item.priority <= best.priority) continue
        const text = item.text(args)
        if (text !== null) best = { priority: item.priority, text }
      }
      return best?.text ?? null
    },
  }
}

export const ExtensionsKey: InjectionKey<Extensions> = Symbol('parley-extensions')

export function useExtensions(): Extensions {
  const extensions = inject(ExtensionsKey)
  if (!extensions) throw new Error('Extensions were not provided to this component tree.')
  return extensions
}
