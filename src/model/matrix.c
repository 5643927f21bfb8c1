/*
 * matrix.c — the public gd_matrix API: load a deployment profile, resolve
 * ownership (resolve.c) and write it in one of the formats of
 * GD_MATRIX_FORMAT_LIST (render*.c). A matrix owns an arena holding the
 * profile and rows; it borrows the modelset, which must outlive it.
 * Rendering builds the whole output in memory, then writes it once, so a
 * failed write never leaves half a document behind a GD_OK.
 */
#include "model/model.h"

#include <stdio.h>
#include <time.h>

static const char *const format_names[] = {
#define GD_X_MF(name, str) str,
    GD_MATRIX_FORMAT_LIST(GD_X_MF)
#undef GD_X_MF
};

gd_status gd_matrix_format_parse(const char *name, gd_matrix_format *out)
{
    if (!name || !out) return GD_MISUSE;
    for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++)
        if (strcmp(name, format_names[i]) == 0) {
            *out = (gd_matrix_format)i;
            return GD_OK;
        }
    return GD_INVALID;
}

gd_status gd_matrix_new_buffer(gd_modelset *ms, const char *name, const char *data, size_t len,
                               gd_matrix **out)
{
    if (!ms || !data || !out) return GD_MISUSE;
    *out = NULL;
    gd_ctx *ctx = ms->ctx;
    gdi_doc doc;
    gd_status st = gdi_doc_init(&doc, ctx, name ? name : "<profile>");
    if (st != GD_OK) return st;
    gd_matrix *m = gdi_calloc(ctx, 1, sizeof *m);
    if (!m) {
        st = GD_NOMEM;
        goto done;
    }
    m->ctx = ctx;
    m->ms = ms;
    gdi_arena_init(&m->arena, ctx, 64 * 1024);
    st = gdi_yaml_parse(&doc, data, len);
    if (st != GD_OK) goto done;
    st = gdi_profile_load(ms, &m->arena, &doc, &m->profile);
    if (st != GD_OK) goto done;
    st = gdi_resolve(m->profile, &m->arena, &m->rows, &m->nrows);
done:
    gdi_doc_free(&doc);
    if (st != GD_OK) {
        gd_matrix_free(m);
        return st;
    }
    *out = m;
    return GD_OK;
}

gd_status gd_matrix_new(gd_modelset *ms, const char *path, gd_matrix **out)
{
    if (!ms || !path || !out) return GD_MISUSE;
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    gd_status st = gdi_read_file(ms->ctx, path, &text, &len);
    if (st != GD_OK) return st;
    st = gd_matrix_new_buffer(ms, path, text, len, out);
    gdi_free(ms->ctx, text);
    return st;
}

void gd_matrix_free(gd_matrix *m)
{
    if (!m) return;
    gd_ctx *ctx = m->ctx;
    gdi_arena_free(&m->arena);
    gdi_free(ctx, m);
}

size_t gd_matrix_row_count(const gd_matrix *m)
{
    return m ? m->nrows : 0;
}

size_t gd_matrix_gap_count(const gd_matrix *m)
{
    size_t n = 0;
    for (size_t i = 0; m && i < m->nrows; i++)
        if (m->rows[i].status != GDI_OWN_OWNED) n++;
    return n;
}

gd_status gd_matrix_write(const gd_matrix *m, const gd_matrix_opts *opts, FILE *out)
{
    if (!m || !out) return GD_MISUSE;
    gd_matrix_opts o = {GD_MATRIX_TEXT, "en", 0};
    if (opts) o = *opts;
    const char *lang = o.lang && strcmp(o.lang, "zh") == 0 ? "zh" : "en";
    gdi_buf b;
    gdi_buf_init(&b, m->ctx);
    switch (o.format) {
    case GD_MATRIX_TEXT: gdi_matrix_text(m, lang, &b); break;
    case GD_MATRIX_CSV: gdi_matrix_csv(m, lang, &b); break;
    case GD_MATRIX_JSON: gdi_matrix_json(m, lang, &b); break;
    case GD_MATRIX_HTML: gdi_matrix_html(m, lang, &b); break;
    case GD_MATRIX_OSCAL:
        gdi_matrix_oscal(m, lang, o.timestamp ? o.timestamp : (int64_t)time(NULL), &b);
        break;
    default: gdi_buf_free(&b); return GD_MISUSE;
    }
    gd_status st = GD_OK;
    if (b.oom) {
        st = GD_NOMEM;
    } else if (b.n && fwrite(b.p, 1, b.n, out) != b.n) {
        st = gdi_err(m->ctx, GD_IO, NULL, 0, 0, "could not write the matrix");
    }
    gdi_buf_free(&b);
    return st;
}
