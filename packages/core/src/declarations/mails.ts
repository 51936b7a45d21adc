// The French e-mails of the declaration portal. Plain text; they never quote the description
// (a declaration is TLP:AMBER by default and mail crosses servers the CERT does not control).

import { declarationStatusLabels, operationalImpact, patientEndangerment } from "@vigie/contracts";
import type { MailContent } from "../mail/templates.ts";

const SIGNATURE = `\n--\nVigie — CERT Santé\nCe message est envoyé automatiquement, merci de ne pas y répondre.\n`;

/** The CERT's business hours, as told to declarants. */
export const BUSINESS_HOURS_TEXT = "du lundi au vendredi, de 9 h à 18 h (heure de Paris), hors jours fériés";

type StatusCode = keyof typeof declarationStatusLabels;

/** The acknowledgment sent to the declarant's contact address once the declaration is stored. */
export function declarationReceivedMail(input: {
  fullName: string;
  reference: string;
  title: string;
  structureName: string;
  outOfHours: boolean;
  urgent: boolean;
  oncallPhone: string;
  followUrl: string;
  anonymous: boolean;
}): MailContent {
  const next = input.outOfHours
    ? input.urgent
      ? `Votre déclaration a été faite en dehors des heures ouvrées : l'analyste d'astreinte du CERT a été prévenu et vous rappellera au numéro indiqué.`
      : `Votre déclaration a été faite en dehors des heures ouvrées : le CERT l'examinera dès la reprise (${BUSINESS_HOURS_TEXT}).`
    : `Un analyste du CERT va l'examiner et vous contactera si nécessaire (${BUSINESS_HOURS_TEXT}).`;
  const link = input.anonymous
    ? `Suivez votre déclaration, répondez au CERT et complétez-la avec ce lien personnel (ne le transmettez pas) :\n\n${input.followUrl}`
    : `Suivez votre déclaration et échangez avec le CERT depuis votre espace :\n\n${input.followUrl}`;
  return {
    subject: `Vigie : déclaration ${input.reference} reçue`,
    text: `Bonjour ${input.fullName},

Le CERT Santé a bien reçu votre déclaration d'incident.

Référence : ${input.reference}
Structure : ${input.structureName}
Titre : ${input.title}

${next}

En cas d'urgence (prise en charge des patients menacée, incident qui s'aggrave), appelez l'astreinte du CERT, joignable 24 h/24 et 7 j/7 : ${input.oncallPhone}

${link}

Rappelez la référence ${input.reference} dans tous vos échanges.
${SIGNATURE}`,
  };
}

/** Pages the on-call analyst: what to read in a few seconds on a phone, and whom to call back. */
export function oncallPageMail(input: {
  reference: string;
  structureName: string;
  finessEt: string;
  declarantName: string;
  callbackPhone: string;
  operationalImpact: keyof typeof operationalImpact.labels;
  patientEndangerment: keyof typeof patientEndangerment.labels | null;
  supportRequested: boolean;
  link: string;
}): MailContent {
  return {
    subject: `ASTREINTE ${input.reference} — ${input.structureName} — rappeler le ${input.callbackPhone}`,
    text: `Déclaration hors heures ouvrées nécessitant l'astreinte.

Référence : ${input.reference}
Structure : ${input.structureName} (FINESS ${input.finessEt})
Déclarant : ${input.declarantName}
Rappeler au : ${input.callbackPhone}
Fonctionnement : ${operationalImpact.labels[input.operationalImpact]}
Patients mis en danger : ${input.patientEndangerment ? patientEndangerment.labels[input.patientEndangerment] : "non renseigné"}
Accompagnement demandé : ${input.supportRequested ? "oui" : "non"}

${input.link}
${SIGNATURE}`,
  };
}

/** Tells the declarant the CERT asked a question. */
export function questionAskedMail(input: { fullName: string; reference: string; link: string }): MailContent {
  return {
    subject: `Vigie : le CERT vous pose une question sur la déclaration ${input.reference}`,
    text: `Bonjour ${input.fullName},

Le CERT vous pose une question au sujet de votre déclaration ${input.reference}.
Pour la lire et y répondre, ouvrez le lien suivant :

${input.link}

Votre réponse aide le CERT à vous accompagner : merci d'y répondre dès que possible.
${SIGNATURE}`,
  };
}

/** Tells the declarant the CERT wrote a message or a recommendation. */
export function certMessageMail(input: {
  fullName: string;
  reference: string;
  recommendation: boolean;
  link: string;
}): MailContent {
  const what = input.recommendation ? "une recommandation" : "un message";
  return {
    subject: `Vigie : nouveau message du CERT sur la déclaration ${input.reference}`,
    text: `Bonjour ${input.fullName},

Le CERT vous a adressé ${what} au sujet de votre déclaration ${input.reference}.
Pour le lire, ouvrez le lien suivant :

${input.link}
${SIGNATURE}`,
  };
}

/** Tells the declarant the status of their declaration changed. */
export function statusChangedMail(input: {
  fullName: string;
  reference: string;
  to: StatusCode;
  comment: string | null;
  link: string;
}): MailContent {
  const comment = input.comment ? `\nCommentaire du CERT :\n${input.comment}\n` : "";
  return {
    subject: `Vigie : déclaration ${input.reference} — ${declarationStatusLabels[input.to].toLowerCase()}`,
    text: `Bonjour ${input.fullName},

Le statut de votre déclaration ${input.reference} est désormais : ${declarationStatusLabels[input.to]}.
${comment}
Pour la consulter : ${input.link}
${SIGNATURE}`,
  };
}

const parisDateTime = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  dateStyle: "full",
  timeStyle: "short",
});

/**
 * Reminds the declarant that a question of the CERT awaits an answer. It never quotes the
 * question (it may be TLP:AMBER+STRICT): only the reference, the due date and the link.
 */
export function complementReminderMail(input: {
  fullName: string;
  reference: string;
  dueAt: Date;
  now: Date;
  link: string;
}): MailContent {
  const due = parisDateTime.format(input.dueAt);
  const when =
    input.dueAt.getTime() > input.now.getTime()
      ? `Votre réponse est attendue au plus tard le ${due}.`
      : `Votre réponse était attendue le ${due} : elle reste utile, même tardive.`;
  return {
    subject: `Vigie : rappel — le CERT attend votre réponse sur la déclaration ${input.reference}`,
    text: `Bonjour ${input.fullName},

Le CERT vous a posé une question au sujet de votre déclaration ${input.reference} et n'a pas encore reçu de réponse.
${when}

Pour la lire et y répondre, ouvrez le lien suivant :

${input.link}

Si vous avez déjà répondu par un autre moyen, indiquez-le simplement en réponse sur ce lien.
${SIGNATURE}`,
  };
}
