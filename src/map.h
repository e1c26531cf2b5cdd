/* A small open-addressing hash table of 64-bit keys with 32-bit values, for
 * the lookups that must stay linear in the size of the module (export names,
 * wrapper pairs, WIT world items). Keys are compared by a callback, so a key
 * can stand for bytes elsewhere (an export index, compared by its name). */
#ifndef TW_MAP_H
#define TW_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tw_map {
  uint64_t *keys; /* key + 1; 0 marks an empty slot */
  uint32_t *vals;
  size_t mask;
} tw_map;

uint64_t tw_hash_bytes(const uint8_t *p, size_t n);
uint64_t tw_hash_mix(uint64_t x);
/* Room for n keys; false when out of memory. tw_map_free({0}) is safe. */
bool tw_map_init(tw_map *mp, size_t n);
void tw_map_free(tw_map *mp);
/* The slot for key (with hash); *found says whether it holds it. eq(ctx,
 * stored, key) compares a stored key with the probe. */
size_t tw_map_slot(const tw_map *mp, uint64_t hash, uint64_t key,
                   bool (*eq)(const void *, uint64_t, uint64_t), const void *ctx, bool *found);
/* eq for keys that are their own identity. */
bool tw_map_key_eq(const void *ctx, uint64_t stored, uint64_t key);

#endif
