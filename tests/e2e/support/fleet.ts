import type { Page } from "playwright-core";
import { freePort } from "../../support/ports";

// A bigger fleet for the browser suite: nodes that answer (more names for the lab's one Kamailio: the node
// registry keys nodes by name, so several may share a JSON-RPC URL) and nodes that do not (a JSON-RPC port with no
// listener), added to the app's database and removed after.

export type TestFleet = { up: string[]; down: string[]; remove: () => Promise<void> };

/** Adds `up` more names for the lab node's Kamailio and `down` nodes that do not answer, named `prefix-up-01`… */
export async function addTestFleet(prefix: string, up: number, down: number): Promise<TestFleet> {
  const { getDb } = await import("@/lib/db");
  const { addNode, removeNode, listNodes } = await import("@/lib/nodes");
  const db = await getDb();
  const lab = (await listNodes(db)).find((n) => n.name === "lab");
  if (!lab) throw new Error("no lab node in the registry");
  const name = (kind: string, i: number) => `${prefix}-${kind}-${String(i + 1).padStart(2, "0")}`;
  const fleet = {
    up: Array.from({ length: up }, (_, i) => name("up", i)),
    down: Array.from({ length: down }, (_, i) => name("down", i)),
  };
  const added: string[] = [];
  const remove = async () => {
    for (const n of added) await removeNode(db, n).catch(() => undefined);
  };
  try {
    for (const n of fleet.up) {
      await addNode(db, { name: n, rpcUrl: lab.rpcUrl }, "cli");
      added.push(n);
    }
    for (const n of fleet.down) {
      await addNode(db, { name: n, rpcUrl: `http://127.0.0.1:${await freePort()}/RPC` }, "cli");
      added.push(n);
    }
  } catch (err) {
    await remove();
    throw err;
  }
  return { ...fleet, remove };
}

export type FitReport = {
  /** document scrollWidth − clientWidth, scrollHeight − clientHeight (px; > 0 means a scrollbar). */
  overflowX: number;
  overflowY: number;
  /** Elements matching the selector that are not wholly inside the viewport (horizontally, or both with `vertical`). */
  outside: string[];
};

/** How the page fits its viewport, and which `selector` elements (named by `nameAttr`) are cut off by it. */
export function measureFit(
  page: Page,
  selector: string,
  nameAttr: string,
  vertical: boolean,
): Promise<FitReport> {
  return page.evaluate(
    ({ selector, nameAttr, vertical }) => {
      const root = document.documentElement;
      const outside = [...document.querySelectorAll(selector)]
        .filter((el) => {
          const box = el.getBoundingClientRect();
          const across = box.width > 0 && box.left >= 0 && box.right <= root.clientWidth;
          const down = box.top >= 0 && box.bottom <= root.clientHeight;
          return !across || (vertical && !down);
        })
        .map((el) => el.getAttribute(nameAttr) ?? el.outerHTML.slice(0, 80));
      return {
        overflowX: root.scrollWidth - root.clientWidth,
        overflowY: root.scrollHeight - root.clientHeight,
        outside,
      };
    },
    { selector, nameAttr, vertical },
  );
}

export type ShownRow = { name: string; tone: string; registrations: number | null };

/** The overview's node rows in page order. */
export function readRows(page: Page): Promise<ShownRow[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("[data-testid='node-row']")].map((row) => {
      const raw = row.querySelector("[data-testid='node-registrations']")?.getAttribute("data-value");
      return {
        name: row.getAttribute("data-node") ?? "",
        tone: row.getAttribute("data-tone") ?? "",
        registrations: raw === undefined || raw === null || raw === "" ? null : Number(raw),
      };
    }),
  );
}

/** Wall node tiles not wholly inside the node strip (its overflow is hidden: such a tile would be cut off). */
export function tilesCutByStrip(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const strip = document.querySelector("[data-testid='wall-node-strip']")?.getBoundingClientRect();
    if (!strip) return ["no strip"];
    return [...document.querySelectorAll("[data-testid='wall-node'], [data-testid='wall-node-more']")]
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.bottom > strip.bottom + 0.5 || box.right > strip.right + 0.5;
      })
      .map((el) => el.getAttribute("data-node") ?? "more");
  });
}
