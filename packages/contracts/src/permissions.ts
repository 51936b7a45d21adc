import { z } from "zod";

/** Every permission a route can require. API token scopes are a subset of these. */
export const permissions = [
  "structures:read",
  "structures:write",
  "directory:import",
  "users:read",
  "users:manage",
  "audit:read",
  "tokens:manage",
  "outbox:read",
  "declarations:create",
  "declarations:read",
  "declarations:message",
  "declarations:handle",
  "reflex_sheets:manage",
  "oncall:manage",
  "alert_rules:manage",
  "alerts:read",
  "dashboards:read",
  "observatory:read",
  "observatory:manage",
  "publications:read",
  "publications:write",
  "publications:publish",
  "watch:read",
  "watch:manage",
  "watch:handle",
] as const;
export const PermissionSchema = z.enum(permissions);
export type Permission = z.infer<typeof PermissionSchema>;

export const permissionLabels: Record<Permission, string> = {
  "structures:read": "Consulter les fiches des structures",
  "structures:write": "Modifier les fiches des structures",
  "directory:import": "Importer l'annuaire FINESS",
  "users:read": "Consulter les comptes",
  "users:manage": "Créer, modifier et désactiver les comptes",
  "audit:read": "Consulter le journal d'audit",
  "tokens:manage": "Gérer ses jetons d'API",
  "outbox:read": "Consulter les courriels émis",
  "declarations:create": "Déclarer un incident",
  "declarations:read": "Consulter les déclarations de son périmètre",
  "declarations:message": "Échanger avec le CERT sur une déclaration",
  "declarations:handle":
    "Traiter les déclarations (questions, statut, saisie pour le compte d'une structure)",
  "reflex_sheets:manage": "Rédiger, modifier et archiver les fiches réflexes et modèles de recommandation",
  "oncall:manage": "Organiser le planning d'astreinte du CERT",
  "alert_rules:manage": "Publier les règles d'alerte des autorités et gérer les adresses des destinataires",
  "alerts:read": "Consulter les alertes reçues par son autorité et l'état des cas concernés",
  "dashboards:read": "Consulter le tableau de bord régional des déclarations",
  "observatory:read": "Consulter l'observatoire des incidents (sa seule région pour une ARS)",
  "observatory:manage":
    "Importer et exporter les incidents en masse, charger les parts d'activité hospitalière des régions",
  "publications:read": "Lire les alertes et bulletins réservés aux structures (TLP:GREEN et TLP:AMBER)",
  "publications:write": "Rédiger les alertes, bulletins, fiches réflexes et pages de bonnes pratiques",
  "publications:publish": "Publier, réviser et retirer les alertes et bulletins",
  "watch:read": "Consulter les actifs exposés et les tickets de veille de son périmètre",
  "watch:manage": "Déclarer les actifs exposés de ses structures et prendre en compte leurs tickets",
  "watch:handle":
    "Conduire la veille : flux de vulnérabilités, comptes compromis, rapprochement, tickets de toutes les structures",
};
