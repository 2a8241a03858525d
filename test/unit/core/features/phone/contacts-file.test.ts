/** Reading numbers and names out of the contacts files people export: vCard and CSV. */
import { describe, expect, it } from 'vitest'
import { cleanName, parseCsv, readContactsFile } from '../../../../../src/main/core/features/phone/contacts-file'
import { phoneId, toE164 } from '../../../../../src/main/core/features/phone/numbers'

describe('vCard', () => {
  it('reads FN and every TEL of each card, with folded lines, escapes, groups and tel: URIs', () => {
    const vcf = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'N:Nowak;Anna;;;',
      'FN:Anna Nowak\\, PhD',
      'TEL;TYPE=CELL:+48 601 ',
      ' 234 567',
      'item1.TEL;TYPE=HOME:(022) 555-01-02',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:4.0',
      'N:Smith;John;Q.;Dr.;',
      'TEL;VALUE=uri;TYPE="voice,cell":tel:+1-202-555-0143;ext=7',
      'END:VCARD',
      'BEGIN:VCARD',
      'FN:No Number',
      'EMAIL:x@example.com',
      'END:VCARD',
    ].join('\r\n')
    expect(readContactsFile(vcf)).toEqual([
      { raw: '+48 601 234 567', name: 'Anna Nowak, PhD' },
      { raw: '(022) 555-01-02', name: 'Anna Nowak, PhD' },
      { raw: '+1-202-555-0143', name: 'Dr. John Q. Smith' }, // no FN: built from N
    ])
  })

  it('decodes vCard 2.1 quoted-printable names, soft line breaks included, and drops invisible characters', () => {
    const vcf = [
      'BEGIN:VCARD',
      'VERSION:2.1',
      'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C5=81ukasz =C5=BB=',
      'aba',
      'TEL;CELL:601234567',
      'END:VCARD',
      'BEGIN:VCARD',
      'FN:Eve\u202Egnp.exe',
      'TEL:+48 602 000 000',
      'END:VCARD',
    ].join('\n')
    expect(readContactsFile(vcf)).toEqual([
      { raw: '601234567', name: 'Łukasz Żaba' },
      { raw: '+48 602 000 000', name: 'Eve gnp.exe' },
    ])
  })
})

describe('CSV', () => {
  it('parses quoted fields with separators, doubled quotes and line breaks', () => {
    expect(parseCsv('a,"b, c","say ""hi""","two\nlines"\r\n\r\nx,y,,z\n')).toEqual([
      ['a', 'b, c', 'say "hi"', 'two\nlines'],
      ['x', 'y', '', 'z'],
    ])
    expect(parseCsv('name;phone\n"Kowalski; Jan";+48 601 234 567')).toEqual([
      ['name', 'phone'],
      ['Kowalski; Jan', '+48 601 234 567'],
    ])
  })

  it('with a header: numbers from phone-like columns (Google\'s "a ::: b" too), the name from a name column or first + last', () => {
    const google = [
      'Given Name,Family Name,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Phone 2 - Value',
      'Anna,Nowak,anna@example.com,Mobile,+48 601 234 567 ::: +48 602 345 678,',
      'Bob,,bob@example.com,Work,not a number,+1 202 555 0143',
    ].join('\n')
    expect(readContactsFile(google)).toEqual([
      { raw: '+48 601 234 567', name: 'Anna Nowak' },
      { raw: '+48 602 345 678', name: 'Anna Nowak' },
      { raw: 'not a number', name: 'Bob' },
      { raw: '+1 202 555 0143', name: 'Bob' },
    ])
    expect(readContactsFile('Name,Notes,Telefon\n"Jan ""Kowal"" Kowalski","call after 5",601234567\n')).toEqual([
      { raw: '601234567', name: 'Jan "Kowal" Kowalski' },
    ])
  })

  it('without a header: every cell that looks like a number, named by the first cell with letters', () => {
    expect(readContactsFile('\uFEFFAnna,+48 601 234 567,anna@example.com\n+1 (202) 555-0143,Bob\n12,Carol\n')).toEqual([
      { raw: '+48 601 234 567', name: 'Anna' },
      { raw: '+1 (202) 555-0143', name: 'Bob' },
    ])
  })

  it('names are cut to 64 characters and empty ones become null', () => {
    expect(cleanName('  ')).toBeNull()
    expect(cleanName('x'.repeat(100))).toHaveLength(64)
    expect(cleanName('Ann\u200B\u200Bie   Hall')).toBe('Ann ie Hall')
  })
})

describe('numbers', () => {
  it('normalises to E.164 with or without a country, and refuses what is not a valid number', () => {
    expect(toE164('+48 601 234 567')).toBe('+48601234567')
    expect(toE164('601 234 567', 'PL')).toBe('+48601234567')
    expect(toE164('0048 601-234-567')).toBe('+48601234567')
    expect(toE164('(202) 555-0143', 'US')).toBe('+12025550143')
    expect(toE164('601 234 567')).toBeNull() // no country, no +
    expect(toE164('+48 123')).toBeNull()
    expect(toE164('not a number', 'PL')).toBeNull()
  })

  it('the phone id is the hex SHA-256 of "parley-phone-v1:{root}:{e164}"', () => {
    // printf 'parley-phone-v1:IMS:+48601234567' | sha256sum
    expect(phoneId('IMS', '+48601234567')).toBe('63b2e4ec5b3ad0250d28fe7cdc1381e13c691c5b6de7a0c5a4a4824ad1aa13ba')
    expect(phoneId('IMS', '+48601234567')).not.toBe(phoneId('OTHER', '+48601234567'))
  })
})
