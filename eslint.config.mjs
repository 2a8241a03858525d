// Parley's lint: recommended JS/TS/Vue rules (not type-checked, to stay fast) and the
// layer rules from docs/DESIGN: imports flow one way, shared <- core <- shell/host/cli,
// shared <- preload, shared <- renderer. Two mechanisms enforce them:
//  - `no-restricted-imports` for module names (electron, Node built-ins, server-side
//    packages) and for specifiers that name another layer's folder;
//  - `parley/layer-imports`, a small local rule that resolves relative specifiers
//    against the importing file, so `../../window` from src/main/core is caught too.
import { builtinModules } from 'node:module'
import { dirname, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const ROOT = dirname(fileURLToPath(import.meta.url))

// ---------------------------------------------------------------- the layer rule

/** @param {string} p */
const toPosix = (p) => p.split(sep).join('/')

/** @type {import('eslint').Rule.RuleModule} */
const layerImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Relative imports may only reach the layers this layer is allowed to use.' },
    schema: [
      {
        type: 'object',
        properties: {
          layer: { type: 'string' },
          allow: { type: 'array', items: { type: 'string' } },
          deny: { type: 'array', items: { type: 'string' } },
          why: { type: 'string' },
        },
        required: ['layer', 'allow'],
        additionalProperties: false,
      },
    ],
    messages: {
      forbidden: "{{layer}} may not import '{{source}}' (it resolves to {{target}}). {{why}}",
    },
  },
  create(context) {
    const { layer, allow, deny = [], why = '' } = context.options[0]
    const file = context.physicalFilename ?? context.filename
    const root = ROOT
    /** @param {import('estree').Node | null | undefined} node */
    const check = (node) => {
      if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return
      const source = node.value
      if (!source.startsWith('./') && !source.startsWith('../') && source !== '.' && source !== '..') return
      const target = toPosix(relative(root, resolve(dirname(file), source)))
      const within = (/** @type {string} */ dir) => target === dir || target.startsWith(dir + '/')
      const ok = allow.some(within) && !deny.some(within)
      if (!ok) context.report({ node, messageId: 'forbidden', data: { layer, source, target, why } })
    }
    return {
      ImportDeclaration: (n) => check(n.source),
      ExportNamedDeclaration: (n) => check(n.source),
      ExportAllDeclaration: (n) => check(n.source),
      ImportExpression: (n) => check(n.source),
      CallExpression: (n) => {
        if (n.callee.type === 'Identifier' && n.callee.name === 'require' && n.arguments.length === 1) check(n.arguments[0])
      },
    }
  },
}

/**
 * Feature folders (`<dir>/<name>/…`) reach another feature only through its public
 * surface (its index.ts, or api.ts in the core): never its stores, components or
 * inbound handlers. Which features one may use is declared in its registration
 * (`dependsOn`), and the kernel refuses an undeclared one at run time.
 * @type {import('eslint').Rule.RuleModule}
 */
const featureImports = {
  meta: {
    type: 'problem',
    docs: { description: "A feature imports another feature only through that feature's public files." },
    schema: [
      {
        type: 'object',
        properties: { dir: { type: 'string' }, public: { type: 'array', items: { type: 'string' } } },
        required: ['dir', 'public'],
        additionalProperties: false,
      },
    ],
    messages: {
      deep: "The {{from}} feature may not import '{{source}}' ({{target}}): use the {{to}} feature's public surface ({{public}}) and declare it in dependsOn.",
    },
  },
  create(context) {
    const { dir, public: publicFiles } = context.options[0]
    const file = toPosix(relative(ROOT, context.physicalFilename ?? context.filename))
    if (!file.startsWith(dir + '/')) return {}
    const from = file.slice(dir.length + 1).split('/')[0]
    /** @param {import('estree').Node | null | undefined} node */
    const check = (node) => {
      if (!node || node.type !== 'Literal' || typeof node.value !== 'string' || !node.value.startsWith('.')) return
      const target = toPosix(relative(ROOT, resolve(dirname(context.physicalFilename ?? context.filename), node.value)))
      if (!target.startsWith(dir + '/')) return
      const [to, ...rest] = target.slice(dir.length + 1).split('/')
      if (to === from || rest.length === 0) return
      const inner = rest.join('/').replace(/\.(ts|vue)$/, '')
      if (publicFiles.includes(inner)) return
      context.report({ node, messageId: 'deep', data: { from, to, source: node.value, target, public: publicFiles.join(', ') } })
    }
    return {
      ImportDeclaration: (n) => check(n.source),
      ExportNamedDeclaration: (n) => check(n.source),
      ExportAllDeclaration: (n) => check(n.source),
      ImportExpression: (n) => check(n.source),
    }
  },
}

