/*
 * tfjson.c — Terraform's JSON syntax (.tf.json) read into the same body
 * tree the native parser builds.
 *
 * The JSON document is parsed with gdi_json_parse, then walked: top-level
 * keys name block types ("resource", "data", "variable", "locals",
 * "module", "output"), nested objects supply the labels, and the innermost
 * objects are bodies. In a body, strings are templates ("${var.x}"),
 * other JSON values are literals, except where Terraform treats strings
 * specially: a variable's `type` and a resource's `provider` are
 * expressions, a variable's `default` and a module's `source` are literal.
 *
 * Without provider schemas a nested block cannot be told from a map
 * attribute. The rule used: an array of objects is a list of nested
 * blocks, and so is an object under `dynamic`, `content`, `lifecycle`,
 * `connection` or `provisioner`; any other object is a map attribute.
 * Both forms give the same evaluated attributes (a list of objects) for
 * the first case, so only single-object nested blocks (written without
 * the array) differ from Terraform; docs/hcl.md says so.
 *
 * Every string is copied into the load's arena; the JSON document is freed
 * before returning. Positions are those of the JSON nodes; expressions
 * inside a template string all carry the string's position.
 */
#include "hcli.h"

typedef struct jctx {
    gd_ctx *ctx;
    gdi_arena *ar;
    const char *name;
    uint32_t file;
    gd_status st;
    uint32_t depth, max_depth;
} jctx;

static void jerr(jctx *j, const gdi_doc *d, const gdi_node *n, const char *msg)
{
    uint32_t line, col;
    gdi_doc_line_col(d, n, &line, &col);
    gdi_err(j->ctx, GD_SYNTAX, j->name, line, col, "%s", msg);
    if (j->st == GD_OK) j->st = GD_SYNTAX;
}

static void *jalloc(jctx *j, size_t n)
{
    void *p = gdi_arena_calloc(j->ar, n);
    if (!p) j->st = GD_NOMEM;
    return p;
}

static gd_str jstr(jctx *j, const gdi_node *n)
{
    char *c = gdi_arena_strndup(j->ar, n->str ? n->str : "", n->len);
    if (!c) {
        j->st = GD_NOMEM;
        return (gd_str){"", 0};
    }
    return (gd_str){c, n->len};
}

static void fix_pos(hcl_expr *e, uint32_t file, uint32_t pos, uint32_t depth)
{
    if (!e || depth > 10000) return;
    e->file = file;
    e->pos = pos;
    fix_pos(e->a, file, pos, depth + 1);
    fix_pos(e->b, file, pos, depth + 1);
    fix_pos(e->c, file, pos, depth + 1);
    fix_pos(e->d, file, pos, depth + 1);
    if (e->kind != HE_OBJECT || e->kids) {
        uint32_t n = e->kind == HE_OBJECT ? 2 * e->n : e->n;
        for (uint32_t i = 0; i < n && e->kids; i++) fix_pos(e->kids[i], file, pos, depth + 1);
    }
}

enum { JV_TEMPLATE, JV_LITERAL, JV_EXPR };

