import { createInterface } from "node:readline/promises";
import {
  AppError,
  authorityLabels,
  CreateUserRequest,
  type FieldIssue,
  isPrivilegedRole,
  type Role,
  RoleSchema,
  roleLabels,
  roles,
} from "@vigie/contracts";
import {
  type ChangedBy,
  createAccount,
  findAccountByEmail,
  listAccounts,
  randomToken,
  resetAccountMfa,
  type UserViewData,
  updateAccount,
} from "@vigie/core";
import type { Command } from "commander";
import { withDatabase } from "../context.ts";

/** How the command line appears in the audit log: no signed-in actor, an operator at the console. */
const CLI: ChangedBy = { actor: null, actorLabel: "ligne de commande" };

/** The command-line option behind each field of the use cases, so errors name what was typed. */
const OPTION_OF_FIELD: Record<string, string> = {
  email: "--email",
  fullName: "--nom",
  jobTitle: "--fonction",
  phone: "--telephone",
  role: "--role",
  regionCode: "--region",
  authority: "--autorite",
  finess: "--finess",
  password: "--mot-de-passe",
};

function optionName(field: string): string {
  const [head, ...rest] = field.split(/(?=\[)/);
  return `${OPTION_OF_FIELD[head ?? ""] ?? head}${rest.join("")}`;
}

/** Rewrites an error's field names as the options the operator typed. */
function withOptionNames(error: unknown): unknown {
  if (!(error instanceof AppError) || !error.fields) return error;
  return new AppError(error.code, {
    message: error.message,
    details: error.details,
    fields: error.fields.map((f) => ({ ...f, field: optionName(f.field) })),
  });
}

async function askHidden(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // readline has no option to hide what is typed: silence its echo once the question is shown.
  const internals = rl as unknown as { _writeToOutput(text: string): void };
  let muted = false;
  internals._writeToOutput = (text) => {
    if (!muted) process.stdout.write(text);
  };
  try {
    const answer = rl.question(question);
    muted = true;
    return await answer;
  } finally {
    rl.close();
    process.stdout.write("\n");
  }
}

/**
 * The password of a new account: the option, else typed twice on a terminal (empty to let
 * Vigie draw one), else drawn at random. Drawn passwords are printed once.
 */
async function choosePassword(given: string | undefined): Promise<{ password: string; generated: boolean }> {
  if (given !== undefined) return { password: given, generated: false };
  if (process.stdin.isTTY) {
    const first = await askHidden("Mot de passe (laisser vide pour en générer un) : ");
    if (first !== "") {
      const second = await askHidden("Confirmez le mot de passe : ");
      if (first !== second) {
        throw new AppError("VALIDATION_FAILED", {
          message: "Les deux saisies du mot de passe diffèrent.",
          fields: [{ field: "password", message: "Les deux saisies diffèrent." }],
        });
      }
      return { password: first, generated: false };
    }
  }
  // 24 characters from 144 random bits: meets every role's policy.
  return { password: randomToken(18), generated: true };
}

function scopeOf(user: UserViewData): string {
  if (user.role === "ars") return `région ${user.regionCode ?? "?"}`;
  if (user.role === "authority") return user.authority ? authorityLabels[user.authority] : "";
  if (user.role === "declarant") return user.structures.map((s) => s.finessEt).join(", ");
  return "";
}

function stateOf(user: UserViewData, now: Date): string {
  if (user.disabled) return "désactivé";
  if (user.lockedUntil && new Date(user.lockedUntil) > now) return "verrouillé";
  if (!user.emailVerified) return "adresse non vérifiée";
  return "actif";
}

/** Prints rows as aligned columns under a header. */
function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(row));
}

interface CreateOptions {
  email?: string;
  nom?: string;
  role?: string;
  fonction?: string;
  telephone?: string;
  region?: string;
  autorite?: string;
  finess?: string[];
  motDePasse?: string;
}

