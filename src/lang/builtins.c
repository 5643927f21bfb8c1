/*
 * builtins.c — the built-in functions of the check language.
 *
 * One table (gdi_builtins, from GDI_BUILTIN_LIST in lang.h) gives each
 * function's name, arity, flags and implementation. The VM has already
 * handled error arguments (the first error is the result) and, unless the
 * function has GDI_BF_SEES_UNKNOWN, unknown arguments (the result is
 * unknown), so an implementation only sees known values.
 *
 * Conventions documented in docs/rules.md: collection functions (len,
 * keys, values, flatten) treat null as empty; string functions need
 * strings; results are built in the evaluator's scratch arena and live
 * until the next run. The "special" functions (any, all, count, filter,
 * map, matches, related, default) compile to dedicated bytecode; their
 * table entries exist for name lookup and arity only.
 */
#include "lang.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define GDI_X_BI(name, lo, hi, fl)                                                                 \
    static gdi_val bi_##name(gdi_eval *ev, const gdi_val *a, uint32_t argc);
GDI_BUILTIN_LIST(GDI_X_BI)
#undef GDI_X_BI

const gdi_builtin_info gdi_builtins[GDI_BI__COUNT] = {
#define GDI_X_BI(name, lo, hi, fl) {#name, lo, hi, fl, bi_##name},
    GDI_BUILTIN_LIST(GDI_X_BI)
#undef GDI_X_BI
};

int gdi_builtin_find(const char *name, size_t n)
{
    for (int i = 0; i < GDI_BI__COUNT; i++)
        if (strlen(gdi_builtins[i].name) == n && memcmp(gdi_builtins[i].name, name, n) == 0)
            return i;
    return -1;
}

ptrdiff_t gdi_str_find(const char *hay, size_t hn, const char *needle, size_t nn)
{
    if (nn == 0) return 0;
    if (nn > hn) return -1;
    const char first = needle[0];
    for (size_t i = 0; i + nn <= hn; i++) {
        const char *p = memchr(hay + i, first, hn - nn - i + 1);
        if (!p) return -1;
        i = (size_t)(p - hay);
        if (memcmp(p, needle, nn) == 0) return (ptrdiff_t)i;
    }
    return -1;
}

#define ERR(ev, ...) gdi_eval_error((ev), __VA_ARGS__)

static const char *tn(const gdi_val *v)
{
    return gdi_val_type_name(v);
}

/* The special functions are compiled inline; reaching these is a bug. */
#define SPECIAL_STUB(name)                                                                         \
    static gdi_val bi_##name(gdi_eval *ev, const gdi_val *a, uint32_t argc)                        \
    {                                                                                              \
        (void)a;                                                                                   \
        (void)argc;                                                                                \
        return ERR(ev, "internal error: " #name "() is compiled inline");                          \
    }
SPECIAL_STUB(matches)
SPECIAL_STUB(default)
SPECIAL_STUB(related)
SPECIAL_STUB(any)
SPECIAL_STUB(all)
SPECIAL_STUB(count)
SPECIAL_STUB(filter)
SPECIAL_STUB(map)

static gdi_val need_str(gdi_eval *ev, const char *fn, const gdi_val *v)
{
    return ERR(ev, "%s() needs a string, got %s", fn, tn(v));
}

/* -------------------------------------------------------------- strings */

static gdi_val bi_len(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)argc;
    switch ((gdi_vtag)a[0].t) {
    case GDI_VT_NULL: return gdi_v_int(0);
    case GDI_VT_STR:
    case GDI_VT_LIST: return gdi_v_int(a[0].n);
    case GDI_VT_NODE: return gdi_v_int(a[0].u.node->len);
    default: return ERR(ev, "len() needs a string, list or object, got %s", tn(&a[0]));
    }
}

static gdi_val change_case(gdi_eval *ev, const gdi_val *s, bool up, const char *fn)
{
    if (s->t != GDI_VT_STR) return need_str(ev, fn, s);
    /* avoid copying when nothing changes */
    uint32_t i = 0;
    for (; i < s->n; i++) {
        char c = s->u.s[i];
        if (up ? (c >= 'a' && c <= 'z') : (c >= 'A' && c <= 'Z')) break;
    }
    if (i == s->n) return *s;
    char *o = gdi_eval_alloc(ev, s->n);
    if (!o) return ERR(ev, "out of memory");
    for (uint32_t k = 0; k < s->n; k++) {
        char c = s->u.s[k];
        if (up && c >= 'a' && c <= 'z') c = (char)(c - 32);
        if (!up && c >= 'A' && c <= 'Z') c = (char)(c + 32);
        o[k] = c;
    }
    return gdi_v_str(o, s->n);
}

