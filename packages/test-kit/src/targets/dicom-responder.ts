import net from "node:net";

/**
 * A DICOM Verification SCP for tests (PS3.8 upper layer, PS3.7 C-ECHO), written independently
 * of the audit's client so the two check each other (and both are checked against dcmtk).
 * Weak by default: any called AE title is accepted. With `aeTitle`, any other called AE title is
 * rejected (A-ASSOCIATE-RJ, permanent, service user, "called AE title not recognised").
 */
export interface DicomResponderOptions {
  host: string;
  port?: number;
  aeTitle?: string;
  /** Implementation version name sent in the A-ASSOCIATE-AC. */
  implementationVersion?: string;
}

export interface DicomResponder {
  port: number;
  /** Associations accepted. */
  readonly associations: number;
  /** Associations rejected. */
  readonly rejections: number;
  /** C-ECHO requests answered. */
  readonly echoes: number;
  /** Called AE titles received, in order. */
  readonly calledAeTitles: string[];
  stop(): Promise<void>;
}

const VERIFICATION = "1.2.840.10008.1.1";
const IMPLICIT_LE = "1.2.840.10008.1.2";
const EXPLICIT_LE = "1.2.840.10008.1.2.1";
const IMPLEMENTATION_CLASS = "2.25.110927366051385924436337154271011226017";

const trimUid = (b: Buffer) => b.toString("ascii").replace(/[\0 ]+$/, "");

function subItem(type: number, value: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h[0] = type;
  h.writeUInt16BE(value.length, 2);
  return Buffer.concat([h, value]);
}

function makePdu(type: number, body: Buffer): Buffer {
  const h = Buffer.alloc(6);
  h[0] = type;
  h.writeUInt32BE(body.length, 2);
  return Buffer.concat([h, body]);
}

interface ProposedContext {
  id: number;
  abstractSyntax: string;
  transferSyntaxes: string[];
}

function parseRq(body: Buffer): { called: string; calling: string; contexts: ProposedContext[] } {
  const called = body.subarray(4, 20).toString("ascii").trim();
  const calling = body.subarray(20, 36).toString("ascii").trim();
  const contexts: ProposedContext[] = [];
  let offset = 68;
  while (offset + 4 <= body.length) {
    const type = body[offset];
    const length = body.readUInt16BE(offset + 2);
    const value = body.subarray(offset + 4, offset + 4 + length);
    offset += 4 + length;
    if (type !== 0x20) continue;
    const context: ProposedContext = { id: value[0] ?? 0, abstractSyntax: "", transferSyntaxes: [] };
    let sub = 4;
    while (sub + 4 <= value.length) {
      const subType = value[sub];
      const subLength = value.readUInt16BE(sub + 2);
      const uid = trimUid(value.subarray(sub + 4, sub + 4 + subLength));
      sub += 4 + subLength;
      if (subType === 0x30) context.abstractSyntax = uid;
      if (subType === 0x40) context.transferSyntaxes.push(uid);
    }
    contexts.push(context);
  }
  return { called, calling, contexts };
}