/** `vigie user …`: create, list, disable, enable accounts and reset their MFA. */
export function registerUser(program: Command): void {
  const user = program
    .command("user")
    .description("Gestion des comptes : création, liste, désactivation, MFA");

  user
    .command("create")
    .description("Crée un compte (adresse considérée comme vérifiée)")
    .option("--email <adresse>", "adresse électronique")
    .option("--nom <nom>", "nom complet")
    .option("--role <rôle>", `rôle : ${roles.join(", ")}`)
    .option("--fonction <fonction>", "fonction (ex. RSSI)")
    .option("--telephone <téléphone>", "téléphone")
    .option("--region <code>", "code INSEE de la région (compte ARS, ex. 84)")
    .option(
      "--autorite <autorité>",
      "autorité nationale (compte authority) : anssi, fssi, dgs_corruss, health_agency",
    )
    .option("--finess <numéros...>", "numéros FINESS des structures du déclarant")
    .option(
      "--mot-de-passe <mot de passe>",
      "mot de passe (sinon saisi au terminal, ou généré et affiché une fois) — 12 caractères au moins pour un déclarant, 16 pour les autres rôles",
    )
    .action((options: CreateOptions) =>
      withDatabase(async ({ database }) => {
        try {
          // Checked here rather than by commander, whose messages are in English.
          const missing = (["email", "nom", "role"] as const).filter((k) => !options[k]);
          if (missing.length > 0) {
            throw new AppError("VALIDATION_FAILED", {
              message: `Option${missing.length > 1 ? "s" : ""} obligatoire${missing.length > 1 ? "s" : ""} manquante${missing.length > 1 ? "s" : ""} : ${missing.map((k) => `--${k}`).join(", ")}.`,
            });
          }
          const { password, generated } = await choosePassword(options.motDePasse);
          const parsed = CreateUserRequest.safeParse({
            email: options.email,
            fullName: options.nom,
            jobTitle: options.fonction,
            phone: options.telephone,
            role: options.role,
            regionCode: options.region,
            authority: options.autorite,
            finess: options.finess ?? [],
            password,
          });
          if (!parsed.success) {
            const fields: FieldIssue[] = parsed.error.issues.map((issue) => ({
              field: issue.path.map((p) => (typeof p === "number" ? `[${p}]` : String(p))).join(""),
              message: issue.message,
            }));
            throw new AppError("VALIDATION_FAILED", { fields });
          }
          const created = await createAccount(database.db, parsed.data, CLI, new Date());
          console.log(`Compte créé : ${created.email} — ${roleLabels[created.role]} (${created.id})`);
          const scope = scopeOf(created);
          if (scope) console.log(`Périmètre : ${scope}`);
          if (generated) console.log(`Mot de passe généré (affiché une seule fois) : ${password}`);
          if (isPrivilegedRole(created.role)) {
            console.log("La double authentification sera à activer lors de la première connexion.");
          }
        } catch (error) {
          throw withOptionNames(error);
        }
      }),
    );

  user
    .command("list")
    .description("Liste les comptes")
    .option("--role <rôle>", `seulement ce rôle : ${roles.join(", ")}`)
    .option("--recherche <texte>", "texte cherché dans l'adresse ou le nom")
    .action((options: { role?: string; recherche?: string }) =>
      withDatabase(async ({ database }) => {
        let role: Role | undefined;
        if (options.role !== undefined) {
          const parsed = RoleSchema.safeParse(options.role);
          if (!parsed.success) {
            throw new AppError("VALIDATION_FAILED", {
              message: `Option --role invalide (« ${options.role} ») : ${roles.join(", ")} attendu.`,
            });
          }
          role = parsed.data;
        }
        const users: UserViewData[] = [];
        for (let page = 1; ; page++) {
          const result = await listAccounts(database.db, { role, q: options.recherche, page, pageSize: 100 });
          users.push(...result.items);
          if (users.length >= result.total || result.items.length === 0) break;
        }
        if (users.length === 0) {
          console.log("Aucun compte.");
          return;
        }
        const now = new Date();
        printTable(
          ["Adresse", "Nom", "Rôle", "Périmètre", "2FA", "État", "Dernière connexion"],
          users.map((u) => [
            u.email,
            u.fullName,
            roleLabels[u.role],
            scopeOf(u),
            u.mfaEnabled ? "oui" : "non",
            stateOf(u, now),
            u.lastLoginAt ? u.lastLoginAt.slice(0, 16).replace("T", " ") : "jamais",
          ]),
        );
        console.log(`${users.length} compte${users.length > 1 ? "s" : ""}.`);
      }),
    );

  user
    .command("disable")
    .description("Désactive un compte et ferme ses sessions")
    .argument("<email>", "adresse électronique du compte")
    .action((email: string) =>
      withDatabase(async ({ database }) => {
        const account = await findAccountByEmail(database.db, email);
        await updateAccount(database.db, account.id, { disabled: true }, CLI, new Date());
        console.log(`Compte désactivé : ${account.email} (sessions fermées).`);
      }),
    );

  user
    .command("enable")
    .description("Réactive un compte (et lève un éventuel verrouillage après échecs de connexion)")
    .argument("<email>", "adresse électronique du compte")
    .action((email: string) =>
      withDatabase(async ({ database }) => {
        const account = await findAccountByEmail(database.db, email);
        await updateAccount(database.db, account.id, { disabled: false }, CLI, new Date());
        console.log(`Compte réactivé : ${account.email}.`);
      }),
    );

  user
    .command("reset-mfa")
    .description(
      "Réinitialise la double authentification d'un compte (téléphone perdu) et ferme ses sessions",
    )
    .argument("<email>", "adresse électronique du compte")
    .action((email: string) =>
      withDatabase(async ({ database }) => {
        const account = await findAccountByEmail(database.db, email);
        await resetAccountMfa(database.db, account.id, CLI, new Date());
        console.log(
          isPrivilegedRole(account.role as Role)
            ? `Double authentification réinitialisée : ${account.email} devra l'activer à nouveau à sa prochaine connexion.`
            : `Double authentification retirée : ${account.email} se connectera avec son seul mot de passe.`,
        );
      }),
    );
}