static gdi_val bi_lower(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)argc;
    return change_case(ev, &a[0], false, "lower");
}

static gdi_val bi_upper(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)argc;
    return change_case(ev, &a[0], true, "upper");
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static gdi_val bi_trim(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)argc;
    if (a[0].t != GDI_VT_STR) return need_str(ev, "trim", &a[0]);
    const char *p = a[0].u.s;
    uint32_t n = a[0].n;
    while (n && is_space(p[0])) {
        p++;
        n--;
    }
    while (n && is_space(p[n - 1])) n--;
    return gdi_v_str(p, n);
}

static gdi_val two_strings(gdi_eval *ev, const gdi_val *a, const char *fn)
{
    if (a[0].t != GDI_VT_STR || a[1].t != GDI_VT_STR)
        return ERR(ev, "%s() needs two strings, got %s and %s", fn, tn(&a[0]), tn(&a[1]));
    return gdi_v_null();
}

static gdi_val bi_starts_with(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)argc;
    gdi_val e = two_strings(ev, a, "starts_with");
    if (e.t == GDI_VT_ERROR) return e;
    return gdi_v_bool(a[1].n <= a[0].n && (a[1].n == 0 || memcmp(a[0].u.s, a[1].u.s, a[1].n) == 0));
}

static gdi_val bi_ends_with(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)argc;
    gdi_val e = two_strings(ev, a, "ends_with");
    if (e.t == GDI_VT_ERROR) return e;
    return gdi_v_bool(a[1].n <= a[0].n &&
                      (a[1].n == 0 || memcmp(a[0].u.s + a[0].n - a[1].n, a[1].u.s, a[1].n) == 0));
}

static gdi_val bi_contains(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)argc;
    if (a[0].t == GDI_VT_NULL) return gdi_v_bool(false);
    if (gdi_val_is_list(&a[0])) {
        uint32_t n;
        gdi_val *items = gdi_list_elems(ev, &a[0], &n);
        if (!items) return ERR(ev, "out of memory");
        bool unk = false;
        for (uint32_t i = 0; i < n; i++) {
            int e = gdi_val_equal(&items[i], &a[1]);
            if (e == 1) return gdi_v_bool(true);
            if (e == 2) unk = true;
        }
        return unk ? gdi_v_unknown() : gdi_v_bool(false);
    }
    gdi_val e = two_strings(ev, a, "contains");
    if (e.t == GDI_VT_ERROR) return e;
    return gdi_v_bool(gdi_str_find(a[0].u.s, a[0].n, a[1].u.s, a[1].n) >= 0);
}

static gdi_val bi_split(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)argc;
    gdi_val e = two_strings(ev, a, "split");
    if (e.t == GDI_VT_ERROR) return e;
    if (a[1].n == 0) return ERR(ev, "split() needs a non-empty separator");
    const char *s = a[0].u.s, *sep = a[1].u.s;
    uint32_t n = a[0].n, sn = a[1].n, parts = 1;
    for (uint32_t i = 0; i + sn <= n;) {
        ptrdiff_t f = gdi_str_find(s + i, n - i, sep, sn);
        if (f < 0) break;
        parts++;
        i += (uint32_t)f + sn;
    }
    gdi_val *items = gdi_eval_alloc(ev, sizeof *items * parts);
    if (!items) return ERR(ev, "out of memory");
    uint32_t k = 0, start = 0;
    for (uint32_t i = 0; i + sn <= n;) {
        ptrdiff_t f = gdi_str_find(s + i, n - i, sep, sn);
        if (f < 0) break;
        items[k++] = gdi_v_str(s + start, (uint32_t)(i + (uint32_t)f - start));
        i += (uint32_t)f + sn;
        start = i;
    }
    items[k++] = gdi_v_str(s + start, n - start);
    return gdi_v_list(items, k);
}

/* Shortest text that reads back as the same double. */
static int fmt_double(char *buf, size_t n, double d)
{
    if (d == trunc(d) && fabs(d) < 1e15) return snprintf(buf, n, "%.0f", d);
    for (int prec = 15; prec <= 17; prec++) {
        int k = snprintf(buf, n, "%.*g", prec, d);
        if (strtod(buf, NULL) == d) return k;
    }
    return snprintf(buf, n, "%.17g", d);
}

