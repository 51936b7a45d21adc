// The texts of the platform's e-mails, in French. Plain text only: links stay readable in
// every client and in the outbox page of the embedded mode.

/** Subject and body of a mail. */
export interface MailContent {
  subject: string;
  text: string;
}

const SIGNATURE = `\n--\nVigie — CERT Santé\nCe message est envoyé automatiquement, merci de ne pas y répondre.\n`;

/** The link to confirm a new account's e-mail address. */
export function verificationMail(input: { fullName: string; link: string; validHours: number }): MailContent {
  return {
    subject: "Vigie : confirmez votre adresse électronique",
    text: `Bonjour ${input.fullName},

Vous avez créé un compte sur Vigie, la plateforme du CERT Santé.
Pour confirmer votre adresse électronique, ouvrez le lien suivant :

${input.link}

Ce lien est valable ${input.validHours} heures et ne peut servir qu'une fois.
Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : aucun compte ne sera activé.
${SIGNATURE}`,
  };
}

/** Sent instead of a second account when someone registers with an address already known. */
export function alreadyRegisteredMail(input: {
  fullName: string;
  loginLink: string;
  resetLink: string;
  verificationLink: string | null;
  validHours: number;
}): MailContent {
  const verification = input.verificationLink
    ? `\nVotre adresse n'est pas encore confirmée. Pour la confirmer, ouvrez ce lien (valable ${input.validHours} heures) :\n\n${input.verificationLink}\n`
    : "";
  return {
    subject: "Vigie : vous avez déjà un compte",
    text: `Bonjour ${input.fullName},

Une demande de création de compte a été faite sur Vigie avec votre adresse électronique,
mais un compte existe déjà pour cette adresse. Aucun nouveau compte n'a été créé.
${verification}
Pour vous connecter : ${input.loginLink}
Mot de passe oublié ? Choisissez-en un nouveau ici : ${input.resetLink}

Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.
${SIGNATURE}`,
  };
}

/** The link to choose a new password. */
export function passwordResetMail(input: {
  fullName: string;
  link: string;
  validMinutes: number;
}): MailContent {
  return {
    subject: "Vigie : réinitialisation de votre mot de passe",
    text: `Bonjour ${input.fullName},

Une réinitialisation du mot de passe de votre compte Vigie a été demandée.
Pour choisir un nouveau mot de passe, ouvrez le lien suivant :

${input.link}

Ce lien est valable ${input.validMinutes} minutes et ne peut servir qu'une fois.
Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.
${SIGNATURE}`,
  };
}

/** Tells the owner that the password changed, in case it was not them. */
export function passwordChangedMail(input: { fullName: string; resetLink: string }): MailContent {
  return {
    subject: "Vigie : votre mot de passe a été modifié",
    text: `Bonjour ${input.fullName},

Le mot de passe de votre compte Vigie vient d'être modifié et toutes vos sessions ont été fermées.

Si vous n'êtes pas à l'origine de ce changement, réinitialisez immédiatement votre mot de passe
(${input.resetLink}) et prévenez le CERT Santé.
${SIGNATURE}`,
  };
}
