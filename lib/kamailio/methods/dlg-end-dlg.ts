import { z } from "zod";
import { parseReply } from "../errors";

// dlg.end_dlg <h_entry> <h_id>: Kamailio sends BYE to both legs of the dialog with that hash entry and id
// (dlg.list gives both). An unknown pair answers {code: 404, message: "Dialog not found"} (captured from the lab).

export const DLG_END_DLG = "dlg.end_dlg";

const hashPart = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .nonnegative(`${name} must not be negative`)
    .max(0xffff_ffff, `${name} must fit in 32 bits`);

/** The dialog's identity in Kamailio's hash table, as dlg.list prints it. */
export const dialogHashSchema = z.object({ hEntry: hashPart("h_entry"), hId: hashPart("h_id") });
export type DialogHash = z.infer<typeof dialogHashSchema>;

/** Positional params of dlg.end_dlg. */
export function dlgEndDlgParams(hash: DialogHash): [number, number] {
  return [hash.hEntry, hash.hId];
}

/** Accepts the success reply ({} or no result). Throws KamailioRpcError on anything else. */
export function parseDlgEndDlg(result: unknown, nodeUrl?: string): void {
  parseReply(z.union([z.object({}).strict(), z.null(), z.undefined()]), result, DLG_END_DLG, nodeUrl);
}
