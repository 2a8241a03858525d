/** What other features get from profiles (through `dependsOn: ['profiles']`). */
export interface ProfilesApi {
  /** The display name to show for `user` (their profile's name, else the user name). */
  displayName(user: string): string
}
