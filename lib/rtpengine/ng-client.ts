import type { z } from "zod";
import { parseNgReply, RtpengineError } from "./errors";
import {
  type CallQuery,
  type NgQueryReply,
  type NgStatisticsReply,
  ngErrorReplySchema,
  ngListReplySchema,
  ngPingReplySchema,
  ngQueryReplySchema,
  ngStatisticsReplySchema,
  toCallQuery,
} from "./ng-schemas";
import { createNgTransport, type NgDictionary, type NgTransportOptions } from "./ng-transport";

export type RtpengineNgClientOptions = NgTransportOptions;

export interface RtpengineNgClient {
  readonly target: string;
  /** Resolves when RTPEngine answers "pong". */
  ping(): Promise<void>;
  statistics(): Promise<NgStatisticsReply["statistics"]>;
  /** Call-ids of current calls (RTPEngine caps the list; `limit` asks for at most that many). */
  list(limit?: number): Promise<string[]>;
  /** Per-stream packet/byte counters of one call. */
  query(callId: string, options?: { fromTag?: string }): Promise<CallQuery>;
  /** NG `query` of one call as RTPEngine replied (validated), per tag and media: for lib/media/call-media.ts. */
  queryReply(callId: string): Promise<NgQueryReply>;
  /** Any NG command; the reply dictionary unvalidated except for `result: "error"`, which throws. */
  command(command: string, args?: NgDictionary): Promise<NgDictionary>;
  close(): Promise<void>;
}

export function createRtpengineNgClient(options: RtpengineNgClientOptions): RtpengineNgClient {
  const transport = createNgTransport(options);
  const { target } = transport;

  async function command(name: string, args: NgDictionary = {}): Promise<NgDictionary> {
    const reply = await transport.send(name, args);
    const failure = ngErrorReplySchema.safeParse(reply);
    if (failure.success) {
      throw new RtpengineError({
        kind: "ng_error",
        command: name,
        target,
        detail: `RTPEngine answered error: ${failure.data["error-reason"] ?? "(no reason given)"}`,
      });
    }
    return reply;
  }

  async function validated<Schema extends z.ZodType>(
    schema: Schema,
    name: string,
    args?: NgDictionary,
  ): Promise<z.output<Schema>> {
    return parseNgReply(schema, await command(name, args), name, target);
  }

  return {
    target,
    command,
    close: () => transport.close(),
    ping: async () => {
      await validated(ngPingReplySchema, "ping");
    },
    statistics: async () => (await validated(ngStatisticsReplySchema, "statistics")).statistics,
    list: async (limit) =>
      (await validated(ngListReplySchema, "list", limit === undefined ? {} : { limit: String(limit) })).calls,
    query: async (callId, queryOptions = {}) => {
      const args: NgDictionary = { "call-id": callId };
      if (queryOptions.fromTag) args["from-tag"] = queryOptions.fromTag;
      return toCallQuery(await validated(ngQueryReplySchema, "query", args));
    },
    queryReply: async (callId) => await validated(ngQueryReplySchema, "query", { "call-id": callId }),
  };
}
