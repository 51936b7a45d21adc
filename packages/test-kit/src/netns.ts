/**
 * Linux network namespaces as test networks (we run as root): a namespace joined to the root
 * namespace by a veth pair, N host addresses on its side, a route to them from the root side —
 * so probes in the test process reach "remote" hosts that are not loopback. Names contain
 * `process.pid`; `destroy()` removes everything and an exit hook does it too if a test forgot.
 *
 *   const net = await createNetns({ prefix: "vports", hosts: 3 });
 *   const host = await net.startServiceHost([{ ip: net.hostIps[0], port: 22, kind: "ssh" }]);
 *   … scan net.hostIps from the test …
 *   await net.destroy(); // in afterAll
 */
import { type ChildProcess, execFile, execFileSync, type SpawnOptions, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { type BoundListener, type ServiceListener, serviceHostScript } from "./service-host.ts";

export type { BoundListener, ServiceKind, ServiceListener } from "./service-host.ts";

const run = promisify(execFile);

export interface ServiceHost {
  listeners: BoundListener[];
  /** Connections accepted so far (when started with `logConnections`): address, port, epoch ms. */
  connections: { ip: string; port: number; at: number }[];
  stop(): Promise<void>;
}

export interface Netns {
  /** Namespace name (`<prefix>-<pid>-<n>`). */
  name: string;
  /** The hosts' addresses, inside the namespace. */
  hostIps: string[];
  /** The namespace's network, e.g. `10.117.8.0/22`: the audit perimeter of a test. */
  subnet: string;
  /** The root namespace's address on the link (the scanner's source address). */
  rootIp: string;
  /** Starts `cmd args` inside the namespace (`ip netns exec`); killed by `destroy()`. */
  exec(cmd: string, args: readonly string[], options?: SpawnOptions): ChildProcess;
  /** Starts the service host inside the namespace with these listeners; resolves once they listen. */
  startServiceHost(
    listeners: readonly ServiceListener[],
    options?: { logConnections?: boolean },
  ): Promise<ServiceHost>;
  /** Kills the processes started here and deletes the namespace and the veth pair. */
  destroy(): Promise<void>;
}

let counter = 0;
const alive = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const name of alive) {
      try {
        execFileSync("ip", ["netns", "del", name], { stdio: "ignore" });
      } catch {
        // already gone
      }
    }
  });
}

/** A free /22 of 10.0.0.0/8 for this process's n-th namespace (not already routed). */
async function pickSubnet(n: number): Promise<{ base: [number, number]; cidr: string }> {
  const { stdout } = await run("ip", ["-4", "route", "show"]);
  for (let attempt = 0; attempt < 64; attempt++) {
    const slot = (process.pid * 7 + n * 13 + attempt * 101) % (120 * 64);
    const a = 64 + Math.floor(slot / 64);
    const b = (slot % 64) * 4;
    const prefix = `10.${a}.${b}.`;
    const taken = stdout
      .split("\n")
      .some((line) => line.startsWith(prefix) || line.startsWith(`10.${a}.0.0/16`));
    if (!taken) return { base: [a, b], cidr: `10.${a}.${b}.0/22` };
  }
  throw new Error("Aucun sous-réseau libre pour l'espace de noms réseau de test.");
}

/**
 * Creates a namespace with `hosts` addresses (at most 1 000) on a veth pair; the root side
 * gets the first address of a /22 of 10.64.0.0/10 derived from the pid.
 */
export async function createNetns(options: { prefix: string; hosts: number }): Promise<Netns> {
  const { prefix, hosts } = options;
  if (!/^[a-z][a-z0-9]{0,9}$/.test(prefix)) throw new Error("prefix: 1 à 10 lettres minuscules ou chiffres");
  if (hosts < 1 || hosts > 1000) throw new Error("hosts: entre 1 et 1 000");
  const n = counter++;
  const name = `${prefix}-${process.pid}-${n}`;
  // interface names: 15 characters at most
  const tag = `${process.pid.toString(36)}${n.toString(36)}`.slice(-10);
  const rootIf = `vr${tag}`;
  const nsIf = `vn${tag}`;
  const { base, cidr } = await pickSubnet(n);
  const address = (i: number) => `10.${base[0]}.${base[1] + Math.floor(i / 256)}.${i % 256}`;
  const rootIp = address(1);
  const hostIps = Array.from({ length: hosts }, (_, i) => address(i + 2));
  installExitHook();
  const children = new Set<ChildProcess>();
  alive.add(name);
  const destroy = async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    children.clear();
    await run("ip", ["netns", "del", name]).catch(() => {});
    await run("ip", ["link", "del", rootIf]).catch(() => {});
    alive.delete(name);
  };
  try {
    await run("ip", ["netns", "add", name]);
    await run("ip", ["link", "add", rootIf, "type", "veth", "peer", "name", nsIf]);
    await run("ip", ["link", "set", nsIf, "netns", name]);
    await run("ip", ["addr", "add", `${rootIp}/22`, "dev", rootIf]);
    await run("ip", ["link", "set", rootIf, "up"]);
    const batch = [
      "link set lo up",
      ...hostIps.map((ip) => `addr add ${ip}/22 dev ${nsIf}`),
      `link set ${nsIf} up`,
      `route add default via ${rootIp}`,
    ].join("\n");
    await new Promise<void>((resolve, reject) => {
      const child = spawn("ip", ["-n", name, "-batch", "-"], { stdio: ["pipe", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`ip -batch: ${stderr}`))));
      child.stdin.end(`${batch}\n`);
    });
  } catch (error) {
    await destroy();
    throw error;
  }

  const exec = (cmd: string, args: readonly string[], spawnOptions: SpawnOptions = {}) => {
    const child = spawn("ip", ["netns", "exec", name, cmd, ...args], spawnOptions);
    children.add(child);
    child.on("exit", () => children.delete(child));
    return child;
  };

  const startServiceHost = async (
    listeners: readonly ServiceListener[],
    hostOptions: { logConnections?: boolean } = {},
  ): Promise<ServiceHost> => {
    const args = [
      "--import",
      "tsx",
      serviceHostScript,
      ...(hostOptions.logConnections ? ["--log-connections"] : []),
    ];
    const child = exec(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"] });
    const connections: ServiceHost["connections"] = [];
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const ready = new Promise<BoundListener[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("service host: pas prêt après 30 s")), 30_000);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`service host: arrêté (code ${code})`));
      });
      lines.on("line", (line) => {
        if (line.startsWith("CONN ")) {
          const [, ip, port, at] = line.split(" ");
          connections.push({ ip: ip as string, port: Number(port), at: Number(at) });
        } else if (line.startsWith("READY ")) {
          clearTimeout(timer);
          resolve(JSON.parse(line.slice(6)) as BoundListener[]);
        } else if (line.startsWith("FAILED ")) {
          clearTimeout(timer);
          reject(new Error(`service host: ${line.slice(7)}`));
        }
      });
    });
    child.stdin?.write(`${JSON.stringify(listeners)}\n`);
    const bound = await ready.catch((error) => {
      child.kill("SIGKILL");
      throw error;
    });
    return {
      listeners: bound,
      connections,
      stop: async () => {
        if (child.exitCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        child.stdin?.end();
        child.kill("SIGTERM");
        await exited;
      },
    };
  };

  return { name, hostIps, subnet: cidr, rootIp, exec, startServiceHost, destroy };
}
