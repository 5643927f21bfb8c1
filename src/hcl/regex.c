/*
 * regex.c — Terraform's regular-expression functions: regex, regexall and
 * replace with a /pattern/, on PCRE2.
 *
 * Terraform uses Go's regexp (RE2 syntax). PCRE2 accepts that syntax for
 * everything configurations commonly write (classes, anchors, groups,
 * (?P<name>...) and (?<name>...), flags (?i) (?s) (?m) (?U), \pL), and
 * the options chosen here make it behave like Go where the two differ:
 * UTF-8 subjects, `$` only at the very end without (?m) (DOLLAR_ENDONLY),
 * leftmost-first matching (both). The iteration over matches and the
 * expansion of $1 / ${name} / $$ in replacements follow Go exactly (an
 * empty match right after a previous match is skipped; `$name` takes the
 * longest run of letters, digits and `_`; an unknown or unmatched group is
 * empty). Differences that remain are documented in docs/hcl.md: PCRE2
 * also accepts constructs RE2 rejects (backreferences, lookaround), `\s`
 * includes \v, and backtracking is bounded by a match limit (RE2 runs in
 * linear time), so a pathological pattern gives an error instead of a
 * result.
 *
 * Memory: every PCRE2 allocation goes through the load's gd_ctx (a general
 * context whose hooks call gdi_alloc/gdi_free and note a failure), so
 * allocation failures come back as GD_NOMEM. Compiled patterns live only
 * for one call.
 */
#include "hcli.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* Bound on backtracking per match (RE2 guarantees linear time; PCRE2
 * does not, so a hostile pattern must not hang a scan). */
#define RE_MATCH_LIMIT 1000000u
#define RE_DEPTH_LIMIT 10000u

typedef struct hre {
    gd_ctx *ctx;                 /* allocator owner */
    bool oom;                    /* some PCRE2 allocation failed */
    pcre2_general_context *gen;  /* allocation hooks */
    pcre2_compile_context *cc;   /* compile options */
    pcre2_match_context *mc;     /* match limits */
    pcre2_code *code;            /* the compiled pattern */
    pcre2_match_data *md;        /* ovector */
    uint32_t ncap;               /* capture groups */
    uint32_t nnames;             /* named groups */
    PCRE2_SPTR names;            /* name table */
    uint32_t name_entry;         /* bytes per name-table entry */
} hre;

static void *re_malloc(size_t n, void *ud)
{
    hre *r = ud;
    void *p = gdi_alloc(r->ctx, n ? n : 1);
    if (!p) r->oom = true;
    return p;
}

static void re_free(void *p, void *ud)
{
    hre *r = ud;
    gdi_free(r->ctx, p);
}

static void re_done(hre *r)
{
    if (r->md) pcre2_match_data_free(r->md);
    if (r->code) pcre2_code_free(r->code);
    if (r->mc) pcre2_match_context_free(r->mc);
    if (r->cc) pcre2_compile_context_free(r->cc);
    if (r->gen) pcre2_general_context_free(r->gen);
    memset(r, 0, sizeof *r);
}

static gd_status fn_err(hcl_ev *ev, const hcl_expr *e, const char *msg, const char *detail)
{
    return gdi_hcl_everr(ev, e, "%.*s(): %s%s%s", (int)e->name.n, e->name.p, msg,
                         detail ? ": " : "", detail ? detail : "");
}

/* Compile pat into r. GD_OK, GD_INVALID (reported) or GD_NOMEM; r is
 * released with re_done in every case. */
