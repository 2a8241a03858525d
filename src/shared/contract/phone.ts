import { z } from 'zod'
import { defineContract } from './define'

export interface MyPhone {
  /** E.164, e.g. +48555555555; null: none registered. */
  number: string | null
  /** The salted hash others look up (docs/protocol.md). */
  id: string | null
  /** The broker acknowledged the registration since Parley started (false while offline: it goes out on the next connection). */
  published: boolean
}

export const PhoneInputSchema = z.object({
  number: z.string().min(3, { error: 'That is too short to be a phone number.' }).max(40, { error: 'That is too long to be a phone number.' }),
  /** ISO 3166 two-letter region for numbers written without +: "PL", "US". */
  country: z.string().regex(/^[A-Z]{2}$/, { error: 'A country is two capital letters, like PL or US.' }).optional(),
})
export type PhoneInput = z.input<typeof PhoneInputSchema>

export const ImportInputSchema = z.object({
  /** The contents of a CSV file (any column with numbers) or a vCard (.vcf) file. */
  text: z.string().max(5 * 1024 * 1024, { error: 'That file is over 5 MB.' }),
  country: PhoneInputSchema.shape.country,
  /** How long to wait for answers once the broker confirmed the last lookups (default 1000 ms). */
  waitMs: z.number().int().min(0).max(10_000).optional(),
})
export type ImportInput = z.input<typeof ImportInputSchema>

export interface PhoneMatch {
  /** E.164. */
  number: string
  /** The name the file gave it, if any. */
  name: string | null
  /** The Parley user registered with this number, or null. */
  user: string | null
}

export interface ImportResult {
  /** Every valid number found, with its user where there is one. */
  matches: PhoneMatch[]
  /** Entries that were not valid phone numbers. */
  invalid: number
}

export interface PhoneService {
  mine(): Promise<MyPhone>
  /** Registers my number (normalised to E.164) under its salted hash; replaces an earlier one. */
  register(input: PhoneInput): Promise<MyPhone>
  unregister(): Promise<MyPhone>
  /** Finds which numbers of a CSV or vCard file are on Parley (asks the broker for their hashes). */
  discover(input: ImportInput): Promise<ImportResult>
  /** The people found by earlier discoveries (numbers that have a user), by name. */
  matches(): Promise<PhoneMatch[]>
}

export const phoneContract = defineContract<PhoneService>()({
  methods: {
    mine: z.tuple([]),
    register: z.tuple([PhoneInputSchema]),
    unregister: z.tuple([]),
    discover: z.tuple([ImportInputSchema]),
    matches: z.tuple([]),
  },
  events: [],
})
