import { resolve } from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'

const fx = vi.hoisted(() => ({
  app: { relaunch: vi.fn(), quit: vi.fn() },
  dialog: { showOpenDialog: vi.fn() },
}))

vi.mock('electron', () => ({ app: fx.app, dialog: fx.dialog }))

import { argsWithDataDir, chooseDataDirAndRelaunch } from '../../../src/main/data-dir-switch'

describe('switching to another data directory (desktop)', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    fx.app.relaunch.mockReset()
    fx.app.quit.mockReset()
    fx.dialog.showOpenDialog.mockReset()
  })

  it('replaces --data-dir in either spelling and keeps every other argument', () => {
    expect(argsWithDataDir(['.', '--data-dir', '/old', '--verbose'], '/new')).toEqual(['.', '--verbose', '--data-dir=/new'])
    expect(argsWithDataDir(['.', '--data-dir=/old'], '/new')).toEqual(['.', '--data-dir=/new'])
    expect(argsWithDataDir(['.', '--data-dir', '--verbose'], '/new')).toEqual(['.', '--verbose', '--data-dir=/new'])
    expect(argsWithDataDir([], '/with space')).toEqual(['--data-dir=/with space'])
  })

  it('asks for a folder, relaunches on it and quits (after answering)', async () => {
    const win = { id: 1 }
    fx.dialog.showOpenDialog.mockResolvedValue({ canceled: false, filePaths: ['/home/me/work-chat'] })
    const done = await chooseDataDirAndRelaunch({ currentDir: '/home/me/.config/Parley', window: () => win as never, argv: ['/usr/bin/electron', '.', '--data-dir', '/home/me/.config/Parley'] })
    expect(done).toBe(true)
    expect(fx.dialog.showOpenDialog).toHaveBeenCalledWith(win, expect.objectContaining({ properties: ['openDirectory', 'createDirectory'], defaultPath: '/home/me/.config/Parley' }))
    expect(fx.app.relaunch).toHaveBeenCalledWith({ args: ['.', `--data-dir=${resolve('/home/me/work-chat')}`] })
    expect(fx.app.quit).not.toHaveBeenCalled()
    vi.advanceTimersByTime(200)
    expect(fx.app.quit).toHaveBeenCalledTimes(1)
  })

  it('does nothing when the person cancels or picks the directory in use', async () => {
    fx.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] })
    expect(await chooseDataDirAndRelaunch({ currentDir: '/d/a', window: () => null, argv: ['x'] })).toBe(false)
    fx.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/d/a/'] })
    expect(await chooseDataDirAndRelaunch({ currentDir: '/d/a', window: () => null, argv: ['x'] })).toBe(false)
    vi.advanceTimersByTime(200)
    expect(fx.app.relaunch).not.toHaveBeenCalled()
    expect(fx.app.quit).not.toHaveBeenCalled()
    // Without a window the dialog is shown on its own.
    expect(fx.dialog.showOpenDialog.mock.calls[0]).toHaveLength(1)
  })
})
