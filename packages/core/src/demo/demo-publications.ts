import type { CreatePublicationRequest } from "@vigie/contracts";
import { type Executor, publicationsRepo } from "@vigie/db";
import type { z } from "zod";
import { publishAsSystem } from "../publications/manage-publications.ts";

type DemoPublication = z.output<typeof CreatePublicationRequest> & { publishedAt: string };

/**
 * The demo's publications: three real 2023–2024 vulnerabilities as public alerts, a bulletin
 * reserved to the structures (TLP:GREEN) and an alert restricted to them (TLP:AMBER). Dates are
 * the real ones, so references read `VIGIE-ALE-2023-001` and so on.
 */
export const DEMO_PUBLICATIONS: readonly DemoPublication[] = [
  {
    kind: "alert",
    publishedAt: "2023-06-13T09:30:00.000Z",
    title: "Vulnérabilité critique dans FortiOS SSL-VPN (CVE-2023-27997)",
    summary:
      "Une vulnérabilité de débordement de tas dans le VPN SSL de FortiOS permet à un attaquant non authentifié d'exécuter du code à distance sur le pare-feu.",
    risk: "Exécution de code arbitraire à distance sans authentification, prise de contrôle de l'équipement de sécurité périmétrique et accès au réseau interne de l'établissement.",
    products: [
      {
        vendor: "Fortinet",
        product: "FortiOS",
        versions: "6.0.0 à 6.0.16, 6.2.0 à 6.2.13, 6.4.0 à 6.4.12, 7.0.0 à 7.0.11, 7.2.0 à 7.2.4",
      },
      { vendor: "Fortinet", product: "FortiProxy", versions: "7.0.0 à 7.0.9, 7.2.0 à 7.2.3" },
    ],
    cveIds: ["CVE-2023-27997"],
    exploitation: "actively_exploited",
    actions:
      "- Appliquez sans délai les versions correctives (6.0.17, 6.2.15, 6.4.13, 7.0.12, 7.2.5 ou ultérieures).\n- À défaut, **désactivez le VPN SSL**.\n- Recherchez des traces de compromission : comptes administrateurs inconnus, journaux VPN inhabituels.",
    referenceUrls: [
      "https://www.fortiguard.com/psirt/FG-IR-23-097",
      "https://www.cert.ssi.gouv.fr/alerte/CERTFR-2023-ALE-005/",
    ],
    body: "## Contexte\n\nFortinet a publié le 12 juin 2023 des correctifs pour la vulnérabilité **CVE-2023-27997**, dite « XORtigate ». L'éditeur indique qu'elle a pu être exploitée dans des attaques ciblées.\n\n## Établissements concernés\n\nTout établissement exposant le portail VPN SSL d'un pare-feu FortiGate sur Internet.",
    tlp: "clear",
  },
  {
    kind: "alert",
    publishedAt: "2023-10-25T08:00:00.000Z",
    title: "Citrix Bleed : fuite de jetons de session dans NetScaler ADC et Gateway (CVE-2023-4966)",
    summary:
      "Une vulnérabilité dans NetScaler ADC et NetScaler Gateway permet de lire la mémoire de l'équipement et d'y dérober des jetons de session valides, contournant l'authentification multifacteur.",
    risk: "Détournement de sessions authentifiées (y compris avec double authentification), accès au réseau interne, déploiement de rançongiciels observé dans plusieurs secteurs.",
    products: [
      {
        vendor: "Citrix",
        product: "NetScaler ADC",
        versions: "13.1 avant 13.1-49.15, 13.0 avant 13.0-92.19, 14.1 avant 14.1-8.50",
      },
      {
        vendor: "Citrix",
        product: "NetScaler Gateway",
        versions: "13.1 avant 13.1-49.15, 13.0 avant 13.0-92.19, 14.1 avant 14.1-8.50",
      },
    ],
    cveIds: ["CVE-2023-4966"],
    exploitation: "actively_exploited",
    actions:
      "1. Mettez à jour NetScaler vers une version corrigée.\n2. **Fermez toutes les sessions actives** après la mise à jour (`kill icaconnection -all`, `kill aaa session -all`…).\n3. Recherchez des connexions depuis des adresses inhabituelles depuis fin août 2023 et déclarez tout incident au CERT Santé.",
    referenceUrls: [
      "https://support.citrix.com/article/CTX579459",
      "https://www.cert.ssi.gouv.fr/alerte/CERTFR-2023-ALE-012/",
    ],
    body: "## Contexte\n\nLa vulnérabilité **CVE-2023-4966** (« Citrix Bleed ») est exploitée massivement depuis fin août 2023. La mise à jour seule ne suffit pas : les jetons déjà volés restent valides tant que les sessions ne sont pas fermées.",
    tlp: "clear",
  },
  {
    kind: "alert",
    publishedAt: "2024-01-11T10:00:00.000Z",
    title:
      "Ivanti Connect Secure : contournement d'authentification et injection de commandes (CVE-2023-46805, CVE-2024-21887)",
    summary:
      "Deux vulnérabilités chaînées dans Ivanti Connect Secure et Ivanti Policy Secure permettent à un attaquant non authentifié d'exécuter des commandes sur la passerelle VPN.",
    risk: "Prise de contrôle de la passerelle d'accès distant, vol d'identifiants, installation de portes dérobées persistantes.",
    products: [
      { vendor: "Ivanti", product: "Connect Secure", versions: "9.x, 22.x (dont 22.6R2)" },
      { vendor: "Ivanti", product: "Policy Secure", versions: "9.x, 22.x" },
    ],
    cveIds: ["CVE-2023-46805", "CVE-2024-21887"],
    exploitation: "actively_exploited",
    actions:
      "- Appliquez immédiatement la mesure de contournement de l'éditeur (fichier XML), puis les correctifs dès leur parution.\n- Lancez l'outil de vérification d'intégrité externe d'Ivanti.\n- En cas de compromission, réinitialisez l'équipement et renouvelez les secrets (certificats, comptes).",
    referenceUrls: [
      "https://www.cert.ssi.gouv.fr/alerte/CERTFR-2024-ALE-001/",
      "https://www.cisa.gov/known-exploited-vulnerabilities-catalog",
    ],
    body: "## Contexte\n\nLes vulnérabilités **CVE-2023-46805** et **CVE-2024-21887** sont exploitées depuis décembre 2023. Le CERT Santé recommande de considérer comme compromise toute passerelle exposée non protégée avant le 11 janvier 2024.",
    tlp: "clear",
  },
  {
    kind: "bulletin",
    publishedAt: "2024-02-05T09:00:00.000Z",
    title: "Bulletin de veille : campagnes d'hameçonnage visant les établissements de santé",
    summary:
      "Synthèse des campagnes d'hameçonnage observées en janvier 2024 contre les établissements de santé : faux messages de facturation et de messagerie sécurisée de santé.",
    risk: "Vol d'identifiants de messagerie, puis rebonds vers les partenaires de l'établissement.",
    products: [],
    cveIds: [],
    exploitation: "none_known",
    actions:
      "- Sensibilisez les équipes administratives.\n- Bloquez les domaines signalés sur vos passerelles de messagerie.",
    referenceUrls: [],
    body: "## Campagnes observées\n\n- Faux avis de facturation imitant un fournisseur de dispositifs médicaux.\n- Faux messages de messagerie sécurisée de santé demandant une reconnexion.\n\nLes indicateurs détaillés sont réservés aux structures : ne les diffusez pas en dehors de la communauté de santé.",
    tlp: "green",
  },
  {
    kind: "alert",
    publishedAt: "2024-03-18T14:00:00.000Z",
    title: "Compromission d'un prestataire d'infogérance de plusieurs établissements",
    summary:
      "Un prestataire d'infogérance commun à plusieurs établissements de santé a subi une intrusion : des accès distants à leurs systèmes ont pu être utilisés.",
    risk: "Accès distants illégitimes aux systèmes des établissements clients du prestataire.",
    products: [
      { vendor: "AnyDesk", product: "AnyDesk", versions: "toutes versions utilisées par le prestataire" },
    ],
    cveIds: [],
    exploitation: "actively_exploited",
    actions:
      "- Suspendez les accès distants du prestataire jusqu'à nouvel ordre.\n- Renouvelez les mots de passe des comptes qu'il utilise.\n- Contactez le CERT Santé pour recevoir les indicateurs de compromission.",
    referenceUrls: [],
    body: "Le nom du prestataire est communiqué aux seuls établissements concernés.",
    tlp: "amber",
  },
];

/**
 * Publishes the demo publications missing from the platform (matched by title), at their real
 * dates, through the same rules as a lead's publication. Safe to run again.
 */
export async function seedDemoPublications(db: Executor, now: Date): Promise<number> {
  const existing = await publicationsRepo.listForCert(db, { limit: 1_000, offset: 0 });
  const titles = new Set(existing.rows.map((row) => row.title));
  let created = 0;
  for (const { publishedAt, ...publication } of DEMO_PUBLICATIONS) {
    if (titles.has(publication.title)) continue;
    await publishAsSystem(db, publication, { now: new Date(publishedAt), auditAt: now });
    created++;
  }
  return created;
}
