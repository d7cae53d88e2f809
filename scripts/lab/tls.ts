import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { runCommand } from "./process";

/** Self-signed certificate for 127.0.0.1 and localhost, made once per state folder. */
export async function ensureCertificate(tlsDir: string, certFile: string, keyFile: string): Promise<void> {
  if (existsSync(certFile) && existsSync(keyFile)) return;
  await mkdir(tlsDir, { recursive: true, mode: 0o700 });
  await runCommand("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    keyFile,
    "-out",
    certFile,
    "-days",
    "825",
    "-subj",
    "/CN=127.0.0.1",
    "-addext",
    "subjectAltName=IP:127.0.0.1,DNS:localhost",
  ]);
}
