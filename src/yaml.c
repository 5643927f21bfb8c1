/*
 * yaml.c — the YAML reader: libyaml's event parser feeding the node tape.
 *
 * gdi_yaml_parse turns one YAML document into the same tape the JSON reader
 * builds (doc.h), so every consumer (rule loader, fixtures, profiles) reads
 * YAML and JSON alike. Choices, all deliberate:
 *
 *  - Scalars. Plain scalars resolve with the YAML 1.2 core schema: null
 *    (`null`, `Null`, `NULL`, `~`, empty), booleans (`true`/`True`/`TRUE`,
 *    `false`/...), integers (decimal with optional sign, `0x` hex, `0o`
 *    octal) and floats. Numbers are stored as normalised JSON number text in
 *    the arena (`0x1f` -> `31`, `+1` -> `1`, `007` -> `7`, `.5` -> `0.5`,
 *    `1.` -> `1.0`), so they print as valid JSON. `.inf` and `.nan` have no
 *    JSON form and stay strings; so does a hex/octal integer above 2^64-1.
 *    Quoted and block scalars are strings. YAML 1.1 spellings (`yes`, `on`)
 *    are strings.
 *  - Tags. `!unknown` on a scalar gives GDI_UNKNOWN (fixtures use it to say
 *    "known after apply"). `!` forces a string, and the standard tags
 *    `!!str`, `!!null`, `!!bool`, `!!int`, `!!float`, `!!map`, `!!seq` are
 *    honoured (a value that does not match its tag is an error). Any other
 *    tag is an error.
 *  - Strings are copied into d->arena (libyaml frees its event memory as we
 *    go) and flagged GDI_NF_DECODED. node.aux holds libyaml's scalar style
 *    (yaml_scalar_style_t: 1 plain, 2 single-quoted, 3 double-quoted,
 *    4 literal, 5 folded) for strings, numbers and keys; loaders use it to
 *    map positions inside a scalar back to the file.
 *  - Positions. node.pos is the BYTE offset of the node's start mark.
 *    libyaml counts marks in characters, so marks are converted by walking
 *    the UTF-8 text with a forward cursor (amortised O(n) overall).
 *  - Mapping keys must be scalars (or aliases of scalars); a key becomes a
 *    string node holding the key's text (`1: x` has the key "1"). A
 *    duplicate key is an error at the second occurrence; every duplicate in
 *    the document is reported. Checked when the mapping closes by sorting
 *    its keys, so huge mappings stay O(m log m).
 *  - Merge keys (`<<`, plain) are rejected with an error: they are a YAML
 *    1.1 feature whose override rules surprise readers; write keys out or
 *    use a plain alias. A quoted "<<" is an ordinary key.
 *  - Anchors and aliases. An alias is expanded by copying the anchored
 *    subtree on the tape (strings stay shared). Every node produced this way
 *    counts against GD_LIMIT_YAML_ALIAS, so a "billion laughs" document
 *    fails fast with GD_LIMIT instead of growing without bound. An alias to
 *    an undefined anchor or to a node still open (a cycle) is an error. The
 *    depth an alias adds counts against GD_LIMIT_DEPTH too.
 *  - One document per stream: a second document is an error at its start.
 *    An empty stream (no document at all) gives an empty doc (n == 0) and
 *    GD_OK; callers decide whether that is acceptable. `---` alone gives a
 *    null root.
 *  - `{a: !unknown}`. YAML 1.2 ends a tag at a flow indicator; libyaml
 *    (YAML 1.1) reads `!unknown}` as one tag and fails. When that happens
 *    right after `!unknown`, the text is copied with a space inserted there
 *    and parsed again (positions are mapped back to the original text);
 *    the retries are bounded (64 MiB of re-reading), after which the error
 *    stands, with a hint. Other tags keep libyaml's behaviour.
 *  - Input is UTF-8 (a leading BOM is skipped). libyaml rejects invalid
 *    UTF-8 and control characters; the error carries the byte position.
 *  - Errors. libyaml errors stop parsing (GD_SYNTAX); limits stop parsing
 *    (GD_LIMIT); semantic errors (duplicate keys, tags, bad aliases) are
 *    reported and parsing goes on so one run shows them all. On any error
 *    the doc is left empty. Messages are "name:line:col: message" with the
 *    byte column, like every other reader.
 *  - libyaml allocates with the C library's malloc (it has no allocator
 *    hook); everything this file keeps goes through the ctx allocator.
 */
