import { describe, expect, it } from "vitest";
import {
  DICOM_APPLICATION_CONTEXT,
  describeRejection,
  encodeAssociateRq,
  encodeEchoRq,
  encodePDataCommand,
  IMPLICIT_VR_LITTLE_ENDIAN,
  parseAssociateAc,
  parseCommandSet,
  VERIFICATION_SOP_CLASS,
} from "./dicom.ts";

describe("DICOM upper layer encoding", () => {
  it("builds an A-ASSOCIATE-RQ with padded AE titles and the Verification context", () => {
    const rq = encodeAssociateRq("VIGIE-AUDIT", "ANY-SCP");
    expect(rq[0]).toBe(0x01);
    expect(rq.readUInt32BE(2)).toBe(rq.length - 6);
    const body = rq.subarray(6);
    expect(body.readUInt16BE(0)).toBe(1);
    expect(body.subarray(4, 20).toString("ascii")).toBe("ANY-SCP         ");
    expect(body.subarray(20, 36).toString("ascii")).toBe("VIGIE-AUDIT     ");
    expect(body.subarray(36, 68).every((b) => b === 0)).toBe(true);
    const text = body.toString("latin1");
    expect(text).toContain(DICOM_APPLICATION_CONTEXT);
    expect(text).toContain(VERIFICATION_SOP_CLASS);
    expect(text).toContain(IMPLICIT_VR_LITTLE_ENDIAN);
    // First item is the application context (0x10) of the right length.
    expect(body[68]).toBe(0x10);
    expect(body.readUInt16BE(70)).toBe(DICOM_APPLICATION_CONTEXT.length);
  });

  it("refuses AE titles that do not fit the protocol", () => {
    expect(() => encodeAssociateRq("A".repeat(17), "X")).toThrow(/Titre AE/);
    expect(() => encodeAssociateRq("", "X")).toThrow(/Titre AE/);
  });

  it("encodes a C-ECHO-RQ whose group length and fields read back", () => {
    const command = encodeEchoRq(7);
    const fields = parseCommandSet(command);
    expect(fields.get(0x0000)?.readUInt32LE(0)).toBe(command.length - 12);
    expect(fields.get(0x0002)?.toString("ascii")).toBe(`${VERIFICATION_SOP_CLASS}\0`);
    expect(fields.get(0x0100)?.readUInt16LE(0)).toBe(0x0030);
    expect(fields.get(0x0110)?.readUInt16LE(0)).toBe(7);
    expect(fields.get(0x0800)?.readUInt16LE(0)).toBe(0x0101);
    expect(command.length % 2).toBe(0);
    const pdata = encodePDataCommand(1, command);
    expect(pdata[0]).toBe(0x04);
    expect(pdata.readUInt32BE(6)).toBe(command.length + 2);
    expect(pdata[11]).toBe(0x03);
  });

  it("reads the accepted context and the implementation of an A-ASSOCIATE-AC", () => {
    const sub = (type: number, value: Buffer) => {
      const h = Buffer.alloc(4);
      h[0] = type;
      h.writeUInt16BE(value.length, 2);
      return Buffer.concat([h, value]);
    };
    const max = Buffer.alloc(4);
    max.writeUInt32BE(32_768, 0);
    const body = Buffer.concat([
      Buffer.alloc(68),
      sub(0x10, Buffer.from(DICOM_APPLICATION_CONTEXT)),
      sub(
        0x21,
        Buffer.concat([Buffer.from([1, 0, 0, 0]), sub(0x40, Buffer.from(IMPLICIT_VR_LITTLE_ENDIAN))]),
      ),
      sub(
        0x50,
        Buffer.concat([
          sub(0x51, max),
          sub(0x52, Buffer.from("1.2.3.4\0")),
          sub(0x55, Buffer.from("PACS_9")),
        ]),
      ),
    ]);
    expect(parseAssociateAc(body)).toEqual({
      presentationContexts: [{ id: 1, result: 0, transferSyntax: IMPLICIT_VR_LITTLE_ENDIAN }],
      maxPduLength: 32_768,
      implementationClass: "1.2.3.4",
      implementationVersion: "PACS_9",
    });
  });

  it("words rejections in French", () => {
    expect(describeRejection({ result: 1, source: 1, reason: 7 })).toBe(
      "association refusée définitivement (titre AE appelé non reconnu)",
    );
    expect(describeRejection({ result: 2, source: 3, reason: 1 })).toContain("temporairement");
  });
});
