/**
 * Reads the numbers (and the names that go with them) out of a contacts file a
 * person picked: a vCard (.vcf) export or a CSV file from any address book or
 * spreadsheet. Nothing here decides whether a number is valid (numbers.ts does).
 */

export interface FileEntry {
  /** The number as written in the file. */
  raw: string
  name: string | null
}

/** Most characters of a name taken from a file. */
const MAX_NAME_CHARS = 64
/** Invisible or direction-changing characters: never part of a shown name. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu

/** A name from a file as it may be shown: no invisible characters, single spaces, at most 64 characters; null if empty. */
export function cleanName(raw: string | null | undefined): string | null {
  if (!raw) return null
  const text = raw.replace(INVISIBLE, ' ').replace(/\s+/gu, ' ').trim()
  if (!text) return null
  const chars = [...text]
  return chars.length > MAX_NAME_CHARS ? chars.slice(0, MAX_NAME_CHARS).join('').trimEnd() : text
}

export function isVCard(text: string): boolean {
  return /^\s*BEGIN:VCARD\s*$/im.test(text)
}

/** Entries of either kind of file. */
export function readContactsFile(text: string): FileEntry[] {
  const body = text.replace(/^\uFEFF/, '')
  return isVCard(body) ? readVCard(body) : readCsv(body)
}

// ------------------------------------------------------------------ vCard

/** vCard's backslash escapes in text values. */
function unescapeValue(v: string): string {
  return v.replace(/\\([nN,;\\:])/g, (_, c: string) => (c === 'n' || c === 'N' ? ' ' : c))
}

/** vCard 2.1 QUOTED-PRINTABLE, as UTF-8 bytes. */
function decodeQuotedPrintable(v: string): string {
  const bytes: number[] = []
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(v.slice(i + 1, i + 3))) {
      bytes.push(parseInt(v.slice(i + 1, i + 3), 16))
      i += 2
    } else {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b)
    }
  }
  return Buffer.from(bytes).toString('utf8')
}

interface Property {
  name: string
  params: string[]
  value: string
}

/** `item1.TEL;TYPE=cell:+48…` → {name: 'TEL', params: ['TYPE=cell'], value: '+48…'}; the colon may not sit inside a quoted parameter. */
function parseProperty(line: string): Property | null {
  let quoted = false
  let colon = -1
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (c === '"') quoted = !quoted
    else if (c === ':' && !quoted) {
      colon = i
      break
    }
  }
  if (colon <= 0) return null
  const [head, ...params] = line.slice(0, colon).split(';')
  const name = head!.replace(/^[^.]*\./, '').trim().toUpperCase()
  return { name, params, value: line.slice(colon + 1) }
}

/**
 * Logical lines: a line starting with a space or tab continues the one before
 * (folding, vCard 3/4); a QUOTED-PRINTABLE value ending in "=" continues on the
 * next line (vCard 2.1 soft breaks).
 */
function unfold(text: string): string[] {
  const raw = text.split(/\r\n|\r|\n/)
  const lines: string[] = []
  for (const l of raw) {
    const last = lines.length - 1
    if ((l.startsWith(' ') || l.startsWith('\t')) && last >= 0) lines[last] += l.slice(1)
    else if (last >= 0 && /QUOTED-PRINTABLE/i.test(lines[last]!.split(':')[0]!) && lines[last]!.endsWith('=')) lines[last] = lines[last]!.slice(0, -1) + l
    else lines.push(l)
  }
  return lines
}

function textValue(p: Property): string {
  const qp = p.params.some((x) => /QUOTED-PRINTABLE/i.test(x))
  return unescapeValue(qp ? decodeQuotedPrintable(p.value) : p.value)
}

/** N is Family;Given;Middle;Prefix;Suffix: shown as "Prefix Given Middle Family Suffix". */
function nameFromN(value: string): string | null {
  const parts = value.split(/(?<!\\);/).map((s) => unescapeValue(s).trim())
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = parts
  return cleanName([prefix, given, middle, family, suffix].filter(Boolean).join(' '))
}

export function readVCard(text: string): FileEntry[] {
  const entries: FileEntry[] = []
  let card: { fn: string | null; n: string | null; tels: string[] } | null = null
  for (const line of unfold(text)) {
    const p = parseProperty(line)
    if (!p) continue
    if (p.name === 'BEGIN' && /^VCARD$/i.test(p.value.trim())) card = { fn: null, n: null, tels: [] }
    else if (p.name === 'END' && /^VCARD$/i.test(p.value.trim())) {
      if (card) {
        const name = card.fn ?? card.n
        for (const raw of card.tels) entries.push({ raw, name })
      }
      card = null
    } else if (card && p.name === 'FN') card.fn = cleanName(textValue(p))
    else if (card && p.name === 'N') card.n = nameFromN(p.params.some((x) => /QUOTED-PRINTABLE/i.test(x)) ? decodeQuotedPrintable(p.value) : p.value)
    else if (card && p.name === 'TEL') {
      // vCard 4 writes `tel:+1-555-…;ext=2`: the number is the URI's path.
      const value = textValue(p).trim().replace(/^tel:/i, '').replace(/;.*$/, '')
      if (value) card.tels.push(value)
    }
  }
  return entries
}

