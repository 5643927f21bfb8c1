/*
 * funcs.c — Terraform's built-in functions that configurations commonly
 * use: strings, collections, numbers, encodings, IP networks, hashes and
 * type conversions.
 *
 * One X-macro list names every function with its arity and how it treats
 * unknown arguments:
 *   UK_ANY   the result is unknown when any argument contains an unknown
 *            anywhere (most functions: the output depends on every byte);
 *   UK_TOP   only a wholly unknown argument makes the result unknown;
 *            unknown elements pass through (length, concat, merge, keys...).
 * Functions whose result cannot be known before apply (timestamp, uuid,
 * ...) return unknown. The file functions (file, templatefile, fileexists,
 * fileset, filebase64, filemd5/sha*) read the file system relative to the
 * root module's directory (file reads go through config.c, which keeps
 * what it read); regex, regexall and replace with a /pattern/ are in
 * regex.c.
 * A function not in the list gives a warning and an unknown value, so a
 * rule depending on it reports `unknown`, never a false failure.
 *
 * Strings are UTF-8; length, substr and strrev count code points. IPv4
 * and IPv6 prefixes are supported by the cidr* functions (IPv6 needs the
 * compiler's 128-bit integers; without them an IPv6 prefix is an error).
 */
#include "hcli.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

enum { UK_ANY, UK_TOP };

typedef gd_status (*hfn)(hcl_ev *ev, const hcl_expr *e, const hcl_val **a, uint32_t n,
                         const hcl_val **out);

#define FN(name) static gd_status fn_##name(hcl_ev *ev, const hcl_expr *e, const hcl_val **a, \
                                            uint32_t n, const hcl_val **out)

/* ---------------------------------------------------------- helpers */

