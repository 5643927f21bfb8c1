/*
 * value.c — the values HCL expressions evaluate to.
 *
 * Values are immutable once built and shared freely (a variable's value is
 * referenced, never copied). Objects keep their keys sorted bytewise and
 * unique, which is the iteration order Terraform uses for maps and objects,
 * so `for` expressions and for_each see keys in the same order. Numbers are
 * doubles: integers up to 2^53 are exact, which covers what configurations
 * hold (ports, counts, sizes).
 *
 * An unknown value (HV_UNK) stands for anything not known before apply;
 * collections may hold unknown elements and still be known themselves.
 */
#include "hcli.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

const hcl_val gdi_hcl_null = {.kind = HV_NULL, .file = HCL_NOFILE};
const hcl_val gdi_hcl_unknown = {.kind = HV_UNK, .file = HCL_NOFILE};
const hcl_val gdi_hcl_true = {.kind = HV_BOOL, .file = HCL_NOFILE, .u.b = true};
const hcl_val gdi_hcl_false = {.kind = HV_BOOL, .file = HCL_NOFILE, .u.b = false};

hcl_val *gdi_hv_new(gdi_arena *a, hcl_vk kind, uint32_t file, uint32_t pos)
{
    hcl_val *v = gdi_arena_alloc(a, sizeof *v);
    if (!v) return NULL;
    memset(v, 0, sizeof *v);
    v->kind = (uint8_t)kind;
    v->file = file;
    v->pos = pos;
    return v;
}

hcl_val *gdi_hv_num(gdi_arena *a, double x, uint32_t file, uint32_t pos)
{
    hcl_val *v = gdi_hv_new(a, HV_NUM, file, pos);
    if (v) v->u.num = x;
    return v;
}

hcl_val *gdi_hv_bool(gdi_arena *a, bool b, uint32_t file, uint32_t pos)
{
    hcl_val *v = gdi_hv_new(a, HV_BOOL, file, pos);
    if (v) v->u.b = b;
    return v;
}

hcl_val *gdi_hv_str(gdi_arena *a, const char *s, size_t n, uint32_t file, uint32_t pos)
{
    if (n > UINT32_MAX) return NULL;
    hcl_val *v = gdi_hv_new(a, HV_STR, file, pos);
    if (!v) return NULL;
    v->u.s = n ? s : "";
    v->n = (uint32_t)n;
    return v;
}

hcl_val *gdi_hv_strdup(gdi_arena *a, const char *s, size_t n, uint32_t file, uint32_t pos)
{
    if (n > UINT32_MAX) return NULL;
    char *c = gdi_arena_strndup(a, s, n);
    return c ? gdi_hv_str(a, c, n, file, pos) : NULL;
}

hcl_val *gdi_hv_list(gdi_arena *a, hcl_val **items, uint32_t n, uint8_t flags, uint32_t file,
                     uint32_t pos)
{
    hcl_val *v = gdi_hv_new(a, HV_LIST, file, pos);
    if (!v) return NULL;
    v->flags = flags;
    v->n = n;
    if (n) {
        v->u.c.items = gdi_arena_alloc(a, (size_t)n * sizeof *items);
        if (!v->u.c.items) return NULL;
        memcpy(v->u.c.items, items, (size_t)n * sizeof *items);
    }
    return v;
}

int gdi_hv_strcmp(gd_str x, gd_str y)
{
    size_t m = x.n < y.n ? x.n : y.n;
    int c = m ? memcmp(x.p, y.p, m) : 0;
    if (c) return c;
    return x.n < y.n ? -1 : x.n > y.n;
}

hcl_val *gdi_hv_obj(gdi_arena *a, gd_str *keys, hcl_val **vals, uint32_t n, uint8_t flags,
                    uint32_t file, uint32_t pos, bool *dup)
{
    if (dup) *dup = false;
    hcl_val *v = gdi_hv_new(a, HV_OBJ, file, pos);
    if (!v) return NULL;
    v->flags = flags;
    if (!n) return v;
    gd_str *k = gdi_arena_alloc(a, (size_t)n * sizeof *k);
    hcl_val **it = gdi_arena_alloc(a, (size_t)n * sizeof *it);
    if (!k || !it) return NULL;
    /* insertion sort for small objects, merge-free: stable, last duplicate wins */
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; i++) {
        /* binary search for the insertion point */
        uint32_t lo = 0, hi = m;
        while (lo < hi) {
            uint32_t mid = (lo + hi) / 2;
            if (gdi_hv_strcmp(k[mid], keys[i]) < 0) lo = mid + 1;
            else hi = mid;
        }
        if (lo < m && gdi_hv_strcmp(k[lo], keys[i]) == 0) {
            it[lo] = vals[i];
            if (dup) *dup = true;
            continue;
        }
        memmove(k + lo + 1, k + lo, (size_t)(m - lo) * sizeof *k);
        memmove(it + lo + 1, it + lo, (size_t)(m - lo) * sizeof *it);
        k[lo] = keys[i];
        it[lo] = vals[i];
        m++;
    }
    v->n = m;
    v->u.c.keys = k;
    v->u.c.items = it;
    return v;
}

