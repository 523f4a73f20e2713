// The executor conformance suite against the Docker executor (skipped when no engine answers, unless required).

import { configSchema } from "../../src/config/schema.ts";
import { createDockerExecutorProvider } from "../../src/executor/docker/index.ts";
import { docker } from "../support/docker-engine.ts";
import { executorConformanceSuite } from "./suite.ts";

const scope = `conformance-${crypto.randomUUID()}`;
/** What the executor itself runs in every build container: docker-init, the keep-alive loop, its sleep, a killer. */
const machinery = [/^\/sbin\/docker-init -- /, /^sh -c trap "exit 0" TERM INT;/, /^sleep 3600$/, /porthole-kill/];

await executorConformanceSuite(
  "docker",
  async () => {
    if (!docker) return null;
    const settings = configSchema.parse({ docker: { default_image: "porthole-test/busybox" } }).docker;
    return createDockerExecutorProvider(settings, { id: 1, name: "conformance", scope });
  },
  {
    image: { name: "porthole-test/busybox" },
    requireVariable: "PORTHOLE_REQUIRE_DOCKER",
    async processesOf(marker) {
      const found: string[] = [];
      const containers = await docker!.listContainers({ filters: { label: [`porthole.scope=${scope}`] } });
      for (const { Id } of containers) {
        const container = docker!.getContainer(Id);
        const info = await container.inspect().catch(() => undefined);
        if (!info?.Config.Env.includes(`${marker.key}=${marker.value}`)) continue;
        const top = await container.top({ ps_args: "-o pid,args" }).catch(() => ({ Processes: [] as string[][] }));
        for (const [pid, args = ""] of top.Processes ?? []) {
          if (!machinery.some((m) => m.test(args))) found.push(`pid ${pid}: ${args}`);
        }
      }
      return found;
    },
  },
);