static gd_status re_compile(hcl_ev *ev, const hcl_expr *e, gd_str pat, hre *r)
{
    memset(r, 0, sizeof *r);
    r->ctx = ev->ctx;
    if (!(r->gen = pcre2_general_context_create(re_malloc, re_free, r))) return GD_NOMEM;
    if (!(r->cc = pcre2_compile_context_create(r->gen))) return GD_NOMEM;
    if (!(r->mc = pcre2_match_context_create(r->gen))) return GD_NOMEM;
    pcre2_set_match_limit(r->mc, RE_MATCH_LIMIT);
    pcre2_set_depth_limit(r->mc, RE_DEPTH_LIMIT);
    int err = 0;
    PCRE2_SIZE erroff = 0;
    r->code = pcre2_compile((PCRE2_SPTR)(pat.n ? pat.p : ""), pat.n,
                            PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY |
                                PCRE2_NEVER_BACKSLASH_C,
                            &err, &erroff, r->cc);
    if (!r->code) {
        if (r->oom) return GD_NOMEM;
        PCRE2_UCHAR msg[256];
        if (pcre2_get_error_message(err, msg, sizeof msg) < 0) memcpy(msg, "bad pattern", 12);
        char detail[320];
        snprintf(detail, sizeof detail, "%s at offset %zu", (const char *)msg, (size_t)erroff);
        return fn_err(ev, e, "invalid regular expression pattern", detail);
    }
    if (!(r->md = pcre2_match_data_create_from_pattern(r->code, r->gen))) return GD_NOMEM;
    pcre2_pattern_info(r->code, PCRE2_INFO_CAPTURECOUNT, &r->ncap);
    pcre2_pattern_info(r->code, PCRE2_INFO_NAMECOUNT, &r->nnames);
    pcre2_pattern_info(r->code, PCRE2_INFO_NAMETABLE, &r->names);
    pcre2_pattern_info(r->code, PCRE2_INFO_NAMEENTRYSIZE, &r->name_entry);
    return GD_OK;
}

/* One match at or after pos: GD_OK with *found, GD_INVALID (reported:
 * a match limit) or GD_NOMEM. */
static gd_status re_match(hcl_ev *ev, const hcl_expr *e, hre *r, gd_str s, size_t pos,
                          bool *found)
{
    *found = false;
    int rc = pcre2_match(r->code, (PCRE2_SPTR)(s.n ? s.p : ""), s.n, pos, 0, r->md, r->mc);
    if (rc >= 0) {
        *found = true;
        return GD_OK;
    }
    if (rc == PCRE2_ERROR_NOMATCH) return GD_OK;
    if (r->oom || rc == PCRE2_ERROR_NOMEMORY) return GD_NOMEM;
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
        rc == PCRE2_ERROR_HEAPLIMIT)
        return fn_err(ev, e, "the regular expression needs too much backtracking on this string",
                      NULL);
    PCRE2_UCHAR msg[256];
    if (pcre2_get_error_message(rc, msg, sizeof msg) < 0) memcpy(msg, "match failed", 13);
    return fn_err(ev, e, "matching failed", (const char *)msg);
}

/* Byte length of the UTF-8 sequence starting at s[i] (1 for a stray byte). */
static size_t rune_width(gd_str s, size_t i)
{
    unsigned char c = (unsigned char)s.p[i];
    size_t w = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + w > s.n) return 1;
    for (size_t k = 1; k < w; k++)
        if (((unsigned char)s.p[i + k] & 0xC0) != 0x80) return 1;
    return w;
}

/* Where the next search starts after a match ending at end found from pos
 * (Go: always move at least one character). */
static size_t next_pos(gd_str s, size_t pos, size_t end)
{
    size_t w = pos < s.n ? rune_width(s, pos) : 0;
    if (pos + w > end) return pos + w;
    if (pos + 1 > end) return pos + 1;
    return end;
}

/* Value of the current match as Terraform returns it: the matched string
 * (no groups), a tuple of the groups, or an object of the named groups;
 * a group that took no part in the match is null. */
