import { Menu, Tray, nativeImage } from 'electron'
import { trayTooltip } from './unread'

export interface ParleyTray {
  setUnread(total: number): void
  destroy(): void
}

/** The tray icon: click or "Show Parley" brings the window up, "Quit" quits. */
export function createTray(iconPath: string, actions: { show(): void; quit(): void }): ParleyTray {
  const tray = new Tray(nativeImage.createFromPath(iconPath))
  tray.setToolTip(trayTooltip(0))
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Show Parley', click: () => actions.show() },
      { type: 'separator' },
      { label: 'Quit', click: () => actions.quit() },
    ]),
  )
  tray.on('click', () => actions.show())
  return {
    setUnread(total) {
      tray.setToolTip(trayTooltip(total))
    },
    destroy() {
      tray.destroy()
    },
  }
}
