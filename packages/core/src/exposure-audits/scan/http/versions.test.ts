import { describe, expect, it } from "vitest";
import { normaliseProduct } from "../../../watch/matching/cpe.ts";
import {
  cleanVersion,
  dedupeProducts,
  metaGenerators,
  parseGenerator,
  parseServerBanner,
  productsOfAnswer,
} from "./versions.ts";

const pick = (products: { vendor?: string; product: string; version?: string }[]) =>
  products.map((p) => [p.vendor, p.product, p.version]);

describe("HTTP banners → products named as NVD names them", () => {
  it("reads nginx, Apache with its modules, IIS, PHP, Tomcat and Jetty", () => {
    expect(pick(parseServerBanner("nginx/1.22.1", "Server"))).toEqual([["f5", "nginx", "1.22.1"]]);
    expect(pick(parseServerBanner("Apache/2.4.57 (Debian) OpenSSL/3.0.11 PHP/8.2.7", "Server"))).toEqual([
      ["apache", "http_server", "2.4.57"],
      ["openssl", "openssl", "3.0.11"],
      ["php", "php", "8.2.7"],
    ]);
    expect(pick(parseServerBanner("Microsoft-IIS/10.0", "Server"))).toEqual([
      ["microsoft", "internet_information_services", "10.0"],
    ]);
    expect(pick(parseServerBanner("PHP/8.1.2-1ubuntu2.14", "X-Powered-By"))).toEqual([
      ["php", "php", "8.1.2"],
    ]);
    expect(pick(parseServerBanner("Apache Tomcat/9.0.31", "page d'erreur"))).toEqual([
      ["apache", "tomcat", "9.0.31"],
    ]);
    expect(pick(parseServerBanner("Apache-Coyote/1.1", "Server"))).toEqual([["apache", "tomcat", undefined]]);
    expect(pick(parseServerBanner("Jetty(9.4.44.v20210927)", "Server"))).toEqual([
      ["eclipse", "jetty", "9.4.44"],
    ]);
    expect(pick(parseServerBanner("OpenSSL/1.1.1k", "Server"))).toEqual([["openssl", "openssl", "1.1.1k"]]);
  });

  it("keeps a bare known name without version and ignores specifications", () => {
    expect(pick(parseServerBanner("nginx", "Server"))).toEqual([["f5", "nginx", undefined]]);
    expect(pick(parseServerBanner("Servlet/4.0 JSP/2.3 (JBoss-EAP/7)", "X-Powered-By"))).toEqual([]);
    expect(parseServerBanner("cloudflare", "Server")).toEqual([]);
  });

  it("builds a CPE the watch's normalisation reads back to the same vendor and product", () => {
    const [nginx] = parseServerBanner("nginx/1.22.1", "Server");
    expect(nginx?.cpe).toBe("cpe:2.3:a:f5:nginx:1.22.1:*:*:*:*:*:*:*");
    expect(normaliseProduct(nginx?.vendor, nginx?.product, nginx?.cpe)).toEqual({
      matchVendor: "f5",
      matchProduct: "nginx",
    });
    const [joomla] = parseGenerator("Joomla! - Open Source Content Management", "meta");
    expect(joomla?.cpe).toBe("cpe:2.3:a:joomla:joomla\\!:*:*:*:*:*:*:*:*");
  });

  it("reads generators from headers and HTML, in either attribute order", () => {
    expect(
      metaGenerators(
        '<meta content="WordPress 6.4.2" name="generator"><meta name=generator content=\'Hugo 0.111.3\'>',
      ),
    ).toEqual(["WordPress 6.4.2", "Hugo 0.111.3"]);
    expect(pick(parseGenerator("Drupal 10 (https://www.drupal.org)", "X-Generator"))).toEqual([
      ["drupal", "drupal", "10"],
    ]);
    const products = productsOfAnswer(
      {
        server: "Microsoft-IIS/8.5",
        "x-powered-by": "ASP.NET",
        "x-aspnet-version": "4.0.30319",
        "content-type": "text/html; charset=utf-8",
      },
      '<html><head><meta name="generator" content="WordPress 6.4.2" /></head></html>',
    );
    expect(pick(products)).toEqual([
      ["microsoft", "internet_information_services", "8.5"],
      ["microsoft", "asp.net", undefined],
      ["microsoft", ".net_framework", "4.0.30319"],
      ["wordpress", "wordpress", "6.4.2"],
    ]);
  });

  it("reads the signature of default error pages", () => {
    const products = productsOfAnswer(
      { "content-type": "text/html" },
      "<html><body><center><h1>404 Not Found</h1></center><hr><center>nginx/1.18.0</center></body></html>",
    );
    expect(pick(products)).toEqual([["f5", "nginx", "1.18.0"]]);
    const apache = productsOfAnswer(
      { "content-type": "text/html" },
      "<address>Apache/2.4.41 (Ubuntu) Server at www.example.fr Port 80</address>",
    );
    expect(pick(apache)).toEqual([["apache", "http_server", "2.4.41"]]);
  });

  it("keeps one entry per product, the versioned one over the bare name", () => {
    const all = [
      ...parseServerBanner("nginx", "Server"),
      ...parseServerBanner("nginx/1.22.1", "page d'erreur"),
      ...parseServerBanner("nginx/1.22.1", "Server"),
    ];
    expect(pick(dedupeProducts(all))).toEqual([["f5", "nginx", "1.22.1"]]);
    expect(cleanVersion("v2.426.1")).toBe("2.426.1");
    expect(cleanVersion("abc")).toBeUndefined();
  });
});
