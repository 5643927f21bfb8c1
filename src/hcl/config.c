/*
 * config.c — Terraform configurations: files to modules, modules to
 * instances, instances to resources.
 *
 * Loading
 *  A module is a directory; its .tf and .tf.json files are parsed once and
 *  cached by (normalized) path, however many calls use it. Declarations
 *  (variables, locals, resources, data sources, module calls, outputs) are
 *  indexed by name in hash tables. Local module sources ("./x", "../x")
 *  are loaded from disk; any other source is a remote module: reported as
 *  a warning and its resources skipped, its outputs unknown.
 *
 * Evaluation is lazy and memoized per module instance, the way Terraform's
 * graph orders it: a local, a variable, a resource's instances or a module
 * call's instances are evaluated when first referenced (or when the walk
 * emitting resources reaches them), then kept. A reference back to
 * something being evaluated is a cycle: reported, value unknown.
 *
 * A resource referenced by another is an object of the attributes its
 * configuration sets, flagged "open": an attribute it does not set (id,
 * arn, anything computed) is unknown, never an error. Data sources are the
 * same. Module outputs are evaluated in the child instance.
 *
 * Variables of the root module come, lowest precedence first, from
 * defaults, TF_VAR_ environment variables, terraform.tfvars(.json),
 * *.auto.tfvars(.json) in lexical order, --var-file files, --var values.
 *
 * Bounds: module nesting and reference chains are limited by
 * GD_LIMIT_HCL_DEPTH, the total of count/for_each instances by
 * GD_LIMIT_HCL_EXPAND.
 */
#include "hcli.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

extern char **environ;

/* ------------------------------------------------------------- tables */

typedef struct hmap {
    gd_str *keys;
    uint32_t *vals;
    uint32_t cap; /* power of two, 0 when empty */
} hmap;

static uint64_t hash_str(gd_str s)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < s.n; i++) h = (h ^ (unsigned char)s.p[i]) * 1099511628211ULL;
    return h;
}

static bool hmap_build(gdi_arena *a, hmap *m, const gd_str *keys, uint32_t n, uint32_t *dup)
{
    *dup = UINT32_MAX;
    m->cap = 0;
    if (!n) return true;
    uint32_t cap = 8;
    while (cap < n * 2) cap *= 2;
    m->keys = gdi_arena_calloc(a, (size_t)cap * sizeof *m->keys);
    m->vals = gdi_arena_alloc(a, (size_t)cap * sizeof *m->vals);
    if (!m->keys || !m->vals) return false;
    m->cap = cap;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t h = (uint32_t)hash_str(keys[i]) & (cap - 1);
        for (;;) {
            if (!m->keys[h].p) {
                m->keys[h] = keys[i];
                if (!m->keys[h].p) m->keys[h].p = "";
                m->vals[h] = i;
                break;
            }
            if (gd_str_eq(m->keys[h], keys[i])) {
                if (*dup == UINT32_MAX) *dup = i;
                break;
            }
            h = (h + 1) & (cap - 1);
        }
    }
    return true;
}

static uint32_t hmap_get(const hmap *m, gd_str key)
{
    if (!m->cap) return UINT32_MAX;
    uint32_t h = (uint32_t)hash_str(key) & (m->cap - 1);
    while (m->keys[h].p) {
        if (gd_str_eq(m->keys[h], key)) return m->vals[h];
        h = (h + 1) & (m->cap - 1);
    }
    return UINT32_MAX;
}

/* ------------------------------------------------------------ structs */

typedef struct hfile {
    char *path;      /* as displayed */
    char *text;      /* contents (owned by doc when doc is set) */
    size_t len;
    gdi_doc *doc;    /* document holding attrs of this file's resources */
} hfile;

typedef struct hvar {
    gd_str name;
    const hcl_block *blk;
    const hcl_expr *type; /* NULL: any */
    const hcl_expr *def;  /* NULL: required */
} hvar;

typedef struct hres {
    gd_str type, name;
    uint8_t mode;         /* gdi_mode */
    const hcl_block *blk;
    const hcl_expr *count, *for_each;
    gd_str provider;      /* local provider name */
    gd_str provider_cfg;  /* "aws.west" when the meta-argument is set */
} hres;

typedef struct hmodule hmodule;

typedef struct hcall {
    gd_str name;
    const hcl_block *blk;
    gd_str source;
    const hcl_expr *count, *for_each;
    hmodule *child; /* NULL: remote or missing */
} hcall;

struct hmodule {
    char *dir;               /* normalized directory path */
    uint32_t *files;         /* file indexes */
    uint32_t nfiles;
    hvar *vars;
    uint32_t nvars;
    const hcl_attr **locals;
    uint32_t nlocals;
    hres *res;
    uint32_t nres;
    hcall *calls;
    uint32_t ncalls;
    const hcl_block **outputs;
    uint32_t noutputs;
    hmap var_ix, local_ix, res_ix, call_ix, out_ix; /* name -> index */
    bool called;             /* used as a child by some loaded module */
};

typedef struct hinst {
    const char *key;       /* "[0]", "[\"a\"]" or "" */
    const hcl_val *each_key, *each_val, *count_index;
    const hcl_val *attrs;  /* evaluated attributes (open object) */
} hinst;

typedef struct resmemo {
    uint8_t state;         /* 0 new, 1 evaluating, 2 done */
    const hcl_val *ref;    /* value seen by references */
    hinst *insts;
    uint32_t ninst;
} resmemo;

typedef struct hcl_modinst hmodinst_t;

typedef struct callmemo {
    uint8_t state;
    const hcl_val *ref;
    struct hcl_modinst **insts;
    uint32_t ninst;
} callmemo;

typedef struct memo {
    uint8_t state;
    const hcl_val *val;
} memo;

struct hcl_modinst {
    hmodule *mod;
    struct hcl_modinst *parent;
    const hcall *call;       /* the call that made it (NULL at root) */
    hcl_scope call_scope;    /* parent's scope with this instance's count/each */
    const char *addr;        /* "" or module.a["x"].module.b */
    uint32_t depth;          /* module nesting */
    const hcl_val **given;   /* root: values set from outside, per variable */
    memo *vars, *locals, *outs;
    resmemo *res;
    callmemo *calls;
    const char *root_dir;    /* path.root */
};

struct hcl_state {
    gd_ctx *ctx;
    gdi_arena ar;            /* trees, values, strings */
    hfile *files;
    uint32_t nfiles, capfiles;
    hmodule **mods;
    size_t nmods, capmods;
    hcl_ev ev;
    uint64_t expanded, max_expand;
    uint32_t max_mod_depth;
    bool syntax, io, limit;
    const gd_scan_opts *opts;
    gdi_resource *out;
    uint32_t *out_attr;      /* node index of each resource's attrs */
    size_t nout, capout;
    const char *cur_root;    /* directory of the root module being run (Terraform's cwd) */
};

const char *gdi_hcl_file_name(const struct hcl_state *st, uint32_t file)
{
    return (st && file < st->nfiles) ? st->files[file].path : NULL;
}

void gdi_hcl_file_text(const struct hcl_state *st, uint32_t file, const char **text, size_t *len)
{
    *text = NULL;
    *len = 0;
    if (st && file < st->nfiles) {
        *text = st->files[file].text;
        *len = st->files[file].len;
    }
}

static char *path_join(gdi_arena *a, const char *dir, const char *rel, size_t rlen);
static gd_status add_file(struct hcl_state *st, const char *path, char *text, size_t len,
                          uint32_t *idx);

const char *gdi_hcl_path(hcl_ev *ev, gd_str path)
{
    struct hcl_state *st = ev->st;
    return path_join(&st->ar, st->cur_root ? st->cur_root : ".", path.p, path.n);
}

gd_status gdi_hcl_file_load(hcl_ev *ev, const hcl_expr *e, gd_str path, uint32_t *file)
{
    struct hcl_state *st = ev->st;
    if (!path.n || memchr(path.p, 0, path.n))
        return gdi_hcl_everr(ev, e, "%.*s(): invalid file name", (int)e->name.n, e->name.p);
    char *full = path_join(&st->ar, st->cur_root ? st->cur_root : ".", path.p, path.n);
    if (!full) return GD_NOMEM;
    for (uint32_t i = 0; i < st->nfiles; i++)
        if (strcmp(st->files[i].path, full) == 0) {
            *file = i;
            return GD_OK;
        }
    /* only regular files: a device or a FIFO (/dev/zero, /dev/stdin) would
     * read without end or block the scan */
    struct stat sb;
    if (stat(full, &sb) == 0 && !S_ISREG(sb.st_mode))
        return gdi_hcl_everr(ev, e, "%.*s(): cannot read \"%.*s\": not a regular file",
                             (int)e->name.n, e->name.p, (int)path.n, path.p);
    /* read errors belong to the call: collect them in a scratch context */
    gd_ctx *tmp = NULL;
    gd_status r = gdi_ctx_clone(ev->ctx, &tmp);
    if (r) return r;
    char *text = NULL;
    size_t len = 0;
    r = gdi_read_file(tmp, full, &text, &len);
    if (r && tmp->diag_nomem) r = GD_NOMEM; /* the reason itself was lost */
    const char *why = r && r != GD_NOMEM ? gd_ctx_diag(tmp, 0, NULL) : NULL;
    if (why && strncmp(why, full, strlen(full)) == 0 && why[strlen(full)] == ':')
        why += strlen(full) + 2; /* the message without its "path: " */
    if (r == GD_LIMIT) st->limit = true;
    if (r && r != GD_NOMEM)
        r = gdi_hcl_everr(ev, e, "%.*s(): cannot read \"%.*s\": %s", (int)e->name.n, e->name.p,
                          (int)path.n, path.p, why ? why : "read error");
    gd_ctx_free(tmp);
    if (r) return r;
    if ((r = add_file(st, full, text, len, file))) {
        gdi_free(st->ctx, text);
        return r;
    }
    return GD_OK;
}

