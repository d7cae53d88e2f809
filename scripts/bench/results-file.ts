import { mkdir, readFile, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import path from "node:path";
import { repoRoot } from "../lab/paths";

// bench/RESULTS.md (committed): one section per bench (carrier, store, api, wall, soak), each between
// `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` markers, so re-running one part replaces only its section. Every
// section starts with the machine (os.cpus(), os.totalmem(), load average), the date and the exact command.

export const RESULTS_PATH = path.join(repoRoot, "bench", "RESULTS.md");
export const SECTION_ORDER = ["carrier", "store", "api", "wall", "soak"] as const;
export type SectionName = (typeof SECTION_ORDER)[number];

const HEADER = `# kamdash benchmarks

Written by \`npm run bench -- --carrier | --store | --api | --wall | --soak 30m | --all\` (scripts/bench/run.ts); each
section is replaced when its part is re-run. Targets are checked here as numbers and marked met / not met; no test
asserts a timing. The code measured is whatever was in the working tree at the date given (other work was changing
the poller, the sample tables and pages at the time of the first runs).
`;

/** "2 × AMD EPYC 7B13, 23.5 GiB RAM, load 1.20/0.90/0.60 (1/5/15 min)": the machine a section was measured on. */
export function machineLine(): string {
  const list = cpus();
  const model = list[0]?.model.trim() ?? "unknown CPU";
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join("/");
  return `${list.length} × ${model}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, load ${load} (1/5/15 min) at start, Node ${process.version}`;
}

/** The command as typed: `npm run bench -- <args>`. */
export function commandLine(argv: readonly string[]): string {
  return `npm run bench -- ${argv.join(" ")}`.trim();
}

/** A section's opening lines: its title, machine, date and command. */
export function sectionPreamble(title: string, argv: readonly string[], machine: string): string[] {
  return [
    `## ${title}`,
    "",
    `- machine: ${machine}`,
    `- date: ${new Date().toISOString().replace(/\.\d+Z$/, "Z")}`,
    `- command: \`${commandLine(argv)}\``,
    "",
  ];
}

/** "met" / "NOT met" for a value against an upper bound. */
export const verdict = (value: number, max: number) => (value <= max ? "met" : "NOT met");

/** A Markdown table; the first row is the header. */
export function markdownTable(rows: readonly (readonly string[])[]): string[] {
  const [head, ...body] = rows;
  if (!head) return [];
  return [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...body.map((r) => `| ${r.join(" | ")} |`),
  ];
}

/** Replaces (or adds, in SECTION_ORDER) the section `name` of bench/RESULTS.md (or `file`) with `lines`. */
export async function writeSection(
  name: SectionName,
  lines: readonly string[],
  file: string = RESULTS_PATH,
): Promise<void> {
  const current = await readFile(file, "utf8").catch(() => HEADER);
  const sections = new Map<string, string>();
  for (const m of current.matchAll(/<!-- bench:(\w+) -->\n([\s\S]*?)<!-- \/bench:\1 -->/g)) {
    if (m[1] && m[2] !== undefined) sections.set(m[1], m[2]);
  }
  sections.set(name, `${lines.join("\n").trimEnd()}\n`);
  const head = current.split("<!-- bench:")[0]?.trimEnd() ?? HEADER.trimEnd();
  const body = SECTION_ORDER.filter((s) => sections.has(s)).map(
    (s) => `<!-- bench:${s} -->\n${sections.get(s)}<!-- /bench:${s} -->`,
  );
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${head}\n\n${body.join("\n\n")}\n`);
}
