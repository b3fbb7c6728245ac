/// <reference types="vitest/config" />
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// Where `npm run dev` sends API calls: a running `resumate serve` (make run) by default.
const apiTarget = process.env.RESUMATE_API ?? 'http://127.0.0.1:8000';

/**
 * Writes the app shell's file list into dist/sw.js (copied from public/sw.js), so the service
 * worker precaches index.html and every hashed asset the app entry needs (not the docs page's).
 * The list's hash names the cache, so each build's worker replaces the last one's cache.
 */
function precacheManifest(): Plugin {
  let files: string[] = [];
  let outDir = 'dist';
  return {
    name: 'resumate-precache-manifest',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    generateBundle(_options, bundle) {
      const seen = new Set<string>();
      const visit = (fileName: string) => {
        if (seen.has(fileName)) return;
        const item = bundle[fileName];
        if (!item) return;
        seen.add(fileName);
        if (item.type === 'chunk') {
          for (const f of item.imports) visit(f);
          for (const f of item.dynamicImports) visit(f);
          const meta = (item as { viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> } })
            .viteMetadata;
          meta?.importedCss.forEach((f) => seen.add(f));
          meta?.importedAssets.forEach((f) => seen.add(f));
        }
      };
      for (const item of Object.values(bundle)) {
        if (item.type === 'chunk' && item.isEntry && item.name === 'index') visit(item.fileName);
      }
      files = [...seen].sort().map((f) => '/' + f);
    },
    closeBundle() {
      const swPath = resolve(outDir, 'sw.js');
      if (!existsSync(swPath)) return;
      const shell = ['/', '/manifest.webmanifest', '/favicon.svg', '/icons/icon-192.png', ...files];
      const version = createHash('sha256').update(shell.join('\n')).digest('hex').slice(0, 12);
      const source = readFileSync(swPath, 'utf8')
        .replace("'__BUILD_VERSION__'", JSON.stringify(version))
        .replace('[/*__PRECACHE__*/]', JSON.stringify(shell));
      writeFileSync(swPath, source);
    },
  };
}

export default defineConfig({
  plugins: [react(), precacheManifest()],
  build: {
    target: 'es2020',
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2000, // the docs page's renderer is large; it is not part of the app
    rollupOptions: {
      input: {
        index: resolve(__dirname, 'index.html'),
        docs: resolve(__dirname, 'docs.html'),
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/healthz': { target: apiTarget },
      '/readyz': { target: apiTarget },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
  },
});
