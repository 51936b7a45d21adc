import type { ScanContext } from "../types.ts";
import { type ProbeConnection, withConnection } from "./connection.ts";

/**
 * A minimal DICOM Upper Layer client (PS3.8) that checks a port speaks DICOM and whether it
 * accepts anyone: A-ASSOCIATE-RQ for the Verification SOP Class, a C-ECHO (PS3.7 § 9.3.5) and
 * an orderly release. Nothing is stored or queried: C-ECHO is the DICOM "ping".
 */

export const DICOM_APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";
export const VERIFICATION_SOP_CLASS = "1.2.840.10008.1.1";
export const IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
export const EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
/** UUID-derived UID (2.25, ISO/IEC 9834-8) of this implementation. */
export const VIGIE_IMPLEMENTATION_CLASS_UID = "2.25.326226461533759994135052924469230356975";
export const VIGIE_IMPLEMENTATION_VERSION = "VIGIE_AUDIT_1";
export const DEFAULT_CALLING_AE = "VIGIE-AUDIT";
export const DEFAULT_CALLED_AE = "ANY-SCP";
const MAX_PDU_LENGTH = 16_384;
/** Largest PDU read from a peer: anything bigger is not the short answer a C-ECHO expects. */
const MAX_ACCEPTED_PDU = 1_048_576;

export const PDU = {
  associateRq: 0x01,
  associateAc: 0x02,
  associateRj: 0x03,
  pData: 0x04,
  releaseRq: 0x05,
  releaseRp: 0x06,
  abort: 0x07,
} as const;

export interface DicomEchoResult {
  /** The peer answered with a DICOM Upper Layer PDU (AC, RJ or A-ABORT). */
  speaksDicom: boolean;
  associated: boolean;
  rejected?: { result: number; source: number; reason: number };
  aborted?: { source: number; reason: number };
  /** The Verification presentation context was accepted. */
  verificationAccepted?: boolean;
  /** Status of the C-ECHO-RSP (0 = success). */
  echoStatus?: number;
  implementationClass?: string;
  implementationVersion?: string;
  /** The peer answered the A-RELEASE-RQ. */
  released?: boolean;
}

export interface DicomEchoOptions {
  callingAe?: string;
  calledAe?: string;
}

function aeTitle(title: string): Buffer {
  if (!/^[\x20-\x7e]{1,16}$/.test(title) || title.includes("\\")) {
    throw new Error(`Titre AE DICOM invalide : ${title}`);
  }
  return Buffer.from(title.padEnd(16, " "), "ascii");
}

function item(type: number, value: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt8(type, 0);
  header.writeUInt16BE(value.length, 2);
  return Buffer.concat([header, value]);
}

function pdu(type: number, body: Buffer): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(body.length, 2);
  return Buffer.concat([header, body]);
}

/** A-ASSOCIATE-RQ proposing Verification in Implicit VR Little Endian (context id 1). */
export function encodeAssociateRq(callingAe: string, calledAe: string): Buffer {
  const fixed = Buffer.alloc(68);
  fixed.writeUInt16BE(1, 0); // protocol version
  aeTitle(calledAe).copy(fixed, 4);
  aeTitle(callingAe).copy(fixed, 20);
  const maxLength = Buffer.alloc(4);
  maxLength.writeUInt32BE(MAX_PDU_LENGTH, 0);
  const presentation = Buffer.concat([
    Buffer.from([1, 0, 0, 0]),
    item(0x30, Buffer.from(VERIFICATION_SOP_CLASS, "ascii")),
    item(0x40, Buffer.from(IMPLICIT_VR_LITTLE_ENDIAN, "ascii")),
  ]);
  const userInformation = Buffer.concat([
    item(0x51, maxLength),
    item(0x52, Buffer.from(VIGIE_IMPLEMENTATION_CLASS_UID, "ascii")),
    item(0x55, Buffer.from(VIGIE_IMPLEMENTATION_VERSION, "ascii")),
  ]);
  return pdu(
    PDU.associateRq,
    Buffer.concat([
      fixed,
      item(0x10, Buffer.from(DICOM_APPLICATION_CONTEXT, "ascii")),
      item(0x20, presentation),
      item(0x50, userInformation),
    ]),
  );
}

const uidText = (value: Buffer) => value.toString("ascii").replace(/[\0 ]+$/, "");

export interface AssociateAc {
  presentationContexts: { id: number; result: number; transferSyntax?: string }[];
  maxPduLength?: number;
  implementationClass?: string;
  implementationVersion?: string;
}

