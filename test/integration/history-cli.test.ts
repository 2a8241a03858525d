/**
 * `parley export` and `parley import` as a script sees them: the real bin, working
 * from the stored history alone (no broker needed); a message that came through the
 * file's Mosquitto is exported with the rest.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useCliLab } from './support/cli-lab'
import { parley } from './support/processes'

interface ExportDoc {
  format: string
  version: number
  account: string | null
  conversations: { id: string; kind: string; title: string; messages: { id: string; sender: string; direction: string; ts: number; text: string; status: string }[] }[]
}

const T = Date.UTC(2026, 10, 1, 8, 0)
const uuid = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`

/** An export as another Parley wrote it: bob's chat with hostile text. */
const EXPORT: ExportDoc = {
  format: 'parley-history',
  version: 1,
  account: 'alice',
  conversations: [
    {
      id: 'dm:bob',
      kind: 'dm',
      title: 'bob',
      messages: [
        { id: uuid(1), sender: 'bob', direction: 'in', ts: T, text: '<script>alert(1)</script> & **bold**', status: 'received' },
        { id: uuid(2), sender: 'alice', direction: 'out', ts: T + 60_000, text: '北京 שלום 🎉', status: 'read' },
      ],
    },
  ],
}

describe('parley CLI: export and import', () => {
  const lab = useCliLab('parley-cli-history-')
  const { as, local } = lab

  it('imports an export (twice: nothing doubled), exports it with a live message as JSON, HTML and Markdown, and a fresh history imports the JSON back', async () => {
    const file = join(lab.dir, 'from-elsewhere.json')
    writeFileSync(file, JSON.stringify({ ...EXPORT, conversations: EXPORT.conversations.map((c) => ({ ...c, peer: 'bob' })) }))
    expect((await parley(['send', '--to', 'bob', ...as('alice'), 'sent live'])).code).toBe(0)

    expect(await parley(['import', file, ...local('alice')])).toMatchObject({ code: 0, stdout: 'Imported 2 messages, 0 already here.\n' })
    expect(await parley(['import', file, ...local('alice')])).toMatchObject({ code: 0, stdout: 'Imported 0 messages, 2 already here.\n' })

    const json = await parley(['export', '--with', 'bob', ...local('alice')])
    expect(json.code).toBe(0)
    expect(json.stderr).toBe('Exported 3 messages.\n')
    const path = json.stdout.trim()
    expect(path.startsWith(join(lab.dataDir('alice'), 'exports', 'parley-bob-'))).toBe(true)
    const doc = JSON.parse(readFileSync(path, 'utf8')) as ExportDoc
    expect(doc).toMatchObject({ format: 'parley-history', version: 1, account: 'alice' })
    expect(doc.conversations.map((c) => c.id)).toEqual(['dm:bob'])
    expect(doc.conversations[0]!.messages.map((m) => [m.sender, m.text])).toEqual([
      ['bob', '<script>alert(1)</script> & **bold**'],
      ['alice', '北京 שלום 🎉'],
      ['alice', 'sent live'],
    ])

    const html = join(lab.dir, 'bob.html')
    expect(await parley(['export', '--with', 'bob', '--format', 'html', '--out', html, ...local('alice')])).toMatchObject({ code: 0, stdout: `${html}\n` })
    const page = readFileSync(html, 'utf8')
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; **bold**')
    expect(page).not.toContain('<script>')
    const md = await parley(['export', '--all', '--format', 'markdown', ...local('alice')])
    expect(md.code).toBe(0)
    expect(md.stdout.trim()).toMatch(/parley-all-\d{4}-\d\d-\d\d-\d{4}\.md$/)
    expect(readFileSync(md.stdout.trim(), 'utf8')).toContain('> \\<script\\>alert\\(1\\)\\</script\\> \\& \\*\\*bold\\*\\*')

    // A fresh history (no broker ever set) takes the JSON back: the same messages.
    const back = await parley(['import', path, ...local('alice2'), '--json'])
    expect(back.code).toBe(0)
    expect(JSON.parse(back.stdout)).toEqual({ state: 'done', added: 3, skipped: 0, invalid: 0 })
    const again = await parley(['export', '--with', 'bob', '--out', join(lab.dir, 'again.json'), ...local('alice2')])
    expect(again.code).toBe(0)
    const strip = (d: ExportDoc) => d.conversations[0]!.messages.map(({ id, sender, direction, ts, text }) => ({ id, sender, direction, ts, text }))
    expect(strip(JSON.parse(readFileSync(join(lab.dir, 'again.json'), 'utf8')) as ExportDoc)).toEqual(strip(doc))
  })

  it('refuses what is not an export and bad usage, with clear messages', async () => {
    const notes = join(lab.dir, 'notes.txt')
    writeFileSync(notes, 'just some notes')
    const bad = await parley(['import', notes, ...local('carol')])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toBe(`parley: ${notes} is not a Parley history export (the JSON file that Export writes).\n`)
    const missing = await parley(['export', '--with', 'nobody', ...local('carol')])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe('parley: There is no such conversation in this history.\n')
    const both = await parley(['export', '--with', 'bob', '--all', ...local('carol')])
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('export needs either --with NAME (or a conversation id) or --all.')
    const format = await parley(['export', '--all', '--format', 'pdf', ...local('carol')])
    expect(format.code).toBe(2)
    expect(format.stderr).toContain('--format:')
  })
})
