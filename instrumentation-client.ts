import { z } from "zod";

// Runs in the browser before the app's own modules (Next's instrumentation-client convention). Zod compiles object
// parsers with `new Function` unless told not to, and its feature probe alone is reported by the browser as a CSP
// violation (script-src has no 'unsafe-eval': lib/http/security-headers.ts). Client-side parsing stays on Zod's
// plain path; the server keeps the compiled one.
z.config({ jitless: true });
