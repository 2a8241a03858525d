/** What other features get from profiles (through `dependsOn: ['profiles']`). */
export interface ProfilesApi {
  /** The display name to show for `user` (their profile's name, else the user name). */
  displayName(user: string): string
  /** Turns picked image bytes into an avatar data URL as profiles do (resized, re-encoded; a clear error otherwise): e.g. a group's avatar. */
  makeAvatar(bytes: Uint8Array): Promise<string>
}