const parley = { meta: { name: 'parley-local' }, rules: { 'layer-imports': layerImports, 'feature-imports': featureImports } }

// ------------------------------------------------------------- restricted imports

const NODE_BUILTINS = builtinModules.filter((m) => !m.startsWith('_'))
const SERVER_PACKAGES = ['better-sqlite3', 'mqtt', 'aedes', 'aedes-persistence-level', 'level', 'classic-level', 'ws']

const MSG = {
  coreElectron:
    'src/main/core is the engine: plain Node, no Electron, so the web host, the CLI and the tests run it without Electron. Do Electron work in src/main (the shell) and pass results in.',
  coreUp:
    'src/main/core may import only src/shared and itself; the shell (src/main), preload, renderer, host and CLI sit on top of it, never below.',
  sharedPure:
    'src/shared is pure TypeScript (contract, schemas, helpers) loaded by main, preload, renderer, host and CLI alike: no Electron, no Node built-ins, no other layer.',
  rendererElectron:
    "The renderer (and src/preload/web.ts) run in a page: they talk to the engine only through window.parley (the typed ParleyApi). Electron isn't available there.",
  rendererNode:
    'The renderer (and src/preload/web.ts) run in a sandboxed page with no Node: use browser APIs, or add a service to the contract in src/shared and implement it in src/main/core.',
  rendererServer:
    'Storage and MQTT live in src/main/core behind the contract; the renderer reaches them through window.parley.',
  rendererApi:
    'Only src/renderer/src/api.ts reads window.parley (it normalises errors for every transport); import the api from there.',
  rendererUp: 'The renderer may import only src/renderer and src/shared; engine code is reached through window.parley.',
  preload:
    'The Electron preload is sandboxed and exposes only the typed API: it may import electron and src/shared, nothing else.',
  kernelNoFeature:
    'mqtt/, store/, protocol/, broker/ and kernel/ are what features stand on: they never import a feature. Give the kernel an extension point (a route, a hook, a registry) and let the feature plug into it.',
  shell: 'The Electron shell (src/main) wires the core to Electron; it never imports the renderer, the preloads, the web host or the CLI.',
  nodeHost: 'The web host and the CLI run in plain Node without Electron: use src/main/core and src/shared.',
}

/** Specifiers that name another layer's folder, whatever the number of `../`. */
const layerFolder = (/** @type {string[]} */ names) => `(^|/)(${names.join('|')})(/|$)`

const electronPath = (/** @type {string} */ message) => ({ name: 'electron', message })

// ------------------------------------------------------------------------- config