static gd_status bad(hcl_ev *ev, const hcl_expr *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static gd_status bad(hcl_ev *ev, const hcl_expr *e, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return gdi_hcl_everr(ev, e, "%.*s(): %s", (int)e->name.n, e->name.p, msg);
}

/* A primitive as a string: GD_OK, GD_INVALID when v is not a primitive
 * (nothing reported: the caller words the error), GD_NOMEM. */
static gd_status arg_str(hcl_ev *ev, const hcl_val *v, gd_str *out)
{
    hcl_val *s;
    if (v->kind == HV_NULL || v->kind == HV_LIST || v->kind == HV_OBJ || v->kind == HV_UNK)
        return GD_INVALID;
    if (!gdi_hv_to_string(ev->arena, v, &s)) return GD_NOMEM;
    *out = (gd_str){s->u.s, s->n};
    return GD_OK;
}

#define STR_ARG(i, var)                                                                            \
    gd_str var;                                                                                    \
    do {                                                                                           \
        gd_status sa_ = arg_str(ev, a[i], &var);                                                   \
        if (sa_ == GD_NOMEM) return sa_;                                                           \
        if (sa_)                                                                                   \
            return bad(ev, e, "argument %u must be a string, not %s", (unsigned)(i) + 1,          \
                       gdi_hv_type_name(a[i]));                                                    \
    } while (0)
#define NUM_ARG(i, var)                                                                            \
    double var;                                                                                    \
    if (!gdi_hv_to_number(a[i], &var))                                                             \
        return bad(ev, e, "argument %u must be a number, not %s", (unsigned)(i) + 1,              \
                   gdi_hv_type_name(a[i]));
#define LIST_ARG(i)                                                                                \
    if (a[i]->kind != HV_LIST)                                                                     \
        return bad(ev, e, "argument %u must be a list, not %s", (unsigned)(i) + 1,                \
                   gdi_hv_type_name(a[i]));
#define OBJ_ARG(i)                                                                                 \
    if (a[i]->kind != HV_OBJ)                                                                      \
        return bad(ev, e, "argument %u must be a map or object, not %s", (unsigned)(i) + 1,       \
                   gdi_hv_type_name(a[i]));

static gd_status ret_str(hcl_ev *ev, const hcl_expr *e, const char *s, size_t n,
                         const hcl_val **out)
{
    *out = gdi_hv_strdup(ev->arena, s, n, e->file, e->pos);
    return *out ? GD_OK : GD_NOMEM;
}

static gd_status ret_buf(hcl_ev *ev, const hcl_expr *e, gdi_buf *b, const hcl_val **out)
{
    gd_status st = b->oom ? GD_NOMEM : ret_str(ev, e, b->n ? b->p : "", b->n, out);
    gdi_buf_free(b);
    return st;
}

static gd_status ret_num(hcl_ev *ev, const hcl_expr *e, double d, const hcl_val **out)
{
    *out = gdi_hv_num(ev->arena, d, e->file, e->pos);
    return *out ? GD_OK : GD_NOMEM;
}

static gd_status ret_bool(bool b, const hcl_val **out)
{
    *out = b ? &gdi_hcl_true : &gdi_hcl_false;
    return GD_OK;
}

static gd_status ret_list(hcl_ev *ev, const hcl_expr *e, hcl_val **items, uint32_t n,
                          uint8_t flags, const hcl_val **out)
{
    *out = gdi_hv_list(ev->arena, items, n, flags, e->file, e->pos);
    return *out ? GD_OK : GD_NOMEM;
}

static hcl_val **items_alloc(hcl_ev *ev, size_t n)
{
    return gdi_arena_alloc(ev->arena, (n ? n : 1) * sizeof(hcl_val *));
}

static size_t utf8_len(gd_str s)
{
    size_t c = 0;
    for (size_t i = 0; i < s.n; i++)
        if (((unsigned char)s.p[i] & 0xC0) != 0x80) c++;
    return c;
}

/* Byte offset of code point index ci (clamped to the end). */
static size_t utf8_off(gd_str s, size_t ci)
{
    size_t c = 0;
    for (size_t i = 0; i < s.n; i++) {
        if (((unsigned char)s.p[i] & 0xC0) != 0x80) {
            if (c == ci) return i;
            c++;
        }
    }
    return s.n;
}

/* ---------------------------------------------------------- strings */

FN(lower)
{
    STR_ARG(0, s);
    char *c = gdi_arena_strndup(ev->arena, s.p, s.n);
    if (!c) return GD_NOMEM;
    for (size_t i = 0; i < s.n; i++)
        if (c[i] >= 'A' && c[i] <= 'Z') c[i] = (char)(c[i] - 'A' + 'a');
    *out = gdi_hv_str(ev->arena, c, s.n, e->file, e->pos);
    return *out ? GD_OK : GD_NOMEM;
}

FN(upper)
{
    STR_ARG(0, s);
    char *c = gdi_arena_strndup(ev->arena, s.p, s.n);
    if (!c) return GD_NOMEM;
    for (size_t i = 0; i < s.n; i++)
        if (c[i] >= 'a' && c[i] <= 'z') c[i] = (char)(c[i] - 'a' + 'A');
    *out = gdi_hv_str(ev->arena, c, s.n, e->file, e->pos);
    return *out ? GD_OK : GD_NOMEM;
}

FN(title)
{
    STR_ARG(0, s);
    char *c = gdi_arena_strndup(ev->arena, s.p, s.n);
    if (!c) return GD_NOMEM;
    bool start = true;
    for (size_t i = 0; i < s.n; i++) {
        bool letter = (c[i] >= 'a' && c[i] <= 'z') || (c[i] >= 'A' && c[i] <= 'Z') ||
                      (c[i] >= '0' && c[i] <= '9') || (unsigned char)c[i] >= 0x80;
        if (start && c[i] >= 'a' && c[i] <= 'z') c[i] = (char)(c[i] - 'a' + 'A');
        start = !letter;
    }
    *out = gdi_hv_str(ev->arena, c, s.n, e->file, e->pos);
    return *out ? GD_OK : GD_NOMEM;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

FN(trimspace)
{
    STR_ARG(0, s);
    while (s.n && is_space(*s.p)) {
        s.p++;
        s.n--;
    }
    while (s.n && is_space(s.p[s.n - 1])) s.n--;
    return ret_str(ev, e, s.p, s.n, out);
}

FN(chomp)
{
    STR_ARG(0, s);
    while (s.n && (s.p[s.n - 1] == '\n' || s.p[s.n - 1] == '\r')) s.n--;
    return ret_str(ev, e, s.p, s.n, out);
}

FN(trim)
{
    STR_ARG(0, s);
    STR_ARG(1, cut);
    while (s.n && cut.n && memchr(cut.p, s.p[0], cut.n)) {
        s.p++;
        s.n--;
    }
    while (s.n && cut.n && memchr(cut.p, s.p[s.n - 1], cut.n)) s.n--;
    return ret_str(ev, e, s.p, s.n, out);
}

FN(trimprefix)
{
    STR_ARG(0, s);
    STR_ARG(1, p);
    if (s.n >= p.n && memcmp(s.p, p.p, p.n) == 0) {
        s.p += p.n;
        s.n -= p.n;
    }
    return ret_str(ev, e, s.p, s.n, out);
}

FN(trimsuffix)
{
    STR_ARG(0, s);
    STR_ARG(1, p);
    if (s.n >= p.n && memcmp(s.p + s.n - p.n, p.p, p.n) == 0) s.n -= p.n;
    return ret_str(ev, e, s.p, s.n, out);
}

FN(startswith)
{
    STR_ARG(0, s);
    STR_ARG(1, p);
    return ret_bool(s.n >= p.n && memcmp(s.p, p.p, p.n) == 0, out);
}

FN(endswith)
{
    STR_ARG(0, s);
    STR_ARG(1, p);
    return ret_bool(s.n >= p.n && memcmp(s.p + s.n - p.n, p.p, p.n) == 0, out);
}

static const char *find_sub(gd_str s, size_t from, gd_str sub)
{
    if (sub.n == 0 || s.n < sub.n) return NULL;
    for (size_t i = from; i + sub.n <= s.n; i++)
        if (memcmp(s.p + i, sub.p, sub.n) == 0) return s.p + i;
    return NULL;
}

FN(strcontains)
{
    STR_ARG(0, s);
    STR_ARG(1, sub);
    return ret_bool(sub.n == 0 || find_sub(s, 0, sub) != NULL, out);
}

FN(replace)
{
    STR_ARG(0, s);
    STR_ARG(1, sub);
    STR_ARG(2, rep);
    if (sub.n >= 2 && sub.p[0] == '/' && sub.p[sub.n - 1] == '/')
        return gdi_hcl_regex_replace(ev, e, s, (gd_str){sub.p + 1, sub.n - 2}, rep, out);
    if (!sub.n) return ret_str(ev, e, s.p, s.n, out);
    gdi_buf b;
    gdi_buf_init(&b, ev->ctx);
    size_t i = 0;
    const char *f;
    while ((f = find_sub(s, i, sub))) {
        gdi_buf_append(&b, s.p + i, (size_t)(f - (s.p + i)));
        gdi_buf_append(&b, rep.p, rep.n);
        i = (size_t)(f - s.p) + sub.n;
    }
    gdi_buf_append(&b, s.p + i, s.n - i);
    return ret_buf(ev, e, &b, out);
}

FN(regex)
{
    STR_ARG(0, pat);
    STR_ARG(1, s);
    return gdi_hcl_regex(ev, e, pat, s, false, out);
}

FN(regexall)
{
    STR_ARG(0, pat);
    STR_ARG(1, s);
    return gdi_hcl_regex(ev, e, pat, s, true, out);
}

FN(split)
{
    STR_ARG(0, sep);
    STR_ARG(1, s);
    size_t cnt = 1;
    if (sep.n)
        for (const char *f = find_sub(s, 0, sep); f; f = find_sub(s, (size_t)(f - s.p) + sep.n, sep))
            cnt++;
    else
        cnt = s.n ? utf8_len(s) : 1;
    hcl_val **items = items_alloc(ev, cnt);
    if (!items) return GD_NOMEM;
    size_t k = 0, i = 0;
    if (!sep.n) {
        for (size_t c = 0; c < cnt; c++) {
            size_t st = utf8_off(s, c), en = utf8_off(s, c + 1);
            if (!(items[k++] = gdi_hv_str(ev->arena, s.p + st, en - st, e->file, e->pos)))
                return GD_NOMEM;
        }
    } else {
        const char *f;
        while ((f = find_sub(s, i, sep))) {
            if (!(items[k++] = gdi_hv_str(ev->arena, s.p + i, (size_t)(f - (s.p + i)), e->file,
                                          e->pos)))
                return GD_NOMEM;
            i = (size_t)(f - s.p) + sep.n;
        }
        if (!(items[k++] = gdi_hv_str(ev->arena, s.p + i, s.n - i, e->file, e->pos)))
            return GD_NOMEM;
    }
    return ret_list(ev, e, items, (uint32_t)k, 0, out);
}

FN(join)
{
    STR_ARG(0, sep);
    gdi_buf b;
    gdi_buf_init(&b, ev->ctx);
    bool first = true;
    for (uint32_t k = 1; k < n; k++) {
        if (a[k]->kind != HV_LIST) {
            gdi_buf_free(&b);
            return bad(ev, e, "argument %u must be a list of strings", (unsigned)k + 1);
        }
        for (uint32_t i = 0; i < a[k]->n; i++) {
            gd_str s;
            gd_status sa = arg_str(ev, a[k]->u.c.items[i], &s);
            if (sa) {
                gdi_buf_free(&b);
                if (sa == GD_NOMEM) return sa;
                return bad(ev, e, "element %u is %s, not a string", (unsigned)i,
                           gdi_hv_type_name(a[k]->u.c.items[i]));
            }
            if (!first) gdi_buf_append(&b, sep.p, sep.n);
            gdi_buf_append(&b, s.p, s.n);
            first = false;
        }
    }
    return ret_buf(ev, e, &b, out);
}

FN(substr)
{
    STR_ARG(0, s);
    NUM_ARG(1, off);
    NUM_ARG(2, len);
    size_t total = utf8_len(s);
    if (off < 0) off += (double)total;
    if (off < 0) off = 0;
    if (off > (double)total) return bad(ev, e, "offset is beyond the end of the string");
    size_t st = utf8_off(s, (size_t)off);
    size_t en = (len < 0 || off + len > (double)total) ? s.n : utf8_off(s, (size_t)(off + len));
    return ret_str(ev, e, s.p + st, en - st, out);
}

FN(strrev)
{
    STR_ARG(0, s);
    char *c = gdi_arena_alloc(ev->arena, s.n + 1);
    if (!c) return GD_NOMEM;
    size_t o = s.n;
    for (size_t i = 0; i < s.n;) {
        size_t j = i + 1;
        while (j < s.n && ((unsigned char)s.p[j] & 0xC0) == 0x80) j++;
        o -= j - i;
        memcpy(c + o, s.p + i, j - i);
        i = j;
    }
    *out = gdi_hv_str(ev->arena, c, s.n, e->file, e->pos);
    return *out ? GD_OK : GD_NOMEM;
}

FN(indent)
{
    NUM_ARG(0, w);
    STR_ARG(1, s);
    gdi_buf b;
    gdi_buf_init(&b, ev->ctx);
    for (size_t i = 0; i < s.n; i++) {
        gdi_buf_putc(&b, s.p[i]);
        if (s.p[i] == '\n' && i + 1 <= s.n)
            for (int k = 0; k < (int)w && k < 1000; k++) gdi_buf_putc(&b, ' ');
    }
    return ret_buf(ev, e, &b, out);
}

/* format verbs: %% %s %d %f %e %g %t %v %#v %q %x %X %o %b with flags and width */
static void json_html(gdi_buf *b, const hcl_val *v);

/* The verb specs passed to snprintf are built from a whitelist of flags,
 * digits and one verb letter checked against the argument's type. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static gd_status format_one(hcl_ev *ev, const hcl_expr *e, gdi_buf *b, gd_str fmt,
                            const hcl_val **args, uint32_t nargs)
{
    uint32_t ai = 0;
    for (size_t i = 0; i < fmt.n; i++) {
        char c = fmt.p[i];
        if (c != '%') {
            gdi_buf_putc(b, c);
            continue;
        }
        if (++i >= fmt.n) return bad(ev, e, "format string ends with '%%'");
        if (fmt.p[i] == '%') {
            gdi_buf_putc(b, '%');
            continue;
        }
        char spec[32];
        size_t sn = 0;
        spec[sn++] = '%';
        bool sharp = false;
        while (i < fmt.n && strchr("-+ #0", fmt.p[i])) {
            if (fmt.p[i] == '#') sharp = true;
            else if (sn < 8) spec[sn++] = fmt.p[i];
            i++;
        }
        while (i < fmt.n && ((fmt.p[i] >= '0' && fmt.p[i] <= '9') || fmt.p[i] == '.'))
            if (sn < 20) spec[sn++] = fmt.p[i++];
            else i++;
        if (i >= fmt.n) return bad(ev, e, "unterminated format verb");
        char verb = fmt.p[i];
        if (ai >= nargs) return bad(ev, e, "not enough arguments for the format string");
        const hcl_val *v = args[ai++];
        char tmp[128];
        switch (verb) {
        case 's':
        case 'v':
        case 'q': {
            if (verb == 'v' && (sharp || v->kind == HV_LIST || v->kind == HV_OBJ)) {
                json_html(b, v);
                break;
            }
            gd_str s;
            gd_status sa = arg_str(ev, v, &s);
            if (sa == GD_NOMEM) return sa;
            if (sa) {
                if (v->kind == HV_NULL && verb == 'v') {
                    gdi_buf_puts(b, "null");
                    break;
                }
                return bad(ev, e, "%%%c needs a string, not %s", verb, gdi_hv_type_name(v));
            }
            if (verb == 'q') {
                gdi_buf_putc(b, '"');
                gdi_buf_json_escape(b, s.p, s.n);
                gdi_buf_putc(b, '"');
                break;
            }
            spec[sn++] = '.';
            spec[sn++] = '*';
            spec[sn++] = 's';
            spec[sn] = 0;
            int len = snprintf(NULL, 0, spec, (int)s.n, s.p);
            if (len >= 0 && (size_t)len < sizeof tmp) {
                snprintf(tmp, sizeof tmp, spec, (int)s.n, s.p);
                gdi_buf_append(b, tmp, (size_t)len);
            } else {
                gdi_buf_append(b, s.p, s.n);
            }
            break;
        }
        case 'd':
        case 'x':
        case 'X':
        case 'o':
        case 'b': {
            double d;
            if (!gdi_hv_to_number(v, &d) || d != floor(d))
                return bad(ev, e, "%%%c needs a whole number", verb);
            if (verb == 'b') {
                char bits[80];
                int k = 0;
                unsigned long long u = (unsigned long long)fabs(d);
                do {
                    bits[k++] = (char)('0' + (u & 1));
                    u >>= 1;
                } while (u && k < 70);
                if (d < 0) gdi_buf_putc(b, '-');
                while (k) gdi_buf_putc(b, bits[--k]);
                break;
            }
            spec[sn++] = 'l';
            spec[sn++] = 'l';
            spec[sn++] = verb == 'd' ? 'd' : verb;
            spec[sn] = 0;
            int len = snprintf(tmp, sizeof tmp, spec, (long long)d);
            if (len > 0) gdi_buf_append(b, tmp, (size_t)len < sizeof tmp ? (size_t)len : sizeof tmp - 1);
            break;
        }
        case 'f':
        case 'e':
        case 'g':
        case 'E':
        case 'G': {
            double d;
            if (!gdi_hv_to_number(v, &d)) return bad(ev, e, "%%%c needs a number", verb);
            spec[sn++] = verb;
            spec[sn] = 0;
            int len = snprintf(tmp, sizeof tmp, spec, d);
            if (len > 0) gdi_buf_append(b, tmp, (size_t)len < sizeof tmp ? (size_t)len : sizeof tmp - 1);
            break;
        }
        case 't': {
            bool t;
            if (!gdi_hv_to_bool(v, &t)) return bad(ev, e, "%%t needs a bool");
            gdi_buf_puts(b, t ? "true" : "false");
            break;
        }
        default: return bad(ev, e, "unsupported format verb '%%%c'", verb);
        }
    }
    if (ai < nargs) return bad(ev, e, "too many arguments for the format string");
    return GD_OK;
}
#pragma GCC diagnostic pop

FN(format)
{
    STR_ARG(0, f);
    gdi_buf b;
    gdi_buf_init(&b, ev->ctx);
    gd_status st = format_one(ev, e, &b, f, a + 1, n - 1);
    if (st) {
        gdi_buf_free(&b);
        return st;
    }
    return ret_buf(ev, e, &b, out);
}

FN(formatlist)
{
    STR_ARG(0, f);
    uint32_t len = UINT32_MAX;
    for (uint32_t i = 1; i < n; i++)
        if (a[i]->kind == HV_LIST) {
            if (len != UINT32_MAX && a[i]->n != len)
                return bad(ev, e, "all list arguments must have the same length");
            len = a[i]->n;
        }
    if (len == UINT32_MAX) len = 1;
    hcl_val **items = items_alloc(ev, len);
    const hcl_val **row = gdi_arena_alloc(ev->arena, (n ? n : 1) * sizeof *row);
    if (!items || !row) return GD_NOMEM;
    for (uint32_t k = 0; k < len; k++) {
        for (uint32_t i = 1; i < n; i++) row[i - 1] = a[i]->kind == HV_LIST ? a[i]->u.c.items[k] : a[i];
        gdi_buf b;
        gdi_buf_init(&b, ev->ctx);
        gd_status st = format_one(ev, e, &b, f, row, n - 1);
        if (st) {
            gdi_buf_free(&b);
            return st;
        }
        const hcl_val *s;
        if ((st = ret_buf(ev, e, &b, &s))) return st;
        items[k] = (hcl_val *)s;
    }
    return ret_list(ev, e, items, len, 0, out);
}

/* ------------------------------------------------------ collections */

FN(length)
{
    const hcl_val *v = a[0];
    if (v->kind == HV_STR) return ret_num(ev, e, (double)utf8_len((gd_str){v->u.s, v->n}), out);
    if (v->kind == HV_LIST || v->kind == HV_OBJ) return ret_num(ev, e, v->n, out);
    return bad(ev, e, "cannot take the length of a %s", gdi_hv_type_name(v));
}

FN(concat)
{
    size_t total = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (a[i]->kind == HV_UNK) {
            *out = &gdi_hcl_unknown;
            return GD_OK;
        }
        LIST_ARG(i);
        total += a[i]->n;
    }
    hcl_val **items = items_alloc(ev, total);
    if (!items) return GD_NOMEM;
    size_t k = 0;
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < a[i]->n; j++) items[k++] = a[i]->u.c.items[j];
    return ret_list(ev, e, items, (uint32_t)k, HVF_TUPLE, out);
}

