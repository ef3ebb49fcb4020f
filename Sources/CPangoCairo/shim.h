#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

/* PANGO_SCALE is a macro Swift cannot see. */
static inline int lotbox_pango_scale(void) { return PANGO_SCALE; }