/* Text of a scalar for join()/string(); NULL (and *err) when not a scalar. */
static bool scalar_text(gdi_eval *ev, const gdi_val *v, char *buf, size_t bn, gd_str *out)
{
    (void)ev;
    switch ((gdi_vtag)v->t) {
    case GDI_VT_STR: *out = (gd_str){v->u.s, v->n}; return true;
    case GDI_VT_INT: *out = (gd_str){buf, (size_t)snprintf(buf, bn, "%" PRId64, v->u.i)}; return true;
    case GDI_VT_DBL: *out = (gd_str){buf, (size_t)fmt_double(buf, bn, v->u.d)}; return true;
    case GDI_VT_BOOL: *out = v->b ? GD_STR_LIT("true") : GD_STR_LIT("false"); return true;
    case GDI_VT_NULL: *out = GD_STR_LIT("null"); return true;
    default: return false;
    }
}

static gdi_val bi_join(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)argc;
    if (a[1].t != GDI_VT_STR) return ERR(ev, "join() needs a string separator, got %s", tn(&a[1]));
    if (a[0].t == GDI_VT_NULL) return gdi_v_str("", 0);
    if (!gdi_val_is_list(&a[0])) return ERR(ev, "join() needs a list, got %s", tn(&a[0]));
    uint32_t n;
    gdi_val *items = gdi_list_elems(ev, &a[0], &n);
    if (!items) return ERR(ev, "out of memory");
    size_t total = 0;
    char buf[40];
    for (uint32_t i = 0; i < n; i++) {
        gd_str t;
        if (items[i].t == GDI_VT_UNKNOWN) return gdi_v_unknown();
        if (items[i].t == GDI_VT_ERROR) return items[i];
        if (!scalar_text(ev, &items[i], buf, sizeof buf, &t))
            return ERR(ev, "join() needs a list of strings, found %s", tn(&items[i]));
        total += t.n + (i ? a[1].n : 0);
    }
    if (total > UINT32_MAX / 2) return ERR(ev, "join(): result too long");
    char *o = gdi_eval_alloc(ev, total ? total : 1);
    if (!o) return ERR(ev, "out of memory");
    size_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        gd_str t = {"", 0};
        scalar_text(ev, &items[i], buf, sizeof buf, &t); /* succeeded in the first pass */
        if (i && a[1].n) {
            memcpy(o + k, a[1].u.s, a[1].n);
            k += a[1].n;
        }
        if (t.n) memcpy(o + k, t.p, t.n);
        k += t.n;
    }
    return gdi_v_str(o, k);
}

/* Strict number syntax: optional sign, digits, optional fraction and
 * exponent (JSON's grammar, plus a leading '+'). */
static bool number_syntax(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) i++;
    size_t d0 = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    if (i == d0) return false;
    if (i < n && s[i] == '.') {
        i++;
        size_t f0 = i;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
        if (i == f0) return false;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+')) i++;
        size_t e0 = i;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
        if (i == e0) return false;
    }
    return i == n;
}

static gdi_val bi_number(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)argc;
    if (a[0].t == GDI_VT_INT || a[0].t == GDI_VT_DBL) return a[0];
    if (a[0].t != GDI_VT_STR) return ERR(ev, "number() needs a number or a string, got %s", tn(&a[0]));
    const char *s = a[0].u.s;
    size_t n = a[0].n;
    while (n && is_space(s[0])) {
        s++;
        n--;
    }
    while (n && is_space(s[n - 1])) n--;
    if (!number_syntax(s, n))
        return ERR(ev, "number(): \"%.*s\" is not a number", (int)(n > 40 ? 40 : n), s);
    int64_t i;
    if (gdi_numtext_i64(s, n, &i)) return gdi_v_int(i);
    double d = gdi_numtext_f64(s, n);
    if (!isfinite(d)) return ERR(ev, "number(): \"%.*s\" is out of range", (int)(n > 40 ? 40 : n), s);
    return gdi_v_dbl(d);
}

static gdi_val copy_str(gdi_eval *ev, const char *s, size_t n)
{
    char *o = gdi_eval_alloc(ev, n ? n : 1);
    if (!o) return ERR(ev, "out of memory");
    if (n) memcpy(o, s, n);
    return gdi_v_str(o, n);
}

