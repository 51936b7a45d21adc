import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";

/** An identity the test provider can sign in. */
export interface TestOidcAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/** How the next sign-in at the provider goes: who, and with which `amr` / `acr`. */
export interface TestOidcLogin {
  sub: string;
  amr?: string[];
  acr?: string;
}

/** A running OpenID Connect provider on 127.0.0.1 whose interactions approve automatically. */
export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, TestOidcAccount>;
  /** Who signs in at the next authorization request; null makes the provider deny access. */
  nextLogin: TestOidcLogin | null;
  /**
   * Plays the browser from the authorization URL: follows the provider's redirects (keeping
   * its cookies) until it redirects to the client, and returns that callback URL.
   */
  authorize(authorizationUrl: string): Promise<URL>;
  close(): Promise<void>;
}

/**
 * Starts a real `oidc-provider` (authorization code + PKCE, signed ID tokens, userinfo) on
 * 127.0.0.1 and an ephemeral port, with one confidential client for `redirectUri`. Login and
 * consent need no form: the interaction endpoint signs in `nextLogin` and grants what the
 * client asked. With `conformIdTokenClaims` (the default, as many providers do) the e-mail is
 * only in userinfo; without it, it is in the ID token too. For tests only.
 */
export async function startTestOidcProvider(options: {
  redirectUri: string;
  conformIdTokenClaims?: boolean;
}): Promise<TestOidcProvider> {
  const clientId = "vigie-test";
  const clientSecret = randomBytes(24).toString("base64url");
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: "RS256", use: "sig", kid: "test" };

  const accounts = new Map<string, TestOidcAccount>();
  let server: Server | null = null;
  const handle: TestOidcProvider = {
    issuer: "",
    clientId,
    clientSecret,
    accounts,
    nextLogin: null,
    authorize: (url) => followToClient(url, options.redirectUri),
    close: () =>
      new Promise<void>((resolve) => {
        server?.closeAllConnections();
        server?.close(() => resolve());
      }),
  };

  server = createServer();
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string")
    throw new Error("adresse du fournisseur OIDC de test inconnue");
  handle.issuer = `http://127.0.0.1:${address.port}`;

  const provider = new Provider(handle.issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(16).toString("hex")] },
    // acr and amr ride with the openid scope, so every ID token carries them, as identity
    // providers such as Pro Santé Connect do (oidc-provider would otherwise wait for a
    // `claims` request parameter).
    acrValues: ["eidas1", "eidas2", "eidas3"],
    claims: {
      openid: ["sub", "acr", "amr", "auth_time"],
      email: ["email", "email_verified"],
      profile: ["name"],
    },
    conformIdTokenClaims: options.conformIdTokenClaims ?? true,
    features: { devInteractions: { enabled: false } },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 3600,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx: unknown, sub: string) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ ...account }) };
    },
  });
  const callback = provider.callback();

  server.on("request", (req, res) => {
    if (!req.url?.startsWith("/interaction/")) {
      callback(req, res);
      return;
    }
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === "login") {
        const login = handle.nextLogin;
        const result = login
          ? {
              login: {
                accountId: login.sub,
                ...(login.amr ? { amr: login.amr } : {}),
                ...(login.acr ? { acr: login.acr } : {}),
              },
            }
          : { error: "access_denied", error_description: "refusé par le test" };
        await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
        return;
      }
      // Consent: grant every scope and claim the client asked for.
      const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
      const grant = existing ?? new provider.Grant({ accountId: details.session?.accountId ?? "", clientId });
      const missingScope = details.prompt.details.missingOIDCScope;
      if (Array.isArray(missingScope)) grant.addOIDCScope(missingScope.join(" "));
      const missingClaims = details.prompt.details.missingOIDCClaims;
      if (Array.isArray(missingClaims)) grant.addOIDCClaims(missingClaims as string[]);
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId: await grant.save() } },
        { mergeWithLastSubmission: true },
      );
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  return handle;
}

/** Follows redirects like a browser (cookies kept per name) until one points at the client. */
async function followToClient(start: string, redirectUri: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = new URL(start);
  for (let hop = 0; hop < 20; hop++) {
    if (url.href.startsWith(redirectUri)) return url;
    const response = await fetch(url, {
      redirect: "manual",
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = header.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some(
        (a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a) || /^\s*max-age=0/i.test(a),
      );
      if (expired || value === "") jar.delete(name);
      else jar.set(name, value);
    }
    const location = response.headers.get("location");
    if (!location) {
      throw new Error(
        `le fournisseur OIDC de test n'a pas redirigé (${response.status}) : ${await response.text()}`,
      );
    }
    url = new URL(location, url);
  }
  throw new Error("trop de redirections chez le fournisseur OIDC de test");
}
