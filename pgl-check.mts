import { PGlite } from "@electric-sql/pglite";
const db = await PGlite.create();
await db.exec("create table t (e text unique); insert into t values ('a')");
try { await db.query("insert into t values ('a')"); } catch (e) { console.log((e as any).code, (e as any).constructor.name); }
