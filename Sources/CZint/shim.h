#include <zint.h>

/* zint keeps its modules in a fixed 2-D array that Swift sees as nested tuples: read one here.
   Bit x % 8 of byte x / 8 in row y, as zint's own module_is_set(). */
static inline int lotbox_zint_module(const struct zint_symbol *symbol, int row, int column) {
    return (symbol->encoded_data[row][column >> 3] >> (column & 7)) & 1;
}

/* The error text zint left in the symbol, as a C string. */
static inline const char *lotbox_zint_error(const struct zint_symbol *symbol) {
    return symbol->errtxt;
}
