import { type BatterySpec, compose, type MessageContext, note, raw } from "./compose.ts";
import { doubledLetter, homoglyph, hyphenated, missingLetter, otherTld, visualSwap } from "./lookalike.ts";

const t = (c: MessageContext) => c.targetDomain;

/** Spoofed and look-alike senders. */
export const senderSpecs: BatterySpec[] = [
  {
    code: "sender.own_domain",
    category: "sender",
    title: "Expéditeur usurpant le domaine de la structure",
    build: (c) => compose(c, { from: `Service informatique <informatique@${t(c)}>` }),
  },
  {
    code: "sender.own_address",
    category: "sender",
    title: "Expéditeur identique au destinataire",
    build: (c) => compose(c, { from: c.to }),
  },
  {
    code: "sender.ceo_own_domain",
    category: "sender",
    title: "Direction générale usurpée (domaine de la structure)",
    build: (c) =>
      compose(c, {
        from: `Directeur général <direction.generale@${t(c)}>`,
        text: `${note(c)}\r\nÊtes-vous disponible ? J'ai besoin d'un virement urgent et confidentiel aujourd'hui.\r\n`,
      }),
  },
  {
    code: "sender.ceo_display_name",
    category: "sender",
    title: "Nom d'affichage de la direction avec une adresse externe",
    build: (c) => compose(c, { from: `"Direction générale - ${t(c)}" <dg.urgent@${c.senderDomain}>` }),
  },
  {
    code: "sender.address_in_display_name",
    category: "sender",
    title: "Adresse interne dans le nom d'affichage",
    build: (c) => compose(c, { from: `"comptabilite@${t(c)}" <comptabilite@${c.senderDomain}>` }),
  },
  {
    code: "sender.reply_to_mismatch",
    category: "sender",
    title: "Adresse de réponse différente de l'expéditeur",
    build: (c) =>
      compose(c, {
        from: `Comptabilité <comptabilite@${t(c)}>`,
        replyTo: `comptabilite@${missingLetter(t(c))}`,
      }),
  },
  {
    code: "sender.reply_to_external",
    category: "sender",
    title: "Réponse vers une messagerie externe",
    build: (c) =>
      compose(c, {
        from: `Ressources humaines <rh@${t(c)}>`,
        replyTo: "rh.service.paie@messagerie-gratuite.example",
      }),
  },
  {
    code: "sender.sender_header_mismatch",
    category: "sender",
    title: "En-tête Sender différent de From",
    build: (c) => compose(c, { from: `Direction <direction@${t(c)}>`, sender: `envoi@${c.senderDomain}` }),
  },
  {
    code: "sender.subdomain",
    category: "sender",
    title: "Sous-domaine inventé de la structure",
    build: (c) => compose(c, { from: `Support <support@securite.${t(c)}>` }),
  },
  {
    code: "sender.homoglyph_idn",
    category: "sender",
    title: "Domaine ressemblant par homoglyphe (IDN)",
    build: (c) => compose(c, { from: `Service informatique <informatique@${homoglyph(t(c)).ascii}>` }),
  },
  {
    code: "sender.homoglyph_utf8",
    category: "sender",
    title: "Domaine ressemblant en Unicode dans le nom d'affichage",
    build: (c) =>
      compose(c, {
        from: { name: `informatique@${homoglyph(t(c)).unicode}`, address: `informatique@${c.senderDomain}` },
      }),
  },
  {
    code: "sender.visual_swap",
    category: "sender",
    title: "Domaine ressemblant (lettres visuellement proches)",
    build: (c) => compose(c, { from: `Direction <direction@${visualSwap(t(c))}>` }),
  },
  {
    code: "sender.missing_letter",
    category: "sender",
    title: "Domaine ressemblant (lettre manquante)",
    build: (c) => compose(c, { from: `Direction <direction@${missingLetter(t(c))}>` }),
  },
  {
    code: "sender.doubled_letter",
    category: "sender",
    title: "Domaine ressemblant (lettre doublée)",
    build: (c) => compose(c, { from: `Direction <direction@${doubledLetter(t(c))}>` }),
  },
  {
    code: "sender.hyphen",
    category: "sender",
    title: "Domaine ressemblant (tiret ajouté)",
    build: (c) => compose(c, { from: `Sécurité <securite@${hyphenated(t(c))}>` }),
  },
  {
    code: "sender.other_tld",
    category: "sender",
    title: "Domaine ressemblant (autre extension)",
    build: (c) => compose(c, { from: `Direction <direction@${otherTld(t(c))}>` }),
  },
  {
    code: "sender.domain_as_subdomain",
    category: "sender",
    title: "Domaine de la structure en sous-domaine d'un autre",
    build: (c) => compose(c, { from: `Messagerie <messagerie@${t(c)}.verification-compte.example>` }),
  },
];