static gd_status warn_at(struct hcl_state *st, uint32_t file, uint32_t pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static gd_status warn_at(struct hcl_state *st, uint32_t file, uint32_t pos, const char *fmt, ...)
{
    uint32_t line = 0, col = 0;
    const char *text;
    size_t len;
    gdi_hcl_file_text(st, file, &text, &len);
    if (text) gdi_line_col(text, len, pos, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    gd_status s = gdi_diag_addv(st->ctx, GD_DIAG_WARNING, gdi_hcl_file_name(st, file), line, col,
                                fmt, ap);
    va_end(ap);
    return s;
}

static gd_status err_at(struct hcl_state *st, uint32_t file, uint32_t pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static gd_status err_at(struct hcl_state *st, uint32_t file, uint32_t pos, const char *fmt, ...)
{
    uint32_t line = 0, col = 0;
    const char *text;
    size_t len;
    gdi_hcl_file_text(st, file, &text, &len);
    if (text) gdi_line_col(text, len, pos, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    gdi_diag_addv(st->ctx, GD_DIAG_ERROR, gdi_hcl_file_name(st, file), line, col, fmt, ap);
    va_end(ap);
    st->ev.failed = true;
    return GD_INVALID;
}

/* -------------------------------------------------------------- paths */

/* Lexically normalized join of dir and rel ("a/b" + "../c" = "a/c"). */
static char *path_join(gdi_arena *a, const char *dir, const char *rel, size_t rlen)
{
    size_t dl = strlen(dir);
    bool abs = rlen && rel[0] == '/';
    size_t cap = dl + rlen + 3;
    char *tmp = gdi_arena_alloc(a, cap);
    char *out = gdi_arena_alloc(a, cap);
    if (!tmp || !out) return NULL;
    size_t n = 0;
    if (!abs) {
        memcpy(tmp, dir, dl);
        n = dl;
        tmp[n++] = '/';
    }
    memcpy(tmp + n, rel, rlen);
    n += rlen;
    tmp[n] = 0;
    /* walk components */
    size_t o = 0;
    bool lead = tmp[0] == '/';
    if (lead) out[o++] = '/';
    size_t i = 0;
    while (i < n) {
        while (i < n && tmp[i] == '/') i++;
        size_t s = i;
        while (i < n && tmp[i] != '/') i++;
        size_t cl = i - s;
        if (cl == 0 || (cl == 1 && tmp[s] == '.')) continue;
        if (cl == 2 && tmp[s] == '.' && tmp[s + 1] == '.') {
            /* drop the previous component unless it is ".." or nothing */
            size_t e = o;
            while (e > (lead ? 1u : 0u) && out[e - 1] == '/') e--;
            size_t b = e;
            while (b > (lead ? 1u : 0u) && out[b - 1] != '/') b--;
            if (e > b && !(e - b == 2 && out[b] == '.' && out[b + 1] == '.')) {
                o = b;
                continue;
            }
            if (lead && e <= 1) continue;
        }
        if (o && out[o - 1] != '/') out[o++] = '/';
        memcpy(out + o, tmp + s, cl);
        o += cl;
    }
    if (o == 0) out[o++] = '.';
    out[o] = 0;
    return out;
}

/* Path of `to` relative to directory `from`, both as path_join makes
 * them (normalized, both relative or both absolute): "." when equal,
 * "modules/net", "../shared". When `from` climbs out of the current
 * directory further than `to` does, `to` itself. NULL on out of memory. */
static const char *rel_path(gdi_arena *a, const char *from, const char *to)
{
    if (strcmp(from, to) == 0) return ".";
    if (strcmp(from, ".") == 0) return to;
    /* the longest common prefix of whole components */
    size_t i = 0, common = 0;
    while (from[i] && from[i] == to[i]) {
        i++;
        if (from[i] == '/' || (!from[i] && (to[i] == '/' || !to[i]))) common = i;
    }
    if (!from[i] && to[i] == '/') common = i;
    const char *rf = from + common, *rt = to + common;
    while (*rf == '/') rf++;
    while (*rt == '/') rt++;
    size_t ups = 0;
    for (const char *c = rf; *c;) {
        const char *e = strchr(c, '/');
        size_t cl = e ? (size_t)(e - c) : strlen(c);
        if (cl == 2 && c[0] == '.' && c[1] == '.') return to; /* cannot invert ".." */
        ups++;
        c += cl;
        while (*c == '/') c++;
    }
    size_t tl = strlen(rt);
    char *out = gdi_arena_alloc(a, ups * 3 + tl + 2);
    if (!out) return NULL;
    size_t o = 0;
    for (size_t k = 0; k < ups; k++) {
        memcpy(out + o, "../", 3);
        o += 3;
    }
    memcpy(out + o, rt, tl);
    o += tl;
    if (o && out[o - 1] == '/') o--;
    if (!o) out[o++] = '.';
    out[o] = 0;
    return out;
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && memcmp(s + n - m, suf, m) == 0;
}

static bool is_config_name(const char *name)
{
    if (name[0] == '.') return false;
    if (!has_suffix(name, ".tf") && !has_suffix(name, ".tf.json")) return false;
    return true;
}


static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names in dir matching pred, sorted; caller frees with gdi_free (array and
 * strings in the state arena). */
static gd_status list_dir(struct hcl_state *st, const char *dir, bool (*pred)(const char *),
                          char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) return gdi_err(st->ctx, GD_IO, dir, 0, 0, "cannot open directory: %s", strerror(errno));
    char **v = NULL;
    size_t cap = 0, cnt = 0;
    gd_status s = GD_OK;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!pred(de->d_name)) continue;
        if (gdi_grow(st->ctx, (void **)&v, &cap, cnt + 1, sizeof *v)) {
            s = GD_NOMEM;
            break;
        }
        if (!(v[cnt] = gdi_arena_strndup(&st->ar, de->d_name, strlen(de->d_name)))) {
            s = GD_NOMEM;
            break;
        }
        cnt++;
    }
    closedir(d);
    if (s) {
        gdi_free(st->ctx, v);
        return s;
    }
    if (cnt) qsort(v, cnt, sizeof *v, cmp_cstr);
    *out = v;
    *n = cnt;
    return GD_OK;
}

static bool is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* ---------------------------------------------------------- file table */

static gd_status add_file(struct hcl_state *st, const char *path, char *text, size_t len,
                          uint32_t *idx)
{
    size_t cap = st->capfiles;
    if (gdi_grow(st->ctx, (void **)&st->files, &cap, (size_t)st->nfiles + 1, sizeof *st->files))
        return GD_NOMEM;
    st->capfiles = (uint32_t)cap;
    hfile *f = &st->files[st->nfiles];
    memset(f, 0, sizeof *f);
    f->path = gdi_strndup(st->ctx, path, strlen(path));
    if (!f->path) return GD_NOMEM;
    f->text = text;
    f->len = len;
    *idx = st->nfiles++;
    return GD_OK;
}

/* ------------------------------------------------------- declarations */

typedef struct declv {
    hvar *vars;
    size_t nvars, cvars;
    const hcl_attr **locals;
    size_t nlocals, clocals;
    hres *res;
    size_t nres, cres;
    hcall *calls;
    size_t ncalls, ccalls;
    const hcl_block **outs;
    size_t nouts, couts;
} declv;

static gd_str expr_text(struct hcl_state *st, const hcl_expr *e)
{
    /* the text of a traversal like aws.west for messages and provider refs */
    if (e->kind == HE_VAR) return e->name;
    if (e->kind == HE_ATTR && e->a->kind == HE_VAR) {
        const hfile *f = &st->files[e->file];
        size_t end = (size_t)(e->name.p - f->text) + e->name.n;
        if (e->name.p >= f->text && end <= f->len) return (gd_str){f->text + e->pos, end - e->pos};
    }
    return (gd_str){NULL, 0};
}

static gd_status collect_block(struct hcl_state *st, declv *d, const hcl_block *b)
{
    gd_ctx *ctx = st->ctx;
    gd_str t = b->type;
    if (gd_str_eqc(t, "variable")) {
        if (b->nlabels != 1) return err_at(st, b->file, b->pos, "a variable block needs one label");
        if (gdi_grow(ctx, (void **)&d->vars, &d->cvars, d->nvars + 1, sizeof *d->vars))
            return GD_NOMEM;
        hvar *v = &d->vars[d->nvars++];
        memset(v, 0, sizeof *v);
        v->name = b->labels[0];
        v->blk = b;
        const hcl_attr *a = gdi_hcl_body_attr(b->body, "type");
        if (a) v->type = a->expr;
        a = gdi_hcl_body_attr(b->body, "default");
        if (a) v->def = a->expr;
    } else if (gd_str_eqc(t, "locals")) {
        for (uint32_t i = 0; i < b->body->nattrs; i++) {
            if (gdi_grow(ctx, (void **)&d->locals, &d->clocals, d->nlocals + 1, sizeof *d->locals))
                return GD_NOMEM;
            d->locals[d->nlocals++] = &b->body->attrs[i];
        }
    } else if (gd_str_eqc(t, "resource") || gd_str_eqc(t, "data")) {
        if (b->nlabels != 2)
            return err_at(st, b->file, b->pos, "a %.*s block needs two labels (type and name)",
                          (int)t.n, t.p);
        if (gdi_grow(ctx, (void **)&d->res, &d->cres, d->nres + 1, sizeof *d->res)) return GD_NOMEM;
        hres *r = &d->res[d->nres++];
        memset(r, 0, sizeof *r);
        r->type = b->labels[0];
        r->name = b->labels[1];
        r->mode = gd_str_eqc(t, "data") ? GDI_MODE_DATA : GDI_MODE_MANAGED;
        r->blk = b;
        const hcl_attr *a = gdi_hcl_body_attr(b->body, "count");
        if (a) r->count = a->expr;
        a = gdi_hcl_body_attr(b->body, "for_each");
        if (a) r->for_each = a->expr;
        if (r->count && r->for_each) {
            d->nres--; /* not scanned: which of the two would apply is unknown */
            return err_at(st, b->file, b->pos, "a resource cannot use both count and for_each");
        }
        const char *us = memchr(r->type.p, '_', r->type.n);
        r->provider = (gd_str){r->type.p, us ? (size_t)(us - r->type.p) : r->type.n};
        a = gdi_hcl_body_attr(b->body, "provider");
        if (a) {
            const hcl_expr *pe = a->expr;
            const hcl_expr *root = pe->kind == HE_ATTR ? pe->a : pe;
            if (root->kind == HE_VAR) {
                r->provider = root->name;
                r->provider_cfg = expr_text(st, pe);
            }
        }
    } else if (gd_str_eqc(t, "module")) {
        if (b->nlabels != 1) return err_at(st, b->file, b->pos, "a module block needs one label");
        if (gdi_grow(ctx, (void **)&d->calls, &d->ccalls, d->ncalls + 1, sizeof *d->calls))
            return GD_NOMEM;
        hcall *c = &d->calls[d->ncalls++];
        memset(c, 0, sizeof *c);
        c->name = b->labels[0];
        c->blk = b;
        const hcl_attr *a = gdi_hcl_body_attr(b->body, "source");
        if (!a || a->expr->kind != HE_STR) {
            d->ncalls--;
            return err_at(st, b->file, b->pos, "module \"%.*s\" needs a literal source",
                          (int)c->name.n, c->name.p);
        }
        c->source = a->expr->name;
        if ((a = gdi_hcl_body_attr(b->body, "count"))) c->count = a->expr;
        if ((a = gdi_hcl_body_attr(b->body, "for_each"))) c->for_each = a->expr;
    } else if (gd_str_eqc(t, "output")) {
        if (b->nlabels != 1) return err_at(st, b->file, b->pos, "an output block needs one label");
        if (gdi_grow(ctx, (void **)&d->outs, &d->couts, d->nouts + 1, sizeof *d->outs))
            return GD_NOMEM;
        d->outs[d->nouts++] = b;
    }
    /* terraform, provider, moved, import, check, removed: nothing to evaluate */
    return GD_OK;
}

static hmodule *find_module(struct hcl_state *st, const char *dir)
{
    for (size_t i = 0; i < st->nmods; i++)
        if (strcmp(st->mods[i]->dir, dir) == 0) return st->mods[i];
    return NULL;
}

static gd_status load_module_files(struct hcl_state *st, hmodule *m, const char *dir,
                                   char **names, size_t nnames);

static gd_status index_module(struct hcl_state *st, hmodule *m, declv *d);

/* Read, parse and index the module in dir (or the given files only).
 * Syntax errors are reported, the file skipped. */
static gd_status load_module(struct hcl_state *st, const char *dir, char **names, size_t nnames,
                             uint32_t depth, hmodule **out)
{
    *out = find_module(st, dir);
    if (*out) return GD_OK;
    hmodule *m = gdi_arena_calloc(&st->ar, sizeof *m);
    if (!m) return GD_NOMEM;
    m->dir = gdi_arena_strndup(&st->ar, dir, strlen(dir));
    if (!m->dir) return GD_NOMEM;
    if (gdi_grow(st->ctx, (void **)&st->mods, &st->capmods, st->nmods + 1, sizeof *st->mods))
        return GD_NOMEM;
    st->mods[st->nmods++] = m;
    *out = m;
    gd_status s = load_module_files(st, m, dir, names, nnames);
    if (s) return s;
    /* child modules */
    for (uint32_t i = 0; i < m->ncalls; i++) {
        hcall *c = &m->calls[i];
        gd_str src = c->source;
        bool local = (src.n >= 2 && memcmp(src.p, "./", 2) == 0) ||
                     (src.n >= 3 && memcmp(src.p, "../", 3) == 0) || gd_str_eqc(src, ".") ||
                     gd_str_eqc(src, "..");
        if (!local) {
            warn_at(st, c->blk->file, c->blk->pos,
                    "module \"%.*s\" has remote source \"%.*s\" that is not on disk; its "
                    "resources are not scanned",
                    (int)c->name.n, c->name.p, (int)src.n, src.p);
            continue;
        }
        char *cd = path_join(&st->ar, dir, src.p, src.n);
        if (!cd) return GD_NOMEM;
        if (!is_dir(cd)) {
            err_at(st, c->blk->file, c->blk->pos, "module \"%.*s\": source directory %s not found",
                   (int)c->name.n, c->name.p, cd);
            continue;
        }
        if (depth + 1 > st->max_mod_depth) {
            st->limit = true;
            gdi_err(st->ctx, GD_LIMIT, gdi_hcl_file_name(st, c->blk->file), 0, 0,
                    "modules nested deeper than %u levels (--max-hcl-depth)",
                    (unsigned)st->max_mod_depth);
            return GD_LIMIT;
        }
        if ((s = load_module(st, cd, NULL, 0, depth + 1, &c->child))) return s;
        c->child->called = true;
    }
    return GD_OK;
}

/* ------------------------------------------------------- override files */

/* Terraform's override files: override.tf, override.tf.json, and names
 * ending in _override.tf or _override.tf.json. */
static bool is_override(const char *name)
{
    size_t n = strlen(name);
    for (int j = 0; j < 2; j++) {
        const char *suf = j ? "override.tf.json" : "override.tf";
        size_t m = strlen(suf);
        if (n == m && strcmp(name, suf) == 0) return true;
        if (n > m && strcmp(name + n - m, suf) == 0 && name[n - m - 1] == '_') return true;
    }
    return false;
}

/* The type a nested block is overridden by: a dynamic "x" block counts as x. */
static gd_str override_kind(const hcl_block *b)
{
    if (gd_str_eqc(b->type, "dynamic") && b->nlabels == 1) return b->labels[0];
    return b->type;
}

/* The body of original o with override v merged in, as Terraform merges
 * them: each argument of v replaces (or adds) the argument of the same name;
 * the nested blocks of a type v has replace all of o's of that type, except
 * lifecycle, merged argument by argument. */
static hcl_body *merge_body(struct hcl_state *st, const hcl_body *o, const hcl_body *v)
{
    gdi_arena *a = &st->ar;
    hcl_body *n = gdi_arena_alloc(a, sizeof *n);
    if (!n) return NULL;
    n->attrs = gdi_arena_alloc(a, ((size_t)o->nattrs + v->nattrs + 1) * sizeof *n->attrs);
    n->blocks = gdi_arena_alloc(a, ((size_t)o->nblocks + v->nblocks + 1) * sizeof *n->blocks);
    if (!n->attrs || !n->blocks) return NULL;
    n->nattrs = o->nattrs;
    if (o->nattrs) memcpy(n->attrs, o->attrs, o->nattrs * sizeof *n->attrs);
    for (uint32_t i = 0; i < v->nattrs; i++) {
        uint32_t k = 0;
        while (k < n->nattrs && !gd_str_eq(n->attrs[k].name, v->attrs[i].name)) k++;
        n->attrs[k] = v->attrs[i];
        if (k == n->nattrs) n->nattrs++;
    }
    n->nblocks = 0;
    for (uint32_t i = 0; i < o->nblocks; i++) { /* o's blocks of a type v does not have */
        bool replaced = false;
        for (uint32_t j = 0; j < v->nblocks && !replaced; j++)
            replaced = gd_str_eq(override_kind(o->blocks[i]), override_kind(v->blocks[j]));
        if (!replaced) n->blocks[n->nblocks++] = o->blocks[i];
    }
    for (uint32_t j = 0; j < v->nblocks; j++) {
        const hcl_block *vb = v->blocks[j];
        const hcl_block *ob = NULL;
        if (gd_str_eqc(vb->type, "lifecycle"))
            for (uint32_t i = 0; i < o->nblocks && !ob; i++)
                if (gd_str_eqc(o->blocks[i]->type, "lifecycle")) ob = o->blocks[i];
        if (!ob) {
            n->blocks[n->nblocks++] = (hcl_block *)vb;
            continue;
        }
        hcl_block *mb = gdi_arena_alloc(a, sizeof *mb);
        if (!mb) return NULL;
        *mb = *ob;
        if (!(mb->body = merge_body(st, ob->body, vb->body))) return NULL;
        n->blocks[n->nblocks++] = mb;
    }
    return n;
}

/* The text of a provider block's alias (a literal), or an empty string. */
static gd_str provider_alias(const hcl_block *b)
{
    const hcl_attr *al = gdi_hcl_body_attr(b->body, "alias");
    if (al && al->expr->kind == HE_STR) return al->expr->name;
    return (gd_str){"", 0};
}

static bool same_block(const hcl_block *x, const hcl_block *y)
{
    if (!gd_str_eq(x->type, y->type) || x->nlabels != y->nlabels) return false;
    for (uint32_t i = 0; i < x->nlabels; i++)
        if (!gd_str_eq(x->labels[i], y->labels[i])) return false;
    return !gd_str_eqc(x->type, "provider") || gd_str_eq(provider_alias(x), provider_alias(y));
}

/* Merge the blocks of override body v into the module's primary bodies. */
static gd_status apply_override(struct hcl_state *st, hcl_body **bodies, size_t nbodies,
                                const hcl_body *v)
{
    for (uint32_t k = 0; k < v->nblocks; k++) {
        const hcl_block *vb = v->blocks[k];
        if (gd_str_eqc(vb->type, "terraform")) continue; /* settings gongdan does not use */
        if (gd_str_eqc(vb->type, "locals")) {
            for (uint32_t i = 0; i < vb->body->nattrs; i++) {
                const hcl_attr *va = &vb->body->attrs[i];
                hcl_attr *oa = NULL;
                for (size_t b = 0; b < nbodies && !oa; b++)
                    for (uint32_t j = 0; j < bodies[b]->nblocks && !oa; j++) {
                        hcl_block *ob = bodies[b]->blocks[j];
                        if (!gd_str_eqc(ob->type, "locals")) continue;
                        for (uint32_t q = 0; q < ob->body->nattrs && !oa; q++)
                            if (gd_str_eq(ob->body->attrs[q].name, va->name))
                                oa = &ob->body->attrs[q];
                    }
                if (!oa) {
                    err_at(st, vb->file, va->pos,
                           "override of local.%.*s, which no other file of the module defines",
                           (int)va->name.n, va->name.p);
                    continue;
                }
                *oa = *va;
            }
            continue;
        }
        hcl_block *ob = NULL;
        for (size_t b = 0; b < nbodies && !ob; b++)
            for (uint32_t j = 0; j < bodies[b]->nblocks && !ob; j++)
                if (same_block(bodies[b]->blocks[j], vb)) ob = bodies[b]->blocks[j];
        if (!ob) {
            err_at(st, vb->file, vb->pos,
                   "override of a %.*s block that no other file of the module has",
                   (int)vb->type.n, vb->type.p);
            continue;
        }
        hcl_body *merged = merge_body(st, ob->body, vb->body);
        if (!merged) return GD_NOMEM;
        ob->body = merged;
    }
    return GD_OK;
}

static gd_status load_module_files(struct hcl_state *st, hmodule *m, const char *dir,
                                   char **names, size_t nnames)
{
    gd_status s = GD_OK;
    char **list = names;
    size_t n = nnames;
    bool own = false;
    declv d;
    memset(&d, 0, sizeof d);
    if (!names) {
        if ((s = list_dir(st, dir, is_config_name, &list, &n))) {
            if (s == GD_NOMEM) return s;
            st->io = true;
            return GD_OK;
        }
        own = true;
    }
    uint32_t *fidx = n ? gdi_arena_alloc(&st->ar, n * sizeof *fidx) : NULL;
    hcl_body **bodies = n ? gdi_arena_alloc(&st->ar, n * sizeof *bodies) : NULL;
    size_t nbodies = 0;
    if (n && (!fidx || !bodies)) {
        s = GD_NOMEM;
        goto done;
    }
    /* the other files first, then the override files merged into them, in
     * name order, as Terraform does */
    for (size_t pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < n; i++) {
        if (is_override(list[i]) != (pass == 1)) continue;
        char *path = path_join(&st->ar, dir, list[i], strlen(list[i]));
        if (!path) {
            s = GD_NOMEM;
            goto done;
        }
        char *text;
        size_t len;
        gd_status r = gdi_read_file(st->ctx, path, &text, &len);
        if (r == GD_NOMEM) {
            s = r;
            goto done;
        }
        if (r) {
            st->io = true;
            continue;
        }
        uint32_t fi;
        if ((s = add_file(st, path, text, len, &fi))) {
            gdi_free(st->ctx, text);
            goto done;
        }
        gdi_doc *doc = gdi_calloc(st->ctx, 1, sizeof *doc);
        if (!doc) {
            s = GD_NOMEM;
            goto done;
        }
        if ((s = gdi_doc_init(doc, st->ctx, path))) {
            gdi_doc_free(doc);
            gdi_free(st->ctx, doc);
            goto done;
        }
        gdi_doc_own_source(doc, text, len);
        st->files[fi].doc = doc;
        hcl_body *body = NULL;
        r = has_suffix(path, ".json")
                ? gdi_hcl_parse_json(st->ctx, &st->ar, path, fi, text, len, &body)
                : gdi_hcl_parse(st->ctx, &st->ar, path, fi, text, len, &body);
        if (r == GD_NOMEM) {
            s = r;
            goto done;
        }
        if (r == GD_LIMIT) st->limit = true;
        if (r) {
            st->syntax = true;
            continue;
        }
        fidx[m->nfiles++] = fi;
        if (pass == 0) {
            bodies[nbodies++] = body;
        } else if ((s = apply_override(st, bodies, nbodies, body))) {
            goto done;
        }
    }
    for (size_t b = 0; b < nbodies; b++)
        for (uint32_t k = 0; k < bodies[b]->nblocks; k++)
            if ((s = collect_block(st, &d, bodies[b]->blocks[k])) == GD_NOMEM) goto done;
    s = GD_OK;
    m->files = fidx;
    s = index_module(st, m, &d);
done:
    if (own) gdi_free(st->ctx, list);
    gdi_free(st->ctx, d.vars);
    gdi_free(st->ctx, d.locals);
    gdi_free(st->ctx, d.res);
    gdi_free(st->ctx, d.calls);
    gdi_free(st->ctx, d.outs);
    return s;
}

static gd_status index_module(struct hcl_state *st, hmodule *m, declv *d)
{
    gdi_arena *a = &st->ar;
    m->nvars = (uint32_t)d->nvars;
    m->nlocals = (uint32_t)d->nlocals;
    m->nres = (uint32_t)d->nres;
    m->ncalls = (uint32_t)d->ncalls;
    m->noutputs = (uint32_t)d->nouts;
    size_t most = d->nvars + d->nlocals + d->nres + d->ncalls + d->nouts + 1;
    gd_str *keys = gdi_alloc(st->ctx, most * sizeof *keys);
    if (!keys) return GD_NOMEM;
    gd_status s = GD_NOMEM;
    uint32_t dup;
#define COPY(dst, src, n)                                                                          \
    if (n) {                                                                                       \
        if (!(dst = gdi_arena_alloc(a, (n) * sizeof *(src)))) goto done;                           \
        memcpy((void *)dst, src, (n) * sizeof *(src));                                             \
    }
    COPY(m->vars, d->vars, d->nvars);
    COPY(m->locals, d->locals, d->nlocals);
    COPY(m->res, d->res, d->nres);
    COPY(m->calls, d->calls, d->ncalls);
    COPY(m->outputs, d->outs, d->nouts);
#undef COPY
    for (uint32_t i = 0; i < m->nvars; i++) keys[i] = m->vars[i].name;
    if (!hmap_build(a, &m->var_ix, keys, m->nvars, &dup)) goto done;
    if (dup != UINT32_MAX)
        err_at(st, m->vars[dup].blk->file, m->vars[dup].blk->pos,
               "duplicate variable \"%.*s\"", (int)keys[dup].n, keys[dup].p);
    for (uint32_t i = 0; i < m->nlocals; i++) keys[i] = m->locals[i]->name;
    if (!hmap_build(a, &m->local_ix, keys, m->nlocals, &dup)) goto done;
    if (dup != UINT32_MAX)
        err_at(st, m->locals[dup]->expr->file, m->locals[dup]->pos, "duplicate local \"%.*s\"",
               (int)keys[dup].n, keys[dup].p);
    for (uint32_t i = 0; i < m->nres; i++) {
        hres *r = &m->res[i];
        size_t n = r->type.n + r->name.n + 8;
        char *k = gdi_arena_alloc(a, n);
        if (!k) goto done;
        int w = snprintf(k, n, "%s%.*s.%.*s", r->mode == GDI_MODE_DATA ? "data." : "",
                         (int)r->type.n, r->type.p, (int)r->name.n, r->name.p);
        keys[i] = (gd_str){k, (size_t)w};
    }
    if (!hmap_build(a, &m->res_ix, keys, m->nres, &dup)) goto done;
    if (dup != UINT32_MAX)
        err_at(st, m->res[dup].blk->file, m->res[dup].blk->pos, "duplicate resource \"%.*s\"",
               (int)keys[dup].n, keys[dup].p);
    for (uint32_t i = 0; i < m->ncalls; i++) keys[i] = m->calls[i].name;
    if (!hmap_build(a, &m->call_ix, keys, m->ncalls, &dup)) goto done;
    if (dup != UINT32_MAX)
        err_at(st, m->calls[dup].blk->file, m->calls[dup].blk->pos, "duplicate module \"%.*s\"",
               (int)keys[dup].n, keys[dup].p);
    for (uint32_t i = 0; i < m->noutputs; i++) keys[i] = m->outputs[i]->labels[0];
    if (!hmap_build(a, &m->out_ix, keys, m->noutputs, &dup)) goto done;
    s = GD_OK;
done:
    gdi_free(st->ctx, keys);
    return s;
}

/* ---------------------------------------------------------- instances */

static gd_status new_inst(struct hcl_state *st, hmodule *m, hmodinst_t *parent, const hcall *call,
                          const char *addr, hmodinst_t **out)
{
    gdi_arena *a = &st->ar;
    hmodinst_t *mi = gdi_arena_calloc(a, sizeof *mi);
    if (!mi) return GD_NOMEM;
    mi->mod = m;
    mi->parent = parent;
    mi->call = call;
    mi->addr = addr;
    mi->depth = parent ? parent->depth + 1 : 0;
    mi->root_dir = parent ? parent->root_dir : m->dir;
    if ((m->nvars && !(mi->vars = gdi_arena_calloc(a, m->nvars * sizeof *mi->vars))) ||
        (m->nlocals && !(mi->locals = gdi_arena_calloc(a, m->nlocals * sizeof *mi->locals))) ||
        (m->noutputs && !(mi->outs = gdi_arena_calloc(a, m->noutputs * sizeof *mi->outs))) ||
        (m->nres && !(mi->res = gdi_arena_calloc(a, m->nres * sizeof *mi->res))) ||
        (m->ncalls && !(mi->calls = gdi_arena_calloc(a, m->ncalls * sizeof *mi->calls))) ||
        (!parent && m->nvars && !(mi->given = gdi_arena_calloc(a, m->nvars * sizeof *mi->given))))
        return GD_NOMEM;
    *out = mi;
    return GD_OK;
}

/* Write an instance key as Terraform prints it: [0] or ["a\"b"]. */
static const char *key_text(gdi_arena *a, const hcl_val *k)
{
    if (!k) return "";
    if (k->kind == HV_UNK) return "[*]";
    char buf[64];
    if (k->kind == HV_NUM) {
        size_t n = gdi_hv_numfmt(k->u.num, buf + 1, sizeof buf - 2);
        buf[0] = '[';
        buf[n + 1] = ']';
        return gdi_arena_strndup(a, buf, n + 2);
    }
    gdi_buf b;
    gdi_buf_init(&b, a->ctx);
    gdi_buf_puts(&b, "[\"");
    for (uint32_t i = 0; i < k->n; i++) {
        char c = k->u.s[i];
        if (c == '"' || c == '\\') gdi_buf_putc(&b, '\\');
        gdi_buf_putc(&b, c);
    }
    gdi_buf_puts(&b, "\"]");
    const char *r = b.oom ? NULL : gdi_arena_strndup(a, b.p, b.n);
    gdi_buf_free(&b);
    return r;
}

typedef struct expansion {
    uint32_t n;
    const hcl_val **keys;  /* NULL: no count/for_each */
    const hcl_val **vals;  /* for_each values */
    bool is_count, is_each, unknown;
} expansion;

static gd_status expand(struct hcl_state *st, const hcl_scope *s, const hcl_expr *count,
                        const hcl_expr *for_each, expansion *x)
{
    hcl_ev *ev = &st->ev;
    memset(x, 0, sizeof *x);
    x->n = 1;
    const hcl_val *v;
    gd_status r;
    if (!count && !for_each) return GD_OK;
    const hcl_expr *e = count ? count : for_each;
    x->is_count = count != NULL;
    x->is_each = !count && for_each != NULL; /* count wins should both be given */
    if ((r = gdi_hcl_eval(ev, s, e, &v)) == GD_NOMEM || r == GD_LIMIT) return r;
    if (r == GD_OK && gdi_hv_has_unknown(v) &&
        !(for_each && v->kind == HV_OBJ)) /* a map with unknown values keeps its keys */
        v = &gdi_hcl_unknown;
    if (r != GD_OK || v->kind == HV_UNK) {
        if (r == GD_OK)
            warn_at(st, e->file, e->pos,
                    "%s is not known before apply; the resource is scanned once with index [*]",
                    count ? "count" : "for_each");
        x->unknown = true;
        x->keys = gdi_arena_alloc(&st->ar, sizeof *x->keys);
        x->vals = gdi_arena_alloc(&st->ar, sizeof *x->vals);
        if (!x->keys || !x->vals) return GD_NOMEM;
        x->keys[0] = &gdi_hcl_unknown;
        x->vals[0] = &gdi_hcl_unknown;
        return GD_OK;
    }
    if (count) {
        double d;
        if (!gdi_hv_to_number(v, &d) || d < 0 || d != floor(d)) {
            gdi_hcl_everr(ev, e, "count must be a non-negative whole number, not %s",
                          gdi_hv_type_name(v));
            x->n = 0;
            return GD_OK;
        }
        if (st->expanded + d > st->max_expand) goto limit;
        x->n = (uint32_t)d;
        x->keys = gdi_arena_alloc(&st->ar, (x->n ? x->n : 1) * sizeof *x->keys);
        if (!x->keys) return GD_NOMEM;
        for (uint32_t i = 0; i < x->n; i++)
            if (!(x->keys[i] = gdi_hv_num(&st->ar, i, e->file, e->pos))) return GD_NOMEM;
        st->expanded += x->n;
        return GD_OK;
    }
    if (v->kind == HV_NULL || (v->kind == HV_LIST && !(v->flags & HVF_SET)) ||
        (v->kind != HV_LIST && v->kind != HV_OBJ)) {
        gdi_hcl_everr(ev, e, "for_each needs a map or a set of strings, not %s%s",
                      gdi_hv_type_name(v),
                      v->kind == HV_LIST ? " (convert it with toset())" : "");
        x->n = 0;
        return GD_OK;
    }
    if (st->expanded + v->n > st->max_expand) goto limit;
    x->n = v->n;
    x->keys = gdi_arena_alloc(&st->ar, (x->n ? x->n : 1) * sizeof *x->keys);
    x->vals = gdi_arena_alloc(&st->ar, (x->n ? x->n : 1) * sizeof *x->vals);
    if (!x->keys || !x->vals) return GD_NOMEM;
    for (uint32_t i = 0; i < v->n; i++) {
        if (v->kind == HV_OBJ) {
            if (!(x->keys[i] = gdi_hv_str(&st->ar, v->u.c.keys[i].p, v->u.c.keys[i].n, e->file,
                                          e->pos)))
                return GD_NOMEM;
        } else {
            const hcl_val *el = v->u.c.items[i];
            if (el->kind != HV_STR) {
                gdi_hcl_everr(ev, e, "for_each set elements must be strings, not %s",
                              gdi_hv_type_name(el));
                x->n = 0;
                return GD_OK;
            }
            x->keys[i] = el;
        }
        x->vals[i] = v->u.c.items[i];
    }
    st->expanded += x->n;
    return GD_OK;
limit:
    st->limit = true;
    {
        uint32_t line = 0, col = 0;
        const char *text;
        size_t len;
        gdi_hcl_file_text(st, e->file, &text, &len);
        if (text) gdi_line_col(text, len, e->pos, &line, &col);
        gdi_err(st->ctx, GD_LIMIT, gdi_hcl_file_name(st, e->file), line, col,
                "more than %llu count/for_each instances (--max-hcl-expansion)",
                (unsigned long long)st->max_expand);
    }
    return GD_LIMIT;
}

static void inst_scope(hcl_scope *in, const hcl_scope *base, const expansion *x, uint32_t i)
{
    *in = *base;
    if (x->is_count) in->count_index = x->keys[i];
    if (x->is_each) {
        in->each_key = x->keys[i];
        in->each_val = x->vals[i];
    }
}

/* Build the value a reference to an expanded object sees. */
static gd_status ref_value(struct hcl_state *st, const expansion *x, const hcl_val *const *vals,
                           uint32_t file, uint32_t pos, const hcl_val **out)
{
    if (x->unknown) {
        *out = &gdi_hcl_unknown;
        return GD_OK;
    }
    if (!x->is_count && !x->is_each) {
        *out = vals[0];
        return GD_OK;
    }
    if (x->is_count) {
        *out = gdi_hv_list(&st->ar, (hcl_val **)vals, x->n, HVF_TUPLE, file, pos);
        return *out ? GD_OK : GD_NOMEM;
    }
    gd_str *keys = x->n ? gdi_arena_alloc(&st->ar, x->n * sizeof *keys) : NULL;
    if (x->n && !keys) return GD_NOMEM;
    for (uint32_t i = 0; i < x->n; i++) keys[i] = (gd_str){x->keys[i]->u.s, x->keys[i]->n};
    *out = gdi_hv_obj(&st->ar, keys, (hcl_val **)vals, x->n, HVF_MAP, file, pos, NULL);
    return *out ? GD_OK : GD_NOMEM;
}

/* ----------------------------------------------------------- bodies */

static bool is_meta_attr(gd_str n, bool top)
{
    return top && (gd_str_eqc(n, "count") || gd_str_eqc(n, "for_each") ||
                   gd_str_eqc(n, "provider") || gd_str_eqc(n, "depends_on"));
}

static bool is_meta_block(gd_str n, bool top)
{
    return top && (gd_str_eqc(n, "lifecycle") || gd_str_eqc(n, "provisioner") ||
                   gd_str_eqc(n, "connection") || gd_str_eqc(n, "precondition") ||
                   gd_str_eqc(n, "postcondition"));
}

typedef struct members {
    gd_str *keys;
    hcl_val **vals;
    size_t n, cap;
    /* blocks grouped by type */
    gd_str *btypes;
    hcl_val ***bitems;
    uint32_t *bn, *bcap;
    bool *bunk;
    uint32_t *bpos;
    size_t nb, capb;
} members;

static gd_status eval_body(struct hcl_state *st, const hcl_scope *s, const hcl_body *b, bool top,
                           uint32_t pos, const hcl_val **out);

static int block_group(struct hcl_state *st, members *m, gd_str type, uint32_t pos)
{
    for (size_t i = 0; i < m->nb; i++)
        if (gd_str_eq(m->btypes[i], type)) return (int)i;
    size_t n = m->nb + 1;
    size_t c1 = m->capb, c2 = m->capb, c3 = m->capb, c4 = m->capb, c5 = m->capb, c6 = m->capb;
    if (gdi_grow(st->ctx, (void **)&m->btypes, &c1, n, sizeof *m->btypes) ||
        gdi_grow(st->ctx, (void **)&m->bitems, &c2, n, sizeof *m->bitems) ||
        gdi_grow(st->ctx, (void **)&m->bn, &c3, n, sizeof *m->bn) ||
        gdi_grow(st->ctx, (void **)&m->bcap, &c4, n, sizeof *m->bcap) ||
        gdi_grow(st->ctx, (void **)&m->bunk, &c5, n, sizeof *m->bunk) ||
        gdi_grow(st->ctx, (void **)&m->bpos, &c6, n, sizeof *m->bpos))
        return -1;
    m->capb = c1 < c2 ? c1 : c2;
    if (c3 < m->capb) m->capb = c3;
    if (c4 < m->capb) m->capb = c4;
    if (c5 < m->capb) m->capb = c5;
    if (c6 < m->capb) m->capb = c6;
    m->btypes[m->nb] = type;
    m->bitems[m->nb] = NULL;
    m->bn[m->nb] = 0;
    m->bcap[m->nb] = 0;
    m->bunk[m->nb] = false;
    m->bpos[m->nb] = pos;
    return (int)m->nb++;
}

static gd_status group_add(struct hcl_state *st, members *m, int g, const hcl_val *v)
{
    size_t cap = m->bcap[g];
    if (gdi_grow(st->ctx, (void **)&m->bitems[g], &cap, (size_t)m->bn[g] + 1, sizeof(hcl_val *)))
        return GD_NOMEM;
    m->bcap[g] = (uint32_t)cap;
    m->bitems[g][m->bn[g]++] = (hcl_val *)v;
    return GD_OK;
}

static gd_status eval_dynamic(struct hcl_state *st, const hcl_scope *s, members *m,
                              const hcl_block *blk)
{
    hcl_ev *ev = &st->ev;
    if (blk->nlabels != 1) return err_at(st, blk->file, blk->pos, "a dynamic block needs one label");
    int g = block_group(st, m, blk->labels[0], blk->pos);
    if (g < 0) return GD_NOMEM;
    const hcl_attr *fe = gdi_hcl_body_attr(blk->body, "for_each");
    const hcl_attr *it = gdi_hcl_body_attr(blk->body, "iterator");
    const hcl_block *content = NULL;
    for (uint32_t i = 0; i < blk->body->nblocks; i++)
        if (gd_str_eqc(blk->body->blocks[i]->type, "content")) content = blk->body->blocks[i];
    if (!fe || !content)
        return err_at(st, blk->file, blk->pos, "a dynamic block needs for_each and a content block");
    gd_str itname = blk->labels[0];
    if (it) {
        if (it->expr->kind != HE_VAR)
            return err_at(st, blk->file, it->pos, "iterator must be a name");
        itname = it->expr->name;
    }
    const hcl_val *c;
    gd_status r = gdi_hcl_eval(ev, s, fe->expr, &c);
    if (r == GD_NOMEM || r == GD_LIMIT) return r;
    if (r || c->kind == HV_UNK) {
        m->bunk[g] = true;
        return GD_OK;
    }
    if (c->kind == HV_NULL) return GD_OK;
    if (c->kind != HV_LIST && c->kind != HV_OBJ) {
        gdi_hcl_everr(ev, fe->expr, "dynamic for_each needs a collection, not %s",
                      gdi_hv_type_name(c));
        return GD_OK;
    }
    for (uint32_t i = 0; i < c->n; i++) {
        const hcl_val *k;
        if (c->kind == HV_OBJ)
            k = gdi_hv_str(&st->ar, c->u.c.keys[i].p, c->u.c.keys[i].n, blk->file, blk->pos);
        else if (c->flags & HVF_SET)
            k = c->u.c.items[i];
        else
            k = gdi_hv_num(&st->ar, i, blk->file, blk->pos);
        if (!k) return GD_NOMEM;
        gd_str kk[2] = {GD_STR_LIT("key"), GD_STR_LIT("value")};
        hcl_val *vv[2] = {(hcl_val *)k, c->u.c.items[i]};
        hcl_val *itv = gdi_hv_obj(&st->ar, kk, vv, 2, 0, blk->file, blk->pos, NULL);
        if (!itv) return GD_NOMEM;
        hcl_bind bind = {itname, itv, s->binds};
        hcl_scope in = *s;
        in.binds = &bind;
        const hcl_val *obj;
        if ((r = eval_body(st, &in, content->body, false, content->pos, &obj))) return r;
        if ((r = group_add(st, m, g, obj))) return r;
    }
    return GD_OK;
}

static gd_status eval_body(struct hcl_state *st, const hcl_scope *s, const hcl_body *b, bool top,
                           uint32_t pos, const hcl_val **out)
{
    hcl_ev *ev = &st->ev;
    members m;
    memset(&m, 0, sizeof m);
    gd_status r = GD_OK;
    uint32_t file = b->nattrs ? b->attrs[0].expr->file : b->nblocks ? b->blocks[0]->file : 0;
    *out = &gdi_hcl_unknown;
    if (++ev->depth > ev->max_depth) {
        ev->depth--;
        return err_at(st, file, pos, "blocks nested too deep");
    }
    for (uint32_t i = 0; i < b->nattrs; i++) {
        const hcl_attr *a = &b->attrs[i];
        if (is_meta_attr(a->name, top)) continue;
        const hcl_val *v;
        r = gdi_hcl_eval(ev, s, a->expr, &v);
        if (r == GD_NOMEM || r == GD_LIMIT) goto done;
        if (r) v = &gdi_hcl_unknown;
        r = GD_OK;
        if (gdi_grow(st->ctx, (void **)&m.keys, &m.cap, m.n + 1, sizeof *m.keys)) goto nomem;
        size_t c2 = m.n;
        if (gdi_grow(st->ctx, (void **)&m.vals, &c2, m.n + 1, sizeof *m.vals)) goto nomem;
        if (c2 < m.cap) m.cap = c2;
        m.keys[m.n] = a->name;
        m.vals[m.n++] = (hcl_val *)v;
    }
    for (uint32_t i = 0; i < b->nblocks; i++) {
        const hcl_block *blk = b->blocks[i];
        if (is_meta_block(blk->type, top)) continue;
        if (gd_str_eqc(blk->type, "dynamic")) {
            if ((r = eval_dynamic(st, s, &m, blk)) == GD_NOMEM || r == GD_LIMIT) goto done;
            r = GD_OK;
            continue;
        }
        int g = block_group(st, &m, blk->type, blk->pos);
        if (g < 0) goto nomem;
        const hcl_val *obj;
        if ((r = eval_body(st, s, blk->body, false, blk->pos, &obj))) goto done;
        if ((r = group_add(st, &m, g, obj))) goto done;
    }
    {
        size_t total = m.n + m.nb;
        gd_str *keys = total ? gdi_arena_alloc(&st->ar, total * sizeof *keys) : NULL;
        hcl_val **vals = total ? gdi_arena_alloc(&st->ar, total * sizeof *vals) : NULL;
        if (total && (!keys || !vals)) goto nomem;
        for (size_t i = 0; i < m.n; i++) {
            keys[i] = m.keys[i];
            vals[i] = m.vals[i];
        }
        for (size_t g = 0; g < m.nb; g++) {
            keys[m.n + g] = m.btypes[g];
            if (m.bunk[g]) {
                vals[m.n + g] = (hcl_val *)&gdi_hcl_unknown;
            } else {
                vals[m.n + g] = gdi_hv_list(&st->ar, m.bitems[g], m.bn[g], 0, file, m.bpos[g]);
                if (!vals[m.n + g]) goto nomem;
            }
        }
        *out = gdi_hv_obj(&st->ar, keys, vals, (uint32_t)total, HVF_OPEN, file, pos, NULL);
        if (!*out) goto nomem;
    }
    goto done;
nomem:
    r = GD_NOMEM;
done:
    ev->depth--;
    gdi_free(st->ctx, m.keys);
    gdi_free(st->ctx, m.vals);
    for (size_t g = 0; g < m.nb; g++) gdi_free(st->ctx, m.bitems[g]);
    gdi_free(st->ctx, m.btypes);
    gdi_free(st->ctx, m.bitems);
    gdi_free(st->ctx, m.bn);
    gdi_free(st->ctx, m.bcap);
    gdi_free(st->ctx, m.bunk);
    gdi_free(st->ctx, m.bpos);
    return r;
}

/* ------------------------------------------------------- memoization */

static gd_status eval_resource(struct hcl_state *st, hmodinst_t *mi, uint32_t ri)
{
    resmemo *rm = &mi->res[ri];
    const hres *rc = &mi->mod->res[ri];
    if (rm->state == 2) return GD_OK;
    if (rm->state == 1) {
        warn_at(st, rc->blk->file, rc->blk->pos,
                "%s%.*s.%.*s refers to itself through other objects; values on that path are "
                "unknown",
                rc->mode == GDI_MODE_DATA ? "data." : "", (int)rc->type.n, rc->type.p,
                (int)rc->name.n, rc->name.p);
        return GD_OK;
    }
    rm->state = 1;
    rm->ref = &gdi_hcl_unknown;
    hcl_scope base = {.mi = mi};
    expansion x;
    gd_status r = expand(st, &base, rc->count, rc->for_each, &x);
    if (r) goto done;
    rm->insts = x.n ? gdi_arena_calloc(&st->ar, x.n * sizeof *rm->insts) : NULL;
    const hcl_val **vals = x.n ? gdi_arena_alloc(&st->ar, x.n * sizeof *vals) : NULL;
    if (x.n && (!rm->insts || !vals)) {
        r = GD_NOMEM;
        goto done;
    }
    for (uint32_t i = 0; i < x.n; i++) {
        hcl_scope in;
        inst_scope(&in, &base, &x, i);
        hinst *hi = &rm->insts[i];
        hi->key = x.keys ? key_text(&st->ar, x.keys[i]) : "";
        if (!hi->key) {
            r = GD_NOMEM;
            goto done;
        }
        if ((r = eval_body(st, &in, rc->blk->body, true, rc->blk->pos, &hi->attrs))) goto done;
        vals[i] = hi->attrs;
        rm->ninst = i + 1;
    }
    r = ref_value(st, &x, vals, rc->blk->file, rc->blk->pos, &rm->ref);
done:
    rm->state = 2;
    return r == GD_INVALID ? GD_OK : r;
}

static gd_status eval_var(struct hcl_state *st, hmodinst_t *mi, uint32_t vi, const hcl_val **out)
{
    memo *m = &mi->vars[vi];
    const hvar *v = &mi->mod->vars[vi];
    hcl_ev *ev = &st->ev;
    *out = &gdi_hcl_unknown;
    if (m->state == 2) {
        *out = m->val;
        return GD_OK;
    }
    if (m->state == 1) {
        return err_at(st, v->blk->file, v->blk->pos, "variable \"%.*s\" depends on itself",
                      (int)v->name.n, v->name.p);
    }
    m->state = 1;
    m->val = &gdi_hcl_unknown;
    const hcl_val *val = NULL;
    gd_status r = GD_OK;
    hcl_scope none = {0};
    if (mi->call) {
        const hcl_attr *in = gdi_hcl_body_attr(mi->call->blk->body, "");
        for (uint32_t i = 0; i < mi->call->blk->body->nattrs; i++)
            if (gd_str_eq(mi->call->blk->body->attrs[i].name, v->name))
                in = &mi->call->blk->body->attrs[i];
        if (in) {
            r = gdi_hcl_eval(ev, &mi->call_scope, in->expr, &val);
            if (r == GD_NOMEM || r == GD_LIMIT) goto done;
            if (r) val = &gdi_hcl_unknown;
        }
    } else if (mi->given && mi->given[vi]) {
        val = mi->given[vi];
    }
    if ((!val || val->kind == HV_NULL) && v->def) {
        if (!val) {
            r = gdi_hcl_eval(ev, &none, v->def, &val);
            if (r == GD_NOMEM || r == GD_LIMIT) goto done;
            if (r) val = &gdi_hcl_unknown;
        }
    }
    if (!val) val = &gdi_hcl_unknown;
    r = gdi_hcl_convert(ev, v->type, val, &val);
    if (r == GD_NOMEM || r == GD_LIMIT) goto done;
    if (r) val = &gdi_hcl_unknown;
    r = GD_OK;
    m->val = val;
    *out = val;
done:
    m->state = 2;
    return r;
}

static gd_status eval_local(struct hcl_state *st, hmodinst_t *mi, uint32_t li,
                            const hcl_expr *at, const hcl_val **out)
{
    memo *m = &mi->locals[li];
    const hcl_attr *a = mi->mod->locals[li];
    *out = &gdi_hcl_unknown;
    if (m->state == 2) {
        *out = m->val;
        return GD_OK;
    }
    if (m->state == 1)
        return gdi_hcl_everr(&st->ev, at, "local.%.*s depends on itself", (int)a->name.n,
                             a->name.p);
    m->state = 1;
    hcl_scope s = {.mi = mi};
    const hcl_val *v;
    gd_status r = gdi_hcl_eval(&st->ev, &s, a->expr, &v);
    m->state = 2;
    m->val = r == GD_OK ? v : &gdi_hcl_unknown;
    *out = m->val;
    return r == GD_INVALID ? GD_OK : r;
}

static gd_status eval_call(struct hcl_state *st, hmodinst_t *mi, uint32_t ci);

static gd_status eval_output(struct hcl_state *st, hmodinst_t *mi, uint32_t oi,
                             const hcl_val **out)
{
    memo *m = &mi->outs[oi];
    const hcl_block *b = mi->mod->outputs[oi];
    *out = &gdi_hcl_unknown;
    if (m->state == 2) {
        *out = m->val;
        return GD_OK;
    }
    if (m->state == 1) return GD_OK;
    m->state = 1;
    const hcl_attr *a = gdi_hcl_body_attr(b->body, "value");
    const hcl_val *v = &gdi_hcl_unknown;
    gd_status r = GD_OK;
    if (a) {
        hcl_scope s = {.mi = mi};
        r = gdi_hcl_eval(&st->ev, &s, a->expr, &v);
        if (r) v = &gdi_hcl_unknown;
    }
    m->state = 2;
    m->val = v;
    *out = v;
    return r == GD_INVALID ? GD_OK : r;
}

static gd_status outputs_object(struct hcl_state *st, hmodinst_t *mi, const hcl_val **out)
{
    hmodule *mod = mi->mod;
    uint32_t n = mod->noutputs;
    gd_str *keys = n ? gdi_arena_alloc(&st->ar, n * sizeof *keys) : NULL;
    hcl_val **vals = n ? gdi_arena_alloc(&st->ar, n * sizeof *vals) : NULL;
    if (n && (!keys || !vals)) return GD_NOMEM;
    for (uint32_t i = 0; i < n; i++) {
        const hcl_val *v;
        gd_status r = eval_output(st, mi, i, &v);
        if (r) return r;
        keys[i] = mod->outputs[i]->labels[0];
        vals[i] = (hcl_val *)v;
    }
    *out = gdi_hv_obj(&st->ar, keys, vals, n, 0, HCL_NOFILE, 0, NULL);
    return *out ? GD_OK : GD_NOMEM;
}

static gd_status eval_call(struct hcl_state *st, hmodinst_t *mi, uint32_t ci)
{
    callmemo *cm = &mi->calls[ci];
    const hcall *c = &mi->mod->calls[ci];
    if (cm->state) return GD_OK; /* instances are created once; outputs are lazy */
    cm->state = 1;
    cm->ref = &gdi_hcl_unknown;
    if (!c->child) {
        cm->state = 2;
        return GD_OK;
    }
    if (mi->depth + 1 > st->max_mod_depth) {
        st->limit = true;
        cm->state = 2;
        return gdi_err(st->ctx, GD_LIMIT, gdi_hcl_file_name(st, c->blk->file), 0, 0,
                       "module instances nested deeper than %u levels (--max-hcl-depth)",
                       (unsigned)st->max_mod_depth);
    }
    hcl_scope base = {.mi = mi};
    expansion x;
    gd_status r = expand(st, &base, c->count, c->for_each, &x);
    if (r) {
        cm->state = 2;
        return r;
    }
    cm->insts = x.n ? gdi_arena_calloc(&st->ar, x.n * sizeof *cm->insts) : NULL;
    if (x.n && !cm->insts) return GD_NOMEM;
    for (uint32_t i = 0; i < x.n; i++) {
        const char *k = x.keys ? key_text(&st->ar, x.keys[i]) : "";
        if (!k) return GD_NOMEM;
        size_t n = strlen(mi->addr) + c->name.n + strlen(k) + 10;
        char *addr = gdi_arena_alloc(&st->ar, n);
        if (!addr) return GD_NOMEM;
        snprintf(addr, n, "%s%smodule.%.*s%s", mi->addr, mi->addr[0] ? "." : "", (int)c->name.n,
                 c->name.p, k);
        hmodinst_t *child;
        if ((r = new_inst(st, c->child, mi, c, addr, &child))) return r;
        inst_scope(&child->call_scope, &base, &x, i);
        cm->insts[i] = child;
        cm->ninst = i + 1;
    }
    cm->state = 2;
    return GD_OK;
}

static gd_status call_ref(struct hcl_state *st, hmodinst_t *mi, uint32_t ci, const hcl_val **out)
{
    callmemo *cm = &mi->calls[ci];
    const hcall *c = &mi->mod->calls[ci];
    gd_status r = eval_call(st, mi, ci);
    *out = &gdi_hcl_unknown;
    if (r || !c->child) return r;
    if (cm->ref != &gdi_hcl_unknown || cm->state == 3) {
        *out = cm->ref;
        return GD_OK;
    }
    hcl_scope base = {.mi = mi};
    expansion x;
    memset(&x, 0, sizeof x);
    x.n = cm->ninst;
    x.is_count = c->count != NULL;
    x.is_each = c->for_each != NULL;
    const hcl_val **vals = cm->ninst ? gdi_arena_alloc(&st->ar, cm->ninst * sizeof *vals) : NULL;
    const hcl_val **keys = cm->ninst ? gdi_arena_alloc(&st->ar, cm->ninst * sizeof *keys) : NULL;
    if (cm->ninst && (!vals || !keys)) return GD_NOMEM;
    for (uint32_t i = 0; i < cm->ninst; i++) {
        if ((r = outputs_object(st, cm->insts[i], &vals[i]))) return r;
        keys[i] = x.is_each ? cm->insts[i]->call_scope.each_key : NULL;
        if (x.is_each && keys[i]->kind == HV_UNK) x.unknown = true;
        if (x.is_count && cm->insts[i]->call_scope.count_index->kind == HV_UNK) x.unknown = true;
    }
    x.keys = keys;
    (void)base;
    if ((r = ref_value(st, &x, vals, c->blk->file, c->blk->pos, &cm->ref))) return r;
    cm->state = 3;
    *out = cm->ref;
    return GD_OK;
}

/* ---------------------------------------------------------- references */

static gd_status ref_resource(struct hcl_state *st, hmodinst_t *mi, const hcl_expr *e,
                              bool data, gd_str type, gd_str name, const hcl_val **out)
{
    char buf[512];
    int n = snprintf(buf, sizeof buf, "%s%.*s.%.*s", data ? "data." : "", (int)type.n, type.p,
                     (int)name.n, name.p);
    if (n < 0 || (size_t)n >= sizeof buf) return gdi_hcl_everr(&st->ev, e, "name too long");
    uint32_t ri = hmap_get(&mi->mod->res_ix, (gd_str){buf, (size_t)n});
    if (ri == UINT32_MAX)
        return gdi_hcl_everr(&st->ev, e, "reference to undeclared %s %s",
                             data ? "data source" : "resource", buf);
    gd_status r = eval_resource(st, mi, ri);
    if (r) return r;
    *out = mi->res[ri].state == 2 ? mi->res[ri].ref : &gdi_hcl_unknown;
    return GD_OK;
}

gd_status gdi_hcl_ref(hcl_ev *ev, const hcl_scope *s, const hcl_expr *e, const hcl_val **out,
                      bool *handled)
{
    struct hcl_state *st = ev->st;
    hmodinst_t *mi = s->mi;
    *handled = false;
    *out = &gdi_hcl_unknown;
    if (e->kind == HE_VAR) {
        if (gd_str_eqc(e->name, "self")) {
            *handled = true;
            return GD_OK;
        }
        return GD_OK;
    }
    if (e->kind != HE_ATTR) return GD_OK;
    const hcl_expr *a = e->a;
    if (a->kind == HE_ATTR && a->a->kind == HE_VAR) {
        gd_str root = a->a->name;
        if (gd_str_eqc(root, "data") && mi) {
            *handled = true;
            return ref_resource(st, mi, e, true, a->name, e->name, out);
        }
        if (gd_str_eqc(root, "module") && mi) {
            uint32_t ci = hmap_get(&mi->mod->call_ix, a->name);
            if (ci == UINT32_MAX) return GD_OK; /* reported at the inner level */
            const hcall *c = &mi->mod->calls[ci];
            if (c->count || c->for_each || !c->child) return GD_OK;
            gd_status r = eval_call(st, mi, ci);
            if (r) return r;
            *handled = true;
            if (mi->calls[ci].ninst != 1) return GD_OK;
            hmodinst_t *child = mi->calls[ci].insts[0];
            uint32_t oi = hmap_get(&child->mod->out_ix, e->name);
            if (oi == UINT32_MAX)
                return gdi_hcl_everr(ev, e, "module \"%.*s\" has no output \"%.*s\"",
                                     (int)c->name.n, c->name.p, (int)e->name.n, e->name.p);
            if (++ev->depth > ev->max_depth) {
                ev->depth--;
                return gdi_hcl_everr(ev, e, "references nested too deep");
            }
            r = eval_output(st, child, oi, out);
            ev->depth--;
            return r;
        }
        return GD_OK;
    }
    if (a->kind != HE_VAR) return GD_OK;
    gd_str root = a->name, name = e->name;
    if (gd_str_eqc(root, "count")) {
        *handled = true;
        if (!gd_str_eqc(name, "index"))
            return gdi_hcl_everr(ev, e, "count has only the attribute 'index'");
        if (!s->count_index)
            return gdi_hcl_everr(ev, e, "count.index is only valid in a block that sets count");
        *out = s->count_index;
        return GD_OK;
    }
    if (gd_str_eqc(root, "each")) {
        *handled = true;
        if (!s->each_key)
            return gdi_hcl_everr(ev, e, "each.%.*s is only valid in a block that sets for_each",
                                 (int)name.n, name.p);
        if (gd_str_eqc(name, "key")) *out = s->each_key;
        else if (gd_str_eqc(name, "value")) *out = s->each_val;
        else return gdi_hcl_everr(ev, e, "each has only the attributes 'key' and 'value'");
        return GD_OK;
    }
    if (gd_str_eqc(root, "self")) {
        *handled = true;
        return GD_OK;
    }
    if (!mi) {
        *handled = true;
        return gdi_hcl_everr(ev, e, "variables are not allowed here");
    }
    if (gd_str_eqc(root, "var")) {
        *handled = true;
        uint32_t vi = hmap_get(&mi->mod->var_ix, name);
        if (vi == UINT32_MAX)
            return gdi_hcl_everr(ev, e, "reference to undeclared input variable \"%.*s\"",
                                 (int)name.n, name.p);
        if (++ev->depth > ev->max_depth) {
            ev->depth--;
            return gdi_hcl_everr(ev, e, "references nested too deep");
        }
        gd_status r = eval_var(st, mi, vi, out);
        ev->depth--;
        return r == GD_INVALID ? GD_OK : r;
    }
    if (gd_str_eqc(root, "local")) {
        *handled = true;
        uint32_t li = hmap_get(&mi->mod->local_ix, name);
        if (li == UINT32_MAX)
            return gdi_hcl_everr(ev, e, "reference to undeclared local value \"%.*s\"",
                                 (int)name.n, name.p);
        return eval_local(st, mi, li, e, out);
    }
    if (gd_str_eqc(root, "module")) {
        *handled = true;
        uint32_t ci = hmap_get(&mi->mod->call_ix, name);
        if (ci == UINT32_MAX)
            return gdi_hcl_everr(ev, e, "reference to undeclared module \"%.*s\"", (int)name.n,
                                 name.p);
        return call_ref(st, mi, ci, out);
    }
    if (gd_str_eqc(root, "path")) {
        /* as Terraform run in the root module's directory: path.root and
         * path.cwd are ".", path.module is relative to the root */
        *handled = true;
        const char *p = gd_str_eqc(name, "module") ? rel_path(&st->ar, mi->root_dir, mi->mod->dir)
                        : gd_str_eqc(name, "root") || gd_str_eqc(name, "cwd") ? "."
                                                                             : "";
        if (!p) return GD_NOMEM;
        if (!*p) return gdi_hcl_everr(ev, e, "path has only module, root and cwd");
        *out = gdi_hv_str(&st->ar, p, strlen(p), e->file, e->pos);
        return *out ? GD_OK : GD_NOMEM;
    }
    if (gd_str_eqc(root, "terraform")) {
        *handled = true;
        if (!gd_str_eqc(name, "workspace")) return GD_OK;
        *out = gdi_hv_str(&st->ar, "default", 7, e->file, e->pos);
        return *out ? GD_OK : GD_NOMEM;
    }
    if (gd_str_eqc(root, "data")) return GD_OK;
    *handled = true;
    if (++ev->depth > ev->max_depth) {
        ev->depth--;
        return gdi_hcl_everr(ev, e, "references nested too deep");
    }
    gd_status r = ref_resource(st, mi, e, false, root, name, out);
    ev->depth--;
    return r;
}

/* ----------------------------------------------------------- emission */

static gd_status emit_resource(struct hcl_state *st, hmodinst_t *mi, uint32_t ri)
{
    const hres *rc = &mi->mod->res[ri];
    resmemo *rm = &mi->res[ri];
    hfile *f = &st->files[rc->blk->file];
    for (uint32_t i = 0; i < rm->ninst; i++) {
        const hinst *hi = &rm->insts[i];
        if (gdi_grow(st->ctx, (void **)&st->out, &st->capout, st->nout + 1, sizeof *st->out))
            return GD_NOMEM;
        size_t cap2 = st->nout;
        if (gdi_grow(st->ctx, (void **)&st->out_attr, &cap2, st->nout + 1, sizeof *st->out_attr))
            return GD_NOMEM;
        if (cap2 < st->capout) st->capout = cap2;
        gdi_resource *r = &st->out[st->nout];
        memset(r, 0, sizeof *r);
        size_t n = strlen(mi->addr) + rc->type.n + rc->name.n + strlen(hi->key) + 10;
        char *addr = gdi_arena_alloc(&st->ar, n);
        if (!addr) return GD_NOMEM;
        int w = snprintf(addr, n, "%s%s%s%.*s.%.*s%s", mi->addr, mi->addr[0] ? "." : "",
                         rc->mode == GDI_MODE_DATA ? "data." : "", (int)rc->type.n, rc->type.p,
                         (int)rc->name.n, rc->name.p, hi->key);
        r->address = (gd_str){addr, (size_t)w};
        r->type = rc->type;
        r->name = rc->name;
        r->provider = rc->provider;
        r->provider_config = rc->provider_cfg;
        r->module = gd_str_c(mi->addr);
        r->mode = rc->mode;
        r->file = rc->blk->file;
        r->seq = st->nout;
        gdi_line_col(f->text, f->len, rc->blk->pos, &r->line, &(uint32_t){0});
        r->doc = f->doc;
        /* attrs: object whose members point at their attribute's line */
        gdi_doc *d = f->doc;
        const hcl_val *v = hi->attrs;
        uint32_t at = gdi_doc_push(d, GDI_OBJECT, rc->blk->pos, NULL, 0);
        if (at == UINT32_MAX) return GD_NOMEM;
        uint32_t cnt = 0;
        for (uint32_t k = 0; v && v->kind == HV_OBJ && k < v->n; k++) {
            gd_str key = v->u.c.keys[k];
            uint32_t fb = rc->blk->pos, kpos = rc->blk->pos;
            const hcl_body *b = rc->blk->body;
            /* positions are offsets in the resource's own file: what an
             * override file set points at the resource block */
            for (uint32_t j = 0; j < b->nattrs; j++)
                if (gd_str_eq(b->attrs[j].name, key) && b->attrs[j].expr->file == rc->blk->file) {
                    kpos = b->attrs[j].pos;
                    fb = b->attrs[j].expr->pos;
                }
            for (uint32_t j = 0; j < b->nblocks; j++) {
                const hcl_block *bb = b->blocks[j];
                if (gd_str_eq(bb->type, key) ||
                    (gd_str_eqc(bb->type, "dynamic") && bb->nlabels &&
                     gd_str_eq(bb->labels[0], key))) {
                    if (bb->file == rc->blk->file) kpos = fb = bb->pos;
                    break;
                }
            }
            if (gdi_doc_push(d, GDI_STRING, kpos, key.p, (uint32_t)key.n) == UINT32_MAX)
                return GD_NOMEM;
            if (gdi_hv_to_doc(d, &st->ar, v->u.c.items[k], rc->blk->file, rc->blk->pos,
                              rc->blk->end, fb) == UINT32_MAX)
                return GD_NOMEM;
            cnt++;
        }
        gdi_doc_close(d, at, cnt);
        st->out_attr[st->nout] = at;
        st->nout++;
    }
    return GD_OK;
}

static gd_status walk(struct hcl_state *st, hmodinst_t *mi)
{
    gd_status r;
    hmodule *m = mi->mod;
    for (uint32_t i = 0; i < m->nres; i++) {
        if ((r = eval_resource(st, mi, i))) return r;
        if ((r = emit_resource(st, mi, i))) return r;
    }
    for (uint32_t i = 0; i < m->ncalls; i++) {
        if ((r = eval_call(st, mi, i))) return r;
        for (uint32_t k = 0; k < mi->calls[i].ninst; k++)
            if ((r = walk(st, mi->calls[i].insts[k]))) return r;
    }
    return GD_OK;
}

/* ---------------------------------------------------------- variables */

static bool is_prim_type(const hcl_expr *t)
{
    return !t || (t->kind == HE_VAR && (gd_str_eqc(t->name, "string") ||
                                        gd_str_eqc(t->name, "number") ||
                                        gd_str_eqc(t->name, "bool") || gd_str_eqc(t->name, "any")));
}

/* Set a root variable from a raw string (--var, TF_VAR_): literal for
 * primitive types, an HCL expression otherwise. */
static gd_status set_raw(struct hcl_state *st, hmodinst_t *root, gd_str name, const char *val,
                         size_t vlen, const char *origin)
{
    uint32_t vi = hmap_get(&root->mod->var_ix, name);
    if (vi == UINT32_MAX) return GD_OK;
    const hvar *v = &root->mod->vars[vi];
    char *copy = gdi_arena_strndup(&st->ar, val, vlen);
    if (!copy) return GD_NOMEM;
    if (is_prim_type(v->type)) {
        root->given[vi] = gdi_hv_str(&st->ar, copy, vlen, HCL_NOFILE, 0);
        return root->given[vi] ? GD_OK : GD_NOMEM;
    }
    hcl_expr *e;
    gd_status r = gdi_hcl_parse_expr(st->ctx, &st->ar, origin, HCL_NOFILE, copy, vlen, &e);
    if (r == GD_NOMEM) return r;
    if (r) {
        st->syntax = true;
        return GD_OK;
    }
    hcl_scope none = {0};
    const hcl_val *x;
    r = gdi_hcl_eval(&st->ev, &none, e, &x);
    if (r == GD_NOMEM || r == GD_LIMIT) return r;
    root->given[vi] = r ? &gdi_hcl_unknown : x;
    return GD_OK;
}

static gd_status load_tfvars(struct hcl_state *st, hmodinst_t *root, const char *path,
                             bool must_exist)
{
    struct stat sb;
    if (!must_exist && stat(path, &sb) != 0) return GD_OK;
    char *text;
    size_t len;
    gd_status r = gdi_read_file(st->ctx, path, &text, &len);
    if (r == GD_NOMEM) return r;
    if (r) {
        st->io = true;
        return GD_OK;
    }
    uint32_t fi;
    if ((r = add_file(st, path, text, len, &fi))) {
        gdi_free(st->ctx, text);
        return r;
    }
    hcl_body *body = NULL;
    if (has_suffix(path, ".json")) {
        gdi_doc d;
        if ((r = gdi_doc_init(&d, st->ctx, path))) return r;
        r = gdi_json_parse(&d, text, len);
        if (r == GD_OK) {
            const gdi_node *root_n = gdi_doc_root(&d);
            if (!root_n || root_n->type != GDI_OBJECT) {
                gdi_err(st->ctx, GD_SYNTAX, path, 1, 1, "a .tfvars.json file must hold an object");
                st->syntax = true;
            } else {
                const gdi_node *k = gdi_first(root_n);
                for (uint32_t i = 0; i < root_n->len; i++, k = gdi_next(k + 1)) {
                    uint32_t vi = hmap_get(&root->mod->var_ix, gdi_node_str(k));
                    if (vi == UINT32_MAX) continue;
                    hcl_val *v = gdi_hv_from_node(&st->ar, k + 1, fi);
                    if (!v) {
                        gdi_doc_free(&d);
                        return GD_NOMEM;
                    }
                    root->given[vi] = v;
                }
            }
        } else if (r != GD_NOMEM) {
            st->syntax = true;
            r = GD_OK;
        }
        gdi_doc_free(&d);
        return r;
    }
    r = gdi_hcl_parse(st->ctx, &st->ar, path, fi, text, len, &body);
    if (r == GD_NOMEM) return r;
    if (r) {
        st->syntax = true;
        return GD_OK;
    }
    for (uint32_t i = 0; i < body->nblocks; i++)
        err_at(st, fi, body->blocks[i]->pos, "blocks are not allowed in a variables file");
    for (uint32_t i = 0; i < body->nattrs; i++) {
        const hcl_attr *a = &body->attrs[i];
        uint32_t vi = hmap_get(&root->mod->var_ix, a->name);
        if (vi == UINT32_MAX) {
            warn_at(st, fi, a->pos, "value for undeclared variable \"%.*s\"", (int)a->name.n,
                    a->name.p);
            continue;
        }
        hcl_scope none = {0};
        const hcl_val *v;
        r = gdi_hcl_eval(&st->ev, &none, a->expr, &v);
        if (r == GD_NOMEM || r == GD_LIMIT) return r;
        root->given[vi] = r ? &gdi_hcl_unknown : v;
    }
    return GD_OK;
}

static bool is_auto_tfvars(const char *n)
{
    return n[0] != '.' && (has_suffix(n, ".auto.tfvars") || has_suffix(n, ".auto.tfvars.json"));
}

static gd_status root_vars(struct hcl_state *st, hmodinst_t *root)
{
    gd_status r;
    hmodule *m = root->mod;
    if (!m->nvars) return GD_OK;
    /* environment: lowest precedence after defaults */
    for (char **e = environ; e && *e; e++) {
        if (strncmp(*e, "TF_VAR_", 7) != 0) continue;
        const char *eq = strchr(*e, '=');
        if (!eq) continue;
        gd_str name = {*e + 7, (size_t)(eq - *e - 7)};
        if ((r = set_raw(st, root, name, eq + 1, strlen(eq + 1), "TF_VAR_"))) return r;
    }
    char *p;
    if (!(p = path_join(&st->ar, m->dir, "terraform.tfvars", 16))) return GD_NOMEM;
    if ((r = load_tfvars(st, root, p, false))) return r;
    if (!(p = path_join(&st->ar, m->dir, "terraform.tfvars.json", 21))) return GD_NOMEM;
    if ((r = load_tfvars(st, root, p, false))) return r;
    char **names;
    size_t n;
    r = list_dir(st, m->dir, is_auto_tfvars, &names, &n);
    if (r == GD_NOMEM) return r;
    if (r == GD_OK) {
        for (size_t i = 0; i < n; i++) {
            if (!(p = path_join(&st->ar, m->dir, names[i], strlen(names[i])))) {
                gdi_free(st->ctx, names);
                return GD_NOMEM;
            }
            if ((r = load_tfvars(st, root, p, false))) {
                gdi_free(st->ctx, names);
                return r;
            }
        }
        gdi_free(st->ctx, names);
    }
    const gd_scan_opts *o = st->opts;
    if (o && o->var_files)
        for (const char *const *vf = o->var_files; *vf; vf++)
            if ((r = load_tfvars(st, root, *vf, true))) return r;
    if (o && o->vars)
        for (const char *const *kv = o->vars; *kv; kv++) {
            const char *eq = strchr(*kv, '=');
            if (!eq) {
                gdi_diag_add(st->ctx, GD_DIAG_ERROR, NULL, 0, 0,
                             "--var \"%s\" needs the form name=value", *kv);
                st->ev.failed = true;
                continue;
            }
            if ((r = set_raw(st, root, (gd_str){*kv, (size_t)(eq - *kv)}, eq + 1,
                             strlen(eq + 1), "--var")))
                return r;
        }
    return GD_OK;
}

/* ------------------------------------------------------------ roots */

typedef struct rootspec {
    char *dir;
    char **names; /* NULL: whole directory */
    size_t nnames;
    bool explicit_dir;
} rootspec;

static gd_status find_roots(struct hcl_state *st, const char *dir, unsigned depth, rootspec **rs,
                            size_t *n, size_t *cap)
{
    char **cfg;
    size_t ncfg;
    gd_status r = list_dir(st, dir, is_config_name, &cfg, &ncfg);
    if (r) return r == GD_NOMEM ? r : GD_OK;
    gdi_free(st->ctx, cfg);
    if (ncfg) {
        if (gdi_grow(st->ctx, (void **)rs, cap, *n + 1, sizeof **rs)) return GD_NOMEM;
        (*rs)[*n] = (rootspec){gdi_arena_strndup(&st->ar, dir, strlen(dir)), NULL, 0, depth == 0};
        if (!(*rs)[*n].dir) return GD_NOMEM;
        (*n)++;
    }
    if (depth >= 16) return GD_OK;
    DIR *d = opendir(dir);
    if (!d) return GD_OK;
    char **subs = NULL;
    size_t nsubs = 0, csubs = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        char *sp = path_join(&st->ar, dir, de->d_name, strlen(de->d_name));
        if (!sp) {
            r = GD_NOMEM;
            break;
        }
        if (!is_dir(sp)) continue;
        if (gdi_grow(st->ctx, (void **)&subs, &csubs, nsubs + 1, sizeof *subs)) {
            r = GD_NOMEM;
            break;
        }
        subs[nsubs++] = sp;
    }
    closedir(d);
    if (nsubs) qsort(subs, nsubs, sizeof *subs, cmp_cstr);
    for (size_t i = 0; i < nsubs && !r; i++) r = find_roots(st, subs[i], depth + 1, rs, n, cap);
    gdi_free(st->ctx, subs);
    return r;
}