FN(merge)
{
    size_t total = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (a[i]->kind == HV_NULL) continue;
        OBJ_ARG(i);
        total += a[i]->n;
    }
    gd_str *keys = gdi_arena_alloc(ev->arena, (total ? total : 1) * sizeof *keys);
    hcl_val **vals = items_alloc(ev, total);
    if (!keys || !vals) return GD_NOMEM;
    size_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (a[i]->kind == HV_NULL) continue;
        for (uint32_t j = 0; j < a[i]->n; j++) {
            keys[k] = a[i]->u.c.keys[j];
            vals[k++] = a[i]->u.c.items[j];
        }
    }
    *out = gdi_hv_obj(ev->arena, keys, vals, (uint32_t)k, 0, e->file, e->pos, NULL);
    return *out ? GD_OK : GD_NOMEM;
}

FN(lookup)
{
    OBJ_ARG(0);
    STR_ARG(1, k);
    const hcl_val *v = gdi_hv_get(a[0], k);
    if (v) {
        *out = v;
        return GD_OK;
    }
    if (n >= 3) {
        *out = a[2];
        return GD_OK;
    }
    if (a[0]->flags & HVF_OPEN) {
        *out = &gdi_hcl_unknown;
        return GD_OK;
    }
    return bad(ev, e, "the map has no key \"%.*s\" and no default was given", (int)k.n, k.p);
}

FN(element)
{
    LIST_ARG(0);
    NUM_ARG(1, i);
    if (a[0]->n == 0) return bad(ev, e, "cannot use element() with an empty list");
    if (i < 0) return bad(ev, e, "the index must not be negative");
    *out = a[0]->u.c.items[(uint64_t)floor(i) % a[0]->n];
    return GD_OK;
}

FN(contains)
{
    LIST_ARG(0);
    for (uint32_t i = 0; i < a[0]->n; i++) {
        bool unk = false;
        if (gdi_hv_equal(a[0]->u.c.items[i], a[1], &unk)) return ret_bool(true, out);
    }
    return ret_bool(false, out);
}

FN(index)
{
    LIST_ARG(0);
    for (uint32_t i = 0; i < a[0]->n; i++) {
        bool unk = false;
        if (gdi_hv_equal(a[0]->u.c.items[i], a[1], &unk)) return ret_num(ev, e, i, out);
    }
    return bad(ev, e, "the value is not in the list");
}

FN(keys)
{
    OBJ_ARG(0);
    hcl_val **items = items_alloc(ev, a[0]->n);
    if (!items) return GD_NOMEM;
    for (uint32_t i = 0; i < a[0]->n; i++)
        if (!(items[i] = gdi_hv_str(ev->arena, a[0]->u.c.keys[i].p, a[0]->u.c.keys[i].n, e->file,
                                    e->pos)))
            return GD_NOMEM;
    return ret_list(ev, e, items, a[0]->n, 0, out);
}

FN(values)
{
    OBJ_ARG(0);
    return ret_list(ev, e, a[0]->u.c.items, a[0]->n, 0, out);
}

FN(distinct)
{
    LIST_ARG(0);
    hcl_val **items = items_alloc(ev, a[0]->n);
    if (!items) return GD_NOMEM;
    uint32_t k = 0;
    for (uint32_t i = 0; i < a[0]->n; i++) {
        bool seen = false;
        for (uint32_t j = 0; j < k && !seen; j++) {
            bool unk = false;
            seen = gdi_hv_equal(items[j], a[0]->u.c.items[i], &unk);
        }
        if (!seen) items[k++] = a[0]->u.c.items[i];
    }
    return ret_list(ev, e, items, k, 0, out);
}

FN(compact)
{
    LIST_ARG(0);
    hcl_val **items = items_alloc(ev, a[0]->n);
    if (!items) return GD_NOMEM;
    uint32_t k = 0;
    for (uint32_t i = 0; i < a[0]->n; i++) {
        const hcl_val *x = a[0]->u.c.items[i];
        if (x->kind == HV_NULL || (x->kind == HV_STR && x->n == 0)) continue;
        items[k++] = (hcl_val *)x;
    }
    return ret_list(ev, e, items, k, 0, out);
}

static gd_status flatten_into(hcl_ev *ev, const hcl_expr *e, const hcl_val *v, hcl_val ***items,
                              size_t *k, size_t *cap, uint32_t depth)
{
    if (depth > 256) return bad(ev, e, "lists nested too deep");
    for (uint32_t i = 0; i < v->n; i++) {
        const hcl_val *x = v->u.c.items[i];
        if (x->kind == HV_LIST && !(x->flags & HVF_SET)) {
            gd_status st = flatten_into(ev, e, x, items, k, cap, depth + 1);
            if (st) return st;
            continue;
        }
        if (*k == *cap) {
            size_t nc = *cap ? *cap * 2 : 16;
            hcl_val **ni = items_alloc(ev, nc);
            if (!ni) return GD_NOMEM;
            if (*k) memcpy(ni, *items, *k * sizeof *ni);
            *items = ni;
            *cap = nc;
        }
        (*items)[(*k)++] = (hcl_val *)x;
    }
    return GD_OK;
}

FN(flatten)
{
    LIST_ARG(0);
    hcl_val **items = NULL;
    size_t k = 0, cap = 0;
    gd_status st = flatten_into(ev, e, a[0], &items, &k, &cap, 0);
    if (st) return st;
    return ret_list(ev, e, items, (uint32_t)k, HVF_TUPLE, out);
}

FN(coalesce)
{
    for (uint32_t i = 0; i < n; i++) {
        if (a[i]->kind == HV_NULL || (a[i]->kind == HV_STR && a[i]->n == 0)) continue;
        *out = a[i];
        return GD_OK;
    }
    return bad(ev, e, "no non-null, non-empty argument");
}

FN(coalescelist)
{
    for (uint32_t i = 0; i < n; i++) {
        LIST_ARG(i);
        if (a[i]->n) {
            *out = a[i];
            return GD_OK;
        }
    }
    return bad(ev, e, "no non-empty list");
}

FN(range)
{
    double start = 0, limit, step = 1;
    NUM_ARG(0, x);
    if (n == 1) {
        limit = x;
    } else {
        NUM_ARG(1, y);
        start = x;
        limit = y;
        if (n == 3) {
            NUM_ARG(2, z);
            step = z;
        }
    }
    if (n < 3 && limit < start) step = -1;
    if (step == 0) return bad(ev, e, "step must not be zero");
    double cnt = ceil((limit - start) / step);
    if (cnt < 0) cnt = 0;
    if (cnt > 1024 * 1024) return bad(ev, e, "more than 1048576 elements");
    hcl_val **items = items_alloc(ev, (size_t)cnt);
    if (!items) return GD_NOMEM;
    for (uint32_t i = 0; i < (uint32_t)cnt; i++)
        if (!(items[i] = gdi_hv_num(ev->arena, start + step * i, e->file, e->pos)))
            return GD_NOMEM;
    return ret_list(ev, e, items, (uint32_t)cnt, 0, out);
}

FN(zipmap)
{
    LIST_ARG(0);
    LIST_ARG(1);
    if (a[0]->n != a[1]->n) return bad(ev, e, "the lists have different lengths");
    gd_str *keys = gdi_arena_alloc(ev->arena, (a[0]->n ? a[0]->n : 1) * sizeof *keys);
    if (!keys) return GD_NOMEM;
    for (uint32_t i = 0; i < a[0]->n; i++) {
        gd_status sa = arg_str(ev, a[0]->u.c.items[i], &keys[i]);
        if (sa == GD_NOMEM) return sa;
        if (sa) return bad(ev, e, "keys must be strings");
    }
    *out = gdi_hv_obj(ev->arena, keys, a[1]->u.c.items, a[0]->n, 0, e->file, e->pos, NULL);
    return *out ? GD_OK : GD_NOMEM;
}

FN(slice)
{
    LIST_ARG(0);
    NUM_ARG(1, s);
    NUM_ARG(2, t);
    if (s < 0 || t > a[0]->n || s > t) return bad(ev, e, "invalid slice indexes");
    return ret_list(ev, e, a[0]->u.c.items + (uint32_t)s, (uint32_t)(t - s), HVF_TUPLE, out);
}

FN(reverse)
{
    LIST_ARG(0);
    hcl_val **items = items_alloc(ev, a[0]->n);
    if (!items) return GD_NOMEM;
    for (uint32_t i = 0; i < a[0]->n; i++) items[i] = a[0]->u.c.items[a[0]->n - 1 - i];
    return ret_list(ev, e, items, a[0]->n, HVF_TUPLE, out);
}

FN(sort)
{
    LIST_ARG(0);
    hcl_val **items = items_alloc(ev, a[0]->n);
    if (!items) return GD_NOMEM;
    for (uint32_t i = 0; i < a[0]->n; i++) {
        hcl_val *s;
        const hcl_val *x = a[0]->u.c.items[i];
        if (x->kind == HV_NULL || x->kind == HV_LIST || x->kind == HV_OBJ)
            return bad(ev, e, "elements must be strings");
        if (!gdi_hv_to_string(ev->arena, x, &s)) return GD_NOMEM;
        items[i] = s;
    }
    for (uint32_t i = 1; i < a[0]->n; i++) {
        hcl_val *x = items[i];
        uint32_t j = i;
        while (j && gdi_hv_strcmp((gd_str){items[j - 1]->u.s, items[j - 1]->n},
                                  (gd_str){x->u.s, x->n}) > 0) {
            items[j] = items[j - 1];
            j--;
        }
        items[j] = x;
    }
    return ret_list(ev, e, items, a[0]->n, 0, out);
}

