import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { isPermission, type Permission } from "@/lib/auth/permissions";

// The app's route tree as found on disk (so a new page or route cannot be left out of the security tests):
// app/**/route.ts and app/**/page.tsx, with their URL pattern, dynamic segments and declared permission.

export const appDir = path.resolve(import.meta.dirname, "../../app");

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

function filesNamed(dir: string, name: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesNamed(full, name);
    return entry.name === name ? [full] : [];
  });
}

export type TreeEntry = {
  file: string;
  /** URL pattern, route groups dropped: "/api/v1/nodes/[name]", "/nodes/[name]". */
  pattern: string;
  /** Names of the dynamic segments, in order. */
  params: string[];
};

function entry(file: string): TreeEntry {
  const segments = path.relative(appDir, path.dirname(file)).split(path.sep).filter(Boolean);
  const kept = segments.filter((s) => !/^\(.*\)$/.test(s));
  return {
    file,
    pattern: `/${kept.join("/")}`,
    params: kept.filter((s) => /^\[[^.]+\]$/.test(s)).map((s) => s.slice(1, -1)),
  };
}

export function routeHandlers(): TreeEntry[] {
  return filesNamed(appDir, "route.ts").map(entry).sort(byPattern);
}

export function pages(): TreeEntry[] {
  return filesNamed(appDir, "page.tsx").map(entry).sort(byPattern);
}

function byPattern(a: TreeEntry, b: TreeEntry): number {
  return a.pattern.localeCompare(b.pattern);
}

/** The pattern with each [segment] replaced by `values[segment]` (URL-encoded). */
export function fillPattern(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/\[([^\]]+)\]/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for [${name}] in ${pattern}`);
    return encodeURIComponent(value);
  });
}

/**
 * The permission a page's server code names (`requirePage("…")` in the page, else in the nearest layout above it
 * inside app/), or null when it names none (the public /login and /setup, the redirecting home page).
 */
export function pagePermission(page: TreeEntry): Permission | null {
  const named = (file: string): Permission | null => {
    const match = readFileSync(file, "utf8").match(/requirePage\("([a-z.]+)"/);
    if (!match?.[1]) return null;
    if (!isPermission(match[1])) throw new Error(`${file} names an unknown permission ${match[1]}`);
    return match[1];
  };
  const own = named(page.file);
  if (own) return own;
  for (let dir = path.dirname(page.file); dir.startsWith(appDir); dir = path.dirname(dir)) {
    const layout = path.join(dir, "layout.tsx");
    const fromLayout = readdirSync(dir).includes("layout.tsx") ? named(layout) : null;
    if (fromLayout) return fromLayout;
    if (dir === appDir) break;
  }
  return null;
}