static gd_status run_root(struct hcl_state *st, hmodule *m, bool first, gdi_doc *outdoc)
{
    hmodinst_t *root;
    st->cur_root = m->dir;
    gd_status r = new_inst(st, m, NULL, NULL, "", &root);
    if (r) return r;
    if ((r = root_vars(st, root))) return r;
    if ((r = walk(st, root))) return r;
    if (first && outdoc) {
        const hcl_val *o;
        if ((r = outputs_object(st, root, &o))) return r;
        if (gdi_hv_to_doc(outdoc, &st->ar, o, HCL_NOFILE, 0, 0, 0) == UINT32_MAX) return GD_NOMEM;
    }
    return GD_OK;
}

static void state_free(struct hcl_state *st)
{
    if (!st) return;
    gd_ctx *ctx = st->ctx;
    for (uint32_t i = 0; i < st->nfiles; i++) {
        gdi_free(ctx, st->files[i].path);
        if (!st->files[i].doc) gdi_free(ctx, st->files[i].text);
    }
    gdi_free(ctx, st->files);
    gdi_free(ctx, st->mods);
    gdi_free(ctx, st->out);
    gdi_free(ctx, st->out_attr);
    gdi_arena_free(&st->ar);
    gdi_free(ctx, st);
}

void gdi_hcl_result_free(gdi_hcl_result *r)
{
    if (!r) return;
    gd_ctx *ctx = r->ctx;
    for (size_t i = 0; i < r->nfiles; i++) {
        if (r->docs && r->docs[i]) {
            gdi_doc_free(r->docs[i]);
            gdi_free(ctx, r->docs[i]);
        }
        if (r->files) gdi_free(ctx, r->files[i]);
    }
    gdi_free(ctx, r->files);
    gdi_free(ctx, r->docs);
    gdi_free(ctx, r->res);
    if (r->outputs) {
        gdi_doc_free(r->outputs);
        gdi_free(ctx, r->outputs);
    }
    if (r->state) {
        /* files and docs were handed to the result */
        r->state->nfiles = 0;
        state_free(r->state);
    }
    gdi_free(ctx, r);
}

