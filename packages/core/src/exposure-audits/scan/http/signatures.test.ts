import { describe, expect, it } from "vitest";
import { listingKind } from "./directory-listing.ts";
import { frameAncestors, hstsMaxAge, securityHeaderFindings } from "./headers.ts";
import { parseSecurityTxt } from "./security-txt.ts";
import {
  dsStoreSignature,
  envSignature,
  gitConfigSignature,
  gitHeadSignature,
  htpasswdSignature,
  sqlDumpSignature,
  svnEntriesSignature,
  webConfigSignature,
  zipSignature,
} from "./sensitive-files.ts";

const soft404 =
  "<!DOCTYPE html><html><head><title>Page introuvable</title></head><body>ref: refs/heads/main DB_PASSWORD=x</body></html>";

describe("sensitive file signatures", () => {
  it("recognise the real files", () => {
    expect(gitHeadSignature("ref: refs/heads/main\n")).toContain("refs/heads/main");
    expect(gitHeadSignature("3f786850e387550fdab836ed7e6dc881de23001b\n")).not.toBeNull();
    expect(gitConfigSignature("[core]\n\trepositoryformatversion = 0\n")).not.toBeNull();
    const env = envSignature("# app\nAPP_KEY=base64:abc\nDB_PASSWORD=secret\nexport MAIL_HOST=smtp\n");
    expect(env).toContain("DB_PASSWORD");
    expect(env).not.toContain("secret");
    expect(svnEntriesSignature("12\n")).not.toBeNull();
    expect(dsStoreSignature(Buffer.from([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31, 0, 0]))).not.toBeNull();
    expect(zipSignature(Buffer.from("PK\u0003\u0004rest", "latin1"))).not.toBeNull();
    expect(sqlDumpSignature("-- MySQL dump 10.13  Distrib 8.0.35\nCREATE TABLE t (id int);\n")).toContain(
      "MySQL dump",
    );
    expect(sqlDumpSignature("-- PostgreSQL database dump\n")).not.toBeNull();
    expect(sqlDumpSignature("CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\n")).not.toBeNull();
    expect(
      webConfigSignature('<?xml version="1.0"?>\n<configuration><appSettings/></configuration>'),
    ).not.toBeNull();
    const htpasswd = htpasswdSignature("admin:$apr1$abc$def\nbob:{SHA}xyz=\n");
    expect(htpasswd).toContain("2 compte");
  });

  it("reject HTML pages and look-alikes", () => {
    expect(gitHeadSignature(soft404)).toBeNull();
    expect(gitConfigSignature(soft404)).toBeNull();
    expect(envSignature(soft404)).toBeNull();
    expect(envSignature("Bonjour\nCeci est un texte\nA=1\n")).toBeNull();
    expect(svnEntriesSignature(soft404)).toBeNull();
    expect(zipSignature(Buffer.from(soft404))).toBeNull();
    expect(sqlDumpSignature(`${soft404}\nCREATE TABLE x;\nINSERT INTO x;`)).toBeNull();
    expect(webConfigSignature(soft404)).toBeNull();
    expect(htpasswdSignature(soft404)).toBeNull();
    expect(htpasswdSignature("")).toBeNull();
  });
});

describe("directory listing pages", () => {
  it("recognise nginx, Apache, IIS and Python listings, not ordinary pages", () => {
    expect(
      listingKind(
        '<html><head><title>Index of /files/</title></head><body><h1>Index of /files/</h1><hr><pre><a href="../">../</a>',
      ),
    ).toBe("nginx autoindex");
    expect(
      listingKind(
        '<title>Index of /</title><h1>Index of /</h1><a href="/">Parent Directory</a><address>Apache/2.4</address>',
      ),
    ).toBe("Apache mod_autoindex");
    expect(listingKind('<pre><A HREF="/">[To Parent Directory]</A><br>')).toBe("IIS");
    expect(listingKind("<title>Directory listing for /</title>")).toBe("Python http.server");
    expect(listingKind("<title>Accueil</title><h1>Index of our services</h1>")).toBeNull();
  });
});

describe("security headers", () => {
  const origin = { ip: "127.0.0.1", port: 443, tls: true };
  const checks = (headers: Record<string, string>, tls = true) =>
    securityHeaderFindings({ ...origin, tls }, headers, "/")
      .map((f) => f.check)
      .sort();

  it("reports each missing header, HSTS only on HTTPS", () => {
    expect(checks({})).toEqual([
      "http.header.content_type_options",
      "http.header.csp",
      "http.header.frame_options",
      "http.header.hsts",
      "http.header.referrer_policy",
    ]);
    expect(checks({}, false)).not.toContain("http.header.hsts");
  });

  it("accepts a complete set, frame-ancestors in place of X-Frame-Options, and flags a short HSTS", () => {
    const full = {
      "strict-transport-security": "max-age=31536000; includeSubDomains",
      "content-security-policy": "default-src 'self'; frame-ancestors 'none'",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    };
    expect(checks(full)).toEqual([]);
    expect(checks({ ...full, "strict-transport-security": "max-age=3600" })).toEqual([
      "http.header.hsts_short",
    ]);
    expect(hstsMaxAge("includeSubDomains; max-age=600")).toBe(600);
    expect(frameAncestors("default-src 'self'")).toBeNull();
  });
});

describe("security.txt (RFC 9116)", () => {
  const now = new Date("2026-06-01T00:00:00Z");
  it("accepts Contact and a future Expires, signed or not", () => {
    expect(
      parseSecurityTxt("Contact: mailto:secu@ch.test\nExpires: 2026-12-31T23:00:00.000Z\n", now).problems,
    ).toEqual([]);
    const signed = `-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nContact: https://ch.test/secu\nExpires: 2027-01-01T00:00:00Z\n-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----\n`;
    expect(parseSecurityTxt(signed, now).problems).toEqual([]);
  });

  it("names what is missing or wrong", () => {
    expect(parseSecurityTxt("Expires: 2026-12-31T23:00:00Z\n", now).problems).toEqual([
      "aucun champ Contact",
    ]);
    expect(parseSecurityTxt("Contact: mailto:a@b.test\n", now).problems).toEqual(["aucun champ Expires"]);
    expect(
      parseSecurityTxt("Contact: mailto:a@b.test\nExpires: 2025-01-01T00:00:00Z\n", now).problems[0],
    ).toMatch(/Expires est passé/);
    expect(parseSecurityTxt("Contact: a@b.test\nExpires: demain\n", now).problems).toHaveLength(2);
  });
});