#include "doc.h"

#include <stdio.h>
#include <yaml.h>

/* One open container on the parse stack. */
typedef struct yframe {
    uint32_t idx;    /* tape index of the container node */
    uint32_t count;  /* members (pairs for mappings) or elements so far */
    uint32_t height; /* tallest child subtree so far (nodes on the path) */
    uint32_t anchor; /* anchor slot to complete on close, or UINT32_MAX */
    bool is_map;     /* mapping (else sequence) */
    bool want_key;   /* mapping: the next node is a key */
} yframe;

/* An anchor: the latest definition of a name wins. */
typedef struct yanchor {
    const char *name; /* arena copy */
    uint32_t idx;     /* tape index of the anchored node */
    uint32_t height;  /* height of its subtree (valid when done) */
    bool done;        /* subtree complete (an alias to it is allowed) */
} yanchor;

/* Key record for the duplicate check. */
typedef struct ykey {
    const char *p;
    uint32_t n;
    uint32_t pos;
} ykey;

typedef struct ystate {
    gdi_doc *d;
    gd_ctx *ctx;
    const char *text; /* the whole input (positions refer to it) */
    size_t textlen;
    const char *src;  /* what libyaml reads: text after a BOM, or a patched copy */
    size_t len;
    size_t base;      /* bytes skipped before src (a BOM) */
    char *patched;    /* owned copy of src with spaces inserted, or NULL */
    size_t *ins;      /* offsets (in text after base) where spaces were inserted, sorted */
    size_t nins, capins;
    size_t retry_at;  /* src offset that needs a space after a tag; SIZE_MAX none */
    yframe *frames;
    size_t nframes, capframes;
    yanchor *anchors;
    size_t nanchors, capanchors;
    uint32_t *ahash; /* open addressing: anchor slot + 1, 0 = empty */
    size_t ahcap;    /* power of two */
    ykey *keys;      /* scratch for the duplicate check */
    size_t capkeys;
    size_t cur_ch, cur_byte; /* character -> byte cursor */
    uint64_t alias_nodes;    /* nodes produced by alias expansion */
    int ndocs;
    gd_status st;  /* first error status (GD_OK while clean) */
    bool fatal;    /* stop reading events */
} ystate;

/* ------------------------------------------------------------ positions */

/* Byte offset of libyaml character index ch. Walks forward from the last
 * position asked for; going back restarts from the beginning (rare). */
static size_t byte_off(ystate *s, size_t ch)
{
    if (ch < s->cur_ch) {
        s->cur_ch = 0;
        s->cur_byte = 0;
    }
    while (s->cur_ch < ch && s->cur_byte < s->len) {
        s->cur_byte++;
        while (s->cur_byte < s->len && ((unsigned char)s->src[s->cur_byte] & 0xC0) == 0x80)
            s->cur_byte++;
        s->cur_ch++;
    }
    return s->cur_byte;
}

/* Offset in the whole text of byte offset m of src (undoing inserted
 * spaces: insertion i sits at src offset ins[i] + i). */
static size_t src_to_text(const ystate *s, size_t m)
{
    size_t lo = 0, hi = s->nins;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->ins[mid] + mid < m)
            lo = mid + 1;
        else
            hi = mid;
    }
    return m - lo + s->base;
}

/* Byte offset of libyaml character index ch in the whole text. */
static size_t text_off(ystate *s, size_t ch)
{
    return src_to_text(s, byte_off(s, ch));
}

static uint32_t pos32(size_t off)
{
    return off > UINT32_MAX ? UINT32_MAX : (uint32_t)off;
}

/* Line and column of byte offset off of the whole text. */
static void line_col(ystate *s, size_t off, uint32_t *line, uint32_t *col)
{
    gdi_line_col(s->text, s->textlen, off, line, col);
    *line += s->d->line_base - 1;
}