static gdi_val bi_string(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)argc;
    char buf[40];
    gd_str t;
    if (a[0].t == GDI_VT_STR) return a[0];
    if (scalar_text(ev, &a[0], buf, sizeof buf, &t)) return copy_str(ev, t.p, t.n);
    /* lists and objects: their JSON text */
    gdi_buf b;
    gdi_buf_init(&b, ev->ctx);
    gdi_val_write(&b, &a[0]);
    gdi_val r = b.oom ? ERR(ev, "out of memory") : copy_str(ev, gdi_buf_cstr(&b), b.n);
    gdi_buf_free(&b);
    return r;
}

/* ------------------------------------------------------------- inspection */

static gdi_val bi_type(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)ev;
    (void)argc;
    const char *n = gdi_val_type_name(&a[0]);
    return gdi_v_str(n, strlen(n));
}

static gdi_val bi_is_null(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)ev;
    (void)argc;
    return gdi_v_bool(a[0].t == GDI_VT_NULL);
}

static gdi_val bi_is_unknown(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)ev;
    (void)argc;
    return gdi_v_bool(a[0].t == GDI_VT_UNKNOWN);
}

static gdi_val bi_is_known(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)ev;
    (void)argc;
    return gdi_v_bool(a[0].t != GDI_VT_UNKNOWN);
}

/* ------------------------------------------------------------ collections */

static gdi_val keys_values(gdi_eval *ev, const gdi_val *v, bool keys)
{
    if (v->t == GDI_VT_NULL) return gdi_v_list(NULL, 0);
    if (v->t != GDI_VT_NODE || v->u.node->type != GDI_OBJECT)
        return ERR(ev, "%s() needs an object, got %s", keys ? "keys" : "values", tn(v));
    const gdi_node *o = v->u.node;
    gdi_val *items = gdi_eval_alloc(ev, sizeof *items * (o->len ? o->len : 1));
    if (!items) return ERR(ev, "out of memory");
    const gdi_node *k = o + 1;
    uint32_t n = 0;
    for (uint32_t i = 0; i < o->len; i++) {
        const gdi_node *val = k + 1;
        /* with duplicate keys only the last member counts */
        if (!(o->flags & GDI_NF_DUPKEY) || gdi_obj_get(o, k->str, k->len) == val)
            items[n++] = keys ? gdi_v_str(k->str, k->len) : gdi_val_from_node(val);
        k = val + val->skip;
    }
    return gdi_v_list(items, n);
}

static gdi_val bi_keys(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)argc;
    return keys_values(ev, &a[0], true);
}

static gdi_val bi_values(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)argc;
    return keys_values(ev, &a[0], false);
}

static gdi_val bi_flatten(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)argc;
    if (a[0].t == GDI_VT_NULL) return gdi_v_list(NULL, 0);
    if (!gdi_val_is_list(&a[0])) return ERR(ev, "flatten() needs a list, got %s", tn(&a[0]));
    uint32_t n;
    gdi_val *items = gdi_list_elems(ev, &a[0], &n);
    if (!items) return ERR(ev, "out of memory");
    uint64_t total = 0;
    for (uint32_t i = 0; i < n; i++)
        total += gdi_val_is_list(&items[i]) ? gdi_val_len(&items[i]) : 1;
    if (total > UINT32_MAX / 2) return ERR(ev, "flatten(): result too long");
    gdi_val *out = gdi_eval_alloc(ev, sizeof *out * (total ? total : 1));
    if (!out) return ERR(ev, "out of memory");
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (!gdi_val_is_list(&items[i])) {
            out[k++] = items[i];
            continue;
        }
        uint32_t m;
        gdi_val *sub = gdi_list_elems(ev, &items[i], &m);
        if (!sub) return ERR(ev, "out of memory");
        memcpy(out + k, sub, sizeof *sub * m);
        k += m;
    }
    return gdi_v_list(out, k);
}

/* ------------------------------------------------------------------ json */

