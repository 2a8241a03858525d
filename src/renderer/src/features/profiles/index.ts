/** Profiles: display names and photos wherever people are shown, and my own profile in the settings. */
import { defineFeature, type FeatureContext } from '../feature'
import { setupProfiles } from './io'
import MyStatusLine from './MyStatusLine.vue'
import ProfileSettings from './ProfileSettings.vue'

function setup(ctx: FeatureContext): void {
  setupProfiles(ctx)
  ctx.extensions.add('sidebar.me', MyStatusLine)
  ctx.extensions.add('settings.section', { id: 'profile', title: 'Profile', order: 10, component: ProfileSettings })
}

export const profiles = defineFeature({ name: 'profiles', dependsOn: ['account'], setup })

export { useProfilesStore } from './store'
export { useProfilesActions, ProfilesActionsKey, safeAvatar, shownName, type ProfilesActions } from './io'