/* Record an error at byte offset off; the first status sticks. */
static gd_status yerr(ystate *s, gd_status st, bool fatal, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static gd_status yerr(ystate *s, gd_status st, bool fatal, size_t off, const char *fmt, ...)
{
    uint32_t line, col;
    line_col(s, off, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    gdi_diag_addv(s->ctx, GD_DIAG_ERROR, s->d->name, line, col, fmt, ap);
    va_end(ap);
    if (s->st == GD_OK || s->st == GD_SYNTAX) s->st = st == GD_OK ? GD_SYNTAX : st;
    if (fatal) s->fatal = true;
    return st;
}

static gd_status nomem(ystate *s)
{
    s->st = GD_NOMEM;
    s->fatal = true;
    return GD_NOMEM;
}

/* ------------------------------------------------------------- anchors */

static uint32_t hash_name(const char *p)
{
    uint32_t h = 2166136261u;
    for (; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
    return h;
}

/* Slot of name in the hash (either its entry or the empty slot for it). */
static size_t ahash_slot(const ystate *s, const char *name)
{
    size_t m = s->ahcap - 1, i = hash_name(name) & m;
    while (s->ahash[i] && strcmp(s->anchors[s->ahash[i] - 1].name, name) != 0) i = (i + 1) & m;
    return i;
}

static yanchor *anchor_find(const ystate *s, const char *name)
{
    if (!s->ahcap) return NULL;
    size_t i = ahash_slot(s, name);
    return s->ahash[i] ? &s->anchors[s->ahash[i] - 1] : NULL;
}

/* Define (or redefine) an anchor for the node at idx; *slot gets its index. */
static gd_status anchor_def(ystate *s, const char *name, uint32_t idx, bool done, uint32_t height,
                            uint32_t *slot)
{
    if ((s->nanchors + 1) * 2 > s->ahcap) {
        size_t nc = s->ahcap ? s->ahcap * 2 : 64;
        uint32_t *nh = gdi_calloc(s->ctx, nc, sizeof *nh);
        if (!nh) return nomem(s);
        uint32_t *old = s->ahash;
        size_t oldcap = s->ahcap;
        s->ahash = nh;
        s->ahcap = nc;
        for (size_t i = 0; i < oldcap; i++)
            if (old[i]) s->ahash[ahash_slot(s, s->anchors[old[i] - 1].name)] = old[i];
        gdi_free(s->ctx, old);
    }
    if (gdi_grow(s->ctx, (void **)&s->anchors, &s->capanchors, s->nanchors + 1,
                 sizeof *s->anchors))
        return nomem(s);
    size_t h = ahash_slot(s, name);
    yanchor *a;
    if (s->ahash[h]) {
        a = &s->anchors[s->ahash[h] - 1]; /* redefinition: reuse the slot */
    } else {
        char *nm = gdi_arena_strndup(&s->d->arena, name, strlen(name));
        if (!nm) return nomem(s);
        a = &s->anchors[s->nanchors];
        a->name = nm;
        s->ahash[h] = (uint32_t)++s->nanchors;
    }
    a->idx = idx;
    a->done = done;
    a->height = height;
    *slot = (uint32_t)(a - s->anchors);
    return GD_OK;
}

/* -------------------------------------------------------------- scalars */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool all_of(const char *p, size_t n, const char *set)
{
    if (n == 0) return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr(set, p[i]) || p[i] == 0) return false;
    return true;
}

static bool eq3(const char *p, size_t n, const char *a, const char *b, const char *c)
{
    return (n == strlen(a) && memcmp(p, a, n) == 0) || (n == strlen(b) && memcmp(p, b, n) == 0) ||
           (n == strlen(c) && memcmp(p, c, n) == 0);
}

/* Resolution result of a scalar's text. */
typedef struct yres {
    gdi_type type;    /* null, bool, number or string */
    const char *str;  /* number text (arena) or string bytes */
    uint32_t len;
    uint8_t flags;    /* GDI_NF_INTEGER / GDI_NF_NEGATIVE for numbers */
} yres;

/* Store a number's normalised text in the arena. */
static gd_status put_number(ystate *s, yres *r, const char *p, size_t n, bool integer)
{
    char *t = gdi_arena_alloc(&s->d->arena, n ? n : 1);
    if (!t) return nomem(s);
    memcpy(t, p, n);
    r->type = GDI_NUMBER;
    r->str = t;
    r->len = (uint32_t)n;
    r->flags = (uint8_t)((integer ? GDI_NF_INTEGER : 0) | (n && p[0] == '-' ? GDI_NF_NEGATIVE : 0));
    return GD_OK;
}

/* Unsigned integer in base 8 or 16; false on overflow. */
static bool parse_radix(const char *p, size_t n, unsigned base, uint64_t *out)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        unsigned dg = is_digit(c) ? (unsigned)(c - '0')
                      : (c >= 'a' && c <= 'f') ? (unsigned)(c - 'a' + 10)
                                               : (unsigned)(c - 'A' + 10);
        if (v > (UINT64_MAX - dg) / base) return false;
        v = v * base + dg;
    }
    *out = v;
    return true;
}