/* Move files, docs and resources from st into a new result. */
static gd_status make_result(struct hcl_state *st, gdi_doc *outdoc, gdi_hcl_result **out)
{
    gd_ctx *ctx = st->ctx;
    /* variables files: keep their text alive in a doc too (first, so that
     * a failure leaves every text owned by st or by a doc st frees) */
    for (uint32_t i = 0; i < st->nfiles; i++) {
        if (st->files[i].doc) continue;
        gdi_doc *d = gdi_calloc(ctx, 1, sizeof *d);
        if (!d) return GD_NOMEM;
        if (gdi_doc_init(d, ctx, st->files[i].path) != GD_OK) {
            gdi_doc_free(d);
            gdi_free(ctx, d);
            return GD_NOMEM;
        }
        gdi_doc_own_source(d, st->files[i].text, st->files[i].len);
        st->files[i].doc = d;
    }
    gdi_hcl_result *res = gdi_calloc(ctx, 1, sizeof *res);
    if (!res) return GD_NOMEM;
    res->ctx = ctx;
    res->nfiles = st->nfiles;
    res->files = st->nfiles ? gdi_calloc(ctx, st->nfiles, sizeof *res->files) : NULL;
    res->docs = st->nfiles ? gdi_calloc(ctx, st->nfiles, sizeof *res->docs) : NULL;
    if (st->nfiles && (!res->files || !res->docs)) {
        gdi_free(ctx, res->files);
        gdi_free(ctx, res->docs);
        gdi_free(ctx, res);
        return GD_NOMEM;
    }
    for (uint32_t i = 0; i < st->nfiles; i++) {
        res->files[i] = st->files[i].path;
        res->docs[i] = st->files[i].doc;
        st->files[i].path = NULL;
        st->files[i].doc = NULL;
        st->files[i].text = NULL;
    }
    for (size_t i = 0; i < st->nout; i++) {
        gdi_resource *r = &st->out[i];
        r->attrs = &((gdi_doc *)r->doc)->nodes[st->out_attr[i]];
    }
    res->res = st->out;
    res->nres = st->nout;
    st->out = NULL;
    st->nout = 0;
    res->outputs = outdoc;
    res->state = st;
    *out = res;
    return GD_OK;
}

