import { createHash } from 'node:crypto'
import type { ChatMessage, ConversationSummary, ExportFormat } from '../../../../shared/contract'

/** What an export file says about itself. */
export interface ExportMeta {
  exportedAt: number
  account: string | null
}

export type ExportConversation = Pick<ConversationSummary, 'id' | 'kind' | 'peer' | 'title'>

/**
 * Turns a history into one file's text, piece by piece, so an export of any size is
 * written a page at a time: `begin`, then for each conversation `open`, its pages of
 * messages (oldest first) and `close`, then `end`. The pieces concatenated are the file.
 */
export interface HistoryWriter {
  readonly extension: string
  begin(meta: ExportMeta): string
  open(c: ExportConversation): string
  messages(page: readonly ChatMessage[]): string
  close(): string
  end(): string
}

export const JSON_FORMAT = 'parley-history'
export const JSON_VERSION = 1

/** The message fields an export keeps (the JSON export's `messages` rows). */
const exported = (m: ChatMessage) => ({ id: m.id, sender: m.sender, direction: m.direction, ts: m.ts, text: m.text, status: m.status })

/** Parley's own format, which `importHistory` reads back: one message per line, so a diff or a grep still works. */
function jsonWriter(): HistoryWriter {
  let conversations = 0
  let inConversation = 0
  return {
    extension: 'json',
    begin: (meta) =>
      `{"format":${JSON.stringify(JSON_FORMAT)},"version":${JSON_VERSION},"exportedAt":${JSON.stringify(new Date(meta.exportedAt).toISOString())},` +
      `"account":${JSON.stringify(meta.account)},"conversations":[`,
    open(c) {
      inConversation = 0
      return `${conversations++ ? ',' : ''}\n{"id":${JSON.stringify(c.id)},"kind":${JSON.stringify(c.kind)},"peer":${JSON.stringify(c.peer)},"title":${JSON.stringify(c.title)},"messages":[`
    },
    messages: (page) => page.map((m) => `${inConversation++ ? ',' : ''}\n${JSON.stringify(exported(m))}`).join(''),
    close: () => '\n]}',
    end: () => '\n]}\n',
  }
}

const pad = (n: number): string => String(n).padStart(2, '0')
/** The day a message is shown under (this machine's time zone, as the app shows it). */
export const dayOf = (ts: number): string => {
  const d = new Date(ts)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}
export const timeOf = (ts: number): string => {
  const d = new Date(ts)
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
/** Text as HTML text: never markup, whatever a message says. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!)

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;max-width:760px;margin:24px auto;padding:0 16px;color:#1d2430;background:#fff}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}h3{font-size:13px;color:#667;text-align:center;margin:20px 0 8px}
.m{margin:6px 0}.meta{font-size:12px;color:#667}.s{font-weight:600;color:#1d2430}.t{white-space:pre-wrap;overflow-wrap:anywhere;margin:2px 0 0}
.out .s{color:#2a5db0}`
// Only this stylesheet may apply, and nothing may run or load: the page stays inert even if escaping ever failed.
const CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`

/** A standalone page a person reads in any browser: day headers, then sender, time and text of each message. */
function htmlWriter(): HistoryWriter {
  let day = ''
  return {
    extension: 'html',
    begin: (meta) =>
      `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="${CSP}">\n` +
      `<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>Parley history</title>\n<style>${STYLE}</style>\n</head>\n<body>\n` +
      `<h1>Parley history${meta.account ? ` of <bdi>${escapeHtml(meta.account)}</bdi>` : ''}</h1>\n<p class="meta">Exported ${escapeHtml(new Date(meta.exportedAt).toISOString())}</p>\n`,
    open(c) {
      day = ''
      return `<section>\n<h2><bdi>${escapeHtml(c.title)}</bdi> <span class="meta">(${escapeHtml(c.kind)})</span></h2>\n`
    },
    messages(page) {
      let out = ''
      for (const m of page) {
        const d = dayOf(m.ts)
        if (d !== day) out += `<h3>${(day = d)}</h3>\n`
        out +=
          `<div class="m ${m.direction}"><div class="meta"><bdi class="s">${escapeHtml(m.sender)}</bdi> <time datetime="${new Date(m.ts).toISOString()}">${timeOf(m.ts)}</time></div>` +
          `<p class="t" dir="auto">${escapeHtml(m.text)}</p></div>\n`
      }
      return out
    },
    close: () => '</section>\n',
    end: () => '</body>\n</html>\n',
  }
}

/**
 * Text as Markdown text: characters that would make markup (emphasis, links, code,
 * HTML, entities, headings, lists, tables) are backslash-escaped, which CommonMark
 * allows for any ASCII punctuation.
 */
export const escapeMarkdown = (s: string): string =>
  s
    .replace(/[\\`*_{}[\]()<>#+\-!|~&=]/g, '\\$&')
    // "1." or "1)" at the start of a line would begin a numbered list.
    .replace(/^(\s*\d+)([.)])/gm, '$1\\$2')

/** A message's lines as a block quote; a backslash at a line's end keeps its line break. */
const quote = (text: string): string =>
  escapeMarkdown(text)
    .split(/\r?\n/)
    .map((line) => `> ${line}`)
    .join('\\\n')

function markdownWriter(): HistoryWriter {
  let day = ''
  return {
    extension: 'md',
    begin: (meta) => `# Parley history${meta.account ? ` of ${escapeMarkdown(meta.account)}` : ''}\n\nExported ${new Date(meta.exportedAt).toISOString()}\n`,
    open(c) {
      day = ''
      return `\n## ${escapeMarkdown(c.title)} (${c.kind})\n`
    },
    messages(page) {
      let out = ''
      for (const m of page) {
        const d = dayOf(m.ts)
        if (d !== day) out += `\n### ${(day = d)}\n`
        out += `\n**${escapeMarkdown(m.sender)}** · ${timeOf(m.ts)}\n\n${quote(m.text)}\n`
      }
      return out
    },
    close: () => '',
    end: () => '',
  }
}

export function historyWriter(format: ExportFormat): HistoryWriter {
  switch (format) {
    case 'json':
      return jsonWriter()
    case 'html':
      return htmlWriter()
    case 'markdown':
      return markdownWriter()
  }
}