gdi_doc *gdi_eval_doc(gdi_eval *ev)
{
    if (!ev->jctx && gdi_ctx_clone(ev->ctx, &ev->jctx) != GD_OK) {
        ev->nomem = true;
        return NULL;
    }
    if (ev->useddocs == ev->ndocs) {
        if (ev->ndocs == ev->capdocs) {
            uint32_t cap = ev->capdocs ? ev->capdocs * 2 : 4;
            gdi_doc **d = gdi_realloc(ev->ctx, ev->docs, sizeof *d * cap);
            if (!d) {
                ev->nomem = true;
                return NULL;
            }
            ev->docs = d;
            ev->capdocs = cap;
        }
        gdi_doc *d = gdi_calloc(ev->ctx, 1, sizeof *d);
        if (!d) {
            ev->nomem = true;
            return NULL;
        }
        if (gdi_doc_init(d, ev->jctx, "json") != GD_OK) {
            gdi_doc_free(d);
            gdi_free(ev->ctx, d);
            ev->nomem = true;
            return NULL;
        }
        ev->docs[ev->ndocs++] = d;
    } else {
        gdi_doc_reset(ev->docs[ev->useddocs]);
    }
    return ev->docs[ev->useddocs++];
}

static gdi_val bi_json(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)argc;
    if (a[0].t == GDI_VT_NULL) return a[0];
    if (a[0].t != GDI_VT_STR) return need_str(ev, "json", &a[0]);
    for (uint32_t i = 0; i < ev->njcache && i < 8; i++)
        if (ev->jcache[i].p == a[0].u.s && ev->jcache[i].n == a[0].n) return ev->jcache[i].v;
    gdi_doc *d = gdi_eval_doc(ev);
    if (!d) return ERR(ev, "out of memory");
    gd_status st = gdi_json_parse(d, a[0].u.s, a[0].n);
    gdi_val r;
    if (st == GD_NOMEM) {
        ev->nomem = true;
        r = ERR(ev, "out of memory");
    } else if (st != GD_OK) {
        size_t nd = gd_ctx_diag_count(ev->jctx);
        const char *m = nd ? gd_ctx_diag(ev->jctx, nd - 1, NULL) : NULL;
        r = ERR(ev, "json(): invalid JSON: %s", m ? m : gd_status_str(st));
        gd_ctx_clear_diags(ev->jctx);
        gdi_doc_reset(d);
    } else {
        r = gdi_val_from_node(gdi_doc_root(d));
    }
    gdi_json_cache *c = &ev->jcache[ev->njcache % 8];
    c->p = a[0].u.s;
    c->n = a[0].n;
    c->v = r;
    ev->njcache++;
    return r;
}

/* -------------------------------------------------------------- networks */

/* Parse a CIDR argument. Returns 1 parsed, 0 empty string, -1 error (*e). */
static int net_arg(gdi_eval *ev, const char *fn, const gdi_val *v, gdi_net *n, gdi_val *e)
{
    if (v->t != GDI_VT_STR) {
        *e = ERR(ev, "%s() needs a CIDR string, got %s", fn, tn(v));
        return -1;
    }
    size_t len = v->n;
    const char *s = v->u.s;
    while (len && is_space(*s)) {
        s++;
        len--;
    }
    if (len == 0) return 0;
    if (!gdi_net_parse(v->u.s, v->n, n)) {
        *e = ERR(ev, "%s(): \"%.*s\" is not an IP address or CIDR block", fn,
                 (int)(v->n > 60 ? 60 : v->n), v->u.s);
        return -1;
    }
    return 1;
}

static gdi_val bi_cidr_is_public(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)argc;
    gdi_net n;
    gdi_val e;
    int k = net_arg(ev, "cidr_is_public", &a[0], &n, &e);
    if (k < 0) return e;
    return gdi_v_bool(k > 0 && gdi_net_is_public(&n));
}

static gdi_val bi_cidr_is_any(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)argc;
    gdi_net n;
    gdi_val e;
    int k = net_arg(ev, "cidr_is_any", &a[0], &n, &e);
    if (k < 0) return e;
    return gdi_v_bool(k > 0 && gdi_net_is_any(&n));
}

static gdi_val bi_cidr_contains(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)argc;
    gdi_net x, y;
    gdi_val e;
    int k1 = net_arg(ev, "cidr_contains", &a[0], &x, &e);
    if (k1 < 0) return e;
    int k2 = net_arg(ev, "cidr_contains", &a[1], &y, &e);
    if (k2 < 0) return e;
    if (!k1 || !k2) return gdi_v_bool(false);
    if (x.any) x.prefix = 0;
    if (y.any) y.prefix = 0;
    return gdi_v_bool(gdi_net_contains(&x, &y));
}

/* ------------------------------------------------------------------ ports */