/* Resolve text with the YAML 1.2 core schema. Anything that is not null,
 * bool, int or float is a string (the text itself, not copied). */
static gd_status resolve_core(ystate *s, const char *p, size_t n, yres *r)
{
    r->type = GDI_STRING;
    r->str = p;
    r->len = (uint32_t)n;
    r->flags = 0;
    if (n == 0 || (n == 1 && p[0] == '~') || eq3(p, n, "null", "Null", "NULL")) {
        r->type = GDI_NULL;
        r->str = NULL;
        r->len = 0;
        return GD_OK;
    }
    if (eq3(p, n, "true", "True", "TRUE")) {
        r->type = GDI_TRUE;
        r->str = NULL;
        r->len = 0;
        return GD_OK;
    }
    if (eq3(p, n, "false", "False", "FALSE")) {
        r->type = GDI_FALSE;
        r->str = NULL;
        r->len = 0;
        return GD_OK;
    }
    /* hex and octal integers (no sign in the core schema) */
    if (n > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'o')) {
        bool hex = p[1] == 'x';
        if (!all_of(p + 2, n - 2, hex ? "0123456789abcdefABCDEF" : "01234567")) return GD_OK;
        uint64_t v;
        if (!parse_radix(p + 2, n - 2, hex ? 16 : 8, &v)) return GD_OK; /* too big: string */
        char buf[24];
        int k = snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
        return put_number(s, r, buf, (size_t)k, true);
    }
    /* [-+]? ( \.[0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )? */
    size_t i = 0;
    bool neg = false;
    if (p[i] == '-' || p[i] == '+') neg = p[i++] == '-';
    size_t int_at = i;
    while (i < n && is_digit(p[i])) i++;
    size_t int_n = i - int_at, frac_at = 0, frac_n = 0, exp_at = 0;
    bool dot = false, exp = false;
    if (i < n && p[i] == '.') {
        dot = true;
        frac_at = ++i;
        while (i < n && is_digit(p[i])) i++;
        frac_n = i - frac_at;
    }
    if (int_n == 0 && frac_n == 0) {
        /* not a number; maybe .inf / .nan (kept as strings: no JSON form) */
        return GD_OK;
    }
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        exp = true;
        exp_at = i++;
        if (i < n && (p[i] == '-' || p[i] == '+')) i++;
        size_t d0 = i;
        while (i < n && is_digit(p[i])) i++;
        if (i == d0) return GD_OK;
    }
    if (i != n) return GD_OK;
    /* Normalise: drop '+', strip leading zeros, "0" before a bare '.',
     * ".0" after a bare trailing '.'. */
    size_t cap = n + 4;
    char small[128];
    char *t = cap <= sizeof small ? small : gdi_arena_alloc(&s->d->arena, cap);
    if (!t) return nomem(s);
    size_t k = 0;
    if (neg) t[k++] = '-';
    size_t z = int_at;
    while (z + 1 < int_at + int_n && p[z] == '0') z++;
    if (int_n == 0) {
        t[k++] = '0';
    } else {
        memcpy(t + k, p + z, int_at + int_n - z);
        k += int_at + int_n - z;
    }
    if (dot) {
        t[k++] = '.';
        if (frac_n) {
            memcpy(t + k, p + frac_at, frac_n);
            k += frac_n;
        } else {
            t[k++] = '0';
        }
    }
    if (exp) {
        memcpy(t + k, p + exp_at, n - exp_at);
        k += n - exp_at;
    }
    return put_number(s, r, t, k, !dot && !exp);
}

/* ------------------------------------------------------------- building */

/* Push a node, with the out-of-memory / tape-full check. */
static uint32_t push(ystate *s, gdi_type type, size_t off, const char *str, uint32_t len)
{
    uint32_t i = gdi_doc_push(s->d, type, pos32(off), str, len);
    if (i == UINT32_MAX) nomem(s);
    return i;
}

/* A value (not a key) of height h was completed in the current container. */
static void value_done(ystate *s, uint32_t h)
{
    if (!s->nframes) return;
    yframe *f = &s->frames[s->nframes - 1];
    f->count++;
    if (h > f->height) f->height = h;
    if (f->is_map) f->want_key = true;
}

