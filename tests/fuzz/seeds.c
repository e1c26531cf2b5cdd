/* Seeds for the fuzz targets other than fuzz_rewrite, made from its seeds
 * (an options byte, then a module) by run.sh. Built with the library, without
 * sanitizers.
 *
 *   seeds world MODULE OUT      the payloads of MODULE's component-type*
 *                               custom sections, one after the other
 *                               (fuzz_world's input); exit 3 if there is none
 *   seeds bodies MODULE PREFIX  each distinct function body of MODULE (locals
 *                               and code, no size) as PREFIX-<k> (fuzz_instr's
 *                               input), at most 64; exit 3 if it has none
 *   seeds pair SEED OUT         the options byte, the module's length (4 bytes,
 *                               little-endian), the module, and its rewrite
 *                               with those options (fuzz_check's input);
 *                               exit 3 if the rewrite fails */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "select.h"
#include "module.h"

static uint8_t *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16;
  uint8_t *p = malloc(cap);
  *n = 0;
  while (p) {
    *n += fread(p + *n, 1, cap - *n, f);
    if (*n < cap) break;
    uint8_t *q = realloc(p, cap *= 2);
    if (!q) free(p);
    p = q;
  }
  fclose(f);
  return p;
}

static int spill(const char *path, const void *a, size_t an, const void *b, size_t bn) {
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(a, 1, an, f) != an || (bn && fwrite(b, 1, bn, f) != bn) || fclose(f) != 0) {
    perror(path);
    return 1;
  }
  return 0;
}

static int world(const uint8_t *data, size_t n, const char *out) {
  tw_module m;
  tw_err err = {0};
  if (!tw_module_parse(&m, data, n, &err)) return 3;
  uint8_t *all = malloc(n);
  size_t len = 0;
  for (size_t i = 0; all && i < m.nsections; i++) {
    const tw_section *s = &m.sections[i];
    if (s->id != 0 || !tw_section_named(&m, s, "component-type", false)) continue;
    const size_t from = s->name_start + s->name_len;
    memcpy(all + len, data + from, s->end - from);
    len += s->end - from;
  }
  tw_module_free(&m);
  const int rc = !all ? 1 : len == 0 ? 3 : spill(out, all, len, NULL, 0);
  free(all);
  return rc;
}

static int bodies(const uint8_t *data, size_t n, const char *prefix) {
  tw_module m;
  tw_err err = {0};
  if (!tw_module_parse(&m, data, n, &err)) return 3;
  int rc = 0;
  for (uint32_t k = 0, written = 0; k < m.nbodies && written < 64 && rc == 0; k++) {
    const tw_body *b = &m.bodies[k];
    int seen = 0;
    for (uint32_t j = 0; j < k && !seen; j++)
      seen = m.bodies[j].end - m.bodies[j].code == b->end - b->code &&
             memcmp(data + m.bodies[j].code, data + b->code, b->end - b->code) == 0;
    if (seen) continue;
    char path[4096];
    snprintf(path, sizeof path, "%s-%u", prefix, written++);
    rc = spill(path, data + b->code, b->end - b->code, NULL, 0);
  }
  const uint32_t nbodies = m.nbodies;
  tw_module_free(&m);
  return rc == 0 && nbodies == 0 ? 3 : rc;
}

static int pair(const uint8_t *seed, size_t n, const char *out) {
  if (n < 1) return 3;
  tw_options o;
  fuzz_select_options(seed[0], &o);
  tw_result *r = NULL;
  if (tw_rewrite(seed + 1, n - 1, &o, &r) != TW_OK) {
    tw_result_free(r);
    return 3;
  }
  size_t on = 0;
  const uint8_t *output = tw_result_output(r, &on);
  const size_t in = n - 1;
  uint8_t *head = malloc(5 + in);
  int rc = 1;
  if (head) {
    head[0] = seed[0];
    for (int k = 0; k < 4; k++) head[1 + k] = (uint8_t)(in >> (8 * k));
    memcpy(head + 5, seed + 1, in);
    rc = spill(out, head, 5 + in, output, on);
  }
  free(head);
  tw_result_free(r);
  return rc;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: seeds world MODULE OUT | bodies MODULE PREFIX | pair SEED OUT\n");
    return 2;
  }
  size_t n = 0;
  uint8_t *data = slurp(argv[2], &n);
  if (!data) {
    perror(argv[2]);
    return 1;
  }
  int rc = 2;
  if (strcmp(argv[1], "world") == 0) rc = world(data, n, argv[3]);
  else if (strcmp(argv[1], "bodies") == 0) rc = bodies(data, n, argv[3]);
  else if (strcmp(argv[1], "pair") == 0) rc = pair(data, n, argv[3]);
  free(data);
  return rc;
}
