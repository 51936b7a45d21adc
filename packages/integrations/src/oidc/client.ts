import * as oidc from "openid-client";

/** The provider a deployment signs in with (from the OIDC_* configuration). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
}

/** What the browser is sent to, and what must be kept to check the answer. */
export interface OidcAuthorization {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The checks kept from `authorizationRequest`. */
export interface OidcChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** Who signed in, from the validated ID token (completed by userinfo when the e-mail is missing). */
export interface OidcSignedIn {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  fullName: string | null;
  amr: string[];
  acr: string | null;
}

/** How long the discovered provider metadata (and its keys) are reused. */
const DISCOVERY_TTL_MS = 60 * 60_000;
const discovered = new Map<string, { config: Promise<oidc.Configuration>; at: number }>();

function isLoopback(url: URL): boolean {
  return ["127.0.0.1", "localhost", "[::1]", "::1"].includes(url.hostname);
}

/**
 * The provider's configuration, discovered once and cached for an hour (a failed discovery is
 * not cached, so the next sign-in retries). Plain HTTP is accepted for loopback issuers only
 * (local test providers); anything else must be HTTPS.
 */
export function discoverProvider(settings: OidcSettings, now = Date.now()): Promise<oidc.Configuration> {
  const key = `${settings.issuer}|${settings.clientId}`;
  const cached = discovered.get(key);
  if (cached && now - cached.at < DISCOVERY_TTL_MS) return cached.config;
  const issuer = new URL(settings.issuer);
  const insecure = issuer.protocol === "http:" && isLoopback(issuer);
  const config = oidc.discovery(issuer, settings.clientId, settings.clientSecret, undefined, {
    ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
    timeout: 10,
  });
  discovered.set(key, { config, at: now });
  config.catch(() => {
    if (discovered.get(key)?.config === config) discovered.delete(key);
  });
  return config;
}

/** Forgets every discovered configuration (tests restarting a provider on a new port). */
export function clearOidcDiscoveryCache(): void {
  discovered.clear();
}

/** Builds the authorization request: code flow with PKCE (S256), state and nonce. */
export async function authorizationRequest(
  settings: OidcSettings,
  redirectUri: string,
): Promise<OidcAuthorization> {
  const config = await discoverProvider(settings);
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: settings.scopes,
    response_type: "code",
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  return { url: url.href, state, nonce, codeVerifier };
}

function claimString(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

/**
 * Validates the provider's answer at `callbackUrl` (the public callback URL with its query:
 * its origin and path are sent back as redirect_uri), exchanges the code and checks the ID
 * token (signature, issuer, audience, nonce, expiry). Throws on any failure.
 */
export async function completeAuthorization(
  settings: OidcSettings,
  callbackUrl: URL,
  checks: OidcChecks,
): Promise<OidcSignedIn> {
  const config = await discoverProvider(settings);
  const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: checks.codeVerifier,
    expectedState: checks.state,
    expectedNonce: checks.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) throw new Error("réponse sans jeton d'identité");
  let profile: Record<string, unknown> = { ...claims };
  if (!claimString(claims.email) && config.serverMetadata().userinfo_endpoint) {
    // Some providers (Pro Santé Connect among them) put the e-mail in userinfo only.
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    profile = { ...info, ...claims, email: info.email, email_verified: info.email_verified };
  }
  const given = claimString(profile.given_name);
  const family = claimString(profile.family_name);
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === "string") : [];
  return {
    issuer: claims.iss,
    subject: claims.sub,
    email: claimString(profile.email),
    emailVerified: profile.email_verified === true || profile.email_verified === "true",
    fullName: claimString(profile.name) ?? ([given, family].filter(Boolean).join(" ") || null),
    amr,
    acr: claimString(claims.acr),
  };
}
