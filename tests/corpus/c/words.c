/* Corpus program: printf and malloc (a chained hash table counting words
 * of a built-in text, printed and freed). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry { char *word; unsigned count; struct entry *next; } entry;
enum { NBUCKETS = 64 };

static unsigned hash(const char *s) {
  unsigned h = 2166136261u;
  while (*s) h = (h ^ (unsigned char)*s++) * 16777619u;
  return h % NBUCKETS;
}

static void add(entry **table, const char *w) {
  entry **p = &table[hash(w)];
  for (; *p; p = &(*p)->next)
    if (strcmp((*p)->word, w) == 0) { (*p)->count++; return; }
  entry *e = malloc(sizeof *e);
  e->word = strdup(w);
  e->count = 1;
  e->next = NULL;
  *p = e;
}

int main(void) {
  static const char text[] = "the quick brown fox jumps over the lazy dog the end";
  entry *table[NBUCKETS] = {0};
  char word[64];
  size_t n = 0;
  for (const char *c = text;; c++) {
    if (*c && isalpha((unsigned char)*c) && n + 1 < sizeof word) {
      word[n++] = (char)tolower((unsigned char)*c);
    } else if (n) {
      word[n] = '\0';
      add(table, word);
      n = 0;
    }
    if (!*c) break;
  }
  unsigned distinct = 0;
  for (int b = 0; b < NBUCKETS; b++)
    for (entry *e = table[b], *next; e; e = next) {
      next = e->next;
      printf("%s %u\n", e->word, e->count);
      distinct++;
      free(e->word);
      free(e);
    }
  printf("%u distinct words\n", distinct);
  return 0;
}