/** Parses the variable items of an A-ASSOCIATE-AC body (after the 68-byte fixed part). */
export function parseAssociateAc(body: Buffer): AssociateAc {
  const result: AssociateAc = { presentationContexts: [] };
  let offset = 68;
  while (offset + 4 <= body.length) {
    const type = body.readUInt8(offset);
    const length = body.readUInt16BE(offset + 2);
    const value = body.subarray(offset + 4, offset + 4 + length);
    offset += 4 + length;
    if (type === 0x21 && value.length >= 4) {
      const context: AssociateAc["presentationContexts"][number] = {
        id: value[0] ?? 0,
        result: value[2] ?? 0,
      };
      if (value.length >= 8 && value[4] === 0x40) {
        context.transferSyntax = uidText(value.subarray(8, 8 + value.readUInt16BE(6)));
      }
      result.presentationContexts.push(context);
    } else if (type === 0x50) {
      let sub = 0;
      while (sub + 4 <= value.length) {
        const subType = value.readUInt8(sub);
        const subLength = value.readUInt16BE(sub + 2);
        const subValue = value.subarray(sub + 4, sub + 4 + subLength);
        sub += 4 + subLength;
        if (subType === 0x51 && subValue.length === 4) result.maxPduLength = subValue.readUInt32BE(0);
        else if (subType === 0x52) result.implementationClass = uidText(subValue);
        else if (subType === 0x55) result.implementationVersion = subValue.toString("ascii").trim();
      }
    }
  }
  return result;
}

/** One implicit VR little endian element of group 0000. */
function element(tag: number, value: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16LE(0x0000, 0);
  header.writeUInt16LE(tag, 2);
  header.writeUInt32LE(value.length, 4);
  return Buffer.concat([header, value]);
}

function us(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16LE(value, 0);
  return buffer;
}

function ui(uid: string): Buffer {
  return Buffer.from(uid.length % 2 ? `${uid}\0` : uid, "ascii");
}

/** C-ECHO-RQ command set (implicit VR little endian, no data set). */
export function encodeEchoRq(messageId: number): Buffer {
  const rest = Buffer.concat([
    element(0x0002, ui(VERIFICATION_SOP_CLASS)),
    element(0x0100, us(0x0030)),
    element(0x0110, us(messageId)),
    element(0x0800, us(0x0101)),
  ]);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(rest.length, 0);
  return Buffer.concat([element(0x0000, length), rest]);
}

