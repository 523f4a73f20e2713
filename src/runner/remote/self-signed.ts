// A fresh self-signed certificate for the session server (ECDSA P-256, the advertised host as SAN), via openssl.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { isIP } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface KeyPair {
  /** PEM */
  key: string;
  /** PEM */
  cert: string;
}

/** Valid for 10 years: it lives only as long as the runner process, which makes a new one at every start. */
const DAYS = 3650;

/** Hosts as SAN entries: `IP:` for addresses, `DNS:` for names; the first one is also the CN. */
export async function selfSignedCertificate(hosts: string[]): Promise<KeyPair> {
  const names = [...new Set(hosts.filter(Boolean))];
  if (names.length === 0) throw new Error("a certificate needs at least one host name or address");
  const dir = await mkdtemp(join(tmpdir(), "porthole-session-tls-"));
  try {
    const keyPath = join(dir, "key.pem");
    const certPath = join(dir, "cert.pem");
    const san = names.map((h) => (isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(",");
    const run = Bun.spawn(
      [
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        keyPath,
        "-out",
        certPath,
        "-days",
        String(DAYS),
        "-subj",
        `/CN=${names[0]}`,
        "-addext",
        `subjectAltName=${san}`,
      ],
      { stdout: "ignore", stderr: "pipe" },
    );
    const [code, stderr] = await Promise.all([run.exited, new Response(run.stderr).text()]);
    if (code !== 0) throw new Error(`openssl could not make the session server's certificate: ${stderr.trim()}`);
    return { key: await readFile(keyPath, "utf8"), cert: await readFile(certPath, "utf8") };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