export default defineConfig(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'coverage/**', '.parley-dev/**'] },

  js.configs.recommended,
  tseslint.configs.recommended,
  pluginVue.configs['flat/recommended'],

  {
    files: ['**/*.vue'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' },
      globals: { ...globals.browser },
    },
  },

  {
    plugins: { parley },
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // `{}` in an interface body and empty functions (no-op loggers) are deliberate.
      '@typescript-eslint/no-empty-function': 'off',
      'vue/no-v-html': 'error',
      // Template layout is a formatter's business, not a linter's.
      'vue/max-attributes-per-line': 'off',
      'vue/html-self-closing': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/html-indent': 'off',
    },
  },

  // --- src/shared: pure
  {
    files: ['src/shared/**/*.{ts,mts,cts,js,mjs}'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronPath(MSG.sharedPure), ...NODE_BUILTINS.map((name) => ({ name, message: MSG.sharedPure }))],
          patterns: [
            { regex: '^node:', message: MSG.sharedPure },
            { regex: layerFolder(['main', 'renderer', 'preload', 'host', 'cli']), message: MSG.sharedPure },
          ],
        },
      ],
      'parley/layer-imports': ['error', { layer: 'src/shared', allow: ['src/shared'], why: MSG.sharedPure }],
    },
  },

  // --- src/main/core: the engine, Node only
  {
    files: ['src/main/core/**/*.{ts,mts,cts,js,mjs}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronPath(MSG.coreElectron)],
          patterns: [
            { regex: '^electron/', message: MSG.coreElectron },
            { regex: layerFolder(['renderer', 'preload', 'host', 'cli']), message: MSG.coreUp },
          ],
        },
      ],
      'parley/layer-imports': ['error', { layer: 'src/main/core', allow: ['src/main/core', 'src/shared'], why: MSG.coreUp }],
    },
  },

  // --- the kernel side of the core never reaches into a feature
  {
    files: ['src/main/core/{mqtt,store,protocol,broker,kernel}/**/*.{ts,mts,cts,js,mjs}'],
    rules: {
      'parley/layer-imports': [
        'error',
        { layer: 'src/main/core (kernel side)', allow: ['src/main/core', 'src/shared'], deny: ['src/main/core/features'], why: MSG.kernelNoFeature },
      ],
    },
  },
  // --- features reach each other only through public surfaces
  {
    files: ['src/main/core/features/**/*.{ts,mts,cts,js,mjs}'],
    rules: { 'parley/feature-imports': ['error', { dir: 'src/main/core/features', public: ['index', 'api'] }] },
  },
  {
    files: ['src/renderer/src/features/**/*.{ts,mts,cts,js,mjs,vue}'],
    rules: { 'parley/feature-imports': ['error', { dir: 'src/renderer/src/features', public: ['index'] }] },
  },

  // --- src/main (shell, not core)
  {
    files: ['src/main/*.{ts,mts,cts,js,mjs}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: layerFolder(['renderer', 'preload', 'host', 'cli']), message: MSG.shell }] }],
      'parley/layer-imports': ['error', { layer: 'src/main', allow: ['src/main', 'src/shared'], why: MSG.shell }],
    },
  },

  // --- src/preload/index.ts: electron + shared only
  {
    files: ['src/preload/index.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!electron$|\\.\\./shared/)', message: MSG.preload }] },
      ],
      'parley/layer-imports': ['error', { layer: 'src/preload/index.ts', allow: ['src/shared'], why: MSG.preload }],
    },
  },

  // --- the renderer and the web stand-in for the preload: a browser page
  {
    files: ['src/renderer/**/*.{ts,mts,cts,js,mjs,vue}', 'src/preload/web.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            electronPath(MSG.rendererElectron),
            ...NODE_BUILTINS.map((name) => ({ name, message: MSG.rendererNode })),
            ...SERVER_PACKAGES.map((name) => ({ name, message: MSG.rendererServer })),
          ],
          patterns: [
            { regex: '^electron/', message: MSG.rendererElectron },
            { regex: '^node:', message: MSG.rendererNode },
            { regex: `^(${SERVER_PACKAGES.join('|')})/`, message: MSG.rendererServer },
            { regex: layerFolder(['main', 'host', 'cli']), message: MSG.rendererUp },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,mts,cts,js,mjs,vue}'],
    rules: {
      'parley/layer-imports': ['error', { layer: 'src/renderer', allow: ['src/renderer', 'src/shared'], why: MSG.rendererUp }],
      'no-restricted-properties': [
        'error',
        { object: 'window', property: 'parley', message: MSG.rendererApi },
        { object: 'globalThis', property: 'parley', message: MSG.rendererApi },
      ],
    },
  },
  {
    files: ['src/renderer/src/api.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['src/preload/web.ts'],
    rules: {
      'parley/layer-imports': ['error', { layer: 'src/preload/web.ts', allow: ['src/shared'], why: MSG.rendererUp }],
    },
  },

  // --- the web host and the CLI: plain Node on top of the core
  {
    files: ['src/host/**/*.{ts,mts,cts,js,mjs}', 'src/cli/**/*.{ts,mts,cts,js,mjs}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronPath(MSG.nodeHost)],
          patterns: [
            { regex: '^electron/', message: MSG.nodeHost },
            { regex: layerFolder(['renderer', 'preload']), message: MSG.nodeHost },
          ],
        },
      ],
    },
  },
  {
    files: ['src/host/**/*.{ts,mts,cts,js,mjs}'],
    rules: {
      'parley/layer-imports': ['error', { layer: 'src/host', allow: ['src/host', 'src/main/core', 'src/shared'], why: MSG.nodeHost }],
    },
  },
  {
    files: ['src/cli/**/*.{ts,mts,cts,js,mjs}'],
    rules: {
      'parley/layer-imports': ['error', { layer: 'src/cli', allow: ['src/cli', 'src/main/core', 'src/shared'], why: MSG.nodeHost }],
    },
  },

  // --- CommonJS launchers
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
)
