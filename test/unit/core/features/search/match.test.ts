import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { T } from '../stores'
import { searchRig, type SearchRig } from './rig'

describe('matching through the real index', () => {
  let rig: SearchRig
  beforeEach(() => {
    rig = searchRig()
  })
  afterEach(() => rig.db.close())

  it('finds C++, multi-agent and a substring inside a word, and only those', () => {
    rig.put('I write C++ daily', 'C# and C are different', 'multi-agent systems', 'multi agent, not hyphenated', 'supercalifragilistic', 'fragile')
    expect(rig.texts('C++')).toEqual(['I write C++ daily'])
    expect(rig.texts('multi-agent')).toEqual(['multi-agent systems'])
    expect(rig.texts('fragil')).toEqual(['fragile', 'supercalifragilistic'])
    expect(rig.texts('califrag')).toEqual(['supercalifragilistic'])
  })

  it('finds Chinese and Japanese words of one and two characters', () => {
    rig.put('我在北京工作', '北方很冷', '东京和北京', '東京で会議があります', '会社', 'Peking is 北京 in English')
    expect(rig.texts('北京')).toEqual(['Peking is 北京 in English', '东京和北京', '我在北京工作'])
    expect(rig.texts('京')).toEqual(['Peking is 北京 in English', '東京で会議があります', '东京和北京', '我在北京工作'])
    expect(rig.texts('東京')).toEqual(['東京で会議があります'])
    expect(rig.texts('会議')).toEqual(['東京で会議があります'])
    expect(rig.texts('会')).toEqual(['会社', '東京で会議があります'])
    expect(rig.texts('京で会')).toEqual(['東京で会議があります'])
    expect(rig.texts('is 北京 in')).toEqual(['Peking is 北京 in English'])
  })

  it('compatibility forms are the letters they stand for: full-width, ligatures, half-width kana', () => {
    rig.put('ＦＵＬＬ width', 'the ﬁle is here', 'ﾊﾝｶｸ', 'plain text')
    expect(rig.texts('full')).toEqual(['ＦＵＬＬ width'])
    expect(rig.texts('ＦＵＬＬ')).toEqual(['ＦＵＬＬ width'])
    expect(rig.texts('file')).toEqual(['the ﬁle is here'])
    expect(rig.texts('ハンカク')).toEqual(['ﾊﾝｶｸ'])
  })

  it('from: does not care about the case of the name; has:link knows any scheme:// and mailto:', () => {
    rig.put({ text: 'lunch from bob', sender: 'bob', peer: 'bob' }, { text: 'lunch from carol', sender: 'carol', peer: 'carol' })
    expect(rig.texts('lunch', { sender: 'Bob' })).toEqual(['lunch from bob'])
    rig.put('get ftp://files.example.org/a now', 'write to mailto:me@example.org', 'no link: just a colon')
    expect(rig.texts('has:link')).toEqual(['write to mailto:me@example.org', 'get ftp://files.example.org/a now'])
  })

  it('café finds cafe and cafe finds café, precomposed or decomposed, in any case', () => {
    rig.put('un café au lait', 'cafe noir', 'CAFE\u0301 CRÈME', 'caffeine')
    const all = ['CAFE\u0301 CRÈME', 'cafe noir', 'un café au lait']
    for (const q of ['café', 'cafe', 'CAFE', 'Café', 'cafe\u0301', 'CAFÉ']) expect(rig.texts(q), q).toEqual(all)
    expect(rig.texts('creme')).toEqual(['CAFE\u0301 CRÈME'])
    expect(rig.texts('crème')).toEqual(['CAFE\u0301 CRÈME'])
  })

  it('a decomposed accent does not make a two-letter term look long enough for the index', () => {
    rig.put('un né ici', 'ne pas', 'rien')
    expect(rig.texts('ne\u0301')).toEqual(['ne pas', 'un né ici'])
    expect(rig.texts('né')).toEqual(['ne pas', 'un né ici'])
  })

  it('Greek words match whatever the sigma (ΟΔΟΣ finds οδοσ and οδος)', () => {
    rig.put('ΟΔΟΣ', 'οδος', 'οδοσ')
    for (const q of ['ΟΔΟΣ', 'οδος', 'οδοσ']) expect(rig.texts(q), q).toEqual(['οδοσ', 'οδος', 'ΟΔΟΣ'])
  })

  it('Greek accents and the Russian ё fold too, which the tokenizer does not do by itself', () => {
    rig.put('η σοφία του', 'ΣΟΦΊΑ', 'σοφι\u0301α decomposed', 'ёлка и Ёж', 'ελληνικά', 'ὁδός')
    for (const q of ['σοφια', 'σοφία', 'ΣΟΦΙΑ']) expect(rig.texts(q), q).toEqual(['σοφι\u0301α decomposed', 'ΣΟΦΊΑ', 'η σοφία του'])
    expect(rig.texts('елка')).toEqual(['ёлка и Ёж'])
    expect(rig.texts('ёлка')).toEqual(['ёлка и Ёж'])
    expect(rig.texts('еж')).toEqual(['ёлка и Ёж'])
    expect(rig.texts('ελληνικα')).toEqual(['ελληνικά'])
    expect(rig.texts('οδοσ')).toEqual(['ὁδός'])
  })

  it('case does not matter, a quoted phrase keeps its space, and two terms must both be there', () => {
    rig.put('Hello World', 'hello there world', 'world peace')
    expect(rig.texts('HELLO')).toEqual(['hello there world', 'Hello World'])
    expect(rig.texts('"hello world"')).toEqual(['Hello World'])
    expect(rig.texts('hello world')).toEqual(['hello there world', 'Hello World'])
    expect(rig.texts('world peace')).toEqual(['world peace'])
    expect(rig.texts('world -peace')).toEqual([])
  })

  it('one- and two-letter words are found by checking the messages, combined with longer ones', () => {
    rig.put('hi there', 'this is it', 'nope', 'HI again', 'x')
    expect(rig.texts('hi')).toEqual(['HI again', 'this is it', 'hi there'])
    expect(rig.texts('hi there')).toEqual(['hi there'])
    expect(rig.texts('x')).toEqual(['x'])
    expect(rig.texts('is it')).toEqual(['this is it'])
  })

  it('emoji and right-to-left text are text like any other', () => {
    rig.put('party 🎉🎉 time', 'مرحبا بالعالم', 'שלום עולם')
    expect(rig.texts('🎉')).toEqual(['party 🎉🎉 time'])
    expect(rig.texts('🎉 time')).toEqual(['party 🎉🎉 time'])
    expect(rig.texts('بالعالم')).toEqual(['مرحبا بالعالم'])
    expect(rig.texts('עולם')).toEqual(['שלום עולם'])
  })

  it('has:link finds messages with a link, alone or with words', () => {
    rig.put('see https://example.org/page', 'go to www.example.com now', 'no link at all, just example', 'http://plain.test example')
    expect(rig.texts('has:link')).toEqual(['http://plain.test example', 'go to www.example.com now', 'see https://example.org/page'])
    expect(rig.texts('has:link example')).toEqual(['http://plain.test example', 'go to www.example.com now', 'see https://example.org/page'])
    expect(rig.texts('has:link now')).toEqual(['go to www.example.com now'])
  })

  it('hits come newest first by time, not by insertion order', () => {
    rig.put({ text: 'apple three', ts: T + 3000 }, { text: 'apple one', ts: T + 1000 }, { text: 'apple four', ts: T + 4000 })
    rig.put({ text: 'apple two', ts: T + 2000 })
    rig.put({ text: 'apple zero', ts: T - 10_000 })
    expect(rig.texts('apple')).toEqual(['apple four', 'apple three', 'apple two', 'apple one', 'apple zero'])
    expect(rig.texts('ap')).toEqual(['apple four', 'apple three', 'apple two', 'apple one', 'apple zero'])
  })

  it('in: a conversation and from: a sender narrow the hits', () => {
    rig.put(
      { text: 'lunch with alice', peer: 'alice' },
      { text: 'lunch with bob', peer: 'bob' },
      { text: 'my lunch to bob', peer: 'bob', sender: 'me', direction: 'out', status: 'sent' },
      { text: 'lunch in the group', conversationId: 'group:team', sender: 'bob' },
    )
    expect(rig.texts('lunch', { conversationId: 'dm:bob' })).toEqual(['my lunch to bob', 'lunch with bob'])
    expect(rig.texts('lunch', { sender: 'bob' })).toEqual(['lunch in the group', 'lunch with bob'])
    expect(rig.texts('lunch', { sender: 'bob', conversationId: 'dm:bob' })).toEqual(['lunch with bob'])
    expect(rig.texts('lu', { conversationId: 'dm:alice' })).toEqual(['lunch with alice'])
    // Scope alone, no words.
    expect(rig.texts('', { conversationId: 'group:team' })).toEqual(['lunch in the group'])
    expect(rig.texts('lunch', { conversationId: 'dm:nobody' })).toEqual([])
    expect(rig.texts('lunch', { sender: 'nobody' })).toEqual([])
  })

  it('before: and after: bound the hits by local day, month and year', () => {
    const at = (y: number, m: number, d: number, h = 12): number => new Date(y, m - 1, d, h).getTime()
    rig.put(
      { text: 'report 2025', ts: at(2025, 12, 31, 23) },
      { text: 'report jan 1', ts: new Date(2026, 0, 1).getTime() },
      { text: 'report jan 15', ts: at(2026, 1, 15) },
      { text: 'report feb', ts: at(2026, 2, 1, 0) },
      { text: 'report march', ts: at(2026, 3, 10) },
    )
    expect(rig.texts('report before:2026')).toEqual(['report 2025'])
    expect(rig.texts('report after:2025')).toEqual(['report march', 'report feb', 'report jan 15', 'report jan 1'])
    expect(rig.texts('report after:2026-01-01')).toEqual(['report march', 'report feb', 'report jan 15'])
    expect(rig.texts('report before:2026-01-15')).toEqual(['report jan 1', 'report 2025'])
    expect(rig.texts('report after:2025-12 before:2026-02')).toEqual(['report jan 15', 'report jan 1'])
    expect(rig.texts('report after:2026-01 before:2026-03')).toEqual(['report feb'])
    expect(rig.texts('re after:2026-01 before:2026-03')).toEqual(['report feb'])
    // Dates alone, no words.
    expect(rig.texts('before:2026-01-02 after:2025')).toEqual(['report jan 1'])
    expect(rig.texts('after:2026-03 before:2026-03')).toEqual([])
  })

  it('a message changed after it was indexed is found by its new text only', () => {
    const [m] = rig.put('original wording')
    rig.db.prepare(`UPDATE messages SET text = 'edited phrasing' WHERE id = ?`).run(m!.id)
    rig.indexer.catchUp()
    expect(rig.texts('original')).toEqual([])
    expect(rig.texts('edited')).toEqual(['edited phrasing'])
  })
})
