/** The settings feature's I/O: opening and closing the screen (also with Ctrl/Cmd+,) and the privacy settings. */
import { inject, nextTick, type InjectionKey } from 'vue'
import type { MessageRequestSettings, ReceiptSettings } from '../../../../shared/contract'
import { AccountActionsKey } from '../account'
import type { FeatureContext } from '../feature'
import { useSettingsStore } from './store'

export interface SettingsNav {
  /** Opens the screen (on `section`, else at the top); remembers where focus was, to go back there on close. */
  open(section?: string): void
  close(): void
}

export const SettingsNavKey: InjectionKey<SettingsNav> = Symbol('parley-settings-nav')

/** The screen's opener, or null when the settings feature is not installed. */
export function useSettingsNav(): SettingsNav | null {
  return inject(SettingsNavKey, null)
}

export interface PrivacyActions {
  receipts(): Promise<ReceiptSettings>
  setSendReadReceipts(on: boolean): Promise<ReceiptSettings>
  messageRequests(): Promise<MessageRequestSettings>
  setAcceptFromAnyone(on: boolean): Promise<MessageRequestSettings>
}

export const PrivacyActionsKey: InjectionKey<PrivacyActions> = Symbol('parley-privacy')

export function usePrivacyActions(): PrivacyActions {
  const actions = inject(PrivacyActionsKey)
  if (!actions) throw new Error('The settings feature is not installed.')
  return actions
}

/** Ctrl+, on Windows and Linux, Cmd+, on macOS. */
export function isSettingsShortcut(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key === ','
}

export function setupSettings(ctx: FeatureContext): SettingsNav {
  const store = useSettingsStore(ctx.pinia)
  let returnFocus: HTMLElement | null = null

  const nav: SettingsNav = {
    open(section) {
      if (store.hosts === 0) return
      if (!store.isOpen) {
        const active = document.activeElement
        returnFocus = active instanceof HTMLElement ? active : null
      }
      // Opened afresh, it starts at the top (the list, in a narrow window) unless a section is asked for.
      if (!store.isOpen || section !== undefined) store.section = section ?? null
      store.isOpen = true
    },
    close() {
      if (!store.isOpen) return
      store.isOpen = false
      const back = returnFocus
      returnFocus = null
      // Back where the person was; if that control is gone (a notice that cleared), to the settings button.
      void nextTick(() => {
        const target = back?.isConnected ? back : document.querySelector<HTMLElement>('[data-testid="open-settings"]')
        target?.focus()
      })
    },
  }
  ctx.provide(SettingsNavKey, nav)
  ctx.onStop(ctx.inject(AccountActionsKey).onChangeBroker(() => nav.open('broker')))

  const { api } = ctx
  ctx.provide(PrivacyActionsKey, {
    receipts: () => api.receipts.settings(),
    setSendReadReceipts: (on) => api.receipts.setSendReadReceipts(on),
    messageRequests: () => api.messageRequests.settings(),
    setAcceptFromAnyone: (on) => api.messageRequests.setAcceptFromAnyone(on),
  })

  const onKeydown = (e: KeyboardEvent): void => {
    // Esc closes the screen wherever the focus is — not only through <dialog>'s cancel, which browsers
    // may skip for repeated presses. Decided once every listener has had the key: a dialog opened on
    // top of the screen (which also listens on the window) takes its Esc for itself.
    if (e.key === 'Escape' && store.isOpen) {
      if (!e.defaultPrevented) setTimeout(() => e.defaultPrevented || nav.close())
      return
    }
    if (!isSettingsShortcut(e)) return
    e.preventDefault()
    if (store.isOpen) nav.close()
    else nav.open()
  }
  window.addEventListener('keydown', onKeydown)
  ctx.onStop(() => window.removeEventListener('keydown', onKeydown))
  return nav
}
