import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ApiError, toErrorResponse } from "@/lib/http/errors";
import { parseJsonBody, parseSearchParams } from "@/lib/http/parse";
import { captureLog } from "../support/log-capture";

describe("error mapper", () => {
  afterEach(() => vi.restoreAllMocks());

  it("answers ApiError with its status, public message and headers", async () => {
    const response = toErrorResponse(new ApiError(429, "Slow down", { headers: { "retry-after": "30" } }));
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("30");
    expect(await response.json()).toEqual({ error: { code: "rate_limited", message: "Slow down" } });
  });

  it("maps zod errors to 422 with the failing fields", async () => {
    const result = z.object({ name: z.string().min(2) }).safeParse({ name: "x" });
    expect(result.success).toBe(false);
    const response = toErrorResponse(result.error);
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.issues[0].path).toBe("name");
  });

  it("maps Prisma not-found to 404 and unique violations to 409", async () => {
    const notFound = Object.assign(new Error("No record was found for an update."), {
      name: "PrismaClientKnownRequestError",
      code: "P2025",
    });
    expect(toErrorResponse(notFound).status).toBe(404);
    const duplicate = Object.assign(new Error("Unique constraint failed on the fields: (`name`)"), {
      name: "PrismaClientKnownRequestError",
      code: "P2002",
    });
    const response = toErrorResponse(duplicate);
    expect(response.status).toBe(409);
    expect(JSON.stringify(await response.json())).not.toContain("constraint");
  });

  it("answers unknown errors with 500 and an id, never the message or stack", async () => {
    const logged = captureLog();
    const response = toErrorResponse(new Error("connect ECONNREFUSED 10.1.2.3:5432 password=hunter2"));
    logged.restore();
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("ECONNREFUSED");
    const body = JSON.parse(text);
    expect(body.error.message).toBe("Internal server error");
    expect(body.error.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(logged.lines()).toEqual([
      expect.objectContaining({
        level: "error",
        errorId: body.error.id,
        msg: expect.stringContaining(body.error.id),
      }),
    ]);
  });
});

describe("request parsing", () => {
  const schema = z.object({ name: z.string().min(1) });
  const post = (body: string, contentType = "application/json") =>
    new Request("http://127.0.0.1/x?limit=5&metric=ws", {
      method: "POST",
      body,
      headers: { "content-type": contentType },
    });

  it("parses a JSON body with the schema", async () => {
    expect(await parseJsonBody(post('{"name":"lab"}'), schema)).toEqual({ name: "lab" });
  });

  it("refuses other content types with 415, broken JSON with 400, invalid data with 422", async () => {
    const statusOf = async (request: Request) =>
      toErrorResponse(
        await parseJsonBody(request, schema).then(
          () => null,
          (error: unknown) => error,
        ),
      ).status;
    expect(await statusOf(post("name=lab", "application/x-www-form-urlencoded"))).toBe(415);
    expect(await statusOf(post("{name:"))).toBe(400);
    expect(await statusOf(post('{"name":""}'))).toBe(422);
  });

  it("parses the query string", () => {
    const query = z.object({ limit: z.coerce.number().int(), metric: z.enum(["ws", "wss"]) });
    expect(parseSearchParams(post("{}"), query)).toEqual({ limit: 5, metric: "ws" });
  });
});
