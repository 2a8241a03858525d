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
import type { ChatMessage, ConversationSummary } from '../../../shared/contract'

/** What a contribution is told about a conversation. */
export type ConversationRef = Pick<ConversationSummary, 'id' | 'kind' | 'peer'>

/** A place of its own in the sidebar (a tab next to Chats): contacts, moments… */
export interface SidebarPanel {
  id: string
  label: string
  /** Lower first; Chats is 0. */
  order: number
  /** A count on the tab (pending requests, new posts), or null. Called inside a computed. */
  badge?: () => number | null
  /** No tab: a feature opens it itself (useSidebarNav().open(id)), e.g. from an entry above the list. */
  hidden?: boolean
  component: Component
}

/** A section of the settings screen. */
export interface SettingsSection {
  id: string
  title: string
  /** Lower first. */
  order: number
  component: Component
}

/** Text for a line; among all contributions of a point, the highest priority that answers wins. */
export interface TextContribution<Args> {
  priority: number
  text(args: Args): string | null
}

/** What the composer offers while the text before the caret asks for it (an @mention). */
export interface ComposerSuggestions {
  /** Where the text to replace starts (the `@`); it ends at the caret. */
  start: number
  items: readonly { key: string; label: string; hint?: string; insert: string }[]
}

export interface ExtensionPoints {
  /** Drawn on a conversation's avatar (bottom corner), in its row and in the chat header. Props: `conversation`, `size`. */
  'conversation.avatar': Component<{ conversation: ConversationRef; size: number }>
  /** The chat header's status line ("online", "last seen …", "typing…"). `now` ticks so relative times stay true. */
  'conversation.status': TextContribution<{ conversation: ConversationRef; now: number }>
  /** Shown instead of the last message's preview in the conversation row while it answers. */
  'conversation.preview': TextContribution<{ conversation: ConversationRef }>
  /**
   * Why nobody can write in a conversation (a region's broadcasts): the chat shows
   * this sentence where the composer would be; null: the composer is there.
   */
  'composer.readOnly': TextContribution<{ conversation: ConversationRef }>
  /** Told of every edit of a conversation's draft (cheap: called on each input event). */
  'composer.input': (conversationId: string, text: string) => void
  /**
   * Completions for the text before the caret (`before`), e.g. group members after an `@`;
   * the composer lists them (Up/Down, Enter or Tab picks, Esc closes) and puts the picked
   * one's `insert` in place of `before.slice(start)`. The first that answers wins.
   */
  'composer.suggest': (conversationId: string, before: string) => ComposerSuggestions | null
  /** Above the first bubble of a run of one sender's messages (the sender's name in a group). Props: `message`. */
  'message.header': Component<{ message: ChatMessage }>
  /** Small marks in every bubble beside its time (a room message's topic and "retained"). Props: `message`. */
  'message.meta': Component<{ message: ChatMessage }>
  /** Why a message stands out ("Mentions you"): the bubble is highlighted and says so; null: it does not. */
  'message.highlight': TextContribution<{ message: ChatMessage }>
  /** More about a message of mine, added to its status mark's tooltip ("Delivered to 2 of 3, read by 1"). */
  'message.details': TextContribution<{ message: ChatMessage }>
  /** Why a conversation is quiet ("Muted"): its row shows a muted mark and a grey unread count; null: it is not. */
  'conversation.muted': TextContribution<{ conversation: ConversationRef }>
  /** A picture for a conversation that is not a person (a group's photo); null: initials of its title. */
  'conversation.image': TextContribution<{ conversation: ConversationRef }>
  /** Small controls under my own name in the sidebar header. No props. */
  'sidebar.me': Component
  /** Buttons in the sidebar header, beside "new conversation" (settings). No props. */
  'sidebar.actions': Component
  /** Tabs of the sidebar besides the conversation list. */
  'sidebar.panel': SidebarPanel
  /** Above the conversation list (the "Message requests" entry). No props. */
  'conversations.top': Component
  /** Buttons in the chat header (block, contact details). Props: `conversation`. */
  'conversation.actions': Component<{ conversation: ConversationRef }>
  /** Between the messages and the composer (a message request's Accept / Block / Delete). Props: `conversation`. */
  'conversation.banner': Component<{ conversation: ConversationRef }>
  /** The name to show for a user (a profile's display name); null: the user name. */
  'person.name': TextContribution<{ user: string }>
  /** An image URL for a user's avatar (a profile photo); null: initials. */
  'person.avatar': TextContribution<{ user: string }>
  /** Drawn over the app (dialogs, the settings screen). No props. */
  'app.overlay': Component
  /** Sections of the settings screen. */
  'settings.section': SettingsSection
}

export type ExtensionPoint = keyof ExtensionPoints
type TextPoint = { [P in ExtensionPoint]: ExtensionPoints[P] extends TextContribution<unknown> ? P : never }[ExtensionPoint]

export interface Extensions {
  /** Adds `item` to `point`; the returned function takes it out again. */
  add<P extends ExtensionPoint>(point: P, item: ExtensionPoints[P]): () => void
  /** What has been added to `point`, in order of addition (reactive). */
  list<P extends ExtensionPoint>(point: P): readonly ExtensionPoints[P][]
  /** The answer of the highest-priority text contribution that has one, else null. */
  text<P extends TextPoint>(
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
      // Components must not become reactive; records holding one keep the record reactive-free too.
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