gd_status gdi_hcl_load(gd_ctx *ctx, const char *const *paths, size_t npaths,
                       const gd_scan_opts *opts, gdi_hcl_result **out)
{
    return gdi_hcl_load_ex(ctx, paths, npaths, opts, 0, out);
}

gd_status gdi_hcl_load_ex(gd_ctx *ctx, const char *const *paths, size_t npaths,
                          const gd_scan_opts *opts, size_t arena_block, gdi_hcl_result **out)
{
    *out = NULL;
    if (!ctx || (!paths && npaths)) return GD_MISUSE;
    struct hcl_state *st = gdi_calloc(ctx, 1, sizeof *st);
    if (!st) return GD_NOMEM;
    /* a diagnostic dropped for lack of memory makes the load fail with
     * GD_NOMEM: an answer without its errors or warnings is a wrong one */
    bool diag_nomem = ctx->diag_nomem;
    ctx->diag_nomem = false;
    st->ctx = ctx;
    gdi_arena_init(&st->ar, ctx, arena_block ? arena_block : 256 * 1024);
    st->opts = opts;
    st->max_expand = gdi_limit(ctx, GD_LIMIT_HCL_EXPAND);
    uint64_t hd = gdi_limit(ctx, GD_LIMIT_HCL_DEPTH);
    st->max_mod_depth = hd > 100000 ? 100000 : (uint32_t)hd;
    st->ev.st = st;
    st->ev.ctx = ctx;
    st->ev.arena = &st->ar;
    uint64_t dd = gdi_limit(ctx, GD_LIMIT_DEPTH) + 4 * hd;
    st->ev.max_depth = dd > 20000 ? 20000 : (uint32_t)dd;
    rootspec *rs = NULL;
    size_t nrs = 0, caprs = 0;
    gdi_doc *outdoc = NULL;
    gd_status r = GD_OK;
    for (size_t i = 0; i < npaths && !r; i++) {
        const char *p = paths[i];
        struct stat sb;
        if (stat(p, &sb) != 0) {
            gdi_err(ctx, GD_IO, p, 0, 0, "cannot open: %s", strerror(errno));
            st->io = true;
            continue;
        }
        if (S_ISDIR(sb.st_mode)) {
            size_t before = nrs;
            char *dir = path_join(&st->ar, "", p, strlen(p));
            if (!dir) {
                r = GD_NOMEM;
                break;
            }
            if (p[0] != '/' && dir[0] == '/') dir++; /* join with "" added a slash */
            r = find_roots(st, dir, 0, &rs, &nrs, &caprs);
            if (!r && nrs == before) { /* an empty scan must not pass for a clean one */
                gdi_diag_add(ctx, GD_DIAG_ERROR, p, 0, 0, "no Terraform files (.tf, .tf.json) in this directory");
                st->io = true;
            }
            continue;
        }
        /* a file: group with other files of the same directory */
        const char *slash = strrchr(p, '/');
        char *dir = slash ? gdi_arena_strndup(&st->ar, p, (size_t)(slash - p)) : ".";
        const char *base = slash ? slash + 1 : p;
        if (!dir) {
            r = GD_NOMEM;
            break;
        }
        if (slash == p) dir = "/";
        rootspec *g = NULL;
        for (size_t k = 0; k < nrs; k++)
            if (rs[k].names && strcmp(rs[k].dir, dir) == 0) g = &rs[k];
        if (!g) {
            if (gdi_grow(ctx, (void **)&rs, &caprs, nrs + 1, sizeof *rs)) {
                r = GD_NOMEM;
                break;
            }
            g = &rs[nrs++];
            *g = (rootspec){dir, NULL, 0, true};
        }
        size_t cn = g->nnames;
        char **nn = gdi_arena_alloc(&st->ar, (cn + 1) * sizeof *nn);
        if (!nn) {
            r = GD_NOMEM;
            break;
        }
        if (cn) memcpy(nn, g->names, cn * sizeof *nn);
        nn[cn] = gdi_arena_strndup(&st->ar, base, strlen(base));
        if (!nn[cn]) {
            r = GD_NOMEM;
            break;
        }
        g->names = nn;
        g->nnames = cn + 1;
    }
    /* load every root candidate, then run those no other root calls */
    hmodule **mods = nrs ? gdi_calloc(ctx, nrs, sizeof *mods) : NULL;
    if (nrs && !mods) r = GD_NOMEM;
    for (size_t i = 0; i < nrs && !r; i++) {
        if (rs[i].names) {
            /* a file group gets a module of its own, keyed by dir + names */
            char key[4096];
            int w = snprintf(key, sizeof key, "%s//files:%zu", rs[i].dir, i);
            (void)w;
            hmodule *m = gdi_arena_calloc(&st->ar, sizeof *m);
            if (!m) {
                r = GD_NOMEM;
                break;
            }
            m->dir = gdi_arena_strndup(&st->ar, rs[i].dir, strlen(rs[i].dir));
            if (!m->dir) {
                r = GD_NOMEM;
                break;
            }
            if ((r = load_module_files(st, m, rs[i].dir, rs[i].names, rs[i].nnames))) break;
            for (uint32_t c = 0; c < m->ncalls && !r; c++) {
                hcall *cl = &m->calls[c];
                gd_str src = cl->source;
                if (!(src.n >= 1 && src.p[0] == '.')) {
                    warn_at(st, cl->blk->file, cl->blk->pos,
                            "module \"%.*s\" has remote source \"%.*s\" that is not on disk; its "
                            "resources are not scanned",
                            (int)cl->name.n, cl->name.p, (int)src.n, src.p);
                    continue;
                }
                char *cd = path_join(&st->ar, rs[i].dir, src.p, src.n);
                if (!cd) r = GD_NOMEM;
                else if (is_dir(cd)) r = load_module(st, cd, NULL, 0, 1, &cl->child);
            }
            mods[i] = m;
        } else {
            r = load_module(st, rs[i].dir, NULL, 0, 0, &mods[i]);
        }
    }
    if (!r) {
        outdoc = gdi_calloc(ctx, 1, sizeof *outdoc);
        if (!outdoc || gdi_doc_init(outdoc, ctx, "outputs") != GD_OK) r = GD_NOMEM;
    }
    bool first = true;
    for (size_t i = 0; i < nrs && !r; i++) {
        if (!mods[i] || (mods[i]->called && !rs[i].explicit_dir && !rs[i].names)) continue;
        bool dup = false;
        for (size_t k = 0; k < i; k++)
            if (mods[k] == mods[i]) dup = true;
        if (dup) continue;
        r = run_root(st, mods[i], first, outdoc);
        first = false;
    }
    if (!r && first && outdoc) {
        /* no root ran: outputs are an empty object */
        uint32_t at = gdi_doc_push(outdoc, GDI_OBJECT, 0, NULL, 0);
        if (at == UINT32_MAX) r = GD_NOMEM;
        else gdi_doc_close(outdoc, at, 0);
    }
    gdi_free(ctx, mods);
    gdi_free(ctx, rs);
    if (ctx->diag_nomem) r = GD_NOMEM;
    ctx->diag_nomem = ctx->diag_nomem || diag_nomem;
    if (r == GD_NOMEM) {
        if (outdoc) {
            gdi_doc_free(outdoc);
            gdi_free(ctx, outdoc);
        }
        for (uint32_t i = 0; i < st->nfiles; i++)
            if (st->files[i].doc) {
                gdi_doc_free(st->files[i].doc);
                gdi_free(ctx, st->files[i].doc);
            }
        state_free(st);
        return GD_NOMEM;
    }
    gd_status final = r;
    if (final == GD_OK) {
        if (st->limit) final = GD_LIMIT;
        else if (st->syntax) final = GD_SYNTAX;
        else if (st->io) final = GD_IO;
        else if (st->ev.failed) final = GD_INVALID;
    }
    gdi_hcl_result *res;
    if (make_result(st, outdoc, &res) != GD_OK) {
        if (outdoc) {
            gdi_doc_free(outdoc);
            gdi_free(ctx, outdoc);
        }
        for (uint32_t i = 0; i < st->nfiles; i++)
            if (st->files[i].doc) {
                gdi_doc_free(st->files[i].doc);
                gdi_free(ctx, st->files[i].doc);
            }
        state_free(st);
        return GD_NOMEM;
    }
    *out = res;
    return final;
}
