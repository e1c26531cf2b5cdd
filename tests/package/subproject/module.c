/* Compiled, never linked: fake-link.sh stands in for wasm-ld. */
int main(void) { return 0; }
