/* wasm-taskwrap --check-link (src/linkcheck.c): is a set of shared
 * libraries consistent for `wasm-tools component link`
 * (docs/abi.md, "Shared libraries")? */
#ifndef TW_LINKCHECK_H
#define TW_LINKCHECK_H

/* argv[1] is "--check-link"; then [--abi task-hook|init-task] and
 * [NAME=]FILE... One line per library on standard output; what is wrong on
 * standard error. Returns the exit code: 0 consistent, 1 not (or a library
 * could not be read), 2 a usage error. */
int tw_check_link_main(int argc, char **argv);

#endif /* TW_LINKCHECK_H */
