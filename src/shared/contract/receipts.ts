import { z } from 'zod'
import { defineContract } from './define'

export interface ReceiptSettings {
  /** Tell senders when I have read their messages (delivery receipts are always sent). */
  sendReadReceipts: boolean
}

export interface ReceiptService {
  settings(): Promise<ReceiptSettings>
  setSendReadReceipts(on: boolean): Promise<ReceiptSettings>
}

export const receiptsContract = defineContract<ReceiptService>()({
  methods: {
    settings: z.tuple([]),
    setSendReadReceipts: z.tuple([z.boolean()]),
  },
  events: [],
})
