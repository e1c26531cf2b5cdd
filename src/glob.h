/* Glob patterns as fnmatch(pattern, name, 0) reads them: '*', '?',
 * bracket expressions with ranges, negation ('!' or '^') and character
 * classes ("[:alpha:]"), and '\\' quoting the next character. */
#ifndef TW_GLOB_H
#define TW_GLOB_H

#include <stdbool.h>

bool tw_glob_match(const char *pattern, const char *name);

#endif /* TW_GLOB_H */
