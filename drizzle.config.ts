// drizzle-kit configuration: the schema in src/store/schema.ts generates the SQL in migrations/.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./src/store/schema.ts",
  out: "./migrations",
});
