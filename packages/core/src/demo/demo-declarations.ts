import { randomUUID } from "node:crypto";
import { DeclarationInput, EventInput } from "@vigie/contracts";
import { type Database, usersRepo } from "@vigie/db";
import type { Kysely } from "kysely";
import { actorForUser } from "../auth/resolve-session.ts";
import { acknowledgeCase } from "../cases/acknowledge-case.ts";
import { qualifyCase } from "../cases/qualify-case.ts";
import { postDeclarationMessage } from "../declarations/post-message.ts";
import type { DeclarationSettings } from "../declarations/settings.ts";
import { changeDeclarationStatus } from "../declarations/status.ts";
import { submitDeclaration } from "../declarations/submit-declaration.ts";
import { createEvent, linkDeclarations } from "../events/manage-events.ts";
import { DEMO_ACCOUNTS } from "./demo-accounts.ts";

const HOUR = 3_600_000;

/**
 * A few declarations from the demo declarant, through the real use cases, so the CERT's list
 * and the declarant's follow-up are not empty on a first run: the analyst has taken the first
 * one and asked a question; the second is qualified, resolved and grouped in an event; the
 * third is new.
 */
export async function seedDemoDeclarations(
  db: Kysely<Database>,
  now: Date,
  settings: DeclarationSettings,
): Promise<number> {
  const declarantAccount = DEMO_ACCOUNTS.find((a) => a.role === "declarant");
  const analystAccount = DEMO_ACCOUNTS.find((a) => a.role === "cert_analyst");
  const declarant = declarantAccount && (await usersRepo.findUserByEmail(db, declarantAccount.email));
  const analyst = analystAccount && (await usersRepo.findUserByEmail(db, analystAccount.email));
  if (!declarantAccount || !declarant || !analyst) return 0;
  const actor = await actorForUser(db, declarant);
  const contact = {
    fullName: declarant.full_name,
    jobTitle: "RSSI",
    email: declarant.email,
    phone: "04 76 76 75 75",
  };
  const finess = declarantAccount.finess ?? [];
  const drafts = [
    {
      title: "Chiffrement des serveurs de fichiers",
      description:
        "Message de rançon découvert à 2 h 40 sur les serveurs de fichiers ; partages inaccessibles, " +
        "imagerie en mode dégradé. Serveurs isolés du réseau, sauvegardes hors ligne préservées.",
      detectedAt: new Date(now.getTime() - 5 * HOUR).toISOString(),
      proposedOrigin: "malicious" as const,
      proposedMaliciousTypes: ["ransomware" as const],
      affectedSystems: ["servers" as const, "imaging" as const],
      operationalImpact: "degraded_care" as const,
      patientEndangerment: "potential" as const,
      dataImpacts: ["data_loss_or_unavailability" as const],
      stateAtDeclaration: "support_needed" as const,
      measuresTaken:
        "Isolement des serveurs, coupure des accès distants, changement des mots de passe administrateurs.",
      supportRequested: true,
    },
    {
      title: "Campagne d'hameçonnage visant la messagerie",
      description: "Une trentaine d'agents ont reçu un faux message de la DSI demandant leurs identifiants.",
      detectedAt: new Date(now.getTime() - 30 * HOUR).toISOString(),
      proposedOrigin: "malicious" as const,
      proposedMaliciousTypes: ["malicious_message" as const],
      affectedSystems: ["messaging" as const],
      operationalImpact: "none" as const,
      dataImpacts: ["none" as const],
      stateAtDeclaration: "resolved" as const,
      supportRequested: false,
    },
    {
      title: "Perte du lien télécom du site de Voiron",
      description: "Coupure de la liaison opérateur : le site n'accède plus au DPI ni à la messagerie.",
      detectedAt: new Date(now.getTime() - 2 * HOUR).toISOString(),
      proposedOrigin: "non_malicious" as const,
      proposedNonMaliciousTypes: ["telecom_loss" as const],
      affectedSystems: ["network_telecom" as const],
      operationalImpact: "degraded_support" as const,
      stateAtDeclaration: "in_progress" as const,
      supportRequested: false,
    },
  ];
  const ids: string[] = [];
  for (const draft of drafts) {
    const input = DeclarationInput.parse({
      idempotencyKey: randomUUID(),
      finess,
      declarant: contact,
      ...draft,
    });
    const receipt = await submitDeclaration(db, input, { actor, mode: "portal", now, settings });
    ids.push(receipt.id);
  }
  const [first, second] = ids;
  const analystActor = await actorForUser(db, analyst);
  if (first) {
    await acknowledgeCase(db, analystActor, first, { now, settings });
    await postDeclarationMessage(
      db,
      analystActor,
      first,
      {
        kind: "question",
        body: "Bonjour, le chiffrement touche-t-il aussi les postes de travail ? Pouvez-vous joindre la note de rançon ?",
        attachmentIds: [],
      },
      { now, settings },
    );
  }
  if (second) {
    await acknowledgeCase(db, analystActor, second, { now, settings });
    await qualifyCase(
      db,
      analystActor,
      second,
      {
        outOfScope: false,
        origin: "malicious",
        maliciousTypes: ["malicious_message"],
        siEffect: "low",
        operationalImpact: "none",
        dataImpacts: ["none"],
        patientEndangerment: "none",
        summary:
          "Hameçonnage ciblant la messagerie ; aucun identifiant saisi d'après la structure, message bloqué à la passerelle.",
      },
      { now },
    );
    await changeDeclarationStatus(
      db,
      analystActor,
      second,
      { status: "resolved", comment: undefined },
      { now, settings },
    );
    const event = await createEvent(
      db,
      analystActor,
      EventInput.parse({
        title: "Campagne d'hameçonnage « faux message de la DSI »",
        analysis:
          "Plusieurs établissements reçoivent un faux message de leur DSI renvoyant vers une page de saisie d'identifiants. Bloquez l'expéditeur et le domaine, et réinitialisez les mots de passe des agents ayant répondu.",
      }),
      { now },
    );
    await linkDeclarations(db, analystActor, event.id, { declarations: [second] }, { now });
  }
  return ids.length;
}
