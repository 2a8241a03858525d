/** What other features get from blocking (through `dependsOn: ['blocking']`). */
export interface BlockingApi {
  isBlocked(user: string): boolean
  /** After someone is blocked or unblocked (here or on another device of mine). */
  onChange(listener: (user: string, blocked: boolean) => void): void
}