hcl_val *gdi_hv_get(const hcl_val *obj, gd_str key)
{
    if (!obj || obj->kind != HV_OBJ) return NULL;
    uint32_t lo = 0, hi = obj->n;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        int c = gdi_hv_strcmp(obj->u.c.keys[mid], key);
        if (c == 0) return obj->u.c.items[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

/* Terraform computes with 512-bit floats, so 0.1 + 0.2 == 0.3 there; with
 * doubles the same holds within a few units in the last place. */
static bool num_eq(double a, double b)
{
    if (a == b) return true;
    double m = fmax(fabs(a), fabs(b));
    return isfinite(m) && fabs(a - b) <= 8 * DBL_EPSILON * m;
}

bool gdi_hv_has_unknown(const hcl_val *v)
{
    if (v->kind == HV_UNK) return true;
    if (v->kind == HV_LIST || v->kind == HV_OBJ)
        for (uint32_t i = 0; i < v->n; i++)
            if (gdi_hv_has_unknown(v->u.c.items[i])) return true;
    return false;
}

bool gdi_hv_equal(const hcl_val *x, const hcl_val *y, bool *unknown)
{
    if (x->kind == HV_UNK || y->kind == HV_UNK) {
        *unknown = true;
        return false;
    }
    if (x->kind != y->kind) return false;
    switch ((hcl_vk)x->kind) {
    case HV_NULL: return true;
    case HV_BOOL: return x->u.b == y->u.b;
    case HV_NUM: return num_eq(x->u.num, y->u.num);
    case HV_STR: return x->n == y->n && (x->n == 0 || memcmp(x->u.s, y->u.s, x->n) == 0);
    case HV_LIST:
        if (x->n != y->n) return false;
        for (uint32_t i = 0; i < x->n; i++)
            if (!gdi_hv_equal(x->u.c.items[i], y->u.c.items[i], unknown)) return false;
        return true;
    case HV_OBJ:
        if (x->n != y->n) return false;
        for (uint32_t i = 0; i < x->n; i++) {
            if (!gd_str_eq(x->u.c.keys[i], y->u.c.keys[i])) return false;
            if (!gdi_hv_equal(x->u.c.items[i], y->u.c.items[i], unknown)) return false;
        }
        return true;
    case HV_UNK: break;
    }
    return false;
}

size_t gdi_hv_numfmt(double v, char *buf, size_t cap)
{
    int n;
    if (isnan(v)) {
        n = snprintf(buf, cap, "NaN");
    } else if (isinf(v)) {
        n = snprintf(buf, cap, v > 0 ? "Infinity" : "-Infinity");
    } else if (v == floor(v) && fabs(v) < 1e17) {
        n = snprintf(buf, cap, "%.0f", v == 0 ? 0.0 : v);
    } else {
        /* the shortest text that reads back as v, where 15 digits that
         * come within a few ulps win (see num_eq) */
        n = snprintf(buf, cap, "%.15g", v);
        if (!num_eq(strtod(buf, NULL), v))
            for (int prec = 16; prec <= 17; prec++) {
                n = snprintf(buf, cap, "%.*g", prec, v);
                if (strtod(buf, NULL) == v) break;
            }
    }
    return n < 0 ? 0 : (size_t)n >= cap ? cap - 1 : (size_t)n;
}

bool gdi_hv_to_string(gdi_arena *a, const hcl_val *v, hcl_val **out)
{
    switch ((hcl_vk)v->kind) {
    case HV_STR: *out = (hcl_val *)v; return true;
    case HV_BOOL:
        *out = gdi_hv_str(a, v->u.b ? "true" : "false", v->u.b ? 4 : 5, v->file, v->pos);
        return *out != NULL;
    case HV_NUM: {
        char buf[64];
        size_t n = gdi_hv_numfmt(v->u.num, buf, sizeof buf);
        *out = gdi_hv_strdup(a, buf, n, v->file, v->pos);
        return *out != NULL;
    }
    default: *out = NULL; return false;
    }
}

bool gdi_hv_to_number(const hcl_val *v, double *out)
{
    if (v->kind == HV_NUM) {
        *out = v->u.num;
        return true;
    }
    if (v->kind != HV_STR || v->n == 0 || v->n > 300) return false;
    char buf[320];
    memcpy(buf, v->u.s, v->n);
    buf[v->n] = 0;
    /* Terraform accepts decimal numbers only (no hex, no spaces, no inf) */
    for (uint32_t i = 0; i < v->n; i++) {
        char c = buf[i];
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' ||
              c == 'E'))
            return false;
    }
    char *end;
    double d = strtod(buf, &end);
    if (*end) return false;
    *out = d;
    return true;
}