static hcl_expr *jexpr(jctx *j, const gdi_doc *d, const gdi_node *n, int mode)
{
    if (++j->depth > j->max_depth) {
        jerr(j, d, n, "nesting too deep");
        j->st = GD_LIMIT;
        j->depth--;
        return NULL;
    }
    hcl_expr *e = jalloc(j, sizeof *e);
    if (!e) goto out;
    e->file = j->file;
    e->pos = n->pos;
    switch ((gdi_type)n->type) {
    case GDI_NULL:
    case GDI_UNKNOWN: e->kind = HE_NULL; break;
    case GDI_TRUE: e->kind = HE_TRUE; break;
    case GDI_FALSE: e->kind = HE_FALSE; break;
    case GDI_NUMBER:
        e->kind = HE_NUM;
        e->num = gdi_num_f64(n);
        break;
    case GDI_STRING: {
        gd_str s = jstr(j, n);
        if (mode == JV_LITERAL) {
            e->kind = HE_STR;
            e->name = s;
            break;
        }
        hcl_expr *t;
        gd_status r = mode == JV_EXPR
                          ? gdi_hcl_parse_expr(j->ctx, j->ar, j->name, j->file, s.p, s.n, &t)
                          : gdi_hcl_parse_template(j->ctx, j->ar, j->name, j->file, s.p, s.n,
                                                   n->pos, &t);
        if (r) {
            if (j->st == GD_OK || r == GD_NOMEM) j->st = r;
            e = NULL;
            goto out;
        }
        fix_pos(t, j->file, n->pos, 0);
        e = t;
        break;
    }
    case GDI_ARRAY: {
        e->kind = HE_TUPLE;
        e->n = n->len;
        if (n->len && !(e->kids = jalloc(j, n->len * sizeof *e->kids))) goto out;
        const gdi_node *c = gdi_first(n);
        for (uint32_t i = 0; i < n->len; i++, c = gdi_next(c))
            if (!(e->kids[i] = jexpr(j, d, c, mode))) {
                e = NULL;
                goto out;
            }
        break;
    }
    case GDI_OBJECT: {
        e->kind = HE_OBJECT;
        e->n = n->len;
        if (n->len && !(e->kids = jalloc(j, 2 * (size_t)n->len * sizeof *e->kids))) goto out;
        const gdi_node *k = gdi_first(n);
        for (uint32_t i = 0; i < n->len; i++, k = gdi_next(k + 1)) {
            hcl_expr *ke = jalloc(j, sizeof *ke);
            if (!ke) goto out;
            ke->kind = HE_STR;
            ke->flags = HEF_BAREKEY;
            ke->file = j->file;
            ke->pos = k->pos;
            ke->name = jstr(j, k);
            e->kids[2 * i] = ke;
            if (!(e->kids[2 * i + 1] = jexpr(j, d, k + 1, mode))) {
                e = NULL;
                goto out;
            }
        }
        break;
    }
    }
out:
    j->depth--;
    return e;
}

static uint32_t subtree_end(const gdi_node *n)
{
    uint32_t m = n->pos;
    for (uint32_t i = 0; i < n->skip; i++)
        if (n[i].pos > m) m = n[i].pos;
    return m + 1;
}

static bool is_block_key(gd_str k)
{
    return gd_str_eqc(k, "dynamic") || gd_str_eqc(k, "content") || gd_str_eqc(k, "lifecycle") ||
           gd_str_eqc(k, "connection") || gd_str_eqc(k, "provisioner");
}

static bool all_objects(const gdi_node *arr)
{
    if (arr->type != GDI_ARRAY || arr->len == 0) return false;
    const gdi_node *c = gdi_first(arr);
    for (uint32_t i = 0; i < arr->len; i++, c = gdi_next(c))
        if (c->type != GDI_OBJECT) return false;
    return true;
}

typedef struct bvec {
    hcl_attr *attrs;
    size_t na, ca;
    hcl_block **blocks;
    size_t nb, cb;
} bvec;

static hcl_body *jbody(jctx *j, const gdi_doc *d, const gdi_node *obj, gd_str btype);

/* Add one block (type, labels, body object) to v. */
static bool add_block(jctx *j, const gdi_doc *d, bvec *v, gd_str type, const gd_str *labels,
                      uint32_t nlabels, const gdi_node *bodyn)
{
    if (bodyn->type != GDI_OBJECT) {
        jerr(j, d, bodyn, "expected an object for a block body");
        return false;
    }
    hcl_block *b = jalloc(j, sizeof *b);
    if (!b) return false;
    b->type = type;
    b->file = j->file;
    b->pos = bodyn->pos;
    b->end = subtree_end(bodyn);
    b->nlabels = nlabels;
    if (nlabels) {
        if (!(b->labels = jalloc(j, nlabels * sizeof *labels))) return false;
        memcpy(b->labels, labels, nlabels * sizeof *labels);
    }
    if (!(b->body = jbody(j, d, bodyn, type))) return false;
    if (gdi_grow(j->ctx, (void **)&v->blocks, &v->cb, v->nb + 1, sizeof *v->blocks)) {
        j->st = GD_NOMEM;
        return false;
    }
    v->blocks[v->nb++] = b;
    return true;
}

