// Placeholder until the feature lands (issue 9): registered so features/index.ts needs no further edits.
import { defineFeature } from '../feature'

export const broadcasts = defineFeature({ name: 'broadcasts', setup() {} })
