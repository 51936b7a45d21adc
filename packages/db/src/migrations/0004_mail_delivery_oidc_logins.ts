import { type Kysely, sql } from "kysely";

/**
 * Mail delivery bookkeeping (retry backoff, a claim so two workers never send the same
 * message) and the pending OpenID Connect sign-ins (state, nonce and PKCE verifier kept
 * server-side, bound to the browser by a cookie holding a random key).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table mail_outbox add column next_attempt_at timestamptz;
    alter table mail_outbox add column claimed_until timestamptz;
    create index mail_outbox_created_idx on mail_outbox(created_at desc);
    create index email_tokens_user_idx on email_tokens(user_id, purpose);
    create table oidc_login_attempts (
      key_hash text primary key,
      state text not null,
      nonce text not null,
      code_verifier text not null,
      created_at timestamptz not null,
      expires_at timestamptz not null
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table oidc_login_attempts;
    drop index email_tokens_user_idx;
    drop index mail_outbox_created_idx;
    alter table mail_outbox drop column claimed_until;
    alter table mail_outbox drop column next_attempt_at;
  `.execute(db);
}
