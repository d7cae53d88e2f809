// Tests OUR JSON-RPC transport against a real local HTTP server (not a fake Kamailio).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KamailioRpcError } from "@/lib/kamailio/errors";
import { createRpcTransport } from "@/lib/kamailio/transport";

interface Seen {
  body: unknown;
  authorization: string | undefined;
  contentType: string | undefined;
}

let server: Server;
let base: string;
const seen: Seen[] = [];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = "";
    req.on("data", (chunk) => {
      data += chunk;
    });
    req.on("end", () => resolve(data));
  });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const text = await readBody(req);
  const request = JSON.parse(text) as { id: number; method: string };
  seen.push({
    body: request,
    authorization: req.headers.authorization,
    contentType: req.headers["content-type"],
  });
  const json = (status: number, value: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(value));
  };
  switch (req.url) {
    case "/ok":
      return json(200, { jsonrpc: "2.0", result: { echo: request.method }, id: request.id });
    case "/slow-headers":
      return; // never answers; the client must give up
    case "/slow-body":
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"jsonrpc":"2.0","result":');
      return; // body never completes
    case "/http-500":
      res.writeHead(500, { "content-type": "text/plain" });
      res.end("Internal Server Error");
      return;
    case "/rpc-error":
      // Kamailio's jsonrpcs answers a fault with the fault code as the HTTP status and a JSON-RPC error body.
      return json(500, { jsonrpc: "2.0", error: { code: 500, message: "Method Not Found" }, id: request.id });
    case "/html-404":
      res.writeHead(404, { "content-type": "text/html" });
      res.end("<html><body><h1>404 Not Found</h1></body></html>");
      return;
    case "/html-200":
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html><body>hello</body></html>");
      return;
    case "/json-not-rpc":
      return json(200, { hello: "world" });
    case "/wrong-id":
      return json(200, { jsonrpc: "2.0", result: 1, id: request.id + 1000 });
    case "/batch":
      return json(200, [{ jsonrpc: "2.0", result: 1, id: request.id }]);
    case "/big-streamed": {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = "x".repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 64 && res.write(chunk)) sent += 1;
        if (sent < 64) res.once("drain", pump);
        else res.end();
      };
      res.on("error", () => undefined);
      pump();
      return;
    }
    case "/big-declared": {
      const body = JSON.stringify({ jsonrpc: "2.0", result: "y".repeat(300_000), id: request.id });
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    default:
      res.writeHead(404);
      res.end();
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function failure(promise: Promise<unknown>): Promise<KamailioRpcError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(KamailioRpcError);
    return error as KamailioRpcError;
  }
  throw new Error("expected the call to fail");
}

