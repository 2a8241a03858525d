import { randomBytes } from 'node:crypto'

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'

/** `grp_` + 20 random base32 characters (100 bits): not guessable, and no user name can look like it. */
export function newGroupId(): string {
  const bytes = randomBytes(20)
  let id = 'grp_'
  for (const b of bytes) id += BASE32[b & 31]
  return id
}