/* Blocks with `depth` more labels under n (object of label -> ...). */
static bool add_labeled(jctx *j, const gdi_doc *d, bvec *v, gd_str type, gd_str *labels,
                        uint32_t have, uint32_t want, const gdi_node *n)
{
    if (have == want) {
        if (n->type == GDI_ARRAY) {
            const gdi_node *c = gdi_first(n);
            for (uint32_t i = 0; i < n->len; i++, c = gdi_next(c))
                if (!add_block(j, d, v, type, labels, have, c)) return false;
            return true;
        }
        return add_block(j, d, v, type, labels, have, n);
    }
    if (n->type == GDI_ARRAY) {
        const gdi_node *c = gdi_first(n);
        for (uint32_t i = 0; i < n->len; i++, c = gdi_next(c))
            if (!add_labeled(j, d, v, type, labels, have, want, c)) return false;
        return true;
    }
    if (n->type != GDI_OBJECT) {
        jerr(j, d, n, "expected an object of block labels");
        return false;
    }
    const gdi_node *k = gdi_first(n);
    for (uint32_t i = 0; i < n->len; i++, k = gdi_next(k + 1)) {
        if (gd_str_eqc(gdi_node_str(k), "//")) continue;
        labels[have] = jstr(j, k);
        if (!add_labeled(j, d, v, type, labels, have + 1, want, k + 1)) return false;
    }
    return true;
}

static hcl_body *jbody(jctx *j, const gdi_doc *d, const gdi_node *obj, gd_str btype)
{
    bvec v = {0};
    hcl_body *b = NULL;
    if (++j->depth > j->max_depth) {
        jerr(j, d, obj, "nesting too deep");
        j->st = GD_LIMIT;
        goto done;
    }
    bool is_var = gd_str_eqc(btype, "variable"), is_mod = gd_str_eqc(btype, "module");
    bool is_dyn = gd_str_eqc(btype, "dynamic");
    const gdi_node *k = gdi_first(obj);
    for (uint32_t i = 0; i < obj->len; i++, k = gdi_next(k + 1)) {
        gd_str key = jstr(j, k);
        const gdi_node *val = k + 1;
        if (gd_str_eqc(key, "//")) continue;
        if (is_dyn || (val->type == GDI_OBJECT && is_block_key(key) && !gd_str_eqc(key, "dynamic"))) {
            if (is_dyn && val->type == GDI_OBJECT) {
                /* dynamic: { label: {for_each, content} } */
                gd_str lab = key;
                if (!add_block(j, d, &v, GD_STR_LIT("dynamic"), &lab, 1, val)) goto done;
                continue;
            }
            if (!add_block(j, d, &v, key, NULL, 0, val)) goto done;
            continue;
        }
        if (gd_str_eqc(key, "dynamic") && val->type == GDI_OBJECT) {
            const gdi_node *dk = gdi_first(val);
            for (uint32_t x = 0; x < val->len; x++, dk = gdi_next(dk + 1)) {
                gd_str lab = jstr(j, dk);
                if (!add_labeled(j, d, &v, GD_STR_LIT("dynamic"), &lab, 1, 1, dk + 1)) goto done;
            }
            continue;
        }
        if (all_objects(val) && !is_var && !gd_str_eqc(btype, "locals") &&
            !gd_str_eqc(btype, "output")) {
            const gdi_node *c = gdi_first(val);
            for (uint32_t x = 0; x < val->len; x++, c = gdi_next(c))
                if (!add_block(j, d, &v, key, NULL, 0, c)) goto done;
            continue;
        }
        int mode = JV_TEMPLATE;
        if ((is_var && gd_str_eqc(key, "default")) || (is_mod && gd_str_eqc(key, "source")))
            mode = JV_LITERAL;
        if ((is_var && gd_str_eqc(key, "type")) || gd_str_eqc(key, "provider") ||
            gd_str_eqc(key, "depends_on") || gd_str_eqc(key, "iterator"))
            mode = JV_EXPR;
        hcl_expr *e = jexpr(j, d, val, mode);
        if (!e) goto done;
        if (gdi_grow(j->ctx, (void **)&v.attrs, &v.ca, v.na + 1, sizeof *v.attrs)) {
            j->st = GD_NOMEM;
            goto done;
        }
        v.attrs[v.na++] = (hcl_attr){key, k->pos, e};
    }
    b = jalloc(j, sizeof *b);
    if (!b) goto done;
    b->nattrs = (uint32_t)v.na;
    b->nblocks = (uint32_t)v.nb;
    if (v.na) {
        if (!(b->attrs = jalloc(j, v.na * sizeof *b->attrs))) goto fail;
        memcpy(b->attrs, v.attrs, v.na * sizeof *b->attrs);
    }
    if (v.nb) {
        if (!(b->blocks = jalloc(j, v.nb * sizeof *b->blocks))) goto fail;
        memcpy(b->blocks, v.blocks, v.nb * sizeof *b->blocks);
    }
    goto done;
fail:
    b = NULL;
done:
    j->depth--;
    gdi_free(j->ctx, v.attrs);
    gdi_free(j->ctx, v.blocks);
    return j->st ? NULL : b;
}

