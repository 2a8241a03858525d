/**
 * Which view the sidebar shows: 'chats' (the conversation list) or a feature's
 * panel. Tabs switch it; a feature opens a panel that has no tab (the Requests
 * list, from its entry above the conversation list) with `open`.
 */
import { inject, type InjectionKey, type Ref } from 'vue'

export interface SidebarNav {
  readonly current: Readonly<Ref<string>>
  /** Shows panel `id` ('chats' for the conversation list). */
  open(id: string): void
}

export const SidebarNavKey: InjectionKey<SidebarNav> = Symbol('parley-sidebar-nav')

export function useSidebarNav(): SidebarNav {
  const nav = inject(SidebarNavKey)
  if (!nav) throw new Error('The sidebar is not on screen.')
  return nav
}
