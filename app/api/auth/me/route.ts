import { publicActor } from "@/lib/auth/actor";
import { withAuth } from "@/lib/auth/with-auth";

// Who am I: name, role and permissions, so client code can hide what the user may not do.
export const GET = withAuth("overview.read", (_request, { actor }) =>
  Response.json(publicActor(actor), { headers: { "cache-control": "no-store" } }),
);