// ------------------------------------------------------------------ CSV

/** The separator of the first line: comma, semicolon (European spreadsheets) or tab, whichever it has most of. */
function separatorOf(text: string): string {
  let line = ''
  let quoted = false
  for (const c of text) {
    if (c === '"') quoted = !quoted
    if ((c === '\n' || c === '\r') && !quoted) {
      if (line.trim()) break
      line = ''
      continue
    }
    if (!quoted) line += c
  }
  const counts = [',', ';', '\t'].map((s) => [s, line.split(s).length - 1] as const)
  counts.sort((a, b) => b[1] - a[1])
  return counts[0]![1] > 0 ? counts[0]![0] : ','
}

/** RFC 4180 rows: quoted fields may hold separators, line breaks and doubled quotes. */
export function parseCsv(text: string): string[][] {
  const sep = separatorOf(text)
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  let i = 0
  const endField = () => {
    row.push(field)
    field = ''
  }
  const endRow = () => {
    endField()
    if (row.some((f) => f.trim() !== '')) rows.push(row)
    row = []
  }
  while (i < text.length) {
    const c = text[i]!
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else field += c
    } else if (c === '"' && field.trim() === '') {
      field = ''
      quoted = true
    } else if (c === sep) endField()
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      endRow()
    } else field += c
    i++
  }
  if (field !== '' || row.length) endRow()
  return rows
}

/** A cell that looks like a phone number: digits with the usual punctuation, at least five digits. */
export function looksLikePhone(cell: string): boolean {
  const t = cell.trim()
  return /^(?:tel:)?\+?[\d\s().\-/]+$/i.test(t) && (t.match(/\d/g)?.length ?? 0) >= 5
}

const PHONE_HEADER = /phone|tel|mobile|cell|handy|fon|numer|number|komórk|komork|whatsapp/i
const FULL_NAME_HEADER = /^(?:display ?name|full ?name|name|nazwa|imię i nazwisko|imie i nazwisko|contact|kontakt|nom|nombre)$/i
const FIRST_NAME_HEADER = /first|given|imię|imie|vorname|prénom|prenom/i
const LAST_NAME_HEADER = /last|family|surname|nazwisko|nachname/i

/**
 * Entries of a CSV file. With a header row, the columns named like phones hold
 * the numbers (every non-empty cell there is an entry; "a ::: b" holds two, as
 * Google exports them) and the name comes from a name-like column (or first +
 * last name). Without one, every cell that looks like a number is an entry and
 * the first cell with letters is the name.
 */
export function readCsv(text: string): FileEntry[] {
  const rows = parseCsv(text)
  if (rows.length === 0) return []
  const first = rows[0]!.map((c) => c.trim())
  const header = first.every((c) => !looksLikePhone(c)) && first.some((c) => /\p{L}/u.test(c))
  const entries: FileEntry[] = []
  if (!header) {
    for (const row of rows) {
      const name = cleanName(row.find((c) => /\p{L}/u.test(c) && !c.includes('@') && !looksLikePhone(c)))
      for (const cell of row) if (looksLikePhone(cell)) entries.push({ raw: cell.trim(), name })
    }
    return entries
  }
  const phoneCols = first.flatMap((h, i) => (PHONE_HEADER.test(h) && !/type|label|typ/i.test(h) ? [i] : []))
  const full = first.findIndex((h) => FULL_NAME_HEADER.test(h))
  const given = first.findIndex((h) => FIRST_NAME_HEADER.test(h))
  const family = first.findIndex((h) => LAST_NAME_HEADER.test(h))
  const loose = first.findIndex((h) => /name|nazw/i.test(h))
  const nameOf = (row: string[]): string | null => {
    if (full >= 0 && row[full]?.trim()) return cleanName(row[full])
    const parts = [given, family].filter((i) => i >= 0).map((i) => row[i]?.trim() ?? '')
    if (parts.some(Boolean)) return cleanName(parts.filter(Boolean).join(' '))
    return loose >= 0 ? cleanName(row[loose]) : null
  }
  for (const row of rows.slice(1)) {
    const name = nameOf(row)
    if (phoneCols.length) {
      for (const i of phoneCols) {
        for (const piece of (row[i] ?? '').split(':::')) if (piece.trim()) entries.push({ raw: piece.trim(), name })
      }
    } else {
      for (const cell of row) if (looksLikePhone(cell)) entries.push({ raw: cell.trim(), name })
    }
  }
  return entries
}
