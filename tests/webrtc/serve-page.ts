// Tiny static server for the test phone page, started inside the test's network namespace:
//   node --import tsx tests/webrtc/serve-page.ts <page dir> <port>   (see ts-runner.ts)
// http://127.0.0.1:<port> is a secure context, so getUserMedia works without TLS.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import path from "node:path";

const [pageDir, portText] = process.argv.slice(2);
const port = Number(portText);
if (!pageDir || !Number.isInteger(port)) {
  console.error("usage: serve-page.ts <page dir> <port>");
  process.exit(2);
}

const FILES: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/phone.js": { file: "phone.js", type: "text/javascript; charset=utf-8" },
};

const server = createServer((request, response) => {
  const entry = FILES[new URL(request.url ?? "/", "http://127.0.0.1").pathname];
  if (request.url === "/favicon.ico") {
    response.writeHead(204).end();
    return;
  }
  if (request.method !== "GET" || !entry) {
    response.writeHead(404).end();
    return;
  }
  readFile(path.join(pageDir, entry.file)).then(
    (body) => response.writeHead(200, { "content-type": entry.type, "cache-control": "no-store" }).end(body),
    () => response.writeHead(500).end(),
  );
});

server.listen(port, "127.0.0.1", () => console.log(`serving ${pageDir} on http://127.0.0.1:${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
