// Placeholder until the feature lands: registered so features/index.ts needs no further edits.
import { defineFeature } from '../feature'

export const moments = defineFeature({ name: 'moments', setup() {} })
