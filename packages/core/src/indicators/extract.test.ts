import { describe, expect, it } from "vitest";
import { extractIndicators, indicatorTraits, normaliseIndicator, refang } from "./extract.ts";

const values = (text: string, kind?: string) =>
  extractIndicators(text)
    .filter((i) => !kind || i.kind === kind)
    .map((i) => (kind ? i.value : `${i.kind}:${i.value}`));

describe("refang", () => {
  it("undoes the usual defanged spellings and remembers where", () => {
    const { text, defanged } = refang("hxxps[:]//evil[.]example(.)com et contact [at] evil[dot]fr");
    expect(text).toBe("https://evil.example.com et contact@evil.fr");
    expect(defanged.some(Boolean)).toBe(true);
    expect(refang("texte ordinaire").defanged.some(Boolean)).toBe(false);
  });
});

describe("extractIndicators: defanged forms", () => {
  it("reads a typical French report with defanged indicators", () => {
    const text = `Bonjour, nous avons détecté des connexions sortantes vers le C2 malveillant[.]fr
      (IP 185.220.101[.]45) depuis le poste de l'accueil. Charge téléchargée depuis
      hxxp://cdn.malveillant[.]fr/payload/Update.exe, puis hXXps://evil(.)example[dot]com/a?b=1.
      Le courriel d'hameçonnage venait de facturation[@]fournisseur-faux[.]com.
      SHA-256 du fichier : E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855.`;
    expect(extractIndicators(text)).toEqual([
      { kind: "domain", value: "malveillant.fr" },
      { kind: "ip", value: "185.220.101.45" },
      { kind: "url", value: "http://cdn.malveillant.fr/payload/Update.exe" },
      { kind: "domain", value: "cdn.malveillant.fr" },
      { kind: "url", value: "https://evil.example.com/a?b=1" },
      { kind: "domain", value: "evil.example.com" },
      { kind: "email", value: "facturation@fournisseur-faux.com" },
      { kind: "hash", value: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
    ]);
  });

  it("understands [.] (.) [dot] [point] with or without spaces, and [@] [at] (at)", () => {
    expect(values("evil [.] com, bad(.)org, worse[dot]net, pire[point]fr", "domain")).toEqual([
      "evil.com",
      "bad.org",
      "worse.net",
      "pire.fr",
    ]);
    expect(values("a[@]b[.]fr ; c [at] d.com ; e(at)f.org", "email")).toEqual([
      "a@b.fr",
      "c@d.com",
      "e@f.org",
    ]);
  });

  it("refangs a defanged address, including 1.2.3[.]4", () => {
    expect(values("vers 1.2.3[.]4 et 5[.]6[.]7[.]8 puis 9.10.11.12", "ip")).toEqual([
      "1.2.3.4",
      "5.6.7.8",
      "9.10.11.12",
    ]);
  });

  it("accepts a defanged name under a file-like TLD, which only an indicator is", () => {
    expect(values("téléchargé depuis mise-a-jour[.]zip", "domain")).toEqual(["mise-a-jour.zip"]);
  });
});

describe("extractIndicators: normalisation", () => {
  it("lower-cases domains, e-mails and hashes, keeps the URL path as written", () => {
    expect(values("Voir HTTPS://EVIL.Example.COM/Path/To?X=Y et Admin@CHU-Exemple.FR")).toEqual([
      "url:https://evil.example.com/Path/To?X=Y",
      "domain:evil.example.com",
      "email:admin@chu-exemple.fr",
    ]);
  });

  it("strips trailing punctuation and unbalanced brackets from URLs", () => {
    expect(values("(cf. https://exemple.fr/page), puis https://exemple.org/a_(b).", "url")).toEqual([
      "https://exemple.fr/page",
      "https://exemple.org/a_(b)",
    ]);
    expect(values("« https://exemple.fr/x » !", "url")).toEqual(["https://exemple.fr/x"]);
  });

  it("removes duplicates, including a defanged and a plain spelling of the same value", () => {
    expect(values("evil[.]com, evil.com, EVIL.COM et encore evil(.)com.")).toEqual(["domain:evil.com"]);
  });

  it("writes IPv6 addresses canonically and unwraps IPv4-mapped ones", () => {
    expect(values("Sources : 2001:DB8:0:0:0:0:0:1, fe80::1 et ::ffff:198.51.100.7.", "ip")).toEqual([
      "2001:db8::1",
      "fe80::1",
      "198.51.100.7",
    ]);
  });

  it("takes the address of a URL written with an IP, and the MD5/SHA-1 digests", () => {
    expect(
      values(
        "http://203.0.113.9:8080/shell.php md5 d41d8cd98f00b204e9800998ecf8427e sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709",
      ),
    ).toEqual([
      "url:http://203.0.113.9:8080/shell.php",
      "ip:203.0.113.9",
      "hash:d41d8cd98f00b204e9800998ecf8427e",
      "hash:da39a3ee5e6b4b0d3255bfef95601890afd80709",
    ]);
  });
});

describe("extractIndicators: no false positives", () => {
  it("does not take version numbers for addresses or domains", () => {
    expect(
      extractIndicators(
        "Citrix NetScaler 13.1-49.15 vulnérable, PHP 7.2.4, version 10.0.19045.2965, firmware v4.2.1.8, build 7.2.4.1",
      ),
    ).toEqual([]);
  });

  it("does not take dates, times or amounts", () => {
    expect(
      extractIndicators("Le 12.03.2024 à 14:32:10, rançon de 1.500.000 € ; le 2024.03.12 ; ratio 3.5"),
    ).toEqual([]);
  });

  it("does not take file names for domains", () => {
    expect(
      extractIndicators(
        "Joint : rapport.pdf, capture.png, journal.log, facture.docx, readme.md, install.sh, sauvegarde.zip, script.py, Main.java",
      ),
    ).toEqual([]);
  });

  it("does not take a missing space after a full stop for a domain", () => {
    expect(
      extractIndicators("Les serveurs sont chiffrés.Il faut agir vite.La direction est prévenue."),
    ).toEqual([]);
  });

  it("does not take an e-mail's domain for a domain of its own, nor abbreviations", () => {
    expect(values("Écrire à soc@chu-exemple.fr, M.Dupont, etc. S.A.S. cf. p.ex.")).toEqual([
      "email:soc@chu-exemple.fr",
    ]);
  });

  it("does not take long numbers or uniform runs for hashes", () => {
    expect(extractIndicators(`n° ${"1".repeat(32)} et ${"0".repeat(40)}`)).toEqual([]);
  });

  it("does not take an invalid address or a leading-zero octet", () => {
    expect(values("300.1.2.3 et 01.02.03.04 et 1.2.3", "ip")).toEqual([]);
  });

  it("finds nothing in a plain French text", () => {
    expect(
      extractIndicators(
        "Le service des urgences fonctionne en mode dégradé depuis ce matin ; les équipes ont repris le papier.",
      ),
    ).toEqual([]);
  });
});

describe("indicatorTraits", () => {
  it("flags private, loopback and link-local addresses and internal hosts as internal", () => {
    for (const ip of [
      "10.1.2.3",
      "192.168.0.10",
      "172.16.5.4",
      "127.0.0.1",
      "169.254.1.1",
      "::1",
      "fd00::1",
      "fe80::1",
    ]) {
      expect(indicatorTraits("ip", ip).internal, ip).toBe(true);
    }
    expect(indicatorTraits("ip", "185.220.101.45").internal).toBe(false);
    expect(indicatorTraits("domain", "srv-ad01.chu.local").internal).toBe(true);
    expect(indicatorTraits("domain", "chu-exemple.fr").internal).toBe(false);
    expect(indicatorTraits("url", "http://10.0.0.5/admin").internal).toBe(true);
  });

  it("keeps internal addresses when extracting", () => {
    expect(values("Mouvement latéral depuis 192.168.10.25 vers \\\\srv-fichiers.chu.local\\partage")).toEqual(
      ["ip:192.168.10.25", "domain:srv-fichiers.chu.local"],
    );
  });

  it("names the hash algorithm by its length", () => {
    expect(indicatorTraits("hash", "d41d8cd98f00b204e9800998ecf8427e").hashType).toBe("md5");
    expect(indicatorTraits("hash", "da39a3ee5e6b4b0d3255bfef95601890afd80709").hashType).toBe("sha1");
    expect(indicatorTraits("hash", "a".repeat(64)).hashType).toBe("sha256");
  });
});

describe("normaliseIndicator", () => {
  it("accepts and normalises valid values of each kind, defanged too", () => {
    expect(normaliseIndicator("ip", " 185.220.101[.]45 ")).toEqual({ ok: true, value: "185.220.101.45" });
    expect(normaliseIndicator("ip", "2001:DB8::0:1")).toEqual({ ok: true, value: "2001:db8::1" });
    expect(normaliseIndicator("domain", "Evil[.]Example.COM")).toEqual({
      ok: true,
      value: "evil.example.com",
    });
    expect(normaliseIndicator("url", "hxxps://Evil.com/X")).toEqual({
      ok: true,
      value: "https://evil.com/X",
    });
    expect(normaliseIndicator("email", "A[@]B.fr")).toEqual({ ok: true, value: "a@b.fr" });
    expect(normaliseIndicator("hash", "D41D8CD98F00B204E9800998ECF8427E")).toEqual({
      ok: true,
      value: "d41d8cd98f00b204e9800998ecf8427e",
    });
  });

  it("refuses invalid values with a French message", () => {
    for (const [kind, value] of [
      ["ip", "999.1.1.1"],
      ["ip", "exemple.fr"],
      ["domain", "rapport.pdf"],
      ["domain", "7.2.4"],
      ["url", "exemple.fr/page"],
      ["email", "pas-une-adresse"],
      ["hash", "abc123"],
    ] as const) {
      const result = normaliseIndicator(kind, value);
      expect(result.ok, `${kind} ${value}`).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/invalide/);
    }
  });
});
