import { z } from 'zod'
import { DisplayNameSchema, NameSchema, StatusLineSchema } from '../protocol/names'
import { defineContract } from './define'

export interface Profile {
  user: string
  /** Display name; null: show the user name. */
  name: string | null
  status: string | null
  /** A data URL (PNG, JPEG or WebP, at most 256 px a side and 64 KiB). */
  avatar: string | null
  email: string | null
  /** ms since epoch of the profile shown (the owner's clock); null: never heard. */
  updatedAt: number | null
}

/** Fields to change; null clears one, absent leaves it. */
export const ProfileUpdateSchema = z.object({
  name: DisplayNameSchema.nullish(),
  status: StatusLineSchema.nullish(),
  email: z.email({ error: 'That is not an email address.' }).max(254).nullish(),
})
export type ProfileUpdate = z.input<typeof ProfileUpdateSchema>

/** The picked image as base64 (any common format and size up to 10 MB): the engine resizes and re-encodes it. */
export const MAX_AVATAR_UPLOAD_BYTES = 10 * 1024 * 1024
export const AvatarUploadSchema = z.object({
  base64: z.string().min(1).max(Math.ceil(MAX_AVATAR_UPLOAD_BYTES / 3) * 4, { error: 'That image is over 10 MB.' }),
})
export type AvatarUpload = z.infer<typeof AvatarUploadSchema>

export interface ProfilesService {
  mine(): Promise<Profile>
  /** Changes my profile and publishes it (retained on `R/{me}/Profile`). */
  update(changes: ProfileUpdate): Promise<Profile>
  /** Sets my avatar from an image file's bytes (resized to 256 px, ≤ 64 KiB); null removes it. */
  setAvatar(image: AvatarUpload | null): Promise<Profile>
  /** The last known profile of `user` (and follows it from now on). */
  get(user: string): Promise<Profile>
  /** Whether the broker has my current profile (acknowledged since Parley started), or why not. */
  publishState(): Promise<ProfilePublishState>
}

export interface ProfilePublishState {
  /** The broker acknowledged my current profile; false while offline, before the first publish, or when refused. */
  published: boolean
  /** Why the last publish failed (e.g. the broker refused it), or null. */
  error: string | null
}

export interface ProfilesEvents {
  profile: Profile
}

export const profilesContract = defineContract<ProfilesService, ProfilesEvents>()({
  methods: {
    mine: z.tuple([]),
    update: z.tuple([ProfileUpdateSchema]),
    setAvatar: z.tuple([AvatarUploadSchema.nullable()]),
    get: z.tuple([NameSchema]),
    publishState: z.tuple([]),
  },
  events: ['profile'],
})
