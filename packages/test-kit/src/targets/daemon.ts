import type { ChildProcess } from "node:child_process";
import { rm } from "node:fs/promises";

/** Stops a test daemon (SIGTERM, then SIGKILL after 3 s) and removes its working folder. */
export async function stopDaemon(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
  await rm(dir, { recursive: true, force: true });
}
