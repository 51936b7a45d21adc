export * from "./access/policy.ts";
export * from "./audit/record-audit.ts";
export * from "./audit/verify-audit-chain.ts";
export * from "./auth/passwords.ts";
export * from "./auth/resolve-api-token.ts";
export * from "./auth/resolve-session.ts";
export * from "./auth/secrets.ts";
export * from "./directory/finess.ts";
