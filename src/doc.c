/*
 * doc.c — the node tape: building, lookups, number conversion, JSON output.
 *
 * See doc.h for the layout. Lookups are linear in the number of members;
 * resources have a few dozen attributes, so a scan of keys (length compared
 * first) beats hashing, and keeps the tape free of side tables.
 */
#include "doc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

gd_status gdi_doc_init(gdi_doc *d, gd_ctx *ctx, const char *name)
{
    memset(d, 0, sizeof *d);
    d->ctx = ctx;
    d->line_base = 1;
    gdi_arena_init(&d->arena, ctx, 16 * 1024);
    char *nm = gdi_strndup(ctx, name ? name : "<input>", name ? strlen(name) : 7);
    if (!nm) {
        d->name = "<input>";
        return GD_NOMEM;
    }
    d->name = nm;
    d->own_name = true;
    return GD_OK;
}

void gdi_doc_reset(gdi_doc *d)
{
    d->n = 0;
    gdi_arena_reset(&d->arena);
}

void gdi_doc_free(gdi_doc *d)
{
    if (!d || !d->ctx) return;
    gdi_free(d->ctx, d->nodes);
    gdi_arena_free(&d->arena);
    if (d->own_src) gdi_free(d->ctx, (void *)d->src);
    if (d->own_name) gdi_free(d->ctx, (void *)d->name);
    d->own_name = false;
    d->name = "<input>";
    d->nodes = NULL;
    d->n = d->cap = 0;
    d->src = NULL;
    d->own_src = false;
}

void gdi_doc_own_source(gdi_doc *d, char *src, size_t len)
{
    if (d->own_src && d->src != src) gdi_free(d->ctx, (void *)d->src);
    d->src = src;
    d->src_len = len;
    d->own_src = true;
}

void gdi_doc_line_col(const gdi_doc *d, const gdi_node *n, uint32_t *line, uint32_t *col)
{
    if (!d->src || !n) {
        *line = 0;
        *col = 0;
        return;
    }
    gdi_line_col(d->src, d->src_len, n->pos, line, col);
    *line += d->line_base - 1;
}

uint32_t gdi_doc_push(gdi_doc *d, gdi_type type, uint32_t pos, const char *str, uint32_t len)
{
    if (d->n == d->cap) {
        if (d->cap >= UINT32_MAX / 2) return UINT32_MAX;
        uint32_t nc = d->cap ? d->cap * 2 : 256;
        gdi_node *nn = gdi_realloc(d->ctx, d->nodes, (size_t)nc * sizeof *nn);
        if (!nn) return UINT32_MAX;
        d->nodes = nn;
        d->cap = nc;
    }
    gdi_node *n = &d->nodes[d->n];
    n->type = (uint8_t)type;
    n->flags = 0;
    n->aux = 0;
    n->len = len;
    n->skip = 1;
    n->pos = pos;
    n->str = str;
    return d->n++;
}

uint32_t gdi_doc_copy_subtree(gdi_doc *d, const gdi_node *n)
{
    uint32_t k = n->skip;
    /* n may point into d's own tape, which growing can move */
    bool inside = d->nodes && n >= d->nodes && n < d->nodes + d->n;
    size_t from = inside ? (size_t)(n - d->nodes) : 0;
    if ((uint64_t)d->n + k >= UINT32_MAX) return UINT32_MAX;
    if (d->n + k > d->cap) {
        size_t cap = d->cap;
        if (gdi_grow(d->ctx, (void **)&d->nodes, &cap, (size_t)d->n + k, sizeof *d->nodes))
            return UINT32_MAX;
        d->cap = (uint32_t)(cap > UINT32_MAX ? UINT32_MAX : cap);
    }
    if (inside) n = &d->nodes[from];
    memcpy(&d->nodes[d->n], n, (size_t)k * sizeof *n);
    uint32_t at = d->n;
    d->n += k;
    return at;
}

const gdi_node *gdi_obj_get(const gdi_node *obj, const char *key, size_t keylen)
{
    if (!obj || obj->type != GDI_OBJECT) return NULL;
    const gdi_node *k = obj + 1, *found = NULL;
    for (uint32_t i = 0; i < obj->len; i++) {
        const gdi_node *v = k + 1;
        if (k->len == keylen && gdi_bytes_eq(k->str, key, keylen)) {
            found = v;
            if (!(obj->flags & GDI_NF_DUPKEY)) return found;
        }
        k = v + v->skip;
    }
    return found;
}

const gdi_node *gdi_arr_at(const gdi_node *arr, uint32_t i)
{
    if (!arr || arr->type != GDI_ARRAY || i >= arr->len) return NULL;
    const gdi_node *e = arr + 1;
    while (i--) e += e->skip;
    return e;
}

