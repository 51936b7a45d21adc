import { AppError } from "@vigie/contracts";
import { describe, expect, it } from "vitest";
import { identifyBytes, parseHttpServer, parseSshBanner } from "./banners.ts";
import { portArgument } from "./nmap.ts";
import { DEFAULT_AUDIT_PORTS, parsePortList } from "./port-list.ts";

describe("parsePortList", () => {
  it("reads the default list, numbers and ranges, sorted without duplicates", () => {
    expect(parsePortList("default")).toHaveLength(DEFAULT_AUDIT_PORTS.length);
    expect(DEFAULT_AUDIT_PORTS.length).toBeGreaterThanOrEqual(95);
    expect(DEFAULT_AUDIT_PORTS).toEqual(expect.arrayContaining([22, 23, 104, 443, 445, 3389, 10443, 11112]));
    expect(parsePortList(" 443, 22,8000-8003,22 ")).toEqual([22, 443, 8000, 8001, 8002, 8003]);
  });

  it("refuses bad input with a French message naming AUDIT_PORTS", () => {
    for (const bad of ["22,,80", "http", "0", "70000", "90-80", "22;80"]) {
      const error = (() => {
        try {
          parsePortList(bad);
        } catch (e) {
          return e;
        }
      })();
      expect(error, bad).toBeInstanceOf(AppError);
      expect((error as AppError).fields?.[0]?.field).toBe("AUDIT_PORTS");
      expect((error as AppError).message).toMatch(/^Liste de ports invalide/);
    }
  });

  it("writes nmap's -p argument compactly", () => {
    expect(portArgument([8002, 22, 8000, 8001, 443])).toBe("22,443,8000-8002");
  });
});

describe("banner parsing", () => {
  it("names products as NVD does", () => {
    expect(parseSshBanner("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3")).toEqual({
      vendor: "openbsd",
      product: "openssh",
      version: "9.2p1",
    });
    expect(parseHttpServer("nginx/1.22.1")).toEqual({ vendor: "f5", product: "nginx", version: "1.22.1" });
    expect(parseHttpServer("Apache")).toEqual({ vendor: "apache", product: "http_server" });
    expect(parseHttpServer("SomethingElse/1.0")).toBeUndefined();
  });

  it("tells FTP from SMTP greetings and reads Telnet negotiation", () => {
    expect(identifyBytes(2121, Buffer.from("220 (vsFTPd 3.0.3)\r\n"), false)).toMatchObject({
      service: "ftp",
      product: { vendor: "beasts", product: "vsftpd", version: "3.0.3" },
    });
    expect(identifyBytes(2525, Buffer.from("220 mx ESMTP Postfix (Debian/GNU)\r\n"), false)).toMatchObject({
      service: "smtp",
      product: { vendor: "postfix", product: "postfix" },
    });
    expect(identifyBytes(2323, Buffer.from([0xff, 0xfd, 0x18]), false)?.service).toBe("telnet");
    expect(identifyBytes(9999, Buffer.from("hello\r\n"), false)).toBeNull();
  });
});
