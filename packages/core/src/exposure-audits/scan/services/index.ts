import { type SensitiveService, sensitiveServices } from "@vigie/contracts";
import type { OpenService, ScanContext, ScanFinding } from "../types.ts";
import {
  DICOM_PORTS,
  sensitiveServiceOf,
  sensitiveServiceOfPort,
  sensitiveServiceRules,
} from "./catalogue.ts";
import { checkDefaultCredentials } from "./default-credentials.ts";
import {
  DEFAULT_CALLED_AE,
  DEFAULT_CALLING_AE,
  type DicomEchoResult,
  describeRejection,
  dicomEcho,
} from "./dicom.ts";

export { defaultCredentials } from "./default-credentials.ts";
export type { DicomEchoResult } from "./dicom.ts";
export { dicomEcho } from "./dicom.ts";

/** Services checked at the same time (each connection is still rate limited per address). */
const CONCURRENCY = 8;

function where(service: OpenService): string {
  return `${service.host ? `${service.host} (${service.ip})` : service.ip}, port ${service.port}/${service.transport}`;
}

const printable = (text: string) =>
  text
    .replace(/[\r\n\t]+/g, " ")
    .replace(/[^\x20-\x7e\u00a0-\u00ff]/g, "")
    .trim()
    .slice(0, 160);

/** What answered on the port, in French, as the scan saw it. */
function answered(service: OpenService, byPort: boolean): string {
  const parts: string[] = [];
  if (byPort)
    parts.push("port ouvert, habituellement utilisé par ce service (service non identifié par l'analyse)");
  else parts.push(`service identifié « ${service.service} » par l'analyse des ports`);
  if (service.product) {
    const p = service.product;
    parts.push(`produit ${[p.vendor, p.product, p.version].filter(Boolean).join(" ")}`);
  }
  if (service.banner && printable(service.banner)) parts.push(`bannière « ${printable(service.banner)} »`);
  return parts.join(" ; ");
}

function serviceFinding(
  service: OpenService,
  name: SensitiveService,
  evidence: string,
  severity = sensitiveServiceRules[name].severity,
  title = `Service sensible exposé sur Internet : ${sensitiveServices[name].label}`,
): ScanFinding {
  const rule = sensitiveServiceRules[name];
  return {
    check: `service.${name}`,
    category: "service",
    severity,
    title,
    evidence: `${where(service)} : ${evidence}. ${rule.risk}`,
    remediation: rule.remediation,
    target: {
      ip: service.ip,
      port: service.port,
      transport: service.transport,
      service: name,
      ...(service.host ? { host: service.host } : {}),
    },
  };
}

function implementation(result: DicomEchoResult): string {
  if (!result.implementationVersion && !result.implementationClass) return "";
  const version = result.implementationVersion
    ? `« ${printable(result.implementationVersion)} »`
    : "non communiquée";
  const uid = result.implementationClass
    ? ` (UID de classe d'implémentation ${printable(result.implementationClass)})`
    : "";
  return ` ; version d'implémentation ${version}${uid}`;
}

/** The DICOM finding from the association attempt (the port speaks DICOM). */
function dicomFinding(service: OpenService, result: DicomEchoResult): ScanFinding {
  const asked = `titre AE appelé « ${DEFAULT_CALLED_AE} » (quelconque), titre appelant « ${DEFAULT_CALLING_AE} »`;
  if (result.associated && result.echoStatus === 0) {
    return serviceFinding(
      service,
      "dicom",
      `association DICOM acceptée avec un ${asked}, C-ECHO réussi (statut 0000)${implementation(result)} : le service accepte n'importe quel correspondant`,
      "critical",
      "Service DICOM exposé acceptant toute association (C-ECHO réussi)",
    );
  }
  if (result.associated) {
    const echo =
      result.echoStatus !== undefined
        ? `C-ECHO refusé (statut ${result.echoStatus.toString(16).padStart(4, "0")})`
        : result.verificationAccepted
          ? "C-ECHO sans réponse"
          : "classe de vérification (C-ECHO) non acceptée";
    return serviceFinding(
      service,
      "dicom",
      `association DICOM acceptée avec un ${asked}, ${echo}${implementation(result)}`,
      "high",
      "Service DICOM exposé acceptant des associations de titres AE quelconques",
    );
  }
  const refusal = result.rejected
    ? describeRejection(result.rejected)
    : `association interrompue (A-ABORT, source ${result.aborted?.source ?? 0}, motif ${result.aborted?.reason ?? 0})`;
  return serviceFinding(
    service,
    "dicom",
    `port DICOM exposé : le service répond au protocole DICOM mais ${refusal} pour un ${asked} ; le filtrage par titre AE ne remplace pas un filtrage réseau`,
    "high",
    "Port DICOM exposé sur Internet",
  );
}

/** Checks one service: its sensitive-service finding, its refined name, default credentials. */
async function checkOne(
  ctx: ScanContext,
  service: OpenService,
): Promise<{ findings: ScanFinding[]; service: OpenService }> {
  const findings: ScanFinding[] = [];
  let refined = service;
  let name = sensitiveServiceOf(service.service);
  let byPort = false;
  const generic = service.service === null || /^https?$/i.test(service.service);
  if (!name && generic) {
    const guess = sensitiveServiceOfPort(service.port);
    // A generic HTTP service is only reinterpreted on the ports of HTTP-based services.
    if (guess && (service.service === null || guess === "elasticsearch" || guess === "winrm")) {
      name = guess;
      byPort = true;
    }
  }
  const dicomCandidate =
    service.transport === "tcp" &&
    !service.tls &&
    (name === "dicom" || (service.service === null && DICOM_PORTS.has(service.port)));

  if (dicomCandidate) {
    const result = await dicomEcho(ctx, service.ip, service.port);
    if (result.speaksDicom) {
      refined = { ...service, service: "dicom" };
      findings.push(dicomFinding(service, result));
    } else {
      // Not DICOM: what the scan guessed from the port was wrong.
      refined = {
        ...service,
        service: sensitiveServiceOf(service.service) === "dicom" ? null : service.service,
      };
      name = null;
    }
  } else if (name) {
    findings.push(serviceFinding(service, name, answered(service, byPort)));
  }

  const credentials = await checkDefaultCredentials(ctx, refined, name);
  if (credentials) findings.push(credentials);
  return { findings, service: refined };
}

/**
 * The services phase of an audit: each exposed sensitive service becomes a finding, DICOM is
 * confirmed by a real association (C-ECHO), and — only when the structure opted in — the short
 * documented list of default credentials is tried. Returns the services with `service` refined.
 */
export async function checkServices(
  ctx: ScanContext,
  services: OpenService[],
): Promise<{ findings: ScanFinding[]; services: OpenService[] }> {
  const results: { findings: ScanFinding[]; service: OpenService }[] = new Array(services.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const index = next++;
      const service = services[index];
      if (service === undefined) return;
      ctx.signal?.throwIfAborted();
      results[index] = await checkOne(ctx, service);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, services.length) }, worker));
  return {
    findings: results.flatMap((r) => r.findings),
    services: results.map((r) => r.service),
  };
}
