/// <reference types="vite/client" />

// `window.parley` is deliberately not declared on Window: api.ts is the only module
// that reads it (and says so with a cast), so a read anywhere else fails to compile.

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}
