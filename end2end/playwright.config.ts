import { defineConfig } from "@playwright/test";

// Debian's Chromium, started so that it never calls out to the network.
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  retries: 0,
  workers: 1,
  reporter: [["list"]],
  use: {
    baseURL: process.env.BASE_URL ?? "http://127.0.0.1:3000",
    // A visitor from Mexico: the browser asks for Spanish first.
    locale: "es-MX",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
  projects: [
    { name: "javascript-on", use: { javaScriptEnabled: true }, testIgnore: /pages\.spec\.ts/ },
    { name: "javascript-off", use: { javaScriptEnabled: false }, testIgnore: /pages\.spec\.ts/ },
    // Widths and axe-core on every page type: the layout is the same with JavaScript
    // off, and axe is a script.
    { name: "layout", use: { javaScriptEnabled: true }, testMatch: /pages\.spec\.ts/ },
  ],
});
