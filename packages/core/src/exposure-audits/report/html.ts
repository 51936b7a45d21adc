import {
  type AuditFindingView,
  exposureAuditStatusLabels,
  type FindingSeverity,
  findingCategoryLabels,
  findingChangeLabels,
  findingSeverityLabels,
} from "@vigie/contracts";
import type { AuditReport } from "./build-report.ts";

// The audit report as one standalone French HTML document: no script, no external resource,
// every value escaped. The same document is printed to PDF by headless Chromium.

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string | number | null | undefined): string {
  return String(text ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const e = escapeHtml;
const SEVERITIES_DESC: FindingSeverity[] = ["critical", "high", "medium", "low", "info"];
const count = (n: number) => n.toLocaleString("fr-FR");

function plural(n: number, one: string, many: string): string {
  return `${count(n)} ${n > 1 ? many : one}`;
}

function longDate(value: string | null): string {
  if (!value) return "—";
  const date = value.length === 10 ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: "Europe/Paris" }).format(date);
}

function dateTime(value: string | null): string {
  if (!value) return "—";
  return new Intl.DateTimeFormat("fr-FR", {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: "Europe/Paris",
  }).format(new Date(value));
}

function place(f: AuditFindingView): string {
  const where = f.host && f.ip ? `${f.host} (${f.ip})` : (f.host ?? f.ip ?? f.domain ?? "");
  return f.port ? `${where}, port ${f.port}` : where;
}

const STYLE = `
  @page { size: A4; margin: 18mm 16mm 20mm; }
  body { font-family: Marianne, Arial, sans-serif; color: #161616; line-height: 1.45; margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
  h1 { font-size: 1.6rem; margin: 0 0 .25rem; color: #000091; }
  h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; border-bottom: 2px solid #000091; padding-bottom: .25rem; break-after: avoid; }
  h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; break-after: avoid; }
  table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .5rem 0 1rem; }
  th, td { border: 1px solid #ccc; padding: .3rem .45rem; text-align: left; vertical-align: top; }
  th { background: #f0f0f5; }
  .subtitle { color: #555; margin: 0 0 1rem; }
  .finding { border: 1px solid #ddd; border-left-width: 6px; padding: .5rem .75rem; margin: .6rem 0; break-inside: avoid; }
  .finding p { margin: .3rem 0; }
  .sev-critical { border-left-color: #6e0000; } .sev-high { border-left-color: #ce0500; }
  .sev-medium { border-left-color: #b34000; } .sev-low { border-left-color: #716043; } .sev-info { border-left-color: #0063cb; }
  .badge { display: inline-block; font-size: .75rem; font-weight: bold; padding: 0 .4rem; border-radius: .2rem; background: #eee; margin-right: .3rem; }
  .badge.critical { background: #6e0000; color: #fff; } .badge.high { background: #ce0500; color: #fff; }
  .badge.medium { background: #b34000; color: #fff; } .badge.low { background: #716043; color: #fff; }
  .badge.info { background: #0063cb; color: #fff; } .badge.change { background: #e3e3fd; color: #000091; }
  .label { font-weight: bold; }
  .evidence { font-family: "DejaVu Sans Mono", monospace; font-size: .8rem; white-space: pre-wrap; word-break: break-word; background: #f6f6f6; padding: .3rem .4rem; }
  ul { margin: .3rem 0 .8rem; }
  .muted { color: #555; }
`;

function summaryParagraphs(r: AuditReport): string {
  if (r.status !== "succeeded" || !r.counts) {
    const status = exposureAuditStatusLabels[r.status];
    return `<p>Statut de l'audit : <strong>${e(status)}</strong>.${r.error ? ` ${e(r.error)}` : ""}</p>`;
  }
  const c = r.counts;
  const total = Object.values(c.bySeverity).reduce((a, b) => a + b, 0);
  const serious = c.bySeverity.critical + c.bySeverity.high;
  const bySeverity = SEVERITIES_DESC.filter((s) => c.bySeverity[s] > 0)
    .map((s) => `${count(c.bySeverity[s])} de gravité « ${findingSeverityLabels[s].toLowerCase()} »`)
    .join(", ");
  const parts: string[] = [];
  parts.push(
    `<p>L'audit du ${e(longDate(r.finishedAt))} a trouvé ${e(plural(c.openPorts, "port ouvert", "ports ouverts"))} ` +
      `sur ${e(plural(c.hosts, "adresse", "adresses"))} exposées sur Internet` +
      (r.scannerDetails.targets !== null
        ? ` (${e(plural(r.scannerDetails.targets, "adresse analysée", "adresses analysées"))})`
        : "") +
      ".</p>",
  );
  parts.push(
    total === 0
      ? "<p>Aucun constat : rien à corriger d'après les contrôles réalisés.</p>"
      : `<p>${e(plural(total, "constat", "constats"))} : ${e(bySeverity)}.` +
          (serious > 0
            ? ` <strong>${e(plural(serious, "constat critique ou élevé demande", "constats critiques ou élevés demandent"))} une action rapide.</strong>`
            : "") +
          "</p>",
  );
  if (r.previousAuditId) {
    parts.push(
      `<p>Depuis l'audit du ${e(longDate(r.previousFinishedAt))} : ${e(plural(c.new, "nouveau constat", "nouveaux constats"))}, ` +
        `${e(plural(c.fixed, "constat corrigé", "constats corrigés"))}, ${e(plural(c.stillOpen, "constat toujours présent", "constats toujours présents"))}.</p>`,
    );
  } else {
    parts.push("<p>C'est le premier audit de la structure : tous les constats sont nouveaux.</p>");
  }
  if (c.outOfPerimeter > 0) {
    parts.push(
      `<p>${e(plural(c.outOfPerimeter, "nom du périmètre pointe", "noms du périmètre pointent"))} vers des adresses hors des plages autorisées : ils sont signalés, jamais analysés.</p>`,
    );
  }
  return parts.join("\n");
}

