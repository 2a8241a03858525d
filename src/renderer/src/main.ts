import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { createSession, SessionKey } from './session'
import './styles.css'

const root = document.getElementById('app')!

if (typeof window.parley === 'undefined') {
  // No preload and no web host stand-in: nothing here can work, so say why.
  const box = document.createElement('div')
  box.className = 'boot-screen'
  box.setAttribute('role', 'alert')
  box.dataset.testid = 'api-missing'
  box.textContent = "Parley's API is not available — open Parley through the app or the web host URL."
  root.replaceChildren(box)
} else {
  const pinia = createPinia()
  const session = createSession(window.parley, pinia)
  createApp(App).use(pinia).provide(SessionKey, session).mount(root)
}
