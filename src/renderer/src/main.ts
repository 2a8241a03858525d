import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { connectApi } from './api'
import App from './app/App.vue'
import { installFeatures } from './app/install'
import { FEATURES } from './features'
import './styles.css'

const root = document.getElementById('app')!
const api = connectApi()

if (!api) {
  // No preload and no web host stand-in: nothing here can work, so say why.
  const box = document.createElement('div')
  box.className = 'boot-screen'
  box.setAttribute('role', 'alert')
  box.dataset.testid = 'api-missing'
  box.textContent = "Parley's API is not available — open Parley through the app or the web host URL."
  root.replaceChildren(box)
} else {
  const pinia = createPinia()
  const app = createApp(App).use(pinia)
  installFeatures(app, api, pinia, FEATURES)
  app.mount(root)
}