function exposureTable(r: AuditReport): string {
  const rows: string[] = [];
  for (const host of r.exposure) {
    if (host.services.length === 0) {
      rows.push(
        `<tr><td>${e(host.name ?? "—")}</td><td>${e(host.ips.join(", "))}</td><td colspan="5" class="muted">Aucun port ouvert parmi ceux testés</td></tr>`,
      );
      continue;
    }
    for (const s of host.services) {
      const product = [s.product, s.version].filter(Boolean).join(" ");
      rows.push(
        `<tr><td>${e(host.name ?? "—")}</td><td>${e(s.ip)}</td><td>${e(`${s.port}/${s.transport}`)}</td>` +
          `<td>${e(s.service ?? "inconnu")}</td><td>${s.tls ? "oui" : "non"}</td><td>${e(product || "—")}</td>` +
          `<td>${e(s.banner ? s.banner.slice(0, 120) : "—")}</td></tr>`,
      );
    }
  }
  if (rows.length === 0) return "<p>Aucun service exposé n'a été trouvé parmi les ports testés.</p>";
  return (
    '<table><caption class="muted">Hôtes, adresses et services ouverts</caption><thead><tr>' +
    '<th scope="col">Nom</th><th scope="col">Adresse</th><th scope="col">Port</th><th scope="col">Service</th>' +
    '<th scope="col">TLS</th><th scope="col">Produit et version</th><th scope="col">Bannière</th></tr></thead><tbody>' +
    rows.join("") +
    "</tbody></table>"
  );
}

function findingBlock(f: AuditFindingView): string {
  return (
    `<div class="finding sev-${e(f.severity)}">` +
    `<p><span class="badge ${e(f.severity)}">${e(findingSeverityLabels[f.severity])}</span>` +
    `<span class="badge change">${e(findingChangeLabels[f.change])}</span> <strong>${e(f.title)}</strong></p>` +
    `<p><span class="label">Où :</span> ${e(place(f))} — ${e(findingCategoryLabels[f.category])}</p>` +
    `<p><span class="label">Constat :</span></p><p class="evidence">${e(f.evidence)}</p>` +
    `<p><span class="label">Que faire :</span> ${e(f.remediation)}</p>` +
    "</div>"
  );
}

function findingsBySeverity(r: AuditReport): string {
  if (r.findings.length === 0) return "<p>Aucun constat.</p>";
  return SEVERITIES_DESC.map((severity) => {
    const list = r.findings.filter((f) => f.severity === severity);
    if (list.length === 0) return "";
    return `<h3>Gravité ${e(findingSeverityLabels[severity].toLowerCase())} (${count(list.length)})</h3>${list.map(findingBlock).join("")}`;
  }).join("");
}

function shortList(list: readonly AuditFindingView[], empty: string): string {
  if (list.length === 0) return `<p class="muted">${e(empty)}</p>`;
  return `<ul>${list
    .map(
      (f) =>
        `<li><span class="badge ${e(f.severity)}">${e(findingSeverityLabels[f.severity])}</span>${e(f.title)} — ${e(place(f))}</li>`,
    )
    .join("")}</ul>`;
}

