import { resolveKioskToken } from "@/lib/auth/api-tokens";
import { setKioskCookie } from "@/lib/auth/session-cookies";

// Reached through proxy.ts's rewrite of /wall?kiosk=<token>: a valid kiosk token becomes an HttpOnly cookie and
// the browser goes to /wall without the token in its address bar or history.

export async function GET(request: Request): Promise<Response> {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const kiosk = await resolveKioskToken(token);
  const target = kiosk ? "/wall" : "/login?error=kiosk";
  if (kiosk) await setKioskCookie(token);
  return new Response(null, {
    status: 303,
    headers: { location: target, "cache-control": "no-store", "referrer-policy": "no-referrer" },
  });
}
