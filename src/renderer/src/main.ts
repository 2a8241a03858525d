import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import './styles.css'

const root = document.getElementById('app')!
if (!window.parley) {
  // Opened as a plain file or without the bridge: say how to open Parley instead of a blank page.
  const p = document.createElement('p')
  p.className = 'fatal'
  p.textContent = "Parley's API is not available. Open Parley through the app, or through the URL the web host printed."
  root.replaceChildren(p)
} else {
  createApp(App).use(createPinia()).mount(root)
}
