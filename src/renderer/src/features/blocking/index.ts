// Placeholder until the feature lands: registered so features/index.ts needs no further edits.
import { defineFeature } from '../feature'

export const blocking = defineFeature({ name: 'blocking', setup() {} })
