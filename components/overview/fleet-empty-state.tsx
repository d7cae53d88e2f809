import Link from "next/link";
import { AddNodeForm } from "@/app/admin/nodes/add-node-form";
import { can } from "@/lib/auth/actor";
import { getPageActor } from "@/lib/auth/page";
import { getDb } from "@/lib/db";
import { listNodes } from "@/lib/nodes";
import { defaultLabJsonPath, readLabRpcUrl } from "@/lib/nodes/seed";

// What the overview and the wall show instead of fleet numbers while the live snapshot has no node: there is no
// fleet to count, so no tile and no "0". Every hint names something that works right then: the form (admins),
// `kamdash node add` (forwarded to the running server), the lab and what kamdash does with it.

type Surface = "overview" | "wall";

const styles: Record<Surface, { box: string; title: string; text: string; code: string }> = {
  overview: {
    box: "rounded-tremor-default border border-tremor-border bg-tremor-background p-6",
    title: "text-xl font-semibold text-tremor-content-strong",
    text: "text-sm text-tremor-content",
    code: "rounded bg-tremor-background-subtle px-1 font-mono",
  },
  wall: {
    box: "mx-auto mt-16 max-w-5xl rounded-xl border border-slate-700 bg-slate-900 p-10",
    title: "text-5xl font-bold text-slate-100",
    text: "text-2xl text-slate-300",
    code: "rounded bg-slate-800 px-2 font-mono",
  },
};

function labRpcUrlOrNull(): string | null {
  try {
    return readLabRpcUrl(defaultLabJsonPath());
  } catch {
    return null; // an unreadable lab file is the lab's problem, not this page's
  }
}

function NoNodeYet({
  surface,
  canAdd,
  labRpcUrl,
}: {
  surface: Surface;
  canAdd: boolean;
  labRpcUrl: string | null;
}) {
  const s = styles[surface];
  return (
    <section className={s.box} data-testid="no-node-yet" aria-labelledby="no-node-title">
      <h2 id="no-node-title" className={s.title}>
        No Kamailio node yet
      </h2>
      <div className={`mt-3 space-y-2 ${s.text}`}>
        <p>
          kamdash watches Kamailio nodes through their JSON-RPC URL; until one is added there is nothing to
          count.
        </p>
        {canAdd ? (
          <p>
            Add one with the form below, or on the server with{" "}
            <code className={s.code}>npx kamdash node add &lt;name&gt; &lt;rpc-url&gt;</code> (works while
            kamdash runs), or list them in <code className={s.code}>KAMAILIO_NODES</code> and restart.
          </p>
        ) : (
          <p>
            An admin adds nodes on the overview page or with <code className={s.code}>kamdash node add</code>,
            and this page updates by itself.
          </p>
        )}
        {labRpcUrl !== null ? (
          <p data-testid="no-node-lab">
            The lab is running on this machine: its Kamailio answers at{" "}
            <code className={s.code}>{labRpcUrl}</code>. Add it as a node, or restart kamdash, which adds the
            lab&apos;s node by itself at start.
          </p>
        ) : (
          <p data-testid="no-node-lab">
            To try kamdash without a gateway, start the lab on this machine with{" "}
            <code className={s.code}>npm run lab:up</code> (root, Debian 12 with Kamailio, RTPEngine and
            PostgreSQL: <code className={s.code}>npm test</code> installs them). It prints the lab&apos;s RPC
            URL to add here; restarting kamdash adds the lab&apos;s node by itself.
          </p>
        )}
      </div>
      {canAdd ? (
        <div
          className={surface === "wall" ? "mt-6 rounded-lg bg-white p-6 text-base text-gray-900" : undefined}
        >
          <AddNodeForm />
        </div>
      ) : null}
    </section>
  );
}

/** Server component for OverviewLive / WallLive's `emptyState` slot (shown only while the snapshot has no node). */
export async function FleetEmptyState({ surface }: { surface: Surface }) {
  const [actor, nodes] = await Promise.all([getPageActor(), listNodes(await getDb())]);
  const canAdd = actor !== null && can(actor, "nodes.write");
  const s = styles[surface];
  if (nodes.length === 0)
    return <NoNodeYet surface={surface} canAdd={canAdd} labRpcUrl={labRpcUrlOrNull()} />;
  const enabled = nodes.filter((node) => node.enabled).length;
  const enableOne = canAdd ? (
    <>
      enable one on{" "}
      <Link href="/admin/nodes" className="underline">
        Admin → Nodes
      </Link>
    </>
  ) : (
    "an admin can enable one"
  );
  return (
    <section className={s.box} data-testid="no-node-polled">
      <h2 className={s.title}>
        {enabled === 0 ? "Every Kamailio node is disabled" : "Waiting for the first poll"}
      </h2>
      <p className={`mt-3 ${s.text}`}>
        {enabled === 0 ? (
          <>
            {nodes.length} node{nodes.length === 1 ? " is" : "s are"} configured, none enabled: {enableOne}.
          </>
        ) : (
          <>
            {enabled} node{enabled === 1 ? "" : "s"} enabled; the numbers appear after the first poll.
          </>
        )}
      </p>
    </section>
  );
}
