/**
 * The two nginx test sites: what each one serves and its configuration. `weak` shows every
 * problem the HTTP probe looks for; `hardened` serves the same kind of content the right way.
 */

export type NginxProfile = "weak" | "hardened";

export interface SiteLayout {
  /** Files of the web root: path relative to the root → content. */
  files: Record<string, string | Buffer>;
}

const page = (title: string, body: string, head = "") =>
  `<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>${title}</title>${head}</head><body>${body}</body></html>\n`;

/** A fake phpMyAdmin login page (the markers of the real one, nothing else). */
export const FAKE_PHPMYADMIN = page(
  "phpMyAdmin",
  `<div id="page_content"><form method="post" id="login_form" name="login_form" action="index.php" class="disableAjax login">
<fieldset><legend>Connexion</legend>
<input type="text" name="pma_username" id="input_username" value="">
<input type="password" name="pma_password" id="input_password" value="">
</fieldset><input value="Exécuter" type="submit" id="input_go"></form></div>`,
  '<link rel="stylesheet" type="text/css" href="./themes/pmahomme/css/theme.css"><script>var PMA_commonParams = {};</script>',
);

const dump = `-- MySQL dump 10.13  Distrib 8.0.35, for Linux (x86_64)
--
-- Host: localhost    Database: patients
-- ------------------------------------------------------
CREATE TABLE \`rendez_vous\` (\`id\` int NOT NULL, \`nom\` varchar(80));
INSERT INTO \`rendez_vous\` VALUES (1,'Exemple');
`;

export function siteLayout(profile: NginxProfile, now: Date): SiteLayout {
  const expires = new Date(now.getTime() + 180 * 86_400_000).toISOString();
  const common: Record<string, string | Buffer> = {
    ".git/HEAD": "ref: refs/heads/main\n",
    ".git/config": "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n",
    ".env": "APP_ENV=production\nDB_HOST=localhost\nDB_PASSWORD=motdepasse-de-test\n",
    "backup.sql": dump,
    "files/compte-rendu.txt": "compte rendu\n",
    "files/export.csv": "a;b\n",
  };
  if (profile === "weak") {
    return {
      files: {
        ...common,
        "index.html": page(
          "Centre hospitalier de test",
          "<h1>Bienvenue</h1>",
          '<meta name="generator" content="WordPress 6.4.2">',
        ),
        "phpmyadmin/index.html": FAKE_PHPMYADMIN,
      },
    };
  }
  return {
    files: {
      ...common,
      "index.html": page("Centre hospitalier de test", "<h1>Bienvenue</h1>"),
      ".well-known/security.txt": `Contact: mailto:securite@hopital.test\nExpires: ${expires}\nPreferred-Languages: fr, en\nCanonical: https://hopital.test/.well-known/security.txt\n`,
    },
  };
}

export interface ConfigPaths {
  dir: string;
  root: string;
  host: string;
  httpPort: number;
  httpsPort: number;
  cert: string;
  key: string;
}

const listenHost = (host: string) => (host.includes(":") ? `[${host}]` : host);

function head(p: ConfigPaths): string {
  return `user root;
worker_processes 1;
pid ${p.dir}/nginx.pid;
error_log ${p.dir}/error.log warn;
events { worker_connections 256; }
http {
  types {
    text/html html;
    text/plain txt;
    text/css css;
    text/csv csv;
    application/sql sql;
    application/zip zip;
  }
  default_type application/octet-stream;
  log_format vigie '$remote_addr "$request" $status "$http_user_agent" "$http_host"';
  access_log ${p.dir}/access.log vigie;
  client_body_temp_path ${p.dir}/tmp/body;
  proxy_temp_path ${p.dir}/tmp/proxy;
  fastcgi_temp_path ${p.dir}/tmp/fastcgi;
  uwsgi_temp_path ${p.dir}/tmp/uwsgi;
  scgi_temp_path ${p.dir}/tmp/scgi;
  ssl_certificate ${p.cert};
  ssl_certificate_key ${p.key};
`;
}

/** nginx.conf of the profile. */
export function nginxConfig(profile: NginxProfile, p: ConfigPaths): string {
  const h = listenHost(p.host);
  if (profile === "weak") {
    const site = `
    root ${p.root};
    index index.html;
    server_tokens on;
    location /files/ { autoindex on; }
`;
    return `${head(p)}
  server {
    listen ${h}:${p.httpPort};
    server_name _;
${site}  }
  server {
    listen ${h}:${p.httpsPort} ssl;
    server_name _;
${site}  }
}
`;
  }
  return `${head(p)}
  server_tokens off;
  server {
    listen ${h}:${p.httpPort};
    server_name _;
    return 301 https://$host:${p.httpsPort}$request_uri;
  }
  server {
    listen ${h}:${p.httpsPort} ssl;
    server_name _;
    root ${p.root};
    index index.html;
    autoindex off;
    add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;
    add_header Content-Security-Policy "default-src 'self'; object-src 'none'; frame-ancestors 'none'" always;
    add_header X-Frame-Options "DENY" always;
    add_header X-Content-Type-Options "nosniff" always;
    add_header Referrer-Policy "strict-origin-when-cross-origin" always;
    location ^~ /.well-known/ { default_type text/plain; }
    location ~ /\\. { return 404; }
    location ~* \\.(sql|bak|zip|tar\\.gz|env)$ { return 404; }
  }
}
`;
}