/* A port number argument: integer 0..65535 (or -1 when allow_all), from a
 * number or a numeric string. */
static bool port_arg(gdi_eval *ev, const char *fn, const char *what, const gdi_val *v,
                     bool allow_all, int64_t *out, gdi_val *e)
{
    int64_t p;
    if (v->t == GDI_VT_INT) {
        p = v->u.i;
    } else if (v->t == GDI_VT_DBL && v->u.d == trunc(v->u.d) && fabs(v->u.d) < 1e9) {
        p = (int64_t)v->u.d;
    } else if (v->t == GDI_VT_STR) {
        const char *s = v->u.s;
        size_t n = v->n;
        while (n && is_space(s[0])) {
            s++;
            n--;
        }
        while (n && is_space(s[n - 1])) n--;
        if (!gdi_numtext_i64(s, n, &p)) {
            *e = ERR(ev, "%s(): %s \"%.*s\" is not a port number", fn, what,
                     (int)(v->n > 40 ? 40 : v->n), v->u.s);
            return false;
        }
    } else {
        *e = ERR(ev, "%s(): %s must be a port number, got %s", fn, what, tn(v));
        return false;
    }
    if (p < (allow_all ? -1 : 0) || p > 65535) {
        *e = ERR(ev, "%s(): %s %" PRId64 " is not a port number", fn, what, p);
        return false;
    }
    *out = p;
    return true;
}

/* Port ranges from a range argument (string or number). */
static bool ranges_arg(gdi_eval *ev, const char *fn, const gdi_val *v, gdi_ports *r, size_t max,
                       size_t *n, gdi_val *e)
{
    if (v->t == GDI_VT_INT || v->t == GDI_VT_DBL) {
        int64_t p;
        if (!port_arg(ev, fn, "range", v, true, &p, e)) return false;
        r[0].lo = p < 0 ? 0 : (int32_t)p;
        r[0].hi = p < 0 ? 65535 : (int32_t)p;
        *n = 1;
        return true;
    }
    if (v->t != GDI_VT_STR) {
        *e = ERR(ev, "%s() needs a port range string, got %s", fn, tn(v));
        return false;
    }
    if (!gdi_ports_parse(v->u.s, v->n, r, max, n)) {
        *e = ERR(ev, "%s(): \"%.*s\" is not a port range", fn, (int)(v->n > 40 ? 40 : v->n),
                 v->u.s);
        return false;
    }
    return true;
}

static gdi_val bi_port_in(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)argc;
    gdi_ports r[32];
    size_t n;
    gdi_val e;
    int64_t port;
    if (!ranges_arg(ev, "port_in", &a[0], r, 32, &n, &e)) return e;
    if (!port_arg(ev, "port_in", "port", &a[1], false, &port, &e)) return e;
    for (size_t i = 0; i < n; i++)
        if (port >= r[i].lo && port <= r[i].hi) return gdi_v_bool(true);
    return gdi_v_bool(false);
}

static gdi_val bi_ports_overlap(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    (void)argc;
    int64_t from, to, port;
    gdi_val e;
    if (!port_arg(ev, "ports_overlap", "from", &a[0], true, &from, &e)) return e;
    if (!port_arg(ev, "ports_overlap", "to", &a[1], true, &to, &e)) return e;
    if (!port_arg(ev, "ports_overlap", "port", &a[2], false, &port, &e)) return e;
    if (from == -1 || to == -1) return gdi_v_bool(true);
    return gdi_v_bool(from <= port && port <= to);
}

static gdi_val bi_is_all_ports(gdi_eval *ev, const gdi_val *a, uint32_t argc)
{
    gdi_val e;
    if (argc == 2) {
        int64_t from, to;
        if (!port_arg(ev, "is_all_ports", "from", &a[0], true, &from, &e)) return e;
        if (!port_arg(ev, "is_all_ports", "to", &a[1], true, &to, &e)) return e;
        if (from == -1 || to == -1) return gdi_v_bool(true);
        return gdi_v_bool(from <= 1 && to >= 65535);
    }
    gdi_ports r[32];
    size_t n;
    if (!ranges_arg(ev, "is_all_ports", &a[0], r, 32, &n, &e)) return e;
    for (size_t i = 0; i < n; i++)
        if (r[i].lo <= 1 && r[i].hi >= 65535) return gdi_v_bool(true);
    return gdi_v_bool(false);
}