function echoRsp(messageId: number): Buffer {
  const el = (tag: number, value: Buffer) => {
    const h = Buffer.alloc(8);
    h.writeUInt16LE(0, 0);
    h.writeUInt16LE(tag, 2);
    h.writeUInt32LE(value.length, 4);
    return Buffer.concat([h, value]);
  };
  const u16 = (n: number) => {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(n, 0);
    return b;
  };
  const rest = Buffer.concat([
    el(0x0002, Buffer.from(`${VERIFICATION}\0`, "ascii")),
    el(0x0100, u16(0x8030)),
    el(0x0120, u16(messageId)),
    el(0x0800, u16(0x0101)),
    el(0x0900, u16(0x0000)),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(rest.length, 0);
  return Buffer.concat([el(0x0000, groupLength), rest]);
}

export async function startDicomResponder(options: DicomResponderOptions): Promise<DicomResponder> {
  const state = { associations: 0, rejections: 0, echoes: 0, calledAeTitles: [] as string[] };
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    let buffer = Buffer.alloc(0);
    let associated = false;
    let command: Buffer[] = [];
    let contextIds = new Set<number>();

    const handle = (type: number, body: Buffer) => {
      if (type === 0x01 && !associated) {
        const rq = parseRq(body);
        state.calledAeTitles.push(rq.called);
        if (options.aeTitle !== undefined && rq.called !== options.aeTitle) {
          state.rejections += 1;
          socket.end(makePdu(0x03, Buffer.from([0, 1, 1, 7])));
          return;
        }
        associated = true;
        state.associations += 1;
        const items: Buffer[] = [subItem(0x10, Buffer.from("1.2.840.10008.3.1.1.1", "ascii"))];
        contextIds = new Set();
        for (const context of rq.contexts) {
          const chosen = [IMPLICIT_LE, EXPLICIT_LE].find((ts) => context.transferSyntaxes.includes(ts));
          const result = context.abstractSyntax !== VERIFICATION ? 3 : chosen ? 0 : 4;
          if (result === 0) contextIds.add(context.id);
          items.push(
            subItem(
              0x21,
              Buffer.concat([
                Buffer.from([context.id, 0, result, 0]),
                subItem(0x40, Buffer.from(chosen ?? IMPLICIT_LE, "ascii")),
              ]),
            ),
          );
        }
        const max = Buffer.alloc(4);
        max.writeUInt32BE(16_384, 0);
        items.push(
          subItem(
            0x50,
            Buffer.concat([
              subItem(0x51, max),
              subItem(0x52, Buffer.from(IMPLEMENTATION_CLASS, "ascii")),
              subItem(0x55, Buffer.from(options.implementationVersion ?? "VIGIE_TEST_SCP", "ascii")),
            ]),
          ),
        );
        const fixed = Buffer.from(body.subarray(0, 68));
        socket.write(makePdu(0x02, Buffer.concat([fixed, ...items])));
        return;
      }
      if (type === 0x04 && associated) {
        let offset = 0;
        while (offset + 6 <= body.length) {
          const length = body.readUInt32BE(offset);
          const contextId = body[offset + 4] ?? 0;
          const header = body[offset + 5] ?? 0;
          const fragment = body.subarray(offset + 6, offset + 4 + length);
          offset += 4 + length;
          if ((header & 1) !== 1) continue; // data set fragments: C-ECHO has none
          command.push(fragment);
          if ((header & 2) !== 2) continue;
          const set = Buffer.concat(command);
          command = [];
          const fields = new Map<number, Buffer>();
          let p = 0;
          while (p + 8 <= set.length) {
            const tag = set.readUInt16LE(p + 2);
            const len = set.readUInt32LE(p + 4);
            fields.set(tag, set.subarray(p + 8, p + 8 + len));
            p += 8 + len;
          }
          const commandField = fields.get(0x0100)?.readUInt16LE(0);
          const messageId = fields.get(0x0110)?.readUInt16LE(0) ?? 0;
          if (commandField === 0x0030 && contextIds.has(contextId)) {
            state.echoes += 1;
            const rsp = echoRsp(messageId);
            const pdv = Buffer.alloc(6);
            pdv.writeUInt32BE(rsp.length + 2, 0);
            pdv[4] = contextId;
            pdv[5] = 0x03;
            socket.write(makePdu(0x04, Buffer.concat([pdv, rsp])));
          } else {
            socket.end(makePdu(0x07, Buffer.from([0, 0, 2, 0])));
          }
        }
        return;
      }
      if (type === 0x05 && associated) {
        socket.end(makePdu(0x06, Buffer.alloc(4)));
        return;
      }
      if (type === 0x07) {
        socket.destroy();
        return;
      }
      socket.end(makePdu(0x07, Buffer.from([0, 0, 2, 2]))); // unexpected PDU
    };

    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 6) {
        const length = buffer.readUInt32BE(2);
        if (length > 1_048_576) {
          socket.destroy();
          return;
        }
        if (buffer.length < 6 + length) return;
        const type = buffer[0] ?? 0;
        const body = buffer.subarray(6, 6 + length);
        buffer = buffer.subarray(6 + length);
        handle(type, body);
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("DICOM responder: no port");
  return {
    port: address.port,
    get associations() {
      return state.associations;
    },
    get rejections() {
      return state.rejections;
    },
    get echoes() {
      return state.echoes;
    },
    get calledAeTitles() {
      return state.calledAeTitles;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
