#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-font.h>
#include <string.h>

/* PANGO_SCALE is a macro Swift cannot see. */
static inline int lotbox_pango_scale(void) { return PANGO_SCALE; }

/* What a 1-bit label cannot print well in a laid-out text: the first glyph no font has (pango
   draws a hex box), or the first run drawn with a colour or bitmap font (an emoji font prints as
   a blob). Returns 0 when all is well, 1 for a missing glyph, 2 for a colour font, 3 for a
   bitmap font; `offset` is the byte offset of the character in the layout's text, `family`
   receives the font's family name. Walking runs and glyph flags is C-struct work Swift cannot
   see through the imported types, hence a helper. */
static inline int lotbox_pango_unprintable(PangoLayout *layout, int *offset, char *family, size_t family_size) {
    int found = 0;
    PangoLayoutIter *iter = pango_layout_get_iter(layout);
    if (!iter) return 0;
    do {
        PangoLayoutRun *run = pango_layout_iter_get_run_readonly(iter);
        if (!run || !run->item || !run->glyphs) continue;
        PangoFont *font = run->item->analysis.font;
        for (int i = 0; i < run->glyphs->num_glyphs; i++) {
            if (run->glyphs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG) {
                *offset = run->item->offset + run->glyphs->log_clusters[i];
                found = 1;
                break;
            }
        }
        if (!found && font && PANGO_IS_FC_FONT(font)) {
            FcPattern *pattern = pango_fc_font_get_pattern(PANGO_FC_FONT(font));
            FcBool color = FcFalse, scalable = FcTrue;
            if (pattern) {
                FcPatternGetBool(pattern, FC_COLOR, 0, &color);
                FcPatternGetBool(pattern, FC_SCALABLE, 0, &scalable);
            }
            if (color || !scalable) {
                *offset = run->item->offset;
                found = color ? 2 : 3;
                FcChar8 *name = NULL;
                if (pattern && FcPatternGetString(pattern, FC_FAMILY, 0, &name) == FcResultMatch && name && family_size > 0) {
                    strncpy(family, (const char *)name, family_size - 1);
                    family[family_size - 1] = 0;
                }
            }
        }
    } while (!found && pango_layout_iter_next_run(iter));
    pango_layout_iter_free(iter);
    return found;
}
