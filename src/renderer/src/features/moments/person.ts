import { computed, type ComputedRef, type MaybeRefOrGetter, toValue } from 'vue'
import { useExtensions } from '../../ui/extensions'

/** How a person is shown: the name and photo features know (profiles), else the user name and initials. */
export function usePerson(user: MaybeRefOrGetter<string>): { name: ComputedRef<string>; image: ComputedRef<string | null> } {
  const extensions = useExtensions()
  return {
    name: computed(() => extensions.text('person.name', { user: toValue(user) }) ?? toValue(user)),
    image: computed(() => extensions.text('person.avatar', { user: toValue(user) })),
  }
}
