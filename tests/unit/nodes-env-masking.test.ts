import { describe, expect, it } from "vitest";
import { NodeConfigError, parseKamailioNodes } from "@/lib/nodes";
import { maskEntryCredentials } from "@/lib/nodes/mask-credentials";

// A malformed KAMAILIO_NODES entry is quoted in full in the start-up error, but never with its RPC password.

function startUpError(value: string): string {
  try {
    parseKamailioNodes(value);
  } catch (error) {
    expect(error).toBeInstanceOf(NodeConfigError);
    return (error as Error).message;
  }
  throw new Error(`KAMAILIO_NODES ${JSON.stringify(value)} was accepted`);
}

describe("KAMAILIO_NODES errors quote the entry with the password masked", () => {
  it("a bad node name: the whole entry, user kept, password masked", () => {
    const message = startUpError(
      "edge1=http://ops:hunter2@10.0.0.5:5080/RPC,bad name=http://ops:s3cr3t@10.0.0.6:5080/RPC",
    );
    expect(message).toBe(
      "KAMAILIO_NODES entry 2 \"bad name=http://ops:***@10.0.0.6:5080/RPC\": node name: 1-63 characters of letters, digits, '.', '_' or '-', starting with a letter or digit",
    );
    expect(message).not.toContain("s3cr3t");
  });

  it("a bad URL and a repeated name", () => {
    const badUrl = startUpError("edge1=ftp://ops:hunter2@10.0.0.5/RPC");
    expect(badUrl).toMatch(
      /^KAMAILIO_NODES entry 1 "edge1=ftp:\/\/ops:\*\*\*@10\.0\.0\.5\/RPC": RPC URL must be/,
    );
    const twice = startUpError("a=http://u:p4ss1@x/RPC,a=http://u:p4ss2@y/RPC");
    expect(twice).toBe('KAMAILIO_NODES entry 2 "a=http://u:***@y/RPC": node name "a" is listed twice');
    expect(badUrl + twice).not.toMatch(/hunter2|p4ss/);
  });

  it("a password holding an unencoded ',' splits the entry: neither half shows", () => {
    const cutAtComma = startUpError("edge1=http://ops:Xq7,zz9@10.0.0.5:5080/RPC");
    expect(cutAtComma).toMatch(/^KAMAILIO_NODES entry 1 "edge1=http:\/\/ops:\*\*\*": RPC URL/);
    // a password starting with digits makes a valid URL of the first half; the second half is the next entry
    const tail = startUpError("edge1=http://ops:123,zz9@10.0.0.5:5080/RPC");
    expect(tail).toBe('KAMAILIO_NODES entry 2 "***@10.0.0.5:5080/RPC": expected name=url');
    expect(cutAtComma + tail).not.toMatch(/Xq7|zz9/);
  });

  it("quotes a long entry in full", () => {
    const path = `/RPC/${"x".repeat(300)}`;
    expect(startUpError(`bad/name=http://10.0.0.5:5080${path}`)).toContain(
      `"bad/name=http://10.0.0.5:5080${path}"`,
    );
  });
});

describe("maskEntryCredentials", () => {
  it.each([
    ["edge=http://user:pass@host:5080/RPC", "edge=http://user:***@host:5080/RPC"],
    ["edge=https://user:p@ss:w@rd@host/RPC", "edge=https://user:***@host/RPC"],
    ["http://user:pass@host/RPC?k=v", "http://user:***@host/RPC?k=v"],
    ["edge=user:pass@host/RPC", "edge=user:***@host/RPC"],
    ["edge=http://user:pa", "edge=http://user:***"],
    ["ss@host/RPC", "***@host/RPC"],
    // nothing secret: left as it is
    ["edge=http://host:5080/RPC?k=v", "edge=http://host:5080/RPC?k=v"],
    ["edge=http://user@host/RPC", "edge=http://user@host/RPC"],
    ["edge1", "edge1"],
    ["", ""],
  ])("%j → %j", (entry, masked) => {
    expect(maskEntryCredentials(entry)).toBe(masked);
  });
});
