import { describe, expect, it } from "vitest";
import { NodeConfigError, parseKamailioNodes, parseNodeSpec } from "@/lib/nodes";

describe("parseKamailioNodes", () => {
  it("parses name=url pairs, trimming whitespace around entries", () => {
    expect(
      parseKamailioNodes(" edge-1=http://10.0.0.5:5080/RPC , edge.2=https://gw.example.net/RPC"),
    ).toEqual([
      { name: "edge-1", rpcUrl: "http://10.0.0.5:5080/RPC" },
      { name: "edge.2", rpcUrl: "https://gw.example.net/RPC" },
    ]);
  });

  it("accepts a single node", () => {
    expect(parseKamailioNodes("lab=http://127.0.0.1:5080/RPC")).toEqual([
      { name: "lab", rpcUrl: "http://127.0.0.1:5080/RPC" },
    ]);
  });

  it.each([
    ["", /KAMAILIO_NODES is empty/],
    ["a=http://x/RPC,", /entry 2 "": expected name=url/],
    ["edge1", /entry 1 "edge1": expected name=url/],
    ["a=http://x/RPC,b c=http://y/RPC", /entry 2 "b c=http:\/\/y\/RPC": node name/],
    ["a=ftp://x/RPC", /entry 1 "a=ftp:\/\/x\/RPC": RPC URL must be an http/],
    ["a=", /entry 1 "a=": RPC URL/],
    ["=http://x/RPC", /entry 1 "=http:\/\/x\/RPC": node name/],
    ["a=http://x/RPC,a=http://y/RPC", /entry 2 .*"a" is listed twice/],
    ["-a=http://x/RPC", /node name/],
  ])("rejects %j naming the bad entry", (value, message) => {
    expect(() => parseKamailioNodes(value)).toThrowError(message);
    expect(() => parseKamailioNodes(value)).toThrowError(NodeConfigError);
  });

  it("keeps '=' inside the URL (query strings)", () => {
    expect(parseKamailioNodes("a=http://x/RPC?k=v")).toEqual([{ name: "a", rpcUrl: "http://x/RPC?k=v" }]);
  });
});

describe("parseNodeSpec", () => {
  it("validates a CLI/form node", () => {
    expect(parseNodeSpec("edge1", "http://127.0.0.1:5080/RPC")).toEqual({
      name: "edge1",
      rpcUrl: "http://127.0.0.1:5080/RPC",
    });
    expect(() => parseNodeSpec("edge1", "127.0.0.1:5080")).toThrowError(/RPC URL/);
    expect(() => parseNodeSpec("a/b", "http://x/RPC")).toThrowError(/node name/);
  });
});