describe("RPC transport", () => {
  it("posts one JSON-RPC 2.0 request and returns the result", async () => {
    const transport = createRpcTransport({ url: `${base}/ok` });
    await expect(transport.call("core.version")).resolves.toEqual({ echo: "core.version" });
    await expect(transport.call("ul.dump", ["brief"])).resolves.toEqual({ echo: "ul.dump" });
    const [first, second] = seen.slice(-2);
    expect(first?.body).toEqual({ jsonrpc: "2.0", id: 1, method: "core.version", params: [] });
    expect(second?.body).toEqual({ jsonrpc: "2.0", id: 2, method: "ul.dump", params: ["brief"] });
    expect(first?.contentType).toBe("application/json");
    expect(first?.authorization).toBeUndefined();
  });

  it("sends basic auth from the URL without putting the password in messages", async () => {
    const transport = createRpcTransport({
      url: `http://admin:s3cret@${base.slice(7)}/rpc-error`,
      timeoutMs: 2000,
    });
    const error = await failure(transport.call("core.version"));
    expect(seen.at(-1)?.authorization).toBe(`Basic ${Buffer.from("admin:s3cret").toString("base64")}`);
    expect(transport.nodeUrl).toBe(`${base}/rpc-error`);
    expect(error.message).not.toContain("s3cret");
    expect(error.nodeUrl).toBe(`${base}/rpc-error`);
  });

  it("sends basic auth given as an option", async () => {
    const transport = createRpcTransport({ url: `${base}/ok`, auth: { username: "ops", password: "pw" } });
    await transport.call("core.uptime");
    expect(seen.at(-1)?.authorization).toBe(`Basic ${Buffer.from("ops:pw").toString("base64")}`);
  });

  it("times out when no reply headers arrive", async () => {
    const error = await failure(
      createRpcTransport({ url: `${base}/slow-headers`, timeoutMs: 150 }).call("dlg.list"),
    );
    expect(error.kind).toBe("timeout");
    expect(error.method).toBe("dlg.list");
    expect(error.message).toBe(`dlg.list on ${base}/slow-headers: no complete reply within 150 ms`);
  });

  it("times out when the body stalls", async () => {
    const error = await failure(
      createRpcTransport({ url: `${base}/slow-body`, timeoutMs: 150 }).call("ul.dump"),
    );
    expect(error.kind).toBe("timeout");
  });

  it("reports an HTTP error that carries no JSON-RPC body", async () => {
    const error = await failure(createRpcTransport({ url: `${base}/http-500` }).call("core.version"));
    expect(error.kind).toBe("http");
    expect(error.status).toBe(500);
    expect(error.detail).toBe('HTTP 500 (body starts: "Internal Server Error")');
  });

  it("reports an HTML 404 page as an HTTP error", async () => {
    const error = await failure(createRpcTransport({ url: `${base}/html-404` }).call("core.version"));
    expect(error.kind).toBe("http");
    expect(error.status).toBe(404);
  });

  it("reports a JSON-RPC error object with its code and message, whatever the HTTP status", async () => {
    const error = await failure(createRpcTransport({ url: `${base}/rpc-error` }).call("no.such"));
    expect(error.kind).toBe("rpc");
    expect(error.rpcCode).toBe(500);
    expect(error.rpcMessage).toBe("Method Not Found");
    expect(error.status).toBe(500);
    expect(error.message).toBe(`no.such on ${base}/rpc-error: Kamailio answered error 500: Method Not Found`);
  });

  it("aborts a streamed reply past maxReplyBytes", async () => {
    const transport = createRpcTransport({ url: `${base}/big-streamed`, maxReplyBytes: 256 * 1024 });
    const error = await failure(transport.call("ul.dump"));
    expect(error.kind).toBe("too_large");
    expect(error.detail).toContain("262144-byte limit");
  });

  it("refuses a reply whose Content-Length is over the limit", async () => {
    const error = await failure(
      createRpcTransport({ url: `${base}/big-declared`, maxReplyBytes: 1000 }).call("x"),
    );
    expect(error.kind).toBe("too_large");
  });

  it("accepts a large reply under the limit", async () => {
    const result = await createRpcTransport({ url: `${base}/big-declared`, maxReplyBytes: 400_000 }).call(
      "x",
    );
    expect(result).toHaveLength(300_000);
  });

  it("rejects a non-JSON body", async () => {
    const error = await failure(createRpcTransport({ url: `${base}/html-200` }).call("core.version"));
    expect(error.kind).toBe("invalid_reply");
    expect(error.detail).toBe('reply is not JSON (body starts: "<html><body>hello</body></html>")');
  });

  it("rejects JSON that is not a JSON-RPC reply, a batch, and a reply for another id", async () => {
    const notRpc = await failure(createRpcTransport({ url: `${base}/json-not-rpc` }).call("a"));
    expect(notRpc.kind).toBe("invalid_reply");
    expect(notRpc.detail).toContain("not a JSON-RPC 2.0 reply");
    const batch = await failure(createRpcTransport({ url: `${base}/batch` }).call("a"));
    expect(batch.kind).toBe("invalid_reply");
    expect(batch.detail).toContain("batch");
    const wrongId = await failure(createRpcTransport({ url: `${base}/wrong-id` }).call("a"));
    expect(wrongId.kind).toBe("invalid_reply");
    expect(wrongId.fieldPath).toBe("id");
  });

  it("reports a refused connection as a network error", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const error = await failure(
      createRpcTransport({ url: `http://127.0.0.1:${port}/RPC` }).call("core.version"),
    );
    expect(error.kind).toBe("network");
    expect(error.detail).toContain("connection refused");
  });
});
