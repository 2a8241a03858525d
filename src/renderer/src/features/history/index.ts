/** Export and import of the history, with progress (being built). */
import { defineFeature } from '../feature'

export const history = defineFeature({ name: 'history', dependsOn: ['conversations'], setup() {} })