const long = "A".repeat(1200);

/** Malformed and duplicated headers (written by hand: a composer would fix them). */
export const headerSpecs: BatterySpec[] = [
  {
    code: "headers.two_from",
    category: "headers",
    title: "Deux en-têtes From",
    build: (c) => raw(c, note(c), { extra: [`From: Direction <direction@${c.targetDomain}>`] }),
  },
  {
    code: "headers.two_subject",
    category: "headers",
    title: "Deux en-têtes Subject",
    build: (c) => raw(c, note(c), { extra: [`Subject: [Test Vigie ${c.token}] Second objet`] }),
  },
  {
    code: "headers.no_from",
    category: "headers",
    title: "Aucun en-tête From",
    build: (c) => raw(c, note(c), { from: null }),
  },
  {
    code: "headers.empty_from",
    category: "headers",
    title: "En-tête From vide",
    build: (c) => raw(c, note(c), { from: "" }),
  },
  {
    code: "headers.no_date",
    category: "headers",
    title: "Aucun en-tête Date",
    build: (c) => raw(c, note(c), { date: null }),
  },
  {
    code: "headers.bad_date",
    category: "headers",
    title: "Date illisible",
    build: (c) => raw(c, note(c), { date: "le 32 du mois prochain à 25 h 61" }),
  },
  {
    code: "headers.future_date",
    category: "headers",
    title: "Date dans le futur",
    build: (c) => raw(c, note(c), { date: "Mon, 01 Jan 2099 00:00:00 +0000" }),
  },
  {
    code: "headers.no_message_id",
    category: "headers",
    title: "Aucun Message-ID",
    build: (c) => raw(c, note(c), { messageId: null }),
  },
  {
    code: "headers.two_message_id",
    category: "headers",
    title: "Deux Message-ID",
    build: (c) => raw(c, note(c), { extra: [`Message-ID: <double-${c.token}@${c.senderDomain}>`] }),
  },
  {
    code: "headers.overlong_header",
    category: "headers",
    title: "Ligne d'en-tête de plus de 998 caractères",
    build: (c) => raw(c, note(c), { extra: [`X-Vigie-Long: ${long}`] }),
  },
  {
    code: "headers.overlong_body_line",
    category: "headers",
    title: "Ligne de corps de plus de 998 caractères",
    build: (c) => raw(c, `${note(c)}${"B".repeat(1500)}\r\n`),
  },
  {
    code: "headers.raw_8bit_subject",
    category: "headers",
    title: "Objet en UTF-8 brut, non encodé",
    build: (c) => raw(c, note(c), { subject: `[Test Vigie ${c.token}] Objet accentué non encodé : éàç€` }),
  },
  {
    code: "headers.broken_encoded_word",
    category: "headers",
    title: "Mot encodé invalide dans l'objet",
    build: (c) => raw(c, note(c), { subject: `[Test Vigie ${c.token}] =?utf-8?B?@@pas-du-base64@@?= fin` }),
  },
  {
    code: "headers.unknown_charset",
    category: "headers",
    title: "Jeu de caractères inconnu dans l'objet",
    build: (c) => raw(c, note(c), { subject: `[Test Vigie ${c.token}] =?x-vigie-inconnu?Q?texte=E9?=` }),
  },
  {
    code: "headers.control_chars",
    category: "headers",
    title: "Caractères de contrôle dans l'objet",
    build: (c) => raw(c, note(c), { subject: `[Test Vigie ${c.token}] objet\u0007avec\u001bcontrôle` }),
  },
  {
    code: "headers.unknown_transfer_encoding",
    category: "headers",
    title: "Content-Transfer-Encoding inconnu",
    build: (c) =>
      raw(c, note(c), {
        content: ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: x-vigie-inconnu"],
      }),
  },
  {
    code: "headers.multipart_without_boundary",
    category: "headers",
    title: "multipart sans paramètre boundary",
    build: (c) =>
      raw(c, `${note(c)}\r\n--x\r\nContent-Type: text/plain\r\n\r\ntexte\r\n--x--\r\n`, {
        content: ["Content-Type: multipart/mixed"],
      }),
  },
  {
    code: "headers.duplicate_content_type",
    category: "headers",
    title: "Deux Content-Type contradictoires",
    build: (c) =>
      raw(c, note(c), {
        content: [
          "Content-Type: text/plain; charset=utf-8",
          "Content-Type: text/html; charset=utf-8",
          "Content-Transfer-Encoding: 8bit",
        ],
      }),
  },
];
