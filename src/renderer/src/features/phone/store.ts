import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ImportResult, MyPhone } from '../../../../shared/contract'

export type ImportStatus = 'reading' | 'searching' | 'done' | 'failed'

/** My registered number, and the "Find friends by phone number" search on screen. State only. */
export const usePhoneStore = defineStore('phone', () => {
  const mine = ref<MyPhone | null>(null)
  const mineError = ref<string | null>(null)

  /** The search dialog is open. */
  const importOpen = ref(false)
  const importStatus = ref<ImportStatus>('reading')
  const fileName = ref<string | null>(null)
  /** The region numbers without a leading + are read in; null: such numbers are not valid. */
  const country = ref<string | null>(null)
  const result = ref<ImportResult | null>(null)
  const importError = ref<string | null>(null)

  function setMine(p: MyPhone): void {
    mine.value = p
    mineError.value = null
  }

  function mineFailed(message: string): void {
    mineError.value = message
  }

  function startImport(name: string): void {
    importOpen.value = true
    fileName.value = name
    result.value = null
    importError.value = null
    importStatus.value = 'reading'
  }

  function searching(): void {
    importStatus.value = 'searching'
    importError.value = null
  }

  function found(r: ImportResult): void {
    result.value = r
    importStatus.value = 'done'
  }

  function importFailed(message: string): void {
    importError.value = message
    importStatus.value = 'failed'
  }

  function closeImport(): void {
    importOpen.value = false
    result.value = null
  }

  function setCountry(code: string | null): void {
    country.value = code
  }

  return {
    mine,
    mineError,
    importOpen,
    importStatus,
    fileName,
    country,
    result,
    importError,
    setMine,
    mineFailed,
    startImport,
    searching,
    found,
    importFailed,
    closeImport,
    setCountry,
  }
})