bool gdi_hv_to_bool(const hcl_val *v, bool *out)
{
    if (v->kind == HV_BOOL) {
        *out = v->u.b;
        return true;
    }
    if (v->kind == HV_STR) {
        gd_str s = {v->u.s, v->n};
        if (gd_str_eqc(s, "true")) {
            *out = true;
            return true;
        }
        if (gd_str_eqc(s, "false")) {
            *out = false;
            return true;
        }
    }
    return false;
}

const char *gdi_hv_type_name(const hcl_val *v)
{
    switch ((hcl_vk)v->kind) {
    case HV_NULL: return "null";
    case HV_BOOL: return "bool";
    case HV_NUM: return "number";
    case HV_STR: return "string";
    case HV_LIST: return v->flags & HVF_SET ? "set" : v->flags & HVF_TUPLE ? "tuple" : "list";
    case HV_OBJ: return v->flags & HVF_MAP ? "map" : "object";
    case HV_UNK: return "unknown";
    }
    return "?";
}

void gdi_hv_to_json(gdi_buf *b, const hcl_val *v)
{
    switch ((hcl_vk)v->kind) {
    case HV_NULL: gdi_buf_puts(b, "null"); return;
    case HV_UNK: gdi_buf_puts(b, "\"(known after apply)\""); return;
    case HV_BOOL: gdi_buf_puts(b, v->u.b ? "true" : "false"); return;
    case HV_NUM: {
        char buf[64];
        size_t n = gdi_hv_numfmt(v->u.num, buf, sizeof buf);
        gdi_buf_append(b, buf, n);
        return;
    }
    case HV_STR:
        gdi_buf_putc(b, '"');
        gdi_buf_json_escape(b, v->u.s, v->n);
        gdi_buf_putc(b, '"');
        return;
    case HV_LIST:
        gdi_buf_putc(b, '[');
        for (uint32_t i = 0; i < v->n; i++) {
            if (i) gdi_buf_putc(b, ',');
            gdi_hv_to_json(b, v->u.c.items[i]);
        }
        gdi_buf_putc(b, ']');
        return;
    case HV_OBJ:
        gdi_buf_putc(b, '{');
        for (uint32_t i = 0; i < v->n; i++) {
            if (i) gdi_buf_putc(b, ',');
            gdi_buf_putc(b, '"');
            gdi_buf_json_escape(b, v->u.c.keys[i].p, v->u.c.keys[i].n);
            gdi_buf_puts(b, "\":");
            gdi_hv_to_json(b, v->u.c.items[i]);
        }
        gdi_buf_putc(b, '}');
        return;
    }
}

/* Position of a value in document terms (see gdi_hv_to_doc). */
static uint32_t vpos(const hcl_val *v, uint32_t file, uint32_t lo, uint32_t hi, uint32_t fb)
{
    return (v->file == file && v->pos >= lo && v->pos < hi) ? v->pos : fb;
}

