import { type BatterySpec, b64, compose, multipart, note, part, raw } from "./compose.ts";
import { fakeExecutable, INERT_NOTE } from "./payloads.ts";

/** UTF-7 of ASCII text with its accented letters as `+…-` runs (RFC 2152). */
function utf7(text: string): string {
  return text.replace(/[^\x20-\x7e\r\n]+/g, (run) => {
    const utf16 = Buffer.alloc(run.length * 2);
    for (let i = 0; i < run.length; i++) utf16.writeUInt16BE(run.charCodeAt(i), i * 2);
    return `+${utf16.toString("base64").replace(/=+$/, "")}-`;
  });
}

function qp(text: string): string {
  return Buffer.from(text, "utf8")
    .toString("latin1")
    .replace(
      /[^\x20-\x3c\x3e-\x7e\r\n]/g,
      (ch) => `=${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
    );
}

const LURE = "Votre mot de passe expire aujourd'hui : vérifiez votre compte.";

/** Encodings: transfer encodings, charsets, encoded words. */
export const encodingSpecs: BatterySpec[] = [
  {
    code: "encoding.base64_body",
    category: "encoding",
    title: "Corps encodé en base64",
    build: (c) =>
      raw(c, b64(`${note(c)}${LURE}\r\n`), {
        content: ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64"],
      }),
  },
  {
    code: "encoding.quoted_printable",
    category: "encoding",
    title: "Corps en quoted-printable",
    build: (c) =>
      raw(c, qp(`${note(c)}${LURE}\r\n`), {
        content: ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable"],
      }),
  },
  {
    code: "encoding.utf7_body",
    category: "encoding",
    title: "Corps en UTF-7",
    build: (c) =>
      raw(c, utf7(`${note(c)}${LURE}\r\n`), {
        content: ["Content-Type: text/plain; charset=utf-7", "Content-Transfer-Encoding: 7bit"],
      }),
  },
  {
    code: "encoding.utf7_subject",
    category: "encoding",
    title: "Objet encodé en UTF-7",
    build: (c) =>
      raw(c, note(c), {
        subject: `[Test Vigie ${c.token}] =?utf-7?Q?${utf7("Vérification de sécurité").replace(/ /g, "_")}?=`,
      }),
  },
  {
    code: "encoding.utf16_body",
    category: "encoding",
    title: "Corps en UTF-16",
    build: (c) => {
      const text = `${note(c)}${LURE}\r\n`;
      const utf16 = Buffer.alloc(text.length * 2 + 2);
      utf16.writeUInt16BE(0xfeff, 0);
      for (let i = 0; i < text.length; i++) utf16.writeUInt16BE(text.charCodeAt(i), 2 + i * 2);
      return raw(c, b64(utf16), {
        content: ["Content-Type: text/plain; charset=utf-16", "Content-Transfer-Encoding: base64"],
      });
    },
  },
  {
    code: "encoding.mixed_charsets",
    category: "encoding",
    title: "Parties en jeux de caractères différents",
    build: (c) => {
      const boundary = `mix-${c.token}`;
      return raw(
        c,
        multipart(boundary, [
          part(["Content-Type: text/plain; charset=iso-8859-1", "Content-Transfer-Encoding: 8bit"], note(c)),
          part(
            ["Content-Type: text/plain; charset=windows-1252", "Content-Transfer-Encoding: quoted-printable"],
            "Facture =80 r=E9gler=85",
          ),
          part(
            ["Content-Type: text/plain; charset=koi8-r", "Content-Transfer-Encoding: base64"],
            b64(Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4])),
          ),
        ]),
        { content: [`Content-Type: multipart/mixed; boundary="${boundary}"`] },
      );
    },
  },
  {
    code: "encoding.encoded_word_base64",
    category: "encoding",
    title: "Objet en mot encodé base64",
    build: (c) =>
      raw(c, note(c), {
        subject: `[Test Vigie ${c.token}] =?utf-8?B?${Buffer.from("Réinitialisation de votre mot de passe").toString("base64")}?=`,
      }),
  },
  {
    code: "encoding.encoded_word_split",
    category: "encoding",
    title: "Caractère coupé entre deux mots encodés",
    build: (c) => {
      const bytes = Buffer.from("Sécurité", "utf8");
      const a = bytes.subarray(0, 2).toString("base64");
      const b = bytes.subarray(2).toString("base64");
      return raw(c, note(c), { subject: `[Test Vigie ${c.token}] =?utf-8?B?${a}?= =?utf-8?B?${b}?=` });
    },
  },
  {
    code: "encoding.encoded_word_in_address",
    category: "encoding",
    title: "Adresse cachée dans un mot encodé du nom d'affichage",
    build: (c) =>
      raw(c, note(c), {
        from: `=?utf-8?B?${Buffer.from(`direction@${c.targetDomain}`).toString("base64")}?= <direction@${c.senderDomain}>`,
      }),
  },
  {
    code: "encoding.rfc2231_filename",
    category: "encoding",
    title: "Nom de pièce jointe encodé (RFC 2231) cachant .exe",
    build: (c) => {
      const boundary = `r2231-${c.token}`;
      return raw(
        c,
        multipart(boundary, [
          part(["Content-Type: text/plain; charset=utf-8"], note(c)),
          part(
            [
              "Content-Type: application/octet-stream",
              "Content-Transfer-Encoding: base64",
              "Content-Disposition: attachment; filename*=utf-8''facture%2Epdf%2Eexe",
            ],
            b64(fakeExecutable()),
          ),
        ]),
        { content: [`Content-Type: multipart/mixed; boundary="${boundary}"`] },
      );
    },
  },
  {
    code: "encoding.bad_base64",
    category: "encoding",
    title: "Base64 invalide (caractères parasites, sans remplissage)",
    build: (c) =>
      raw(
        c,
        `${Buffer.from(note(c))
          .toString("base64")
          .replace(/=+$/, "")
          .replace(/(.{20})/g, "$1!#")}\r\n`,
        {
          content: ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64"],
        },
      ),
  },
  {
    code: "encoding.undeclared_8bit",
    category: "encoding",
    title: "Octets 8 bits sans encodage déclaré",
    build: (c) =>
      raw(c, Buffer.concat([Buffer.from(note(c)), Buffer.from([0xe9, 0xe0, 0xff, 0x0d, 0x0a])]), {
        content: ["Content-Type: text/plain"],
      }),
  },
  {
    code: "encoding.zero_width",
    category: "encoding",
    title: "Caractères invisibles dans les mots sensibles",
    build: (c) =>
      compose(c, {
        text: `${note(c)}Votre m\u200bot de p\u200basse ex\u200dpire : v\u2060érifiez votre c\u200bompte.\r\n`,
      }),
  },
  {
    code: "encoding.html_entities",
    category: "encoding",
    title: "Texte HTML masqué par des entités",
    build: (c) =>
      compose(c, {
        html: `<p>${note(c)}</p><p>&#86;&#233;&#114;&#105;&#102;&#105;&#101;&#122; &#118;&#111;&#116;&#114;&#101; &#109;&#111;&#116; &#100;&#101; &#112;&#97;&#115;&#115;&#101;</p>`,
      }),
  },
  {
    code: "encoding.uuencode",
    category: "encoding",
    title: "Pièce jointe uuencodée dans le corps",
    build: (c) => {
      const data = Buffer.from(INERT_NOTE);
      const lines: string[] = [];
      for (let i = 0; i < data.length; i += 45) {
        const chunk = data.subarray(i, i + 45);
        let line = String.fromCharCode(32 + chunk.length);
        for (let j = 0; j < chunk.length; j += 3) {
          const [a = 0, b = 0, d = 0] = chunk.subarray(j, j + 3);
          const n = (a << 16) | (b << 8) | d;
          for (const shift of [18, 12, 6, 0]) {
            const v = (n >> shift) & 63;
            line += v === 0 ? "`" : String.fromCharCode(32 + v);
          }
        }
        lines.push(line);
      }
      return raw(c, `${note(c)}\r\nbegin 644 facture.exe\r\n${lines.join("\r\n")}\r\n\`\r\nend\r\n`);
    },
  },
];