FN(one)
{
    LIST_ARG(0);
    if (a[0]->n == 0) {
        *out = &gdi_hcl_null;
        return GD_OK;
    }
    if (a[0]->n > 1) return bad(ev, e, "the list has more than one element");
    *out = a[0]->u.c.items[0];
    return GD_OK;
}

FN(alltrue)
{
    LIST_ARG(0);
    for (uint32_t i = 0; i < a[0]->n; i++) {
        bool b;
        if (!gdi_hv_to_bool(a[0]->u.c.items[i], &b)) return bad(ev, e, "elements must be bools");
        if (!b) return ret_bool(false, out);
    }
    return ret_bool(true, out);
}

FN(anytrue)
{
    LIST_ARG(0);
    for (uint32_t i = 0; i < a[0]->n; i++) {
        bool b;
        if (!gdi_hv_to_bool(a[0]->u.c.items[i], &b)) return bad(ev, e, "elements must be bools");
        if (b) return ret_bool(true, out);
    }
    return ret_bool(false, out);
}

FN(sum)
{
    LIST_ARG(0);
    if (!a[0]->n) return bad(ev, e, "cannot sum an empty list");
    double s = 0;
    for (uint32_t i = 0; i < a[0]->n; i++) {
        double d;
        if (!gdi_hv_to_number(a[0]->u.c.items[i], &d)) return bad(ev, e, "elements must be numbers");
        s += d;
    }
    return ret_num(ev, e, s, out);
}

FN(chunklist)
{
    LIST_ARG(0);
    NUM_ARG(1, sz);
    if (sz < 0) return bad(ev, e, "the chunk size must not be negative");
    uint32_t size = sz == 0 ? (a[0]->n ? a[0]->n : 1) : (uint32_t)sz;
    uint32_t cnt = (a[0]->n + size - 1) / size;
    hcl_val **items = items_alloc(ev, cnt);
    if (!items) return GD_NOMEM;
    for (uint32_t i = 0; i < cnt; i++) {
        uint32_t st = i * size, m = a[0]->n - st < size ? a[0]->n - st : size;
        if (!(items[i] = gdi_hv_list(ev->arena, a[0]->u.c.items + st, m, 0, e->file, e->pos)))
            return GD_NOMEM;
    }
    return ret_list(ev, e, items, cnt, 0, out);
}

static gd_status make_set(hcl_ev *ev, const hcl_expr *e, hcl_val **items, uint32_t n,
                          const hcl_val **out)
{
    n = gdi_hcl_set_normalize(items, n);
    return ret_list(ev, e, items, n, HVF_SET, out);
}

FN(setunion)
{
    size_t total = 0;
    for (uint32_t i = 0; i < n; i++) {
        LIST_ARG(i);
        total += a[i]->n;
    }
    hcl_val **items = items_alloc(ev, total);
    if (!items) return GD_NOMEM;
    size_t k = 0;
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < a[i]->n; j++) items[k++] = a[i]->u.c.items[j];
    return make_set(ev, e, items, (uint32_t)k, out);
}

static bool in_list(const hcl_val *l, const hcl_val *x)
{
    for (uint32_t j = 0; j < l->n; j++) {
        bool unk = false;
        if (gdi_hv_equal(l->u.c.items[j], x, &unk)) return true;
    }
    return false;
}

FN(setintersection)
{
    for (uint32_t i = 0; i < n; i++) LIST_ARG(i);
    hcl_val **items = items_alloc(ev, a[0]->n);
    if (!items) return GD_NOMEM;
    uint32_t k = 0;
    for (uint32_t j = 0; j < a[0]->n; j++) {
        bool all = true;
        for (uint32_t i = 1; i < n && all; i++) all = in_list(a[i], a[0]->u.c.items[j]);
        if (all) items[k++] = a[0]->u.c.items[j];
    }
    return make_set(ev, e, items, k, out);
}

FN(setsubtract)
{
    LIST_ARG(0);
    LIST_ARG(1);
    hcl_val **items = items_alloc(ev, a[0]->n);
    if (!items) return GD_NOMEM;
    uint32_t k = 0;
    for (uint32_t j = 0; j < a[0]->n; j++)
        if (!in_list(a[1], a[0]->u.c.items[j])) items[k++] = a[0]->u.c.items[j];
    return make_set(ev, e, items, k, out);
}

/* ---------------------------------------------------------- numbers */

FN(min)
{
    if (!n) return bad(ev, e, "needs at least one argument");
    double m = INFINITY;
    for (uint32_t i = 0; i < n; i++) {
        NUM_ARG(i, d);
        if (d < m) m = d;
    }
    return ret_num(ev, e, m, out);
}

FN(max)
{
    if (!n) return bad(ev, e, "needs at least one argument");
    double m = -INFINITY;
    for (uint32_t i = 0; i < n; i++) {
        NUM_ARG(i, d);
        if (d > m) m = d;
    }
    return ret_num(ev, e, m, out);
}

FN(abs)
{
    NUM_ARG(0, d);
    return ret_num(ev, e, fabs(d), out);
}
FN(ceil)
{
    NUM_ARG(0, d);
    return ret_num(ev, e, ceil(d), out);
}
FN(floor)
{
    NUM_ARG(0, d);
    return ret_num(ev, e, floor(d), out);
}
FN(pow)
{
    NUM_ARG(0, x);
    NUM_ARG(1, y);
    return ret_num(ev, e, pow(x, y), out);
}
FN(signum)
{
    NUM_ARG(0, d);
    return ret_num(ev, e, d > 0 ? 1 : d < 0 ? -1 : 0, out);
}
FN(log)
{
    NUM_ARG(0, x);
    NUM_ARG(1, b);
    return ret_num(ev, e, log(x) / log(b), out);
}

FN(parseint)
{
    STR_ARG(0, s);
    NUM_ARG(1, base);
    if (base < 2 || base > 62) return bad(ev, e, "the base must be between 2 and 62");
    if (!s.n) return bad(ev, e, "cannot parse an empty string");
    size_t i = 0;
    bool neg = false;
    if (s.p[0] == '-' || s.p[0] == '+') {
        neg = s.p[0] == '-';
        i = 1;
    }
    double v = 0;
    if (i >= s.n) return bad(ev, e, "not a number");
    for (; i < s.n; i++) {
        char c = s.p[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'z' ? c - 'a' + 10
                : c >= 'A' && c <= 'Z' ? c - 'A' + (base <= 36 ? 10 : 36)
                                       : 99;
        if (d >= base) return bad(ev, e, "\"%.*s\" is not a base-%.0f number", (int)s.n, s.p, base);
        v = v * base + d;
    }
    return ret_num(ev, e, neg ? -v : v, out);
}

/* ---------------------------------------------------- conversions */

FN(tostring)
{
    if (a[0]->kind == HV_NULL) {
        *out = a[0];
        return GD_OK;
    }
    STR_ARG(0, s);
    return ret_str(ev, e, s.p, s.n, out);
}

FN(tonumber)
{
    if (a[0]->kind == HV_NULL) {
        *out = a[0];
        return GD_OK;
    }
    NUM_ARG(0, d);
    return ret_num(ev, e, d, out);
}

FN(tobool)
{
    if (a[0]->kind == HV_NULL) {
        *out = a[0];
        return GD_OK;
    }
    bool b;
    if (!gdi_hv_to_bool(a[0], &b)) return bad(ev, e, "cannot convert %s to bool", gdi_hv_type_name(a[0]));
    return ret_bool(b, out);
}

FN(tolist)
{
    if (a[0]->kind == HV_NULL) {
        *out = a[0];
        return GD_OK;
    }
    LIST_ARG(0);
    return ret_list(ev, e, a[0]->u.c.items, a[0]->n, 0, out);
}

FN(toset)
{
    if (a[0]->kind == HV_NULL) {
        *out = a[0];
        return GD_OK;
    }
    LIST_ARG(0);
    hcl_val **items = items_alloc(ev, a[0]->n);
    if (!items) return GD_NOMEM;
    /* a set of primitives holds one type: numbers and bools become strings when mixed */
    bool has_str = false;
    for (uint32_t i = 0; i < a[0]->n; i++)
        if (a[0]->u.c.items[i]->kind == HV_STR) has_str = true;
    for (uint32_t i = 0; i < a[0]->n; i++) {
        hcl_val *x = a[0]->u.c.items[i];
        if (has_str && (x->kind == HV_NUM || x->kind == HV_BOOL) &&
            !gdi_hv_to_string(ev->arena, x, &x))
            return GD_NOMEM;
        items[i] = x;
    }
    return make_set(ev, e, items, a[0]->n, out);
}

FN(tomap)
{
    if (a[0]->kind == HV_NULL) {
        *out = a[0];
        return GD_OK;
    }
    OBJ_ARG(0);
    *out = gdi_hv_obj(ev->arena, a[0]->u.c.keys, a[0]->u.c.items, a[0]->n, HVF_MAP, e->file,
                      e->pos, NULL);
    return *out ? GD_OK : GD_NOMEM;
}

/* -------------------------------------------------------- encodings */

/* JSON as Terraform's jsonencode writes it: compact, keys sorted, and
 * <, >, & escaped as \u003c, \u003e, \u0026. */
static void json_html(gdi_buf *b, const hcl_val *v)
{
    switch ((hcl_vk)v->kind) {
    case HV_STR: {
        gdi_buf_putc(b, '"');
        size_t run = 0;
        for (size_t i = 0; i < v->n; i++) {
            char c = v->u.s[i];
            const char *r = c == '<' ? "\\u003c" : c == '>' ? "\\u003e" : c == '&' ? "\\u0026" : NULL;
            if (!r) continue;
            gdi_buf_json_escape(b, v->u.s + run, i - run);
            gdi_buf_puts(b, r);
            run = i + 1;
        }
        gdi_buf_json_escape(b, v->u.s + run, v->n - run);
        gdi_buf_putc(b, '"');
        return;
    }
    case HV_LIST:
        gdi_buf_putc(b, '[');
        for (uint32_t i = 0; i < v->n; i++) {
            if (i) gdi_buf_putc(b, ',');
            json_html(b, v->u.c.items[i]);
        }
        gdi_buf_putc(b, ']');
        return;
    case HV_OBJ:
        gdi_buf_putc(b, '{');
        for (uint32_t i = 0; i < v->n; i++) {
            if (i) gdi_buf_putc(b, ',');
            hcl_val k = {.kind = HV_STR, .n = (uint32_t)v->u.c.keys[i].n,
                         .u.s = v->u.c.keys[i].p};
            json_html(b, &k);
            gdi_buf_putc(b, ':');
            json_html(b, v->u.c.items[i]);
        }
        gdi_buf_putc(b, '}');
        return;
    default: gdi_hv_to_json(b, v); return;
    }
}

FN(jsonencode)
{
    gdi_buf b;
    gdi_buf_init(&b, ev->ctx);
    json_html(&b, a[0]);
    return ret_buf(ev, e, &b, out);
}

FN(jsondecode)
{
    STR_ARG(0, s);
    gdi_doc d;
    gd_status st = gdi_doc_init(&d, ev->ctx, "jsondecode");
    if (st) return st;
    gd_ctx *tmp = NULL;
    /* parse errors belong to this call, not to the document: collect them
     * in a scratch context and report one message */
    if ((st = gdi_ctx_clone(ev->ctx, &tmp))) {
        gdi_doc_free(&d);
        return st;
    }
    d.ctx = tmp;
    st = gdi_json_parse(&d, s.p, s.n);
    d.ctx = ev->ctx;
    if (st == GD_OK) {
        const gdi_node *r = gdi_doc_root(&d);
        *out = r ? gdi_hv_from_node(ev->arena, r, e->file) : &gdi_hcl_null;
        if (*out) {
            /* positions of decoded values are those of the call */
            st = GD_OK;
        } else {
            st = GD_NOMEM;
        }
    } else if (tmp->diag_nomem) {
        st = GD_NOMEM; /* the parse error's text was lost */
    } else if (st != GD_NOMEM) {
        const char *m = gd_ctx_diag(tmp, 0, NULL);
        st = bad(ev, e, "invalid JSON: %s", m ? m : "syntax error");
    }
    gd_ctx_free(tmp);
    gdi_doc_free(&d);
    return st;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static gd_status b64_encode(hcl_ev *ev, const hcl_expr *e, const char *p, size_t n,
                            const hcl_val **out)
{
    gdi_buf b;
    gdi_buf_init(&b, ev->ctx);
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)(unsigned char)p[i] << 16;
        if (i + 1 < n) v |= (uint32_t)(unsigned char)p[i + 1] << 8;
        if (i + 2 < n) v |= (unsigned char)p[i + 2];
        char q[4] = {b64[(v >> 18) & 63], b64[(v >> 12) & 63],
                     i + 1 < n ? b64[(v >> 6) & 63] : '=', i + 2 < n ? b64[v & 63] : '='};
        gdi_buf_append(&b, q, 4);
    }
    return ret_buf(ev, e, &b, out);
}

