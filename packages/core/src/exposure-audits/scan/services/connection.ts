import net from "node:net";
import type { ScanContext } from "../types.ts";

/** The port could not be reached (refused, timeout, reset): an answer, not a bug. */
export class ConnectFailure extends Error {}

/** A connection lasts at most this many timeouts in all, however the peer drips its bytes. */
export const CONNECTION_DEADLINE_TIMEOUTS = 3;
/** Bytes kept unread at most: a peer sending more is cut off. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * A TCP connection of a service probe: guarded (perimeter, rate limit), every wait bounded by
 * the context's timeout and the whole connection by `CONNECTION_DEADLINE_TIMEOUTS` of them, the
 * bytes received kept in a buffer (at most `MAX_BUFFERED_BYTES`) that the probe reads from.
 */
export class ProbeConnection {
  readonly #socket: net.Socket;
  readonly #timeoutMs: number;
  #buffer = Buffer.alloc(0);
  #ended = false;
  #error: Error | null = null;
  #waiter: (() => void) | null = null;
  readonly #deadline: NodeJS.Timeout;
  readonly #closed = new AbortController();

  private constructor(socket: net.Socket, timeoutMs: number) {
    this.#socket = socket;
    this.#timeoutMs = timeoutMs;
    this.#deadline = setTimeout(() => this.close(), CONNECTION_DEADLINE_TIMEOUTS * timeoutMs);
    this.#deadline.unref();
    socket.on("data", (chunk: Buffer) => {
      if (this.#buffer.length + chunk.length > MAX_BUFFERED_BYTES) {
        this.close();
        return;
      }
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#wake();
    });
    socket.on("end", () => {
      this.#ended = true;
      this.#wake();
    });
    socket.on("close", () => {
      this.#ended = true;
      this.#wake();
    });
    socket.on("error", (error) => {
      this.#error = error;
      this.#ended = true;
      this.#wake();
    });
  }

  /** Connects after the perimeter check and the per-target rate limit. */
  static async open(ctx: ScanContext, ip: string, port: number): Promise<ProbeConnection> {
    ctx.guard.assertIp(ip);
    await ctx.limiter.acquire(ip);
    ctx.signal?.throwIfAborted();
    const socket = net.connect({ host: ip, port });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new ConnectFailure(`Délai de connexion dépassé (${ip}:${port})`));
      }, ctx.timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once("error", (error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new ConnectFailure(`Connexion impossible (${ip}:${port}) : ${error.message}`));
      });
    });
    const connection = new ProbeConnection(socket, ctx.timeoutMs);
    // removed when the connection closes: a long audit's signal does not keep every connection
    ctx.signal?.addEventListener("abort", () => connection.close(), {
      once: true,
      signal: connection.#closed.signal,
    });
    return connection;
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = null;
    waiter?.();
  }

  write(data: Buffer | string): void {
    if (!this.#socket.destroyed) this.#socket.write(data);
  }

  /** Bytes received and not read yet. */
  get pending(): Buffer {
    return this.#buffer;
  }

  /**
   * Waits until `parse` returns a value from the bytes received (it returns `undefined` while
   * more are needed), consumes `consumed` bytes and returns the value. Null when the peer closed
   * or the timeout passed first.
   */
  async read<T>(parse: (buffer: Buffer) => { value: T; consumed: number } | undefined): Promise<T | null> {
    const deadline = Date.now() + this.#timeoutMs;
    for (;;) {
      const parsed = parse(this.#buffer);
      if (parsed) {
        this.#buffer = this.#buffer.subarray(parsed.consumed);
        return parsed.value;
      }
      if (this.#ended || this.#error) return null;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Reads one line ending with LF (CR stripped). */
  readLine(): Promise<string | null> {
    return this.read((buffer) => {
      const end = buffer.indexOf(0x0a);
      if (end < 0)
        return buffer.length > 65_536
          ? { value: buffer.toString("latin1"), consumed: buffer.length }
          : undefined;
      return { value: buffer.subarray(0, end).toString("latin1").replace(/\r$/, ""), consumed: end + 1 };
    });
  }

  close(): void {
    clearTimeout(this.#deadline);
    this.#closed.abort();
    this.#ended = true;
    this.#socket.destroy();
    this.#wake();
  }
}

/** Opens, runs and always closes a connection; null when it could not be opened. */
export async function withConnection<T>(
  ctx: ScanContext,
  ip: string,
  port: number,
  run: (connection: ProbeConnection) => Promise<T>,
): Promise<T | null> {
  let connection: ProbeConnection;
  try {
    connection = await ProbeConnection.open(ctx, ip, port);
  } catch (error) {
    if (error instanceof ConnectFailure) return null;
    throw error;
  }
  try {
    return await run(connection);
  } finally {
    connection.close();
  }
}