uint32_t gdi_hv_to_doc(gdi_doc *d, gdi_arena *strs, const hcl_val *v, uint32_t file, uint32_t lo,
                       uint32_t hi, uint32_t fallback)
{
    uint32_t pos = vpos(v, file, lo, hi, fallback);
    uint32_t at;
    switch ((hcl_vk)v->kind) {
    case HV_NULL: return gdi_doc_push(d, GDI_NULL, pos, NULL, 0);
    case HV_UNK: return gdi_doc_push(d, GDI_UNKNOWN, pos, NULL, 0);
    case HV_BOOL: return gdi_doc_push(d, v->u.b ? GDI_TRUE : GDI_FALSE, pos, NULL, 0);
    case HV_NUM: {
        char buf[64];
        size_t n = gdi_hv_numfmt(v->u.num, buf, sizeof buf);
        char *s = gdi_arena_strndup(strs, buf, n);
        if (!s) return UINT32_MAX;
        at = gdi_doc_push(d, GDI_NUMBER, pos, s, (uint32_t)n);
        if (at != UINT32_MAX) {
            if (v->u.num == floor(v->u.num) && fabs(v->u.num) < 1e17)
                d->nodes[at].flags |= GDI_NF_INTEGER;
            if (v->u.num < 0) d->nodes[at].flags |= GDI_NF_NEGATIVE;
        }
        return at;
    }
    case HV_STR:
        at = gdi_doc_push(d, GDI_STRING, pos, v->u.s, v->n);
        if (at != UINT32_MAX) d->nodes[at].flags |= GDI_NF_DECODED;
        return at;
    case HV_LIST:
        at = gdi_doc_push(d, GDI_ARRAY, pos, NULL, 0);
        if (at == UINT32_MAX) return at;
        for (uint32_t i = 0; i < v->n; i++)
            if (gdi_hv_to_doc(d, strs, v->u.c.items[i], file, lo, hi, pos) == UINT32_MAX)
                return UINT32_MAX;
        gdi_doc_close(d, at, v->n);
        return at;
    case HV_OBJ:
        at = gdi_doc_push(d, GDI_OBJECT, pos, NULL, 0);
        if (at == UINT32_MAX) return at;
        for (uint32_t i = 0; i < v->n; i++) {
            const hcl_val *m = v->u.c.items[i];
            uint32_t mp = vpos(m, file, lo, hi, pos);
            if (gdi_doc_push(d, GDI_STRING, mp, v->u.c.keys[i].p,
                             (uint32_t)v->u.c.keys[i].n) == UINT32_MAX)
                return UINT32_MAX;
            if (gdi_hv_to_doc(d, strs, m, file, lo, hi, pos) == UINT32_MAX) return UINT32_MAX;
        }
        gdi_doc_close(d, at, v->n);
        return at;
    }
    return UINT32_MAX;
}

hcl_val *gdi_hv_from_node(gdi_arena *a, const gdi_node *n, uint32_t file)
{
    switch ((gdi_type)n->type) {
    case GDI_NULL: return gdi_hv_new(a, HV_NULL, file, n->pos);
    case GDI_UNKNOWN: return gdi_hv_new(a, HV_UNK, file, n->pos);
    case GDI_TRUE: return gdi_hv_bool(a, true, file, n->pos);
    case GDI_FALSE: return gdi_hv_bool(a, false, file, n->pos);
    case GDI_NUMBER: return gdi_hv_num(a, gdi_num_f64(n), file, n->pos);
    case GDI_STRING: return gdi_hv_strdup(a, n->str, n->len, file, n->pos);
    case GDI_ARRAY: {
        hcl_val **items = n->len ? gdi_arena_alloc(a, (size_t)n->len * sizeof *items) : NULL;
        if (n->len && !items) return NULL;
        const gdi_node *e = gdi_first(n);
        for (uint32_t i = 0; i < n->len; i++, e = gdi_next(e))
            if (!(items[i] = gdi_hv_from_node(a, e, file))) return NULL;
        return gdi_hv_list(a, items, n->len, HVF_TUPLE, file, n->pos);
    }
    case GDI_OBJECT: {
        gd_str *keys = n->len ? gdi_arena_alloc(a, (size_t)n->len * sizeof *keys) : NULL;
        hcl_val **vals = n->len ? gdi_arena_alloc(a, (size_t)n->len * sizeof *vals) : NULL;
        if (n->len && (!keys || !vals)) return NULL;
        const gdi_node *k = gdi_first(n);
        for (uint32_t i = 0; i < n->len; i++) {
            char *ks = gdi_arena_strndup(a, k->str, k->len);
            if (!ks) return NULL;
            keys[i] = (gd_str){ks, k->len};
            if (!(vals[i] = gdi_hv_from_node(a, k + 1, file))) return NULL;
            k = gdi_next(k + 1);
        }
        return gdi_hv_obj(a, keys, vals, n->len, 0, file, n->pos, NULL);
    }
    }
    return NULL;
}