FN(base64encode)
{
    STR_ARG(0, s);
    return b64_encode(ev, e, s.p, s.n, out);
}

FN(base64decode)
{
    STR_ARG(0, s);
    gdi_buf b;
    gdi_buf_init(&b, ev->ctx);
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (c == '=') break;
        const char *f = memchr(b64, c, 64);
        if (!f || !c) {
            gdi_buf_free(&b);
            return bad(ev, e, "invalid base64 data");
        }
        acc = (acc << 6) | (uint32_t)(f - b64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            gdi_buf_putc(&b, (char)((acc >> bits) & 0xFF));
        }
    }
    return ret_buf(ev, e, &b, out);
}

FN(urlencode)
{
    STR_ARG(0, s);
    gdi_buf b;
    gdi_buf_init(&b, ev->ctx);
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            gdi_buf_putc(&b, (char)c);
        } else if (c == ' ') {
            gdi_buf_putc(&b, '+');
        } else {
            char h[4];
            snprintf(h, sizeof h, "%%%02X", c);
            gdi_buf_append(&b, h, 3);
        }
    }
    return ret_buf(ev, e, &b, out);
}

static gd_status digest(hcl_ev *ev, const hcl_expr *e, const EVP_MD *md, gd_str s,
                        const hcl_val **out)
{
    unsigned char h[EVP_MAX_MD_SIZE];
    unsigned int hn = 0;
    if (!EVP_Digest(s.p, s.n, h, &hn, md, NULL)) return bad(ev, e, "digest failed");
    char hex[2 * EVP_MAX_MD_SIZE + 1];
    for (unsigned i = 0; i < hn; i++) snprintf(hex + 2 * i, 3, "%02x", h[i]);
    return ret_str(ev, e, hex, 2 * (size_t)hn, out);
}

/* base64 of the raw digest (base64sha256 and friends) */
static gd_status digest_b64(hcl_ev *ev, const hcl_expr *e, const EVP_MD *md, gd_str s,
                            const hcl_val **out)
{
    unsigned char h[EVP_MAX_MD_SIZE];
    unsigned int hn = 0;
    if (!EVP_Digest(s.p, s.n, h, &hn, md, NULL)) return bad(ev, e, "digest failed");
    return b64_encode(ev, e, (const char *)h, hn, out);
}

/* a digest of a string, as base64 (base64sha256 ...) or hex (md5 ...) */
#define STR_DIGEST(name, md, how)                                                                  \
    FN(name)                                                                                       \
    {                                                                                              \
        STR_ARG(0, s);                                                                             \
        return how(ev, e, md, s, out);                                                             \
    }
STR_DIGEST(base64sha256, EVP_sha256(), digest_b64)
STR_DIGEST(base64sha512, EVP_sha512(), digest_b64)
STR_DIGEST(md5, EVP_md5(), digest)
STR_DIGEST(sha1, EVP_sha1(), digest)
STR_DIGEST(sha256, EVP_sha256(), digest)
STR_DIGEST(sha512, EVP_sha512(), digest)
#undef STR_DIGEST

FN(basename)
{
    STR_ARG(0, s);
    while (s.n > 1 && s.p[s.n - 1] == '/') s.n--;
    size_t i = s.n;
    while (i && s.p[i - 1] != '/') i--;
    if (s.n == 1 && s.p[0] == '/') return ret_str(ev, e, "/", 1, out);
    return ret_str(ev, e, s.p + i, s.n - i, out);
}

FN(dirname)
{
    STR_ARG(0, s);
    size_t i = s.n;
    while (i && s.p[i - 1] != '/') i--;
    if (!i) return ret_str(ev, e, ".", 1, out);
    while (i > 1 && s.p[i - 1] == '/') i--;
    return ret_str(ev, e, s.p, i, out);
}

/* ------------------------------------------------------------ ipnet */

static bool parse_ipv4(gd_str s, uint32_t *ip, int *prefix)
{
    uint32_t v = 0;
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (i >= s.n || s.p[i] < '0' || s.p[i] > '9') return false;
        uint32_t o = 0;
        size_t st = i;
        while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9' && i - st < 4) o = o * 10 + (uint32_t)(s.p[i++] - '0');
        if (o > 255) return false;
        v = (v << 8) | o;
        if (part < 3) {
            if (i >= s.n || s.p[i] != '.') return false;
            i++;
        }
    }
    *ip = v;
    if (!prefix) return i == s.n;
    if (i >= s.n || s.p[i] != '/') return false;
    i++;
    int p = 0;
    size_t st = i;
    while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9' && i - st < 3) p = p * 10 + (s.p[i++] - '0');
    if (i != s.n || st == i || p > 32) return false;
    *prefix = p;
    return true;
}

static gd_status ret_ip(hcl_ev *ev, const hcl_expr *e, uint32_t ip, int prefix,
                        const hcl_val **out)
{
    char buf[32];
    int n = prefix >= 0 ? snprintf(buf, sizeof buf, "%u.%u.%u.%u/%d", ip >> 24, (ip >> 16) & 255,
                                   (ip >> 8) & 255, ip & 255, prefix)
                        : snprintf(buf, sizeof buf, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255,
                                   (ip >> 8) & 255, ip & 255);
    return ret_str(ev, e, buf, (size_t)n, out);
}

static uint32_t mask_of(int prefix)
{
    return prefix == 0 ? 0 : 0xFFFFFFFFu << (32 - prefix);
}

/* ---- IPv6: addresses as 128-bit integers, parsed and printed as Go's
 * net package does (the printed form is RFC 5952's: lowercase, the
 * longest run of two or more zero groups as "::", an IPv4-mapped address
 * in dotted form). */

#ifdef __SIZEOF_INT128__
__extension__ typedef unsigned __int128 u128;
#define HAVE_V6 1
#else
#define HAVE_V6 0
#endif

#if HAVE_V6
static u128 mask6(int prefix)
{
    return prefix == 0 ? 0 : ~(u128)0 << (128 - prefix);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Parse "addr/prefix" (or only addr when prefix is NULL). */
static bool parse_ipv6(gd_str s, u128 *ip, int *prefix)
{
    size_t end = s.n;
    const char *slash = memchr(s.p, '/', s.n);
    if (prefix) {
        if (!slash) return false;
        end = (size_t)(slash - s.p);
        size_t i = end + 1;
        int p = 0;
        size_t st = i;
        while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9' && i - st < 4) p = p * 10 + (s.p[i++] - '0');
        if (i != s.n || st == i || p > 128) return false;
        *prefix = p;
    } else if (slash) {
        return false;
    }
    uint16_t g[8];
    int ng = 0, ellipsis = -1;
    size_t i = 0;
    if (end >= 2 && s.p[0] == ':' && s.p[1] == ':') {
        ellipsis = 0;
        i = 2;
    }
    while (i < end) {
        /* a trailing dotted IPv4 address fills two groups */
        size_t j = i;
        while (j < end && s.p[j] != ':' && s.p[j] != '.') j++;
        if (j < end && s.p[j] == '.') {
            uint32_t v4;
            if (ng > 6 || !parse_ipv4((gd_str){s.p + i, end - i}, &v4, NULL)) return false;
            g[ng++] = (uint16_t)(v4 >> 16);
            g[ng++] = (uint16_t)(v4 & 0xFFFF);
            i = end;
            break;
        }
        if (j == i || j - i > 4 || ng >= 8) return false;
        uint32_t v = 0;
        for (size_t k = i; k < j; k++) {
            int h = hexval(s.p[k]);
            if (h < 0) return false;
            v = v * 16 + (uint32_t)h;
        }
        g[ng++] = (uint16_t)v;
        i = j;
        if (i == end) break;
        i++; /* the ':' */
        if (i < end && s.p[i] == ':') {
            if (ellipsis >= 0) return false;
            ellipsis = ng;
            i++;
        } else if (i == end) {
            return false; /* a trailing single ':' */
        }
    }
    if (ellipsis < 0 && ng != 8) return false;
    if (ellipsis >= 0 && ng > 7) return false;
    uint16_t full[8] = {0};
    if (ellipsis < 0) {
        memcpy(full, g, sizeof full);
    } else {
        for (int k = 0; k < ellipsis; k++) full[k] = g[k];
        int tail = ng - ellipsis;
        for (int k = 0; k < tail; k++) full[8 - tail + k] = g[ellipsis + k];
    }
    u128 v = 0;
    for (int k = 0; k < 8; k++) v = (v << 16) | full[k];
    *ip = v;
    return true;
}

static gd_status ret_ip6(hcl_ev *ev, const hcl_expr *e, u128 ip, int prefix, const hcl_val **out)
{
    char buf[64];
    size_t n = 0;
    uint16_t g[8];
    for (int k = 0; k < 8; k++) g[k] = (uint16_t)(ip >> (112 - 16 * k));
    if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xFFFF) {
        n = (size_t)snprintf(buf, sizeof buf, "%u.%u.%u.%u", g[6] >> 8, g[6] & 255, g[7] >> 8,
                             g[7] & 255);
    } else {
        int best = -1, bestlen = 1;
        for (int k = 0; k < 8;) {
            if (g[k]) {
                k++;
                continue;
            }
            int j = k;
            while (j < 8 && !g[j]) j++;
            if (j - k > bestlen) {
                best = k;
                bestlen = j - k;
            }
            k = j;
        }
        for (int k = 0; k < 8; k++) {
            if (k == best) {
                n += (size_t)snprintf(buf + n, sizeof buf - n, "::");
                k += bestlen - 1;
                continue;
            }
            if (k && !(best >= 0 && k == best + bestlen)) buf[n++] = ':';
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%x", g[k]);
        }
    }
    if (prefix >= 0) n += (size_t)snprintf(buf + n, sizeof buf - n, "/%d", prefix);
    return ret_str(ev, e, buf, n, out);
}
#endif

