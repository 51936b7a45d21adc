/**
 * The services of the test "hospital" (decision 0012), started INSIDE its network namespace by
 * `startHospital` (`ip netns exec … node --import tsx hospital-host.ts '<json>'`): Knot DNS on
 * the name server's address, a weak nginx on `www`, a DICOM responder that accepts any AE title
 * with Telnet and RDP beside it on `pacs`, a TLS 1.0 server with an expired certificate on `vpn`.
 * Prints `READY <json>` once everything listens; stops everything on SIGTERM or end of stdin.
 */

import { startServices } from "../service-host.ts";
import { createTestCertificates } from "./certificates.ts";
import { startDicomResponder } from "./dicom-responder.ts";
import { startKnot } from "./knot.ts";
import { startNginx } from "./nginx.ts";
import { startTlsServer } from "./tls-server.ts";

export interface HospitalHostInput {
  domain: string;
  ns: string;
  www: string;
  pacs: string;
  vpn: string;
  /** An address outside the perimeter that `extranet.<domain>` points to. */
  outside: string;
}

export interface HospitalHostReady {
  httpPort: number;
  httpsPort: number;
  dicomPort: number;
  telnetPort: number;
  rdpPort: number;
  vpnPort: number;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? "{}") as HospitalHostInput;
  const stops: (() => Promise<void>)[] = [];
  try {
    const knot = await startKnot({
      address: input.ns,
      zones: [
        {
          origin: input.domain,
          allowTransfer: true,
          records: [
            "@ IN NS ns1",
            `ns1 IN A ${input.ns}`,
            `www IN A ${input.www}`,
            `pacs IN A ${input.pacs}`,
            `vpn IN A ${input.vpn}`,
            `extranet IN A ${input.outside}`,
            "ancien-portail IN CNAME portail-retire",
            `@ IN MX 10 www`,
          ].join("\n"),
        },
      ],
    });
    stops.push(knot.stop);
    const nginx = await startNginx({ profile: "weak", host: input.www });
    stops.push(nginx.stop);
    const dicom = await startDicomResponder({ host: input.pacs, port: 104 });
    stops.push(dicom.stop);
    const services = await startServices([
      { ip: input.pacs, port: 23, kind: "telnet" },
      { ip: input.pacs, port: 3389, kind: "rdp" },
    ]);
    stops.push(services.close);
    const certificates = await createTestCertificates({ hostName: `vpn.${input.domain}` });
    const vpn = await startTlsServer({
      host: input.vpn,
      certPem: certificates.expired.certPem,
      keyPem: certificates.expired.keyPem,
      chainPem: [certificates.intermediate.certPem],
      minVersion: "TLSv1",
      ciphers: "DEFAULT@SECLEVEL=0",
    });
    stops.push(vpn.close);
    const ready: HospitalHostReady = {
      httpPort: nginx.httpPort,
      httpsPort: nginx.httpsPort,
      dicomPort: dicom.port,
      telnetPort: services.listeners.find((l) => l.kind === "telnet")?.port ?? 23,
      rdpPort: services.listeners.find((l) => l.kind === "rdp")?.port ?? 3389,
      vpnPort: vpn.port,
    };
    process.stdout.write(`READY ${JSON.stringify({ ...ready, rootCaPem: certificates.root.certPem })}\n`);
  } catch (error) {
    process.stdout.write(`FAILED ${String((error as Error).message).replace(/\n/g, " ")}\n`);
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const s of stops.reverse()) await s().catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.stdin.on("end", () => void stop());
  process.stdin.resume();
}

void main();