/** The elements of a command set, by element number (group 0000 only). */
export function parseCommandSet(data: Buffer): Map<number, Buffer> {
  const elements = new Map<number, Buffer>();
  let offset = 0;
  while (offset + 8 <= data.length) {
    const group = data.readUInt16LE(offset);
    const tag = data.readUInt16LE(offset + 2);
    const length = data.readUInt32LE(offset + 4);
    if (group !== 0 || offset + 8 + length > data.length) break;
    elements.set(tag, data.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  return elements;
}

/** P-DATA-TF carrying one complete command fragment. */
export function encodePDataCommand(contextId: number, command: Buffer): Buffer {
  const pdv = Buffer.alloc(6);
  pdv.writeUInt32BE(command.length + 2, 0);
  pdv.writeUInt8(contextId, 4);
  pdv.writeUInt8(0x03, 5); // command, last fragment
  return pdu(PDU.pData, Buffer.concat([pdv, command]));
}

interface RawPdu {
  type: number;
  body: Buffer;
}

/** Reads one PDU; null when the peer closed, timed out or sent something that is not a PDU. */
async function readPdu(connection: ProbeConnection): Promise<RawPdu | null | "invalid"> {
  return connection.read<RawPdu | "invalid">((buffer) => {
    if (buffer.length < 6) return undefined;
    const type = buffer.readUInt8(0);
    const length = buffer.readUInt32BE(2);
    if (
      type < PDU.associateRq ||
      type > PDU.abort ||
      buffer.readUInt8(1) !== 0 ||
      length > MAX_ACCEPTED_PDU
    ) {
      return { value: "invalid", consumed: buffer.length };
    }
    if (buffer.length < 6 + length) return undefined;
    return { value: { type, body: buffer.subarray(6, 6 + length) }, consumed: 6 + length };
  });
}

const looksLikeRelease = (p: RawPdu) => p.body.length === 4;

/** P-DATA-TF PDUs and command bytes read at most for one command. */
const MAX_COMMAND_PDUS = 64;
const MAX_COMMAND_BYTES = 64 * 1024;

/** Reads command fragments of P-DATA-TF PDUs until the last one (bounded). */
async function readCommand(
  connection: ProbeConnection,
): Promise<{ command: Buffer } | { other: RawPdu } | null> {
  const parts: Buffer[] = [];
  let size = 0;
  for (let pdus = 0; pdus < MAX_COMMAND_PDUS; pdus++) {
    const next = await readPdu(connection);
    if (next === null || next === "invalid") return null;
    if (next.type !== PDU.pData) return { other: next };
    let offset = 0;
    while (offset + 6 <= next.body.length) {
      const length = next.body.readUInt32BE(offset);
      const header = next.body.readUInt8(offset + 5);
      const fragment = next.body.subarray(offset + 6, offset + 4 + length);
      offset += 4 + length;
      if ((header & 0x01) !== 1) continue; // data set fragment: a C-ECHO-RSP has none
      size += fragment.length;
      if (size > MAX_COMMAND_BYTES) return null;
      parts.push(fragment);
      if ((header & 0x02) === 2) return { command: Buffer.concat(parts) };
    }
  }
  // a C-ECHO-RSP is one small fragment: endless fragments are not an answer
  return null;
}

/**
 * Associates with the peer, sends a C-ECHO when the association is accepted and releases it.
 * Every connection is guarded by the perimeter and the rate limit of the context.
 */
export async function dicomEcho(
  ctx: ScanContext,
  ip: string,
  port: number,
  options: DicomEchoOptions = {},
): Promise<DicomEchoResult> {
  const request = encodeAssociateRq(
    options.callingAe ?? DEFAULT_CALLING_AE,
    options.calledAe ?? DEFAULT_CALLED_AE,
  );
  const outcome = await withConnection(ctx, ip, port, async (connection) => {
    connection.write(request);
    const answer = await readPdu(connection);
    if (answer === null || answer === "invalid") return { speaksDicom: false, associated: false };
    if (answer.type === PDU.associateRj && answer.body.length === 4) {
      return {
        speaksDicom: true,
        associated: false,
        rejected: { result: answer.body[1] ?? 0, source: answer.body[2] ?? 0, reason: answer.body[3] ?? 0 },
      } satisfies DicomEchoResult;
    }
    if (answer.type === PDU.abort && answer.body.length === 4) {
      return {
        speaksDicom: true,
        associated: false,
        aborted: { source: answer.body[2] ?? 0, reason: answer.body[3] ?? 0 },
      } satisfies DicomEchoResult;
    }
    if (answer.type !== PDU.associateAc || answer.body.length < 68 || answer.body.readUInt16BE(0) !== 1) {
      return { speaksDicom: false, associated: false };
    }
    const accepted = parseAssociateAc(answer.body);
    const result: DicomEchoResult = { speaksDicom: true, associated: true };
    if (accepted.implementationClass) result.implementationClass = accepted.implementationClass;
    if (accepted.implementationVersion) result.implementationVersion = accepted.implementationVersion;
    const context = accepted.presentationContexts.find((c) => c.id === 1);
    result.verificationAccepted = context?.result === 0;
    if (result.verificationAccepted) {
      connection.write(encodePDataCommand(1, encodeEchoRq(1)));
      const response = await readCommand(connection);
      if (response && "command" in response) {
        const command = parseCommandSet(response.command);
        const field = command.get(0x0100);
        const status = command.get(0x0900);
        if (field?.length === 2 && field.readUInt16LE(0) === 0x8030 && status?.length === 2) {
          result.echoStatus = status.readUInt16LE(0);
        }
      } else if (response && response.other.type === PDU.abort) {
        result.aborted = { source: response.other.body[2] ?? 0, reason: response.other.body[3] ?? 0 };
        return result;
      } else if (response === null) {
        return result;
      }
    }
    connection.write(pdu(PDU.releaseRq, Buffer.alloc(4)));
    const release = await readPdu(connection);
    result.released =
      release !== null &&
      release !== "invalid" &&
      release.type === PDU.releaseRp &&
      looksLikeRelease(release);
    return result;
  });
  return outcome ?? { speaksDicom: false, associated: false };
}

/** French wording of an A-ASSOCIATE-RJ (PS3.8 § 9.3.4). */
export function describeRejection(rejected: { result: number; source: number; reason: number }): string {
  const permanence = rejected.result === 1 ? "définitivement" : "temporairement";
  let why = `motif ${rejected.reason}`;
  if (rejected.source === 1) {
    why =
      (
        {
          1: "sans motif précisé",
          2: "contexte applicatif non pris en charge",
          3: "titre AE appelant non reconnu",
          7: "titre AE appelé non reconnu",
        } as Record<number, string>
      )[rejected.reason] ?? why;
  } else if (rejected.source === 2) {
    why = rejected.reason === 2 ? "version de protocole non prise en charge" : "sans motif précisé";
  } else if (rejected.source === 3) {
    why = rejected.reason === 1 ? "service temporairement encombré" : "limite locale atteinte";
  }
  return `association refusée ${permanence} (${why})`;
}
