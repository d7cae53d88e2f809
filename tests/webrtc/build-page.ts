// Bundles the JsSIP test phone (page/phone.ts) for the browser: the jssip npm package ships no browser build.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";

const PAGE_SOURCE = path.join(import.meta.dirname, "page", "phone.ts");

const INDEX_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>kamdash WebRTC test phone</title></head>
<body><p>kamdash WebRTC test phone</p><script src="/phone.js"></script></body>
</html>
`;

/** Writes index.html and phone.js into outDir (the test uses its git-ignored state dir). */
export async function buildPhonePage(outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [PAGE_SOURCE],
    outfile: path.join(outDir, "phone.js"),
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "chrome120",
    logLevel: "warning",
  });
  await writeFile(path.join(outDir, "index.html"), INDEX_HTML, "utf8");
  return outDir;
}
