import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** `node` arguments that run a TypeScript file (through tsx's loader) without depending on the cwd. */
export function nodeArgsForTs(file: string, ...args: string[]): string[] {
  return ["--import", tsxLoader, file, ...args];
}
