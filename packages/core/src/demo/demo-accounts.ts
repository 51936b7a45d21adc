import type { Authority, Role } from "@vigie/contracts";

/** A demonstration account loaded on first run; the passwords are printed by `vigie start`. */
export interface DemoAccount {
  email: string;
  fullName: string;
  role: Role;
  password: string;
  regionCode?: string;
  authority?: Authority;
  /** FINESS ET of the structures a declarant acts for. */
  finess?: string[];
  jobTitle?: string;
}

/**
 * One account per role. The declarant works at the CHU Grenoble Alpes (Hôpital Nord, a real
 * FINESS entry of the reference directory), and the ARS account covers its region (84).
 */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    email: "declarant@chu-demo.test",
    fullName: "Camille Martin",
    jobTitle: "RSSI",
    role: "declarant",
    password: "Tournesol-Grenoble-48",
    finess: ["380000067"],
  },
  {
    email: "analyste@cert-demo.test",
    fullName: "Alex Bernard",
    jobTitle: "Analyste CERT",
    role: "cert_analyst",
    password: "Phare-Atlantique-Veille-93",
  },
  {
    email: "responsable@cert-demo.test",
    fullName: "Dominique Petit",
    jobTitle: "Responsable du CERT",
    role: "cert_lead",
    password: "Boussole-Garde-Nuit-2026",
  },
  {
    email: "ars-ara@ars-demo.test",
    fullName: "Claude Robert",
    jobTitle: "Référent sécurité, ARS Auvergne-Rhône-Alpes",
    role: "ars",
    regionCode: "84",
    password: "Agence-Regionale-Demo-2026",
  },
  {
    email: "anssi@autorite-demo.test",
    fullName: "Morgan Durand",
    jobTitle: "Officier de liaison ANSSI",
    role: "authority",
    authority: "anssi",
    password: "Remparts-Liaison-Nationale-7",
  },
  {
    email: "admin@vigie-demo.test",
    fullName: "Sacha Leroy",
    jobTitle: "Administrateur de la plateforme",
    role: "admin",
    password: "Clef-Platine-Console-2026",
  },
];
