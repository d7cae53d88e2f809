// Runs one lab probe and prints ok|fail; used through `ip netns exec` for labs inside a namespace.
import { httpOk, kamailioAnswers, ngPing } from "./probe";

async function main(argv: string[]): Promise<boolean> {
  const [kind, first, second] = argv;
  if (kind === "rtpengine" && first && second)
    return (await ngPing(first)) && (await httpOk(`${second}/ping`));
  if (kind === "kamailio" && first) return kamailioAnswers(first);
  throw new Error("usage: probe-cli.ts rtpengine <ng host:port> <http base> | kamailio <rpc url>");
}

main(process.argv.slice(2)).then(
  (ok) => {
    process.stdout.write(ok ? "ok\n" : "fail\n");
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