function changes(r: AuditReport): string {
  if (!r.previousAuditId) {
    return "<h2>Ce qui a changé</h2><p>Premier audit de la structure : pas de comparaison possible.</p>";
  }
  const fresh = r.findings.filter((f) => f.change === "new");
  const still = r.findings.filter((f) => f.change === "still_open");
  return (
    `<h2>Ce qui a changé depuis l'audit du ${e(longDate(r.previousFinishedAt))}</h2>` +
    `<h3>Nouveaux constats (${count(fresh.length)})</h3>${shortList(fresh, "Aucun nouveau constat.")}` +
    `<h3>Corrigés depuis le précédent audit (${count(r.fixed.length)})</h3>${shortList(r.fixed, "Aucun constat corrigé.")}` +
    `<h3>Toujours présents (${count(still.length)})</h3>${shortList(still, "Aucun constat toujours présent.")}`
  );
}

function scope(r: AuditReport): string {
  const a = r.authorisation;
  if (!a) return "<h2>Périmètre et autorisation</h2><p>Aucune autorisation rattachée à cet audit.</p>";
  return (
    "<h2>Périmètre et autorisation</h2>" +
    "<p>Seules les adresses des plages autorisées ont été contactées ; les noms de domaine autorisés et leurs sous-domaines ont été résolus, " +
    "et un nom pointant hors des plages n'a jamais été analysé.</p>" +
    "<table><tbody>" +
    `<tr><th scope="row">Noms de domaine</th><td>${e(a.domains.join(", ") || "aucun")}</td></tr>` +
    `<tr><th scope="row">Plages d'adresses</th><td>${e(a.networks.join(", ") || "aucune")}</td></tr>` +
    `<tr><th scope="row">Identifiants par défaut</th><td>${a.defaultCredentials ? "essais autorisés par la structure" : "non essayés"}</td></tr>` +
    `<tr><th scope="row">Référence du mandat</th><td>${e(a.reference)}</td></tr>` +
    `<tr><th scope="row">Autorisé par</th><td>${e(a.grantedBy)}, le ${e(longDate(a.grantedAt))}</td></tr>` +
    `<tr><th scope="row">Valable jusqu'au</th><td>${e(longDate(a.validUntil))}${a.revokedAt ? ` (révoquée le ${e(longDate(a.revokedAt))})` : ""}</td></tr>` +
    "</tbody></table>" +
    (r.outOfPerimeter.length > 0
      ? '<h3>Noms hors du périmètre autorisé (non analysés)</h3><table><thead><tr><th scope="col">Nom</th><th scope="col">Adresse</th></tr></thead><tbody>' +
        r.outOfPerimeter.map((o) => `<tr><td>${e(o.name)}</td><td>${e(o.ip)}</td></tr>`).join("") +
        "</tbody></table>"
      : "")
  );
}

function scanner(r: AuditReport): string {
  const s = r.scanner;
  const engine = s
    ? s.engine === "nmap"
      ? `nmap${r.scannerDetails.nmapVersion ? ` ${r.scannerDetails.nmapVersion}` : ""}`
      : "analyse intégrée (connexion TCP)"
    : "—";
  return (
    "<h2>Identité du scanner</h2>" +
    "<table><tbody>" +
    `<tr><th scope="row">Moteur d'analyse des ports</th><td>${e(engine)}</td></tr>` +
    `<tr><th scope="row">Agent utilisateur (User-Agent)</th><td>${e(s?.userAgent ?? "—")}</td></tr>` +
    `<tr><th scope="row">Ports testés</th><td>${s ? e(count(s.ports)) : "—"}</td></tr>` +
    (r.scannerDetails.ratePerSecond !== null
      ? `<tr><th scope="row">Débit maximal</th><td>${e(count(r.scannerDetails.ratePerSecond))} connexions par seconde et par adresse</td></tr>`
      : "") +
    `<tr><th scope="row">Début et fin</th><td>${e(dateTime(r.startedAt))} — ${e(dateTime(r.finishedAt))}</td></tr>` +
    "</tbody></table>" +
    (r.notes.length > 0
      ? `<h3>Remarques</h3><ul>${r.notes.map((n) => `<li>${e(n)}</li>`).join("")}</ul>`
      : "")
  );
}

/** The audit report as a standalone French HTML document. */
export function renderAuditReportHtml(report: AuditReport): string {
  const title = `Audit de cybersurveillance — ${report.structureName}`;
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${e(title)}</h1>
<p class="subtitle">Rapport d'audit de l'exposition sur Internet — ${e(longDate(report.finishedAt ?? report.scheduledFor))}. CERT Santé, diffusion restreinte à la structure.</p>
</header>
<main>
<h2>Synthèse</h2>
${summaryParagraphs(report)}
<h2>Cartographie de l'exposition</h2>
${exposureTable(report)}
<h2>Constats par gravité</h2>
${findingsBySeverity(report)}
${changes(report)}
${scope(report)}
${scanner(report)}
</main>
</body>
</html>
`;
}
