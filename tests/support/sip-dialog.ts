import {
  cseqOf,
  headerValues,
  parseNameAddr,
  randomToken,
  requireHeader,
  type SipHeader,
  type SipRequest,
  type SipResponse,
} from "./sip-message";

// RFC 3261 §12 dialog state, enough for ACK/BYE/INFO inside a dialog.

export interface Dialog {
  callId: string;
  localTag: string;
  remoteTag: string;
  /** From/To header values as this side writes them (with tags). */
  localParty: string;
  remoteParty: string;
  localSeq: number;
  remoteTarget: string;
  /** Route headers to put on requests, in order. */
  routeSet: string[];
}

function contactUri(message: SipRequest | SipResponse): string {
  return parseNameAddr(requireHeader(message, "contact")).uri;
}

/** Dialog as the caller sees it, from the 2xx to its INVITE. */
export function dialogFromResponse(invite: SipRequest, response: SipResponse): Dialog {
  const from = requireHeader(invite, "from");
  const to = requireHeader(response, "to");
  return {
    callId: requireHeader(invite, "call-id"),
    localTag: parseNameAddr(from).params.get("tag") ?? "",
    remoteTag: parseNameAddr(to).params.get("tag") ?? "",
    localParty: from,
    remoteParty: to,
    localSeq: Number(requireHeader(invite, "cseq").split(" ")[0]),
    remoteTarget: contactUri(response),
    routeSet: headerValues(response, "record-route").reverse(),
  };
}

/** Dialog as the callee sees it, from the INVITE it answers with `localTag`. */
export function dialogFromRequest(invite: SipRequest, localTag: string): Dialog {
  const to = requireHeader(invite, "to");
  const from = requireHeader(invite, "from");
  return {
    callId: requireHeader(invite, "call-id"),
    localTag,
    remoteTag: parseNameAddr(from).params.get("tag") ?? "",
    localParty: `${to};tag=${localTag}`,
    remoteParty: from,
    localSeq: Math.floor(Math.random() * 10_000),
    remoteTarget: contactUri(invite),
    routeSet: headerValues(invite, "record-route"),
  };
}

export interface RequestContext {
  viaTransport: string;
  viaHost: string;
  contact: string;
  userAgent: string;
}

export function newBranch(): string {
  return `z9hG4bK${randomToken(16)}`;
}

export function viaHeader(context: RequestContext, branch = newBranch()): SipHeader {
  return { name: "via", value: `SIP/2.0/${context.viaTransport} ${context.viaHost};branch=${branch};rport` };
}

/** A request inside `dialog`. ACK reuses the INVITE's CSeq number; everything else increments it. */
export function inDialogRequest(
  dialog: Dialog,
  method: string,
  context: RequestContext,
  options: { cseq?: number; body?: string; contentType?: string; extraHeaders?: SipHeader[] } = {},
): SipRequest {
  const cseq = options.cseq ?? ++dialog.localSeq;
  const headers: SipHeader[] = [
    viaHeader(context),
    { name: "max-forwards", value: "70" },
    ...dialog.routeSet.map((route) => ({ name: "route", value: route })),
    { name: "from", value: dialog.localParty },
    { name: "to", value: dialog.remoteParty },
    { name: "call-id", value: dialog.callId },
    { name: "cseq", value: `${cseq} ${method}` },
    { name: "user-agent", value: context.userAgent },
    ...(options.extraHeaders ?? []),
  ];
  if (method === "INVITE" || method === "UPDATE") headers.push({ name: "contact", value: context.contact });
  if (options.body) headers.push({ name: "content-type", value: options.contentType ?? "application/sdp" });
  return { kind: "request", method, uri: dialog.remoteTarget, headers, body: options.body ?? "" };
}

/** A response to `request` copying Via/From/To/Call-ID/CSeq (and Record-Route for dialog-creating replies). */
export function responseTo(
  request: SipRequest,
  status: number,
  reason: string,
  options: { toTag?: string; contact?: string; body?: string; extraHeaders?: SipHeader[] } = {},
): SipResponse {
  const to = requireHeader(request, "to");
  const toValue = options.toTag && !parseNameAddr(to).params.has("tag") ? `${to};tag=${options.toTag}` : to;
  const headers: SipHeader[] = [
    ...headerValues(request, "via").map((value) => ({ name: "via", value })),
    ...(request.method === "INVITE" && status > 100 && status < 300
      ? headerValues(request, "record-route").map((value) => ({ name: "record-route", value }))
      : []),
    { name: "from", value: requireHeader(request, "from") },
    { name: "to", value: toValue },
    { name: "call-id", value: requireHeader(request, "call-id") },
    { name: "cseq", value: requireHeader(request, "cseq") },
    ...(options.contact ? [{ name: "contact", value: options.contact }] : []),
    ...(options.extraHeaders ?? []),
  ];
  if (options.body) headers.push({ name: "content-type", value: "application/sdp" });
  return { kind: "response", status, reason, headers, body: options.body ?? "" };
}

/** A request in the INVITE's own transaction: its top Via (branch), Request-URI, route, From and CSeq number. */
function inviteTransactionRequest(invite: SipRequest, method: "ACK" | "CANCEL", to: string): SipRequest {
  const headers: SipHeader[] = [
    { name: "via", value: headerValues(invite, "via")[0] ?? "" },
    { name: "max-forwards", value: "70" },
    ...headerValues(invite, "route").map((value) => ({ name: "route", value })),
    { name: "from", value: requireHeader(invite, "from") },
    { name: "to", value: to },
    { name: "call-id", value: requireHeader(invite, "call-id") },
    { name: "cseq", value: `${cseqOf(invite).seq} ${method}` },
  ];
  return { kind: "request", method, uri: invite.uri, headers, body: "" };
}

/** ACK for a non-2xx final response: same branch and Request-URI as the INVITE (RFC 3261 §17.1.1.3). */
export function non2xxAck(invite: SipRequest, response: SipResponse): SipRequest {
  return inviteTransactionRequest(invite, "ACK", requireHeader(response, "to"));
}

/** CANCEL for an INVITE still without a final response (RFC 3261 §9.1); To as in the INVITE, without a tag. */
export function cancelFor(invite: SipRequest): SipRequest {
  return inviteTransactionRequest(invite, "CANCEL", requireHeader(invite, "to"));
}

/** A request outside any dialog from `aor` (REGISTER, initial INVITE, OPTIONS). */
export function outOfDialogRequest(
  context: RequestContext,
  aor: string,
  fromTag: string,
  request: {
    method: string;
    uri: string;
    callId: string;
    cseq: number;
    body: string;
    extraHeaders: SipHeader[];
  },
): SipRequest {
  const { method, uri, body } = request;
  const headers: SipHeader[] = [
    viaHeader(context),
    { name: "max-forwards", value: "70" },
    { name: "to", value: method === "REGISTER" ? `<${aor}>` : `<${uri}>` },
    { name: "from", value: `<${aor}>;tag=${fromTag}` },
    { name: "call-id", value: request.callId },
    { name: "cseq", value: `${request.cseq} ${method}` },
    { name: "user-agent", value: context.userAgent },
    ...request.extraHeaders,
  ];
  if (body) headers.push({ name: "content-type", value: "application/sdp" });
  return { kind: "request", method, uri, headers, body };
}
