/// <reference types="vite/client" />

interface Window {
  /** The typed engine API, exposed by the Electron preload or the web host's stand-in. */
  parley: import('../../shared/contract').ParleyApi
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}
