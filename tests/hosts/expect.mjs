// The verdict on one run of a wasi-testsuite-style expectation, shared by
// the Node.js runner (run.mjs) and the wasmtime one (wasmtime-run.mjs); the
// wazero host (wazero/main.go) applies the same rules.
//
// exp: the expectation JSON (exit_code, default 0; stdout and stderr, exact
// text when present; exit_via, "return" or "proc_exit", when present).
// run: { code, via, stdout, stderr } as the host observed them.
// Returns the list of differences (empty: the run passes).
export function problems(exp, run) {
  const found = [];
  const wantCode = exp.exit_code ?? 0;
  if (run.code !== wantCode) found.push(`exit code ${run.code}, expected ${wantCode}`);
  if (exp.exit_via !== undefined && run.via !== exp.exit_via)
    found.push(`exit via ${run.via}, expected ${exp.exit_via}`);
  for (const key of ['stdout', 'stderr']) {
    if (exp[key] !== undefined && run[key] !== exp[key]) found.push(`${key} ${difference(run[key], exp[key])}`);
  }
  return found;
}

// The first line where GOT and WANT differ: "differs at line N: "got",
// expected "want"" (lines with their newline; "" past the end).
export function difference(got, want) {
  const g = got.split(/(?<=\n)/), w = want.split(/(?<=\n)/);
  let i = 0;
  while (i < g.length && i < w.length && g[i] === w[i]) i++;
  return `differs at line ${i + 1}: ${JSON.stringify(g[i] ?? '')}, expected ${JSON.stringify(w[i] ?? '')}`;
}
