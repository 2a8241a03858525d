import { describe, expect, it } from 'vitest'
import { METHOD_ARGS } from '../../../src/shared/contract'

describe('history over IPC and the web bridge', () => {
  it('an export asked for by a user interface cannot name the file: the path is dropped, it goes to the exports folder', () => {
    const [input] = METHOD_ARGS.history.exportHistory.parse([{ conversationId: null, format: 'json', path: '/home/me/.bashrc' }]) as [Record<string, unknown>]
    expect(input).toEqual({ conversationId: null, format: 'json' })
  })

  it('an import asked for by a user interface sends the text; a path to read is refused', () => {
    expect(() => METHOD_ARGS.history.importHistory.parse([{ path: '/etc/passwd' }])).toThrow()
    expect(METHOD_ARGS.history.importHistory.parse([{ text: '{}', name: 'x.json' }])).toEqual([{ text: '{}', name: 'x.json' }])
  })
})
