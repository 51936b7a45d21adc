import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  server: {
    host: "127.0.0.1",
    port: 5173,
    // The API runs separately in development; same-origin in the browser keeps the
    // session cookie and CSRF handling identical to production.
    proxy: { "/api": { target: "http://127.0.0.1:3000", changeOrigin: false } },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    // The CSP forbids inline scripts: never inline assets as scripts, and keep the
    // module-preload polyfill inside the bundle (no inline bootstrap).
    modulePreload: { polyfill: false },
    // One bundle (~210 kB gzipped: React, the DSFR components, zod and the contracts), loaded
    // once and cached; splitting per route would add loading states for little gain today.
    chunkSizeWarningLimit: 1000,
  },
});
