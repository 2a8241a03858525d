import { resolve } from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(__dirname, '../../..')
const eslint = new ESLint({ cwd: ROOT })

/** Lints `code` as if it were the file at `path` (relative to the repo); returns the rule ids that fired as errors. */
async function errors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, path) })
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`)
}

describe('lint layer rules', () => {
  it('rejects an electron import under src/main/core', async () => {
    const found = await errors('src/main/core/features/messages/bad.ts', "import { app } from 'electron'\nexport const x = app\n")
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(/^no-restricted-imports: .*electron.*plain Node/)
  })

  it('rejects core reaching into the shell, renderer or preload', async () => {
    expect(await errors('src/main/core/mqtt/bad.ts', "import { createMainWindow } from '../../window'\nexport const x = createMainWindow\n")).toEqual([
      expect.stringMatching(/^parley\/layer-imports: .*src\/main\/window/),
    ])
    expect(await errors('src/main/core/bad.ts', "import x from '../../renderer/src/App.vue'\nexport default x\n")).toContainEqual(
      expect.stringMatching(/^no-restricted-imports:/),
    )
    expect(await errors('src/main/core/bad.ts', "export * from '../../preload/index'\n")).not.toEqual([])
  })

  it('lets core import node built-ins, packages, itself and src/shared', async () => {
    const code = [
      "import { join } from 'node:path'",
      "import Database from 'better-sqlite3'",
      "import { silentLogger } from '../kernel/log'",
      "import { NameSchema } from '../../../shared/protocol/names'",
      'export const x = [join, Database, silentLogger, NameSchema]',
      '',
    ].join('\n')
    expect(await errors('src/main/core/store/ok.ts', code)).toEqual([])
  })

  it('rejects node built-ins, electron and server packages in the renderer', async () => {
    expect(await errors('src/renderer/src/bad.ts', "import fs from 'node:fs'\nexport const x = fs\n")).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*no Node/),
    ])
    expect(await errors('src/renderer/src/bad.ts', "import path from 'path'\nexport const x = path\n")).toHaveLength(1)
    expect(await errors('src/renderer/src/bad.ts', "import { ipcRenderer } from 'electron'\nexport const x = ipcRenderer\n")).toHaveLength(1)
    expect(await errors('src/renderer/src/bad.ts', "import mqtt from 'mqtt'\nexport const x = mqtt\n")).toHaveLength(1)
    expect(await errors('src/preload/web.ts', "import { readFileSync } from 'fs'\nexport const x = readFileSync\n")).toHaveLength(1)
    expect(await errors('src/renderer/src/stores/bad.ts', "import { ParleyCore } from '../../../main/core/engine'\nexport const x = ParleyCore\n")).not.toEqual([])
  })

  it('lets the renderer import vue, pinia and src/shared', async () => {
    const code = "import { ref } from 'vue'\nimport { isEventName } from '../../../shared/rpc'\nexport const x = [ref, isEventName]\n"
    expect(await errors('src/renderer/src/stores/ok.ts', code)).toEqual([])
  })

  it('accepts zod in src/shared but rejects node built-ins and other layers there', async () => {
    expect(await errors('src/shared/ok.ts', "import { z } from 'zod'\nexport const S = z.string()\n")).toEqual([])
    expect(await errors('src/shared/bad.ts', "import { join } from 'node:path'\nexport const x = join\n")).toHaveLength(1)
    expect(await errors('src/shared/bad.ts', "import { app } from 'electron'\nexport const x = app\n")).toHaveLength(1)
    expect(await errors('src/shared/bad.ts', "import { log } from '../main/core/kernel/log'\nexport const x = log\n")).not.toEqual([])
  })

  it('limits the Electron preload to electron and src/shared', async () => {
    expect(await errors('src/preload/index.ts', "import { contextBridge } from 'electron'\nimport { createApiClient } from '../shared/rpc'\nexport const x = [contextBridge, createApiClient]\n")).toEqual([])
    expect(await errors('src/preload/index.ts', "import { readFileSync } from 'node:fs'\nexport const x = readFileSync\n")).toHaveLength(1)
    expect(await errors('src/preload/index.ts', "import { wireIpc } from '../main/ipc'\nexport const x = wireIpc\n")).not.toEqual([])
  })

  it('keeps mqtt/, store/, protocol/ and kernel/ from importing a feature', async () => {
    expect(await errors('src/main/core/mqtt/bad.ts', "import { messagesFeature } from '../features/messages'\nexport const x = messagesFeature\n")).toEqual([
      expect.stringMatching(/^parley\/layer-imports: .*never import a feature/),
    ])
    expect(await errors('src/main/core/store/bad.ts', "import type { MessagesApi } from '../features/messages/api'\nexport type X = MessagesApi\n")).toHaveLength(1)
    expect(await errors('src/main/core/kernel/ok.ts', "import { Publisher } from '../mqtt/publisher'\nexport const x = Publisher\n")).toEqual([])
  })

  it("lets a core feature use another only through its index or api", async () => {
    expect(await errors('src/main/core/features/receipts/ok.ts', "import type { MessagesApi } from '../messages/api'\nimport type { ConversationsApi } from '../conversations'\nexport type X = [MessagesApi, ConversationsApi]\n")).toEqual([])
    expect(await errors('src/main/core/features/receipts/bad.ts', "import { MessageStore } from '../messages/store'\nexport const x = MessageStore\n")).toEqual([
      expect.stringMatching(/^parley\/feature-imports: The receipts feature may not import '..\/messages\/store'/),
    ])
    expect(await errors('src/main/core/features/typing/bad.ts', "import { handleDirect } from '../messages/inbound'\nexport const x = handleDirect\n")).toHaveLength(1)
  })

  it('lets a renderer feature use another only through its index', async () => {
    expect(await errors('src/renderer/src/features/typing/ok.ts', "import * as m from '../messages'\nexport const x = m\n")).toEqual([])
    expect(await errors('src/renderer/src/features/typing/bad.ts', "import { useMessagesStore } from '../messages/store'\nexport const x = useMessagesStore\n")).toEqual([
      expect.stringMatching(/^parley\/feature-imports:/),
    ])
  })

  it('lets only src/renderer/src/api.ts read window.parley', async () => {
    expect(await errors('src/renderer/src/features/messages/bad.ts', 'export const x = window.parley.messages\n')).toEqual([
      expect.stringMatching(/^no-restricted-properties: .*api\.ts/),
    ])
    expect(await errors('src/renderer/src/api.ts', 'export const x = window.parley\n')).toEqual([])
  })

  it('forbids v-html in Vue templates', async () => {
    const sfc = '<template>\n  <div v-html="html" />\n</template>\n\n<script setup lang="ts">\nconst html = \'<b>x</b>\'\n</script>\n'
    expect(await errors('src/renderer/src/components/Bad.vue', sfc)).toContainEqual(expect.stringMatching(/^vue\/no-v-html/))
  })
})
