import { type BatterySpec, compose, type MessageContext, note } from "./compose.ts";
import { homoglyph, missingLetter, otherTld } from "./lookalike.ts";

/** Links point only to documentation addresses (RFC 5737, RFC 3849) or to look-alikes of the structure's own domain. */
function linkSpec(code: string, title: string, html: (c: MessageContext) => string): BatterySpec {
  return {
    code,
    category: "link",
    title,
    build: (c) =>
      compose(c, {
        html: `<p>${note(c)}</p>${html(c)}`,
        text: `${note(c)}${html(c).replace(/<[^>]+>/g, " ")}\r\n`,
      }),
  };
}

const path = (c: MessageContext) => `vigie-test/${c.token}`;

export const linkSpecs: BatterySpec[] = [
  linkSpec(
    "link.ipv4",
    "Lien vers une adresse IPv4",
    (c) => `<a href="http://192.0.2.10/${path(c)}">Consulter le document</a>`,
  ),
  linkSpec(
    "link.ipv4_port",
    "Lien vers une adresse IPv4 et un port",
    (c) => `<a href="http://198.51.100.20:8080/${path(c)}">Ouvrir</a>`,
  ),
  linkSpec(
    "link.ipv4_https",
    "Lien HTTPS vers une adresse IPv4",
    (c) => `<a href="https://203.0.113.30/${path(c)}">Se connecter</a>`,
  ),
  linkSpec(
    "link.ipv4_decimal",
    "Lien vers une adresse IPv4 en décimal",
    (c) => `<a href="http://3221225994/${path(c)}">Ouvrir</a>`,
  ),
  linkSpec(
    "link.ipv4_hex",
    "Lien vers une adresse IPv4 en hexadécimal",
    (c) => `<a href="http://0xC000020A/${path(c)}">Ouvrir</a>`,
  ),
  linkSpec(
    "link.ipv6",
    "Lien vers une adresse IPv6",
    (c) => `<a href="http://[2001:db8::10]/${path(c)}">Ouvrir</a>`,
  ),
  linkSpec(
    "link.userinfo",
    "Lien avec le domaine de la structure avant un @",
    (c) => `<a href="http://${c.targetDomain}@192.0.2.10/${path(c)}">https://${c.targetDomain}/connexion</a>`,
  ),
  linkSpec(
    "link.text_mismatch",
    "Texte du lien différent de sa cible",
    (c) => `<a href="http://192.0.2.10/${path(c)}">https://webmail.${c.targetDomain}/</a>`,
  ),
  linkSpec(
    "link.lookalike",
    "Lien vers un domaine ressemblant",
    (c) => `<a href="https://webmail.${missingLetter(c.targetDomain)}/${path(c)}">Messagerie</a>`,
  ),
  linkSpec(
    "link.homoglyph",
    "Lien vers un domaine homoglyphe (punycode)",
    (c) => `<a href="https://${homoglyph(c.targetDomain).ascii}/${path(c)}">Intranet</a>`,
  ),
  linkSpec(
    "link.other_tld",
    "Lien vers le domaine sous une autre extension",
    (c) => `<a href="https://${otherTld(c.targetDomain)}/${path(c)}">Portail</a>`,
  ),
  linkSpec(
    "link.shortener_bitly",
    "Lien raccourci (bit.ly)",
    (c) => `<a href="https://bit.ly/vigie-${c.token}">Document partagé</a>`,
  ),
  linkSpec(
    "link.shortener_tinyurl",
    "Lien raccourci (tinyurl.com)",
    (c) => `<a href="https://tinyurl.com/vigie-${c.token}">Document partagé</a>`,
  ),
  linkSpec(
    "link.shortener_isgd",
    "Lien raccourci (is.gd)",
    (c) => `<a href="https://is.gd/vigie${c.token.replace(/-/g, "")}">Facture</a>`,
  ),
  linkSpec(
    "link.data_uri",
    "Lien data: (page HTML encodée)",
    () =>
      `<a href="data:text/html;base64,${Buffer.from("<h1>Vigie : page de test</h1>").toString("base64")}">Ouvrir la pièce</a>`,
  ),
  linkSpec("link.javascript_uri", "Lien javascript:", () => `<a href="javascript:void(0)">Valider</a>`),
  linkSpec(
    "link.form_password",
    "Formulaire HTML demandant un mot de passe",
    (c) =>
      `<form action="http://192.0.2.10/${path(c)}" method="post"><label>Identifiant <input name="login"></label><label>Mot de passe <input type="password" name="motdepasse"></label><button>Valider</button></form>`,
  ),
  linkSpec(
    "link.form_lookalike",
    "Formulaire envoyé vers un domaine ressemblant",
    (c) =>
      `<form action="https://${missingLetter(c.targetDomain)}/${path(c)}" method="post"><input name="email" value="${c.to}"><button>Confirmer</button></form>`,
  ),
  linkSpec(
    "link.executable_download",
    "Lien vers un exécutable",
    (c) => `<a href="http://192.0.2.10/${path(c)}/mise-a-jour.exe">Installer la mise à jour</a>`,
  ),
  linkSpec(
    "link.open_redirect",
    "Lien de redirection vers une adresse IP",
    (c) =>
      `<a href="https://www.${c.targetDomain}/redirect?url=http%3A%2F%2F192.0.2.10%2F${encodeURIComponent(path(c))}">Accéder</a>`,
  ),
];