/* A prefix argument: IPv4 (*v6 false: ip, prefix) or IPv6 (*v6 true:
 * *ip6, prefix). */
typedef struct cidr {
    bool v6;
    uint32_t ip;
    int prefix;
#if HAVE_V6
    u128 ip6;
#endif
} cidr;

static gd_status cidr_arg(hcl_ev *ev, const hcl_expr *e, const hcl_val *v, cidr *c)
{
    gd_str s;
    memset(c, 0, sizeof *c);
    gd_status sa = arg_str(ev, v, &s);
    if (sa == GD_NOMEM) return sa;
    if (sa) return bad(ev, e, "the prefix must be a string");
    if (memchr(s.p, ':', s.n)) {
        c->v6 = true;
#if HAVE_V6
        if (parse_ipv6(s, &c->ip6, &c->prefix)) return GD_OK;
#endif
    } else if (parse_ipv4(s, &c->ip, &c->prefix)) {
        return GD_OK;
    }
    return bad(ev, e, "invalid CIDR address \"%.*s\"", (int)s.n, s.p);
}

FN(cidrsubnet)
{
    cidr c;
    gd_status st = cidr_arg(ev, e, a[0], &c);
    if (st) return st;
    NUM_ARG(1, nb);
    NUM_ARG(2, num);
    int bits = c.v6 ? 128 : 32;
    if (nb < 0 || c.prefix + nb > bits)
        return bad(ev, e, "insufficient address space to extend the prefix by %.0f bits", nb);
    int np = c.prefix + (int)nb;
    if (num < 0 || num >= ldexp(1, (int)nb) || num != floor(num))
        return bad(ev, e, "prefix extension of %.0f bits does not accommodate subnet number %.0f",
                   nb, num);
#if HAVE_V6
    if (c.v6) {
        u128 sub = nb == 0 ? 0 : (u128)(uint64_t)num << (128 - np);
        return ret_ip6(ev, e, (c.ip6 & mask6(c.prefix)) | sub, np, out);
    }
#endif
    uint32_t base = c.ip & mask_of(c.prefix);
    uint32_t sub = np == 32 ? (uint32_t)num : (uint32_t)num << (32 - np);
    if (nb == 0) sub = 0;
    return ret_ip(ev, e, base | sub, np, out);
}

FN(cidrsubnets)
{
    cidr c;
    gd_status st = cidr_arg(ev, e, a[0], &c);
    if (st) return st;
    hcl_val **items = items_alloc(ev, n);
    if (!items) return GD_NOMEM;
    int pre = c.prefix, bits = c.v6 ? 128 : 32;
#if HAVE_V6
    if (c.v6) {
        /* cur is the offset of the next free address inside the network,
         * which has 2^hb addresses (hb can be 128: prefix 0) */
        u128 base = c.ip6 & mask6(pre), cur = 0;
        bool full = false; /* cur reached the end of the network */
        int hb = 128 - pre;
        for (uint32_t i = 1; i < n; i++) {
            NUM_ARG(i, nb);
            if (nb < 1 || pre + nb > bits) return bad(ev, e, "invalid number of new bits %.0f", nb);
            u128 size = (u128)1 << (hb - (int)nb); /* at most 2^127 */
            u128 aligned = (cur + size - 1) & ~(size - 1);
            if (full || aligned < cur || (hb < 128 && aligned + size > ((u128)1 << hb)))
                return bad(ev, e, "not enough remaining address space");
            const hcl_val *v;
            if ((st = ret_ip6(ev, e, base | aligned, pre + (int)nb, &v))) return st;
            items[i - 1] = (hcl_val *)v;
            cur = aligned + size; /* wraps to 0 exactly at the end when hb is 128 */
            if (hb == 128 ? cur == 0 : cur == ((u128)1 << hb)) full = true;
        }
        return ret_list(ev, e, items, n - 1, 0, out);
    }
#endif
    uint64_t cur = c.ip & mask_of(pre);
    uint64_t end = (uint64_t)(c.ip & mask_of(pre)) + ((uint64_t)1 << (32 - pre));
    for (uint32_t i = 1; i < n; i++) {
        NUM_ARG(i, nb);
        if (nb < 1 || pre + nb > bits) return bad(ev, e, "invalid number of new bits %.0f", nb);
        int np = pre + (int)nb;
        uint64_t size = (uint64_t)1 << (32 - np);
        cur = (cur + size - 1) / size * size;
        if (cur + size > end) return bad(ev, e, "not enough remaining address space");
        const hcl_val *s;
        if ((st = ret_ip(ev, e, (uint32_t)cur, np, &s))) return st;
        items[i - 1] = (hcl_val *)s;
        cur += size;
    }
    return ret_list(ev, e, items, n - 1, 0, out);
}

FN(cidrhost)
{
    cidr c;
    gd_status st = cidr_arg(ev, e, a[0], &c);
    if (st) return st;
    NUM_ARG(1, h);
    int bits = c.v6 ? 128 : 32;
    double size = ldexp(1, bits - c.prefix);
    if (h != floor(h) || h >= size || -h > size)
        return bad(ev, e, "prefix of %d bits cannot accommodate host number %.0f", c.prefix, h);
#if HAVE_V6
    if (c.v6) {
        u128 net = c.ip6 & mask6(c.prefix);
        u128 last = net | ~mask6(c.prefix);
        u128 addr = h >= 0 ? net + (u128)(uint64_t)h : last - ((u128)(uint64_t)(-h) - 1);
        return ret_ip6(ev, e, addr, -1, out);
    }
#endif
    if (h < 0) h += size;
    return ret_ip(ev, e, (c.ip & mask_of(c.prefix)) + (uint32_t)h, -1, out);
}

FN(cidrnetmask)
{
    cidr c;
    gd_status st = cidr_arg(ev, e, a[0], &c);
    if (st) return st;
    if (c.v6) return bad(ev, e, "IPv6 addresses cannot have a netmask");
    return ret_ip(ev, e, mask_of(c.prefix), -1, out);
}

/* ------------------------------------------------------------ files */