/* The current container expects a key. */
static bool want_key(const ystate *s)
{
    return s->nframes && s->frames[s->nframes - 1].is_map && s->frames[s->nframes - 1].want_key;
}

static void key_done(ystate *s)
{
    s->frames[s->nframes - 1].want_key = false;
}

static int cmp_key(const void *a, const void *b)
{
    const ykey *x = a, *y = b;
    if (x->n != y->n) return x->n < y->n ? -1 : 1;
    int c = x->n ? memcmp(x->p, y->p, x->n) : 0;
    if (c) return c;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Report duplicate keys of the mapping whose node is at idx (complete). */
static void check_dups(ystate *s, uint32_t idx)
{
    const gdi_node *m = &s->d->nodes[idx];
    if (m->len < 2) return;
    if (gdi_grow(s->ctx, (void **)&s->keys, &s->capkeys, m->len, sizeof *s->keys)) {
        nomem(s);
        return;
    }
    const gdi_node *k = m + 1;
    size_t nk = 0;
    for (uint32_t i = 0; i < m->len; i++) {
        if (k->type == GDI_STRING) s->keys[nk++] = (ykey){k->str, k->len, k->pos};
        k = gdi_next(k + 1);
    }
    qsort(s->keys, nk, sizeof *s->keys, cmp_key);
    for (size_t i = 1; i < nk; i++) {
        const ykey *a = &s->keys[i - 1], *b = &s->keys[i];
        if (a->n == b->n && (a->n == 0 || memcmp(a->p, b->p, a->n) == 0)) {
            int shown = b->n > 60 ? 60 : (int)b->n;
            yerr(s, GD_SYNTAX, false, b->pos, "duplicate key '%.*s%s'", shown, b->p ? b->p : "",
                 b->n > 60 ? "..." : "");
        }
    }
}

static gd_status open_container(ystate *s, bool is_map, size_t off, const char *anchor,
                                const char *tag)
{
    if (want_key(s))
        return yerr(s, GD_SYNTAX, true, off, "mapping keys must be scalars");
    if (tag && strcmp(tag, is_map ? YAML_MAP_TAG : YAML_SEQ_TAG) != 0)
        yerr(s, GD_SYNTAX, false, off, "unsupported tag '%s' on a %s", tag,
             is_map ? "mapping" : "sequence");
    uint64_t maxd = gdi_limit(s->ctx, GD_LIMIT_DEPTH);
    if (s->nframes + 1 > maxd)
        return yerr(s, GD_LIMIT, true, off,
                    "nesting deeper than %llu levels (raise with --max-depth)",
                    (unsigned long long)maxd);
    if (gdi_grow(s->ctx, (void **)&s->frames, &s->capframes, s->nframes + 1, sizeof *s->frames))
        return nomem(s);
    uint32_t i = push(s, is_map ? GDI_OBJECT : GDI_ARRAY, off, NULL, 0);
    if (i == UINT32_MAX) return GD_NOMEM;
    yframe *f = &s->frames[s->nframes++];
    f->idx = i;
    f->count = 0;
    f->height = 0;
    f->anchor = UINT32_MAX;
    f->is_map = is_map;
    f->want_key = is_map;
    if (anchor && anchor_def(s, anchor, i, false, 0, &f->anchor)) return GD_NOMEM;
    return GD_OK;
}

static gd_status close_container(ystate *s)
{
    if (!s->nframes) return yerr(s, GD_INTERNAL, true, 0, "internal error: unbalanced yaml events");
    yframe f = s->frames[--s->nframes];
    gdi_doc_close(s->d, f.idx, f.count);
    uint32_t h = f.height + 1;
    if (f.is_map) check_dups(s, f.idx);
    if (f.anchor != UINT32_MAX) {
        s->anchors[f.anchor].done = true;
        s->anchors[f.anchor].height = h;
    }
    value_done(s, h);
    return GD_OK;
}

/* Tag check for a scalar that resolved to r: does it match the tag? */
static bool tag_matches(const char *tag, gdi_type t, uint8_t flags)
{
    if (strcmp(tag, YAML_NULL_TAG) == 0) return t == GDI_NULL;
    if (strcmp(tag, YAML_BOOL_TAG) == 0) return t == GDI_TRUE || t == GDI_FALSE;
    if (strcmp(tag, YAML_INT_TAG) == 0) return t == GDI_NUMBER && (flags & GDI_NF_INTEGER);
    if (strcmp(tag, YAML_FLOAT_TAG) == 0) return t == GDI_NUMBER;
    return false;
}

static gd_status on_scalar(ystate *s, const yaml_event_t *e)
{
    size_t off = text_off(s, e->start_mark.index);
    const char *val = (const char *)e->data.scalar.value;
    size_t n = e->data.scalar.length;
    const char *tag = (const char *)e->data.scalar.tag;
    int style = (int)e->data.scalar.style;
    uint64_t maxs = gdi_limit(s->ctx, GD_LIMIT_STRING);
    if (n > maxs || n >= UINT32_MAX)
        return yerr(s, GD_LIMIT, true, off,
                    "string longer than %llu bytes (raise with --max-string)",
                    (unsigned long long)maxs);
    bool key = want_key(s);
    if (key && style == YAML_PLAIN_SCALAR_STYLE && !tag && n == 2 && memcmp(val, "<<", 2) == 0)
        yerr(s, GD_SYNTAX, false, off,
             "merge keys (<<) are not supported; write the keys out or use an alias");

    yres r = {GDI_STRING, val, (uint32_t)n, 0};
    if (tag && strcmp(tag, "!unknown") == 0) {
        if (key) yerr(s, GD_SYNTAX, false, off, "a mapping key cannot be !unknown");
        r.type = key ? GDI_STRING : GDI_UNKNOWN;
        if (!key) {
            r.str = NULL;
            r.len = 0;
        }
    } else if (key) {
        if (tag && strcmp(tag, YAML_STR_TAG) != 0 && strcmp(tag, "!") != 0)
            yerr(s, GD_SYNTAX, false, off, "unsupported tag '%s' on a mapping key", tag);
    } else if (tag && (strcmp(tag, YAML_STR_TAG) == 0 || strcmp(tag, "!") == 0)) {
        /* forced string */
    } else if (tag) {
        if (strcmp(tag, YAML_NULL_TAG) != 0 && strcmp(tag, YAML_BOOL_TAG) != 0 &&
            strcmp(tag, YAML_INT_TAG) != 0 && strcmp(tag, YAML_FLOAT_TAG) != 0) {
            yerr(s, GD_SYNTAX, false, off, "unsupported tag '%s'", tag);
        } else {
            if (resolve_core(s, val, n, &r)) return GD_NOMEM;
            if (!tag_matches(tag, r.type, r.flags))
                yerr(s, GD_SYNTAX, false, off, "value '%.*s' does not match its tag '%s'",
                     n > 60 ? 60 : (int)n, val, tag);
        }
    } else if (style == YAML_PLAIN_SCALAR_STYLE) {
        if (resolve_core(s, val, n, &r)) return GD_NOMEM;
    }

    if (r.type == GDI_STRING && r.str == val) {
        char *c = gdi_arena_strndup(&s->d->arena, val, n);
        if (!c) return nomem(s);
        r.str = c;
    }
    uint32_t i = push(s, r.type, off, r.str, r.len);
    if (i == UINT32_MAX) return GD_NOMEM;
    gdi_node *nd = &s->d->nodes[i];
    nd->flags = r.flags | (r.type == GDI_STRING ? GDI_NF_DECODED : 0);
    nd->aux = (uint16_t)style;
    if (e->data.scalar.anchor) {
        uint32_t slot;
        if (anchor_def(s, (const char *)e->data.scalar.anchor, i, true, 1, &slot))
            return GD_NOMEM;
    }
    if (key)
        key_done(s);
    else
        value_done(s, 1);
    return GD_OK;
}

static gd_status on_alias(ystate *s, const yaml_event_t *e)
{
    size_t off = text_off(s, e->start_mark.index);
    const char *name = (const char *)e->data.alias.anchor;
    yanchor *a = anchor_find(s, name);
    bool key = want_key(s);
    if (!a || !a->done) {
        yerr(s, GD_SYNTAX, false, off,
             a ? "alias *%s refers to a node that contains it" : "undefined alias *%s", name);
        /* keep the structure: a placeholder */
        if (push(s, key ? GDI_STRING : GDI_NULL, off, key ? "" : NULL, 0) == UINT32_MAX)
            return GD_NOMEM;
        if (key)
            key_done(s);
        else
            value_done(s, 1);
        return GD_OK;
    }
    const gdi_node *src = &s->d->nodes[a->idx];
    if (key) {
        if (src->type != GDI_STRING && src->type != GDI_NUMBER)
            return yerr(s, GD_SYNTAX, true, off, "alias *%s used as a key is not a string",
                        name);
        uint32_t i = push(s, GDI_STRING, off, src->str, src->len);
        if (i == UINT32_MAX) return GD_NOMEM;
        s->d->nodes[i].flags = GDI_NF_DECODED;
        key_done(s);
        return GD_OK;
    }
    uint32_t k = src->skip;
    uint64_t maxa = gdi_limit(s->ctx, GD_LIMIT_YAML_ALIAS);
    s->alias_nodes += k;
    if (s->alias_nodes > maxa)
        return yerr(s, GD_LIMIT, true, off,
                    "yaml aliases expand to more than %llu nodes (raise with "
                    "--max-yaml-expansion)",
                    (unsigned long long)maxa);
    uint64_t maxd = gdi_limit(s->ctx, GD_LIMIT_DEPTH);
    if (s->nframes + a->height > maxd)
        return yerr(s, GD_LIMIT, true, off,
                    "alias *%s nests deeper than %llu levels (raise with --max-depth)", name,
                    (unsigned long long)maxd);
    /* Make room first: the source lives in the same array, which a growth
     * inside gdi_doc_copy_subtree would move. */
    gdi_doc *d = s->d;
    if ((uint64_t)d->n + k >= UINT32_MAX) return nomem(s);
    size_t cap = d->cap;
    if (gdi_grow(s->ctx, (void **)&d->nodes, &cap, (size_t)d->n + k, sizeof *d->nodes))
        return nomem(s);
    d->cap = (uint32_t)cap;
    uint32_t at = gdi_doc_copy_subtree(d, &d->nodes[a->idx]);
    if (at == UINT32_MAX) return nomem(s);
    d->nodes[at].pos = pos32(off);
    value_done(s, a->height);
    return GD_OK;
}

/* Turn a libyaml error into a diagnostic. */
static void parser_error(ystate *s, const yaml_parser_t *p)
{
    size_t off;
    if (p->error == YAML_MEMORY_ERROR) {
        nomem(s);
        return;
    }
    const char *problem = p->problem ? p->problem : "invalid yaml";
    if (p->error == YAML_READER_ERROR) {
        off = src_to_text(s, p->problem_offset);
    } else {
        /* YAML 1.2 ends a tag at a flow indicator (`{a: !unknown}`), libyaml
         * does not: ask for a retry with a space inserted there */
        size_t m = byte_off(s, p->problem_mark.index);
        if (p->error == YAML_SCANNER_ERROR && p->context &&
            strcmp(p->context, "while scanning a tag") == 0 && m >= 8 && m < s->len &&
            strchr("}],", s->src[m]) && memcmp(s->src + m - 8, "!unknown", 8) == 0 &&
            (uint64_t)(s->nins + 1) * (s->len + 1) <= ((uint64_t)64 << 20)) {
            s->retry_at = m;
            s->fatal = true;
            if (s->st == GD_OK) s->st = GD_SYNTAX;
            return;
        }
        off = text_off(s, p->problem_mark.index);
    }
    if (p->context && strcmp(p->context, "while scanning a tag") == 0 &&
        strstr(problem, "whitespace")) {
        /* `{a: !unknown}`: libyaml reads the '}' as part of the tag */
        yerr(s, GD_SYNTAX, true, off,
             "%s %s (inside [] or {} put a space after a tag: `{a: !unknown }`)", problem,
             p->context);
    } else if (p->context) {
        uint32_t cl, cc;
        line_col(s, text_off(s, p->context_mark.index), &cl, &cc);
        yerr(s, GD_SYNTAX, true, off, "%s %s (started at line %u)", problem, p->context,
             (unsigned)cl);
    } else if (p->error == YAML_READER_ERROR && p->problem_value >= 0) {
        yerr(s, GD_SYNTAX, true, off, "%s (byte 0x%02x)", problem, (unsigned)p->problem_value);
    } else {
        yerr(s, GD_SYNTAX, true, off, "%s", problem);
    }
}

/* One pass of libyaml over s->src, building the tape. */
static void parse_once(ystate *s)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        nomem(s);
        return;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)s->src, s->len);
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
    bool end = false;
    while (!end && !s->fatal) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e)) {
            parser_error(s, &p);
            break;
        }
        switch (e.type) {
        case YAML_STREAM_END_EVENT: end = true; break;
        case YAML_DOCUMENT_START_EVENT:
            if (++s->ndocs > 1)
                yerr(s, GD_SYNTAX, true, text_off(s, e.start_mark.index),
                     "only one yaml document is allowed in a file");
            break;
        case YAML_MAPPING_START_EVENT:
            open_container(s, true, text_off(s, e.start_mark.index),
                           (const char *)e.data.mapping_start.anchor,
                           (const char *)e.data.mapping_start.tag);
            break;
        case YAML_SEQUENCE_START_EVENT:
            open_container(s, false, text_off(s, e.start_mark.index),
                           (const char *)e.data.sequence_start.anchor,
                           (const char *)e.data.sequence_start.tag);
            break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT: close_container(s); break;
        case YAML_SCALAR_EVENT: on_scalar(s, &e); break;
        case YAML_ALIAS_EVENT: on_alias(s, &e); break;
        default: break;
        }
        yaml_event_delete(&e);
    }
    yaml_parser_delete(&p);
}