/** Nested and inconsistent multipart structures. */
export const multipartSpecs: BatterySpec[] = [
  {
    code: "multipart.deep_nesting",
    category: "multipart",
    title: "Imbrication multipart sur 12 niveaux",
    build: (c) => {
      let inner = part(
        [
          "Content-Type: application/octet-stream",
          'Content-Disposition: attachment; filename="profond.exe"',
          "Content-Transfer-Encoding: base64",
        ],
        b64(fakeExecutable()),
      );
      for (let level = 12; level >= 1; level--) {
        const boundary = `niveau${level}-${c.token}`;
        inner = part([`Content-Type: multipart/mixed; boundary="${boundary}"`], multipart(boundary, [inner]));
      }
      const boundary = `racine-${c.token}`;
      return raw(
        c,
        multipart(boundary, [part(["Content-Type: text/plain; charset=utf-8"], note(c)), inner]),
        {
          content: [`Content-Type: multipart/mixed; boundary="${boundary}"`],
        },
      );
    },
  },
  {
    code: "multipart.rfc822_with_attachment",
    category: "multipart",
    title: "Message joint (message/rfc822) contenant un .exe",
    build: async (c) => {
      const inner = await compose(c, {
        attachments: [
          { filename: "facture.exe", content: fakeExecutable(), contentType: "application/x-msdownload" },
        ],
      });
      return compose(c, {
        attachments: [{ filename: "message-transfere.eml", content: inner, contentType: "message/rfc822" }],
      });
    },
  },
  {
    code: "multipart.rfc822_nested_twice",
    category: "multipart",
    title: "Message joint dans un message joint",
    build: async (c) => {
      const innermost = await compose(c, {
        attachments: [
          {
            filename: "script.js",
            content: Buffer.from(`// ${INERT_NOTE}\n`),
            contentType: "application/javascript",
          },
        ],
      });
      const middle = await compose(c, {
        attachments: [{ filename: "transfert.eml", content: innermost, contentType: "message/rfc822" }],
      });
      return compose(c, {
        attachments: [{ filename: "transfert-2.eml", content: middle, contentType: "message/rfc822" }],
      });
    },
  },
  {
    code: "multipart.alternative_mismatch",
    category: "multipart",
    title: "Versions texte et HTML différentes (lien seulement en HTML)",
    build: (c) =>
      compose(c, {
        text: `${note(c)}Bonne journée.\r\n`,
        html: `<p>${note(c)}</p><p><a href="http://192.0.2.10/vigie-test/connexion">Confirmez votre identifiant</a></p>`,
      }),
  },
  {
    code: "multipart.related_hidden",
    category: "multipart",
    title: "HTML avec image intégrée (cid) et texte caché",
    build: (c) =>
      compose(c, {
        html: `<p>${note(c)}</p><img src="cid:logo-${c.token}" alt=""><div style="display:none">mot de passe identifiant urgent</div>`,
        attachments: [
          {
            filename: "logo.png",
            content: Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex"),
            cid: `logo-${c.token}`,
          },
        ],
      }),
  },
  {
    code: "multipart.unclosed_boundary",
    category: "multipart",
    title: "Délimiteur de fin absent",
    build: (c) => {
      const boundary = `ouvert-${c.token}`;
      return raw(
        c,
        multipart(
          boundary,
          [
            part(["Content-Type: text/plain; charset=utf-8"], note(c)),
            part(
              [
                "Content-Type: application/octet-stream",
                'Content-Disposition: attachment; filename="outil.exe"',
                "Content-Transfer-Encoding: base64",
              ],
              b64(fakeExecutable()),
            ),
          ],
          { close: false },
        ),
        { content: [`Content-Type: multipart/mixed; boundary="${boundary}"`] },
      );
    },
  },
  {
    code: "multipart.prefix_boundary",
    category: "multipart",
    title: "Délimiteurs préfixes l'un de l'autre",
    build: (c) => {
      const outer = `b-${c.token}`;
      const inner = `b-${c.token}-x`;
      const nested = part(
        [`Content-Type: multipart/mixed; boundary="${inner}"`],
        multipart(inner, [
          part(
            [
              "Content-Type: application/octet-stream",
              'Content-Disposition: attachment; filename="cache.exe"',
              "Content-Transfer-Encoding: base64",
            ],
            b64(fakeExecutable()),
          ),
        ]),
      );
      return raw(c, multipart(outer, [part(["Content-Type: text/plain; charset=utf-8"], note(c)), nested]), {
        content: [`Content-Type: multipart/mixed; boundary="${outer}"`],
      });
    },
  },
  {
    code: "multipart.preamble_epilogue",
    category: "multipart",
    title: "Contenu caché dans le préambule et l'épilogue",
    build: (c) => {
      const boundary = `pe-${c.token}`;
      return raw(
        c,
        multipart(boundary, [part(["Content-Type: text/plain; charset=utf-8"], note(c))], {
          preamble: '<a href="http://192.0.2.10/vigie-test/">préambule</a>',
          epilogue: `<html><body><form action="http://192.0.2.10/vigie-test/"><input type="password" name="p"></form></body></html>\r\n`,
        }),
        { content: [`Content-Type: multipart/mixed; boundary="${boundary}"`] },
      );
    },
  },
  {
    code: "multipart.signed_garbage",
    category: "multipart",
    title: "multipart/signed avec une signature invalide",
    build: (c) => {
      const boundary = `sig-${c.token}`;
      return raw(
        c,
        multipart(boundary, [
          part(["Content-Type: text/plain; charset=utf-8"], note(c)),
          part(
            [
              "Content-Type: application/pkcs7-signature; name=smime.p7s",
              "Content-Transfer-Encoding: base64",
              "Content-Disposition: attachment; filename=smime.p7s",
            ],
            b64("signature-invalide-vigie"),
          ),
        ]),
        {
          content: [
            `Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="${boundary}"`,
          ],
        },
      );
    },
  },
  {
    code: "multipart.calendar_invite",
    category: "multipart",
    title: "Invitation de calendrier avec un lien",
    build: (c) =>
      compose(c, {
        icalEvent: {
          method: "REQUEST",
          filename: "invitation.ics",
          content: [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Vigie//Test de filtrage//FR",
            "METHOD:REQUEST",
            "BEGIN:VEVENT",
            `UID:${c.token}@${c.senderDomain}`,
            "DTSTAMP:20260101T000000Z",
            "DTSTART:20260102T090000Z",
            "DTEND:20260102T100000Z",
            `SUMMARY:[Test Vigie ${c.token}] Réunion urgente`,
            "DESCRIPTION:Rejoindre : http://192.0.2.10/vigie-test/reunion",
            "END:VEVENT",
            "END:VCALENDAR",
          ].join("\r\n"),
        },
      }),
  },
];
