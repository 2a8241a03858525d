import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // The Electron shell, the web host and the CLI share one core; one build emits all three.
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          host: resolve(__dirname, 'src/host/main.ts'),
          cli: resolve(__dirname, 'src/cli/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only 'electron': bundle everything else (zod, the contract).
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [vue()],
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/renderer/index.html'),
          // The web host's stand-in for the Electron preload: same API over a WebSocket.
          'web-preload': resolve(__dirname, 'src/preload/web.ts'),
        },
        output: {
          entryFileNames: (chunk) => (chunk.name === 'web-preload' ? 'web-preload.js' : 'assets/[name]-[hash].js'),
        },
      },
    },
  },
})
