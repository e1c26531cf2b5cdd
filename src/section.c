/* Section framing (section.h). */
#include "section.h"

/* Order in which non-custom sections must appear (spec 5.5.2, with the tag
 * section of the exception-handling proposal between memory and global). */
int tw_section_rank(uint8_t id) {
  switch (id) {
  case TW_SEC_TYPE: return 1;
  case TW_SEC_IMPORT: return 2;
  case TW_SEC_FUNCTION: return 3;
  case TW_SEC_TABLE: return 4;
  case TW_SEC_MEMORY: return 5;
  case TW_SEC_TAG: return 6;
  case TW_SEC_GLOBAL: return 7;
  case TW_SEC_EXPORT: return 8;
  case TW_SEC_START: return 9;
  case TW_SEC_ELEM: return 10;
  case TW_SEC_DATACOUNT: return 11;
  case TW_SEC_CODE: return 12;
  case TW_SEC_DATA: return 13;
  default: return -1;
  }
}
