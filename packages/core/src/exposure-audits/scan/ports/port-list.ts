import { AppError } from "@vigie/contracts";

/**
 * The TCP ports an Internet-exposure audit of a health structure tries by default (101, TCP only):
 * what is commonly published on purpose (web, mail, VPN portals) and what should never be
 * reachable from the Internet (remote access, file sharing, databases, imaging, printers,
 * administration interfaces).
 */
export const DEFAULT_AUDIT_PORTS: readonly number[] = Object.freeze([
  // web and application servers
  80, 81, 443, 3000, 4443, 5000, 5001, 7001, 7002, 8000, 8001, 8008, 8009, 8010, 8080, 8081, 8082, 8088, 8090,
  8181, 8443, 8444, 8800, 8880, 8888, 9000, 9080, 9090, 9443, 10000,
  // remote access, VPN portals and administration
  22, 23, 514, 1723, 2222, 3389, 4433, 5800, 5900, 5901, 5985, 5986, 6001, 10443, 4899,
  // file sharing
  20, 21, 111, 135, 139, 445, 873, 990, 2049,
  // mail
  25, 110, 143, 465, 587, 993, 995,
  // directory and authentication
  88, 389, 636, 3268, 3269,
  // databases and data stores
  1433, 1521, 2375, 2376, 3306, 5432, 5984, 6379, 7000, 9042, 9200, 9300, 11211, 27017, 27018,
  // DICOM / PACS and medical interfaces (HL7 MLLP)
  104, 2575, 2761, 2762, 4242, 8042, 11112,
  // printers, device management and telephony
  515, 631, 9100, 5061,
  // industrial and building management
  102, 502, 1883, 8883,
  // monitoring and misc.
  53, 3128, 5601, 6443, 9418,
]);

const PORT_RANGE = /^(\d{1,5})\s*-\s*(\d{1,5})$/;

function invalid(message: string): AppError {
  return new AppError("VALIDATION_FAILED", { message, fields: [{ field: "AUDIT_PORTS", message }] });
}

function portNumber(text: string, spec: string): number {
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port < 1 || port > 65535) {
    throw invalid(`Liste de ports invalide « ${spec} » : « ${text} » n'est pas un port TCP (1 à 65535).`);
  }
  return port;
}

/**
 * "default" (or an empty value) → the default list; otherwise comma-separated port numbers and
 * ranges (`22,80,8000-8010`), sorted and without duplicates. Throws an AppError naming the
 * field, in French, on anything else.
 */
export function parsePortList(spec: string): number[] {
  const text = spec.trim();
  if (text === "" || text.toLowerCase() === "default") return [...DEFAULT_AUDIT_PORTS].sort((a, b) => a - b);
  const ports = new Set<number>();
  for (const rawPart of text.split(",")) {
    const part = rawPart.trim();
    if (part === "") throw invalid(`Liste de ports invalide « ${spec} » : élément vide entre deux virgules.`);
    if (part.toLowerCase() === "default") {
      for (const p of DEFAULT_AUDIT_PORTS) ports.add(p);
      continue;
    }
    const range = PORT_RANGE.exec(part);
    if (range) {
      const from = portNumber(range[1] as string, spec);
      const to = portNumber(range[2] as string, spec);
      if (from > to) {
        throw invalid(`Liste de ports invalide « ${spec} » : la plage « ${part} » est inversée.`);
      }
      if (to - from >= 65535) throw invalid(`Liste de ports invalide « ${spec} » : plage trop grande.`);
      for (let p = from; p <= to; p++) ports.add(p);
      continue;
    }
    ports.add(portNumber(part, spec));
  }
  return [...ports].sort((a, b) => a - b);
}