static gd_status match_value(hcl_ev *ev, const hcl_expr *e, const hre *r, gd_str s,
                             const hcl_val **out)
{
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
    if (r->ncap == 0) {
        *out = gdi_hv_strdup(ev->arena, s.p + ov[0], ov[1] - ov[0], e->file, e->pos);
        return *out ? GD_OK : GD_NOMEM;
    }
    hcl_val **vals = gdi_arena_alloc(ev->arena, r->ncap * sizeof *vals);
    if (!vals) return GD_NOMEM;
    for (uint32_t g = 1; g <= r->ncap; g++) {
        PCRE2_SIZE a = ov[2 * g], b = ov[2 * g + 1];
        if (a == PCRE2_UNSET || b == PCRE2_UNSET) {
            vals[g - 1] = (hcl_val *)&gdi_hcl_null;
            continue;
        }
        if (!(vals[g - 1] = gdi_hv_strdup(ev->arena, s.p + a, b - a, e->file, e->pos)))
            return GD_NOMEM;
    }
    if (r->nnames == 0) {
        *out = gdi_hv_list(ev->arena, vals, r->ncap, HVF_TUPLE, e->file, e->pos);
        return *out ? GD_OK : GD_NOMEM;
    }
    gd_str *keys = gdi_arena_alloc(ev->arena, r->nnames * sizeof *keys);
    hcl_val **nv = gdi_arena_alloc(ev->arena, r->nnames * sizeof *nv);
    if (!keys || !nv) return GD_NOMEM;
    for (uint32_t i = 0; i < r->nnames; i++) {
        PCRE2_SPTR ent = r->names + (size_t)i * r->name_entry;
        uint32_t g = ((uint32_t)ent[0] << 8) | ent[1];
        const char *nm = (const char *)ent + 2; /* freed with the pattern: copy */
        size_t nl = strlen(nm);
        char *k = gdi_arena_strndup(ev->arena, nm, nl);
        if (!k) return GD_NOMEM;
        keys[i] = (gd_str){k, nl};
        nv[i] = vals[g - 1];
    }
    *out = gdi_hv_obj(ev->arena, keys, nv, r->nnames, 0, e->file, e->pos, NULL);
    return *out ? GD_OK : GD_NOMEM;
}

gd_status gdi_hcl_regex(hcl_ev *ev, const hcl_expr *e, gd_str pat, gd_str s, bool all,
                        const hcl_val **out)
{
    hre r;
    hcl_val **items = NULL;
    uint32_t n = 0, cap = 0;
    if (!s.n) s.p = "";
    gd_status st = re_compile(ev, e, pat, &r);
    if (st) goto done;
    if (r.nnames && r.nnames != r.ncap) {
        st = fn_err(ev, e, "invalid regular expression pattern",
                    "named and unnamed capture groups cannot be mixed");
        goto done;
    }
    size_t pos = 0, prev_end = SIZE_MAX;
    while (pos <= s.n) {
        bool found;
        if ((st = re_match(ev, e, &r, s, pos, &found))) goto done;
        if (!found) break;
        const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r.md);
        size_t a = ov[0], b = ov[1];
        bool accept = true;
        if (b == pos) { /* an empty match */
            if (a == prev_end) accept = false;
            pos += pos < s.n ? rune_width(s, pos) : 1;
        } else {
            pos = b;
        }
        prev_end = b;
        if (!accept) continue;
        const hcl_val *v;
        if ((st = match_value(ev, e, &r, s, &v))) goto done;
        if (!all) {
            *out = v;
            goto done;
        }
        if (n == cap) {
            uint32_t nc = cap ? cap * 2 : 8;
            hcl_val **ni = gdi_arena_alloc(ev->arena, nc * sizeof *ni);
            if (!ni) {
                st = GD_NOMEM;
                goto done;
            }
            if (n) memcpy(ni, items, n * sizeof *ni);
            items = ni;
            cap = nc;
        }
        items[n++] = (hcl_val *)v;
    }
    if (!all) {
        st = fn_err(ev, e, "pattern did not match any part of the given string", NULL);
        goto done;
    }
    *out = gdi_hv_list(ev->arena, items, n, 0, e->file, e->pos);
    if (!*out) st = GD_NOMEM;