gd_status gdi_hcl_parse_json(gd_ctx *ctx, gdi_arena *arena, const char *name, uint32_t file,
                             const char *text, size_t len, hcl_body **out)
{
    *out = NULL;
    gdi_doc d;
    gd_status st = gdi_doc_init(&d, ctx, name);
    if (st) return st;
    if ((st = gdi_json_parse(&d, text, len))) {
        gdi_doc_free(&d);
        return st;
    }
    d.src = text;
    d.src_len = len;
    jctx j = {ctx, arena, name, file, GD_OK, 0, 0};
    uint64_t lim = gdi_limit(ctx, GD_LIMIT_DEPTH);
    j.max_depth = lim > 100000 ? 100000 : (uint32_t)lim;
    const gdi_node *root = gdi_doc_root(&d);
    bvec v = {0};
    hcl_body *b = NULL;
    if (!root || root->type != GDI_OBJECT) {
        jerr(&j, &d, root, "a .tf.json file must hold an object");
        goto done;
    }
    const gdi_node *k = gdi_first(root);
    gd_str labels[2];
    for (uint32_t i = 0; i < root->len && !j.st; i++, k = gdi_next(k + 1)) {
        gd_str key = jstr(&j, k);
        const gdi_node *val = k + 1;
        uint32_t want = 0;
        if (gd_str_eqc(key, "resource") || gd_str_eqc(key, "data")) want = 2;
        else if (gd_str_eqc(key, "variable") || gd_str_eqc(key, "module") ||
                 gd_str_eqc(key, "output"))
            want = 1;
        else if (gd_str_eqc(key, "locals")) want = 0;
        else continue; /* terraform, provider, moved ...: nothing to evaluate */
        add_labeled(&j, &d, &v, key, labels, 0, want, val);
    }
    if (j.st) goto done;
    b = jalloc(&j, sizeof *b);
    if (!b) goto done;
    b->nblocks = (uint32_t)v.nb;
    if (v.nb) {
        if (!(b->blocks = jalloc(&j, v.nb * sizeof *b->blocks))) goto done;
        memcpy(b->blocks, v.blocks, v.nb * sizeof *b->blocks);
    }
done:
    gdi_free(ctx, v.attrs);
    gdi_free(ctx, v.blocks);
    d.src = NULL;
    gdi_doc_free(&d);
    if (j.st) return j.st;
    *out = b;
    return b ? GD_OK : GD_NOMEM;
}