static bool valid_utf8(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t w = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!w || i + w > n || (w == 2 && c < 0xC2)) return false;
        uint32_t cp = w == 1 ? c : c & (0x7F >> w);
        for (size_t k = 1; k < w; k++) {
            unsigned char d = (unsigned char)s[i + k];
            if ((d & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        if ((w == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (w == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        i += w;
    }
    return true;
}

/* The text of the file named by argument 0, read through config.c. */
static gd_status file_arg(hcl_ev *ev, const hcl_expr *e, const hcl_val **a, uint32_t *fi,
                          gd_str *text)
{
    STR_ARG(0, path);
    gd_status st = gdi_hcl_file_load(ev, e, path, fi);
    if (st) return st;
    gdi_hcl_file_text(ev->st, *fi, &text->p, &text->n);
    if (!text->p) text->p = "";
    if (!valid_utf8(text->p, text->n))
        return bad(ev, e, "the file \"%.*s\" is not valid UTF-8", (int)path.n, path.p);
    return GD_OK;
}

FN(file)
{
    uint32_t fi;
    gd_str t;
    gd_status st = file_arg(ev, e, a, &fi, &t);
    if (st) return st;
    *out = gdi_hv_str(ev->arena, t.p, t.n, e->file, e->pos); /* the text lives with the load */
    return *out ? GD_OK : GD_NOMEM;
}

static bool ident_ok(gd_str k)
{
    if (!k.n || !((k.p[0] >= 'a' && k.p[0] <= 'z') || (k.p[0] >= 'A' && k.p[0] <= 'Z') ||
                  k.p[0] == '_' || (unsigned char)k.p[0] >= 0x80))
        return false;
    for (size_t i = 1; i < k.n; i++) {
        char c = k.p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || (unsigned char)c >= 0x80))
            return false;
    }
    return true;
}

/* templatefile(path, vars): the file is a template evaluated with only
 * the names in vars (and functions) in scope; its errors point into it. */
FN(templatefile)
{
    if (a[1]->kind != HV_OBJ)
        return bad(ev, e, "argument 2 must be a map or object of template variables, not %s",
                   gdi_hv_type_name(a[1]));
    for (uint32_t i = 0; i < a[1]->n; i++)
        if (!ident_ok(a[1]->u.c.keys[i]))
            return bad(ev, e, "invalid template variable name \"%.*s\": must start with a "
                              "letter or underscore, then letters, digits, '_' or '-'",
                       (int)a[1]->u.c.keys[i].n, a[1]->u.c.keys[i].p);
    uint32_t fi;
    gd_str t;
    gd_status st = file_arg(ev, e, a, &fi, &t);
    if (st) return st;
    hcl_expr *tpl = NULL;
    st = gdi_hcl_parse_template(ev->ctx, ev->arena, gdi_hcl_file_name(ev->st, fi), fi, t.p, t.n,
                                0, &tpl);
    if (st == GD_NOMEM || st == GD_LIMIT) return st;
    if (st) {
        ev->failed = true; /* the syntax errors were reported with the template's positions */
        return bad(ev, e, "the template has syntax errors");
    }
    hcl_bind *binds = a[1]->n ? gdi_arena_alloc(ev->arena, a[1]->n * sizeof *binds) : NULL;
    if (a[1]->n && !binds) return GD_NOMEM;
    for (uint32_t i = 0; i < a[1]->n; i++)
        binds[i] = (hcl_bind){a[1]->u.c.keys[i], a[1]->u.c.items[i], i ? &binds[i - 1] : NULL};
    hcl_scope in;
    memset(&in, 0, sizeof in);
    in.binds = a[1]->n ? &binds[a[1]->n - 1] : NULL;
    const hcl_val *v;
    if ((st = gdi_hcl_eval(ev, &in, tpl, &v))) return st;
    if (v->kind == HV_UNK || v->kind == HV_STR) {
        *out = v;
        return GD_OK;
    }
    /* a template that is one interpolation keeps its value's type in HCL;
     * templatefile's result is a string */
    hcl_val *sv;
    if (v->kind == HV_NULL || v->kind == HV_LIST || v->kind == HV_OBJ)
        return bad(ev, e, "the template produced a %s value, not a string", gdi_hv_type_name(v));
    if (!gdi_hv_to_string(ev->arena, v, &sv)) return GD_NOMEM;
    *out = sv;
    return GD_OK;
}

/* Functions whose value is not known before apply or needs the disk. */
FN(unknown)
{
    *out = &gdi_hcl_unknown;
    return GD_OK;
}

/* ------------------------------------------------------- file system */

/* The bytes of the file named by argument 1 (any content: the hashing and
 * base64 functions do not need text). */
static gd_status file_bytes(hcl_ev *ev, const hcl_expr *e, const hcl_val **a, gd_str *bytes)
{
    STR_ARG(0, path);
    uint32_t fi;
    gd_status st = gdi_hcl_file_load(ev, e, path, &fi);
    if (st) return st;
    gdi_hcl_file_text(ev->st, fi, &bytes->p, &bytes->n);
    if (!bytes->p) bytes->p = "";
    return GD_OK;
}

FN(filebase64)
{
    gd_str s;
    gd_status st = file_bytes(ev, e, a, &s);
    return st ? st : b64_encode(ev, e, s.p, s.n, out);
}

/* a digest of the file's bytes, as hex (filemd5 ...) or base64 (filebase64sha256 ...) */
#define FILE_DIGEST(name, md, how)                                                                 \
    FN(name)                                                                                       \
    {                                                                                              \
        gd_str s;                                                                                  \
        gd_status st = file_bytes(ev, e, a, &s);                                                   \
        return st ? st : how(ev, e, md, s, out);                                                   \
    }
FILE_DIGEST(filemd5, EVP_md5(), digest)
FILE_DIGEST(filesha1, EVP_sha1(), digest)
FILE_DIGEST(filesha256, EVP_sha256(), digest)
FILE_DIGEST(filesha512, EVP_sha512(), digest)
FILE_DIGEST(filebase64sha256, EVP_sha256(), digest_b64)
FILE_DIGEST(filebase64sha512, EVP_sha512(), digest_b64)
#undef FILE_DIGEST

/* fileexists(path): true for a regular file, false when nothing is there;
 * a directory or another kind of file is an error, as in Terraform. */
FN(fileexists)
{
    STR_ARG(0, path);
    if (!path.n || memchr(path.p, 0, path.n)) return bad(ev, e, "invalid file name");
    const char *full = gdi_hcl_path(ev, path);
    if (!full) return GD_NOMEM;
    struct stat sb;
    if (stat(full, &sb) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) return ret_bool(false, out);
        return bad(ev, e, "cannot stat \"%.*s\": %s", (int)path.n, path.p, strerror(errno));
    }
    if (S_ISREG(sb.st_mode)) return ret_bool(true, out);
    if (S_ISDIR(sb.st_mode))
        return bad(ev, e, "\"%.*s\" is a directory, not a file", (int)path.n, path.p);
    return bad(ev, e, "\"%.*s\" is not a regular file", (int)path.n, path.p);
}

/*
 * fileset(path, pattern): the regular files under path whose path relative
 * to it matches pattern, as a set of strings with '/' separators. Patterns
 * follow Terraform's (doublestar): '*' and '?' within a path segment, '**'
 * as a whole segment for any number of directories, [class] with ranges
 * and '^' or '!' to negate, {a,b} alternatives (expanded first), '\' to
 * take the next character literally. Directories reached through symbolic
 * links are not entered (no loops); a walk of more than FILESET_MAX entries
 * or a pattern needing more than FILESET_STEPS matching steps is an error
 * rather than a hang.
 */
#define FILESET_MAX 100000
#define FILESET_STEPS 20000000ull
#define FILESET_ALTS 256

/* Does pattern [p, pe) match path [s, se)? 1 yes, 0 no, -1 out of steps,
 * -2 malformed class. p0: start of the pattern (segment boundaries). */
static int glob_match(const char *p0, const char *p, const char *pe, const char *s, const char *se,
                      uint64_t *budget)
{
    while (p < pe) {
        if (*budget == 0) return -1;
        (*budget)--;
        char c = *p;
        if (c == '*') {
            bool dbl = p + 1 < pe && p[1] == '*';
            if (dbl && (p == p0 || p[-1] == '/') && (p + 2 == pe || p[2] == '/')) {
                if (p + 2 == pe) return 1; /* "**" at the end: everything below */
                /* "**" followed by "/": zero or more whole directories */
                for (const char *t = s;;) {
                    int r = glob_match(p0, p + 3, pe, t, se, budget);
                    if (r) return r;
                    const char *sl = memchr(t, '/', (size_t)(se - t));
                    if (!sl) return 0;
                    t = sl + 1;
                }
            }
            const char *q = p + (dbl ? 2 : 1);
            for (const char *t = s;; t++) {
                int r = glob_match(p0, q, pe, t, se, budget);
                if (r) return r;
                if (t == se || *t == '/') return 0;
            }
        }
        if (s == se) return 0;
        if (c == '?') {
            if (*s == '/') return 0;
            p++, s++;
            continue;
        }
        if (c == '[') {
            const char *q = p + 1;
            bool neg = false, hit = false;
            if (q < pe && (*q == '^' || *q == '!')) neg = true, q++;
            unsigned char ch = (unsigned char)*s;
            for (bool first = true; q < pe && (*q != ']' || first); first = false) {
                unsigned char lo = (unsigned char)*q;
                if (lo == '\\' && q + 1 < pe) lo = (unsigned char)*++q;
                q++;
                unsigned char hi = lo;
                if (q + 1 < pe && *q == '-' && q[1] != ']') {
                    q++;
                    if (*q == '\\' && q + 1 < pe) q++;
                    hi = (unsigned char)*q++;
                }
                if (ch >= lo && ch <= hi) hit = true;
            }
            if (q >= pe) return -2;
            if (*s == '/' || hit == neg) return 0;
            p = q + 1, s++;
            continue;
        }
        if (c == '\\' && p + 1 < pe) c = *++p;
        if (*s != c) return 0;
        p++, s++;
    }
    return s == se;
}

/* Brace alternatives expanded into separate patterns (appended to *out as
 * NUL-terminated arena strings): GD_OK, GD_LIMIT when there are too many,
 * GD_NOMEM. */
static gd_status glob_expand(gdi_arena *ar, const char *p, size_t n, char **out, size_t *nout)
{
    size_t open = n;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\\') {
            i++;
            continue;
        }
        if (p[i] == '{') {
            open = i;
            break;
        }
    }
    size_t close = n;
    int depth = 0;
    for (size_t i = open; i < n; i++) {
        if (p[i] == '\\') {
            i++;
            continue;
        }
        if (p[i] == '{') depth++;
        if (p[i] == '}' && --depth == 0) {
            close = i;
            break;
        }
    }
    if (open == n || close == n) { /* no (complete) braces: the pattern as it is */
        if (*nout == FILESET_ALTS) return GD_LIMIT;
        out[*nout] = gdi_arena_strndup(ar, p, n);
        return out[(*nout)++] ? GD_OK : GD_NOMEM;
    }
    size_t start = open + 1;
    depth = 0;
    for (size_t i = open + 1; i <= close; i++) {
        if (i < close && p[i] == '\\') {
            i++;
            continue;
        }
        if (i < close && p[i] == '{') depth++;
        if (i < close && p[i] == '}') depth--;
        if (i == close || (p[i] == ',' && depth == 0)) {
            size_t len = open + (i - start) + (n - close - 1);
            char *alt = gdi_arena_alloc(ar, len + 1);
            if (!alt) return GD_NOMEM;
            memcpy(alt, p, open);
            memcpy(alt + open, p + start, i - start);
            memcpy(alt + open + (i - start), p + close + 1, n - close - 1);
            gd_status st = glob_expand(ar, alt, len, out, nout);
            if (st) return st;
            start = i + 1;
        }
    }
    return GD_OK;
}

typedef struct fswalk {
    hcl_ev *ev;
    char **pats;        /* expanded patterns */
    size_t npats;
    gdi_buf rel;        /* path of the entry relative to the root */
    hcl_val **items;    /* matches */
    size_t n, cap;
    size_t entries;     /* entries seen (FILESET_MAX) */
    uint64_t budget;    /* matching steps left */
    int err;            /* 0, -1 steps, -2 bad pattern, -3 too many entries, errno */
} fswalk;

static gd_status fs_walk(fswalk *w, const char *dir, unsigned depth)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (depth == 0) w->err = errno;
        return GD_OK; /* an unreadable subdirectory is skipped, as a glob would */
    }
    gd_status st = GD_OK;
    struct dirent *de;
    size_t base = w->rel.n;
    while (st == GD_OK && !w->err && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
        if (++w->entries > FILESET_MAX) {
            w->err = -3;
            break;
        }
        w->rel.n = base;
        if (base) gdi_buf_putc(&w->rel, '/');
        gdi_buf_puts(&w->rel, de->d_name);
        size_t fl = strlen(dir) + strlen(de->d_name) + 2;
        char *full = gdi_alloc(w->ev->ctx, fl);
        if (w->rel.oom || !full) {
            gdi_free(w->ev->ctx, full);
            st = GD_NOMEM;
            break;
        }
        snprintf(full, fl, "%s/%s", dir, de->d_name);
        struct stat lsb, sb;
        bool isdir = false, isreg = false;
        if (lstat(full, &lsb) == 0) {
            isdir = S_ISDIR(lsb.st_mode);
            /* a link to a regular file counts */
            isreg = !isdir && stat(full, &sb) == 0 && S_ISREG(sb.st_mode);
        }
        if (isdir && depth < 64) st = fs_walk(w, full, depth + 1);
        gdi_free(w->ev->ctx, full);
        if (!isreg) continue;
        const char *r = w->rel.p;
        for (size_t i = 0; i < w->npats; i++) {
            int m = glob_match(w->pats[i], w->pats[i], w->pats[i] + strlen(w->pats[i]), r,
                               r + w->rel.n, &w->budget);
            if (m < 0) {
                w->err = m;
                break;
            }
            if (!m) continue;
            if (gdi_grow(w->ev->ctx, (void **)&w->items, &w->cap, w->n + 1, sizeof *w->items)) {
                st = GD_NOMEM;
                break;
            }
            w->items[w->n] = gdi_hv_strdup(w->ev->arena, r, w->rel.n, HCL_NOFILE, 0);
            if (!w->items[w->n]) st = GD_NOMEM;
            w->n++;
            break;
        }
    }
    w->rel.n = base;
    closedir(d);
    return st;
}