done:
    re_done(&r);
    return st;
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Append group `name` of the current match (empty when it does not exist
 * or did not take part), Go's rules: an all-digit name without a leading
 * zero is a group number, anything else a group name. */
static void append_group(gdi_buf *b, const hre *r, gd_str s, const char *name, size_t nl)
{
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
    long num = 0;
    for (size_t i = 0; i < nl; i++) {
        if (name[i] < '0' || name[i] > '9' || num >= 100000000) {
            num = -1;
            break;
        }
        num = num * 10 + (name[i] - '0');
    }
    if (nl > 1 && name[0] == '0') num = -1;
    uint32_t g = UINT32_MAX;
    if (num >= 0) {
        if ((unsigned long)num <= r->ncap) g = (uint32_t)num;
    } else {
        for (uint32_t i = 0; i < r->nnames; i++) {
            PCRE2_SPTR ent = r->names + (size_t)i * r->name_entry;
            const char *nm = (const char *)ent + 2;
            if (strlen(nm) == nl && memcmp(nm, name, nl) == 0) g = ((uint32_t)ent[0] << 8) | ent[1];
        }
    }
    if (g == UINT32_MAX || ov[2 * g] == PCRE2_UNSET) return;
    gdi_buf_append(b, s.p + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
}

/* Go's Regexp.Expand of template rep for the current match. */
static void expand(gdi_buf *b, const hre *r, gd_str s, gd_str rep)
{
    size_t i = 0;
    while (i < rep.n) {
        if (rep.p[i] != '$') {
            size_t j = i;
            while (j < rep.n && rep.p[j] != '$') j++;
            gdi_buf_append(b, rep.p + i, j - i);
            i = j;
            continue;
        }
        if (i + 1 < rep.n && rep.p[i + 1] == '$') {
            gdi_buf_putc(b, '$');
            i += 2;
            continue;
        }
        size_t ns, ne, next;
        if (i + 1 < rep.n && rep.p[i + 1] == '{') {
            ns = i + 2;
            ne = ns;
            while (ne < rep.n && name_char(rep.p[ne])) ne++;
            if (ne == ns || ne >= rep.n || rep.p[ne] != '}') {
                gdi_buf_putc(b, '$'); /* malformed: a literal $ */
                i++;
                continue;
            }
            next = ne + 1;
        } else {
            ns = i + 1;
            ne = ns;
            while (ne < rep.n && name_char(rep.p[ne])) ne++;
            if (ne == ns) {
                gdi_buf_putc(b, '$');
                i++;
                continue;
            }
            next = ne;
        }
        append_group(b, r, s, rep.p + ns, ne - ns);
        i = next;
    }
}

gd_status gdi_hcl_regex_replace(hcl_ev *ev, const hcl_expr *e, gd_str s, gd_str pat, gd_str rep,
                                const hcl_val **out)
{
    hre r;
    gdi_buf b;
    gdi_buf_init(&b, ev->ctx);
    if (!s.n) s.p = "";
    gd_status st = re_compile(ev, e, pat, &r);
    if (st) goto done;
    size_t pos = 0, last_end = 0;
    while (pos <= s.n) {
        bool found;
        if ((st = re_match(ev, e, &r, s, pos, &found))) goto done;
        if (!found) break;
        const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r.md);
        size_t a = ov[0], end = ov[1];
        gdi_buf_append(&b, s.p + last_end, a - last_end);
        /* no replacement for an empty match right after another match */
        if (end > last_end || a == 0) expand(&b, &r, s, rep);
        last_end = end;
        pos = next_pos(s, pos, end);
    }
    gdi_buf_append(&b, s.p + last_end, s.n - last_end);
    if (b.oom) {
        st = GD_NOMEM;
        goto done;
    }
    *out = gdi_hv_strdup(ev->arena, b.n ? b.p : "", b.n, e->file, e->pos);
    if (!*out) st = GD_NOMEM;
done:
    gdi_buf_free(&b);
    re_done(&r);
    return st;
}