bool gdi_numtext_i64(const char *p, size_t n, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && (p[i] == '-' || p[i] == '+')) neg = p[i++] == '-';
    if (i >= n) return false;
    uint64_t v = 0;
    for (; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return false;
        unsigned dgt = (unsigned)(p[i] - '0');
        if (v > (UINT64_MAX - dgt) / 10) return false;
        v = v * 10 + dgt;
    }
    if (neg) {
        if (v > (uint64_t)INT64_MAX + 1) return false;
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    } else {
        if (v > (uint64_t)INT64_MAX) return false;
        *out = (int64_t)v;
    }
    return true;
}

double gdi_numtext_f64(const char *p, size_t n)
{
    char buf[512];
    if (n < sizeof buf) {
        memcpy(buf, p, n);
        buf[n] = 0;
        return strtod(buf, NULL);
    }
    /* A very long number (hostile input): keep the first significant
     * digits and carry the rest as a power of ten, so the result is still
     * the nearest double to within strtod's precision and no allocation is
     * needed. Text is [-]int[.frac][e[+-]exp] (JSON grammar). */
    size_t i = 0, k = 0;
    bool neg = p[0] == '-';
    if (neg) i++;
    long long scale = 0; /* decimal exponent adjustment */
    char dig[400];
    bool seen = false;
    for (; i < n && p[i] >= '0' && p[i] <= '9'; i++) { /* integer part */
        if (p[i] != '0') seen = true;
        if (!seen) continue;
        if (k < sizeof dig) dig[k++] = p[i];
        else scale++;
    }
    if (i < n && p[i] == '.')
        for (i++; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
            if (p[i] != '0') seen = true;
            if (!seen) {
                scale--;
                continue;
            }
            if (k < sizeof dig) {
                dig[k++] = p[i];
                scale--;
            }
        }
    long long ex = 0;
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        bool eneg = i < n && p[i] == '-';
        if (i < n && (p[i] == '-' || p[i] == '+')) i++;
        for (; i < n && p[i] >= '0' && p[i] <= '9'; i++)
            if (ex < 1000000) ex = ex * 10 + (p[i] - '0');
        if (eneg) ex = -ex;
    }
    if (k == 0) return neg ? -0.0 : 0.0;
    snprintf(buf, sizeof buf, "%s%.*se%lld", neg ? "-" : "", (int)k, dig, scale + ex);
    return strtod(buf, NULL);
}

bool gdi_num_i64(const gdi_node *n, int64_t *out)
{
    if (n->type != GDI_NUMBER) return false;
    return gdi_numtext_i64(n->str, n->len, out);
}

double gdi_num_f64(const gdi_node *n)
{
    if (n->type != GDI_NUMBER) return NAN;
    return gdi_numtext_f64(n->str, n->len);
}

const char *gdi_type_name(gdi_type t)
{
    switch (t) {
    case GDI_NULL: return "null";
    case GDI_FALSE:
    case GDI_TRUE: return "bool";
    case GDI_NUMBER: return "number";
    case GDI_STRING: return "string";
    case GDI_ARRAY: return "list";
    case GDI_OBJECT: return "object";
    case GDI_UNKNOWN: return "unknown";
    }
    return "?";
}

void gdi_node_to_json(gdi_buf *b, const gdi_node *n)
{
    switch ((gdi_type)n->type) {
    case GDI_NULL:
    case GDI_UNKNOWN: gdi_buf_puts(b, "null"); return;
    case GDI_FALSE: gdi_buf_puts(b, "false"); return;
    case GDI_TRUE: gdi_buf_puts(b, "true"); return;
    case GDI_NUMBER: gdi_buf_append(b, n->str, n->len); return;
    case GDI_STRING:
        gdi_buf_putc(b, '"');
        gdi_buf_json_escape(b, n->str, n->len);
        gdi_buf_putc(b, '"');
        return;
    case GDI_ARRAY: {
        gdi_buf_putc(b, '[');
        const gdi_node *e = n + 1;
        for (uint32_t i = 0; i < n->len; i++) {
            if (i) gdi_buf_putc(b, ',');
            gdi_node_to_json(b, e);
            e += e->skip;
        }
        gdi_buf_putc(b, ']');
        return;
    }
    case GDI_OBJECT: {
        gdi_buf_putc(b, '{');
        const gdi_node *k = n + 1;
        for (uint32_t i = 0; i < n->len; i++) {
            if (i) gdi_buf_putc(b, ',');
            gdi_node_to_json(b, k);
            gdi_buf_putc(b, ':');
            gdi_node_to_json(b, k + 1);
            k = k + 1 + k[1].skip;
        }
        gdi_buf_putc(b, '}');
        return;
    }
    }
}
