// A real TLS reverse proxy for tests: nginx with a fresh self-signed certificate for 127.0.0.1, passing WebSocket upgrades on.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TlsFront {
  /** `https://127.0.0.1:<port>` */
  url: string;
  /** The self-signed certificate (PEM file) a client must trust. */
  caFile: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

export const nginxAvailable = Bun.which("nginx") !== null && Bun.which("openssl") !== null;

export interface TlsFrontOptions {
  /** The port to listen on (a free one when absent), for a backend that must know its external URL first. */
  port?: number;
  /** Serve only this path prefix (e.g. `/ci/`), passing request paths on unchanged, as for GitLab's relative root. */
  location?: string;
}

/** Starts nginx in its own temp dir, proxying `https://127.0.0.1:<port>` to `backend` (an http:// origin). */
export async function startTlsFront(backend: string, opts: TlsFrontOptions = {}): Promise<TlsFront> {
  const dir = mkdtempSync(join(tmpdir(), "porthole-tls-front-"));
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  const made = Bun.spawnSync(
    ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-keyout", key, "-out", cert].concat([
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ]),
    { stderr: "pipe" },
  );
  if (made.exitCode !== 0) throw new Error(`openssl failed: ${made.stderr.toString()}`);
  const port = opts.port ?? (await freePort());
  const conf = join(dir, "nginx.conf");
  writeFileSync(
    conf,
    `daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${cert};
    ssl_certificate_key ${key};
    location ${opts.location ?? "/"} {
      proxy_pass ${backend};
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection "upgrade";
      proxy_set_header Host $http_host;
      proxy_read_timeout 1h;
    }
  }
}
`,
  );
  const nginx = Bun.spawn(["nginx", "-p", dir, "-c", conf], { stderr: "pipe", stdout: "ignore" });
  const url = `https://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await fetch(url, { tls: { ca: await Bun.file(cert).text() } }).catch(() => null);
    if (up) break;
    if (nginx.exitCode !== null || Date.now() > deadline)
      throw new Error(`nginx did not start: ${await new Response(nginx.stderr).text()}`);
    await Bun.sleep(50);
  }
  return {
    url,
    caFile: cert,
    async stop() {
      nginx.kill();
      await nginx.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