FN(fileset)
{
    STR_ARG(0, path);
    STR_ARG(1, pat);
    if (!path.n || memchr(path.p, 0, path.n) || memchr(pat.p, 0, pat.n))
        return bad(ev, e, "invalid path or pattern");
    /* Terraform joins the two and cleans the result: "./" and repeated '/'
     * go; a ".." segment would leave the directory, which is left unknown */
    gdi_buf clean;
    gdi_buf_init(&clean, ev->ctx);
    for (size_t i = 0; i < pat.n;) {
        size_t j = i;
        while (j < pat.n && pat.p[j] != '/') j++;
        size_t seg = j - i;
        if (seg == 2 && pat.p[i] == '.' && pat.p[i + 1] == '.') {
            gdi_buf_free(&clean);
            *out = &gdi_hcl_unknown;
            return GD_OK;
        }
        if (seg && !(seg == 1 && pat.p[i] == '.')) {
            if (clean.n) gdi_buf_putc(&clean, '/');
            gdi_buf_append(&clean, pat.p + i, seg);
        }
        i = j + 1;
    }
    if (clean.oom) {
        gdi_buf_free(&clean);
        return GD_NOMEM;
    }
    const char *root = gdi_hcl_path(ev, path);
    char **pats = gdi_arena_alloc(ev->arena, FILESET_ALTS * sizeof *pats);
    size_t npats = 0;
    gd_status xs = GD_NOMEM;
    if (root && pats) xs = glob_expand(ev->arena, clean.n ? clean.p : "", clean.n, pats, &npats);
    gdi_buf_free(&clean);
    if (xs == GD_NOMEM) return GD_NOMEM;
    if (xs) return bad(ev, e, "the pattern has more than %d alternatives", FILESET_ALTS);
    fswalk w = {ev, pats, npats, {0}, NULL, 0, 0, 0, FILESET_STEPS, 0};
    gdi_buf_init(&w.rel, ev->ctx);
    gd_status st = fs_walk(&w, root, 0);
    gdi_buf_free(&w.rel);
    if (st == GD_OK && w.err) {
        if (w.err == -1) st = bad(ev, e, "the pattern needs too many steps to match");
        else if (w.err == -2) st = bad(ev, e, "malformed character class in the pattern");
        else if (w.err == -3)
            st = bad(ev, e, "more than %d entries under \"%.*s\"", FILESET_MAX, (int)path.n, path.p);
        else if (w.err == ENOENT) st = GD_OK; /* no directory: no match, as a glob gives */
        else st = bad(ev, e, "cannot read \"%.*s\": %s", (int)path.n, path.p, strerror(w.err));
    }
    if (st == GD_OK) {
        hcl_val **items = items_alloc(ev, w.n);
        if (!items) st = GD_NOMEM;
        else {
            if (w.n) memcpy(items, w.items, w.n * sizeof *items);
            st = make_set(ev, e, items, (uint32_t)w.n, out);
        }
    }
    gdi_free(ev->ctx, w.items);
    return st;
}

/* ------------------------------------------------------------ table */

#define GD_HCL_FUNCS(X)                                                                            \
    X(abs, 1, 1, UK_ANY) X(alltrue, 1, 1, UK_ANY) X(anytrue, 1, 1, UK_ANY)                         \
    X(base64decode, 1, 1, UK_ANY) X(base64encode, 1, 1, UK_ANY) X(base64sha256, 1, 1, UK_ANY)      \
    X(base64sha512, 1, 1, UK_ANY) X(basename, 1, 1, UK_ANY)                                        \
    X(ceil, 1, 1, UK_ANY) X(chomp, 1, 1, UK_ANY) X(chunklist, 2, 2, UK_ANY)                        \
    X(cidrhost, 2, 2, UK_ANY) X(cidrnetmask, 1, 1, UK_ANY) X(cidrsubnet, 3, 3, UK_ANY)             \
    X(cidrsubnets, 2, 256, UK_ANY) X(coalesce, 1, 256, UK_ANY) X(coalescelist, 1, 256, UK_TOP)     \
    X(compact, 1, 1, UK_ANY) X(concat, 0, 256, UK_TOP) X(contains, 2, 2, UK_ANY)                   \
    X(dirname, 1, 1, UK_ANY) X(distinct, 1, 1, UK_ANY) X(element, 2, 2, UK_TOP)                    \
    X(endswith, 2, 2, UK_ANY) X(file, 1, 1, UK_ANY) X(filebase64, 1, 1, UK_ANY)                    \
    X(filebase64sha256, 1, 1, UK_ANY) X(filebase64sha512, 1, 1, UK_ANY)                            \
    X(fileexists, 1, 1, UK_ANY) X(filemd5, 1, 1, UK_ANY) X(fileset, 2, 2, UK_ANY)                  \
    X(filesha1, 1, 1, UK_ANY) X(filesha256, 1, 1, UK_ANY) X(filesha512, 1, 1, UK_ANY)              \
    X(flatten, 1, 1, UK_ANY) X(floor, 1, 1, UK_ANY)                                                \
    X(format, 1, 256, UK_ANY) X(formatlist, 1, 256, UK_ANY) X(indent, 2, 2, UK_ANY)                \
    X(index, 2, 2, UK_ANY) X(join, 1, 256, UK_ANY) X(jsondecode, 1, 1, UK_ANY)                     \
    X(jsonencode, 1, 1, UK_ANY) X(keys, 1, 1, UK_TOP) X(length, 1, 1, UK_TOP)                      \
    X(log, 2, 2, UK_ANY) X(lookup, 2, 3, UK_TOP) X(lower, 1, 1, UK_ANY) X(max, 1, 256, UK_ANY)     \
    X(md5, 1, 1, UK_ANY) X(merge, 0, 256, UK_TOP) X(min, 1, 256, UK_ANY) X(one, 1, 1, UK_TOP)      \
    X(parseint, 2, 2, UK_ANY) X(pow, 2, 2, UK_ANY) X(range, 1, 3, UK_ANY)                          \
    X(regex, 2, 2, UK_ANY) X(regexall, 2, 2, UK_ANY)                                               \
    X(replace, 3, 3, UK_ANY) X(reverse, 1, 1, UK_TOP) X(setintersection, 1, 256, UK_ANY)           \
    X(setsubtract, 2, 2, UK_ANY) X(setunion, 1, 256, UK_ANY) X(sha1, 1, 1, UK_ANY)                 \
    X(sha256, 1, 1, UK_ANY) X(sha512, 1, 1, UK_ANY) X(signum, 1, 1, UK_ANY)                        \
    X(slice, 3, 3, UK_TOP) X(sort, 1, 1, UK_ANY) X(split, 2, 2, UK_ANY)                            \
    X(startswith, 2, 2, UK_ANY) X(strcontains, 2, 2, UK_ANY) X(strrev, 1, 1, UK_ANY)               \
    X(substr, 3, 3, UK_ANY) X(sum, 1, 1, UK_ANY) X(templatefile, 2, 2, UK_TOP)                    \
    X(title, 1, 1, UK_ANY) X(tobool, 1, 1, UK_ANY)    \
    X(tolist, 1, 1, UK_TOP) X(tomap, 1, 1, UK_TOP) X(tonumber, 1, 1, UK_ANY)                       \
    X(toset, 1, 1, UK_ANY) X(tostring, 1, 1, UK_ANY) X(trim, 2, 2, UK_ANY)                         \
    X(trimprefix, 2, 2, UK_ANY) X(trimspace, 1, 1, UK_ANY) X(trimsuffix, 2, 2, UK_ANY)             \
    X(upper, 1, 1, UK_ANY) X(urlencode, 1, 1, UK_ANY) X(values, 1, 1, UK_TOP)                      \
    X(zipmap, 2, 2, UK_ANY)

/* Names evaluated as unknown on purpose (time, randomness, file system). */
static const char *const unknown_fns[] = {
    "timestamp", "plantimestamp", "uuid", "uuidv5", "bcrypt", "abspath",
    "pathexpand", "formatdate", "timeadd", "timecmp", "rsadecrypt",
    "yamldecode", "yamlencode", "csvdecode", "base64gzip", "textencodebase64",
    "textdecodebase64", "ephemeralasnull", "sensitive",
    "nonsensitive", "issensitive", "transpose", "matchkeys", "setproduct", "type", NULL};

typedef struct fdef {
    const char *name;
    hfn fn;
    uint8_t min, uk;
    uint16_t max;
} fdef;

static const fdef funcs[] = {
#define X(name, mn, mx, uk) {#name, fn_##name, mn, uk, mx},
    GD_HCL_FUNCS(X)
#undef X
};

gd_status gdi_hcl_call(hcl_ev *ev, const hcl_expr *e, const hcl_val **args, uint32_t nargs,
                       const hcl_val **out)
{
    *out = &gdi_hcl_unknown;
    gd_str name = e->name;
    size_t lo = 0, hi = sizeof funcs / sizeof funcs[0];
    const fdef *f = NULL;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = gdi_hv_strcmp(gd_str_c(funcs[mid].name), name);
        if (c == 0) {
            f = &funcs[mid];
            break;
        }
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    if (!f) {
        /* sensitive()/nonsensitive() keep their argument */
        if ((gd_str_eqc(name, "sensitive") || gd_str_eqc(name, "nonsensitive")) && nargs == 1) {
            *out = args[0];
            return GD_OK;
        }
        for (const char *const *u = unknown_fns; *u; u++)
            if (gd_str_eqc(name, *u)) return fn_unknown(ev, e, args, nargs, out);
        if (!ev->mute) {
            const char *text;
            size_t len;
            uint32_t line = 0, col = 0;
            gdi_hcl_file_text(ev->st, e->file, &text, &len);
            if (text) gdi_line_col(text, len, e->pos, &line, &col);
            gdi_diag_add(ev->ctx, GD_DIAG_WARNING, gdi_hcl_file_name(ev->st, e->file), line, col,
                         "function %.*s() is not supported; its value is treated as unknown",
                         (int)name.n, name.p);
        }
        return GD_OK;
    }
    if (nargs < f->min || nargs > f->max)
        return gdi_hcl_everr(ev, e, "%s() takes %s%u argument%s, got %u", f->name,
                             f->min == f->max ? "" : nargs < f->min ? "at least " : "at most ",
                             (unsigned)(nargs < f->min ? f->min : f->max),
                             (nargs < f->min ? f->min : f->max) == 1 ? "" : "s", (unsigned)nargs);
    for (uint32_t i = 0; i < nargs; i++) {
        if (args[i]->kind == HV_UNK) return GD_OK;
        if (f->uk == UK_ANY && gdi_hv_has_unknown(args[i])) return GD_OK;
    }
    return f->fn(ev, e, args, nargs, out);
}
