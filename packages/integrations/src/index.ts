// Test helpers (test SMTP server, test OIDC provider) are imported by path, never from here:
// they pull devDependencies.
export * from "./feeds/fetch-feed.ts";
export * from "./http/post-json.ts";
export * from "./mail/smtp-transport.ts";
export * from "./oidc/client.ts";