/* Prepare a retry: drop what the failed pass produced (tape, arena,
 * its diagnostics) and insert a space at src offset s->retry_at. */
static gd_status retry_with_space(ystate *s, size_t ndiags0, size_t nerrors0)
{
    gd_ctx *ctx = s->ctx;
    while (ctx->ndiags > ndiags0) gdi_free(ctx, ctx->diags[--ctx->ndiags].msg);
    ctx->nerrors = nerrors0;
    size_t m = s->retry_at;
    char *nb = gdi_alloc(ctx, s->len + 2);
    if (!nb) return GD_NOMEM;
    memcpy(nb, s->src, m);
    nb[m] = ' ';
    memcpy(nb + m + 1, s->src + m, s->len - m);
    nb[s->len + 1] = 0;
    if (gdi_grow(ctx, (void **)&s->ins, &s->capins, s->nins + 1, sizeof *s->ins)) {
        gdi_free(ctx, nb);
        return GD_NOMEM;
    }
    /* text offset of the insertion; later insertions sit further on */
    size_t at = src_to_text(s, m) - s->base, i = s->nins;
    while (i > 0 && s->ins[i - 1] > at) {
        s->ins[i] = s->ins[i - 1];
        i--;
    }
    s->ins[i] = at;
    s->nins++;
    gdi_free(ctx, s->patched);
    s->patched = nb;
    s->src = nb;
    s->len++;
    /* fresh pass state */
    gdi_doc_reset(s->d);
    s->nframes = 0;
    s->nanchors = 0;
    if (s->ahash) memset(s->ahash, 0, s->ahcap * sizeof *s->ahash);
    s->cur_ch = s->cur_byte = 0;
    s->alias_nodes = 0;
    s->ndocs = 0;
    s->st = GD_OK;
    s->fatal = false;
    s->retry_at = SIZE_MAX;
    return GD_OK;
}

gd_status gdi_yaml_parse(gdi_doc *d, const char *text, size_t len)
{
    ystate s;
    memset(&s, 0, sizeof s);
    s.d = d;
    s.ctx = d->ctx;
    if (!d->own_src) {
        d->src = text;
        d->src_len = len;
    }
    if (!text) {
        text = "";
        len = 0;
    }
    s.text = text;
    s.textlen = len;
    /* libyaml with a fixed encoding does not skip a BOM: do it here */
    s.base = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    s.src = text + s.base;
    s.len = len - s.base;
    s.retry_at = SIZE_MAX;
    size_t ndiags0 = s.ctx->ndiags, nerrors0 = s.ctx->nerrors;
    for (;;) {
        parse_once(&s);
        if (s.retry_at == SIZE_MAX) break;
        if (retry_with_space(&s, ndiags0, nerrors0)) {
            nomem(&s);
            break;
        }
    }
    gdi_free(s.ctx, s.frames);
    gdi_free(s.ctx, s.anchors);
    gdi_free(s.ctx, s.ahash);
    gdi_free(s.ctx, s.keys);
    gdi_free(s.ctx, s.patched);
    gdi_free(s.ctx, s.ins);
    if (s.st != GD_OK) d->n = 0;
    return s.st;
}
