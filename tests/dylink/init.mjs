// The one documented difference between wit-component's link path and a
// set of rewritten libraries (docs/abi.md, "Shared libraries"):
// wit-component runs every library's initialiser (_initialize or
// __wasm_call_ctors) in one init task, 6 init1 init2 ... 7; each rewritten
// library brackets its own, 6 init1 7 6 init2 7.

// A log that starts with the instantiation part of the original link, in
// the per-library form; each initialiser logs a marker and one digest word.
export function perLibraryInit(trace) {
  if (trace[0] !== 6) return trace;
  const end = trace.indexOf(7);
  if (end < 0 || (end - 1) % 2) return trace;
  const out = [];
  for (let i = 1; i + 1 < end; i += 2) out.push(6, trace[i], trace[i + 1], 7);
  return [...out, ...trace.slice(end + 1)];
}
