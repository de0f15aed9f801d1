import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: ["es2021", "safari14"],
    rollupOptions: {
      input: { main: `${root}index.html`, select: `${root}select.html` },
    },
  },
  test: {
    root,
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
  },
});
