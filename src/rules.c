/*
 * rules.c — the rule set: loading rule files, validating them, compiling
 * their checks, the by-type index, listing, disassembly and the fixture
 * runner (`gongdan rules test`).
 *
 * Loading. A rule file is YAML (docs/rules.md, "Rule files"). Each file is
 * parsed into its own gdi_doc, which the rule set keeps for its whole life:
 * every string of a rule (id, titles, types...) and the gdi_rule itself live
 * in that doc's arena, and rule->tests points at the fixtures on its tape,
 * so fixtures can be run long after loading. Validation reports every
 * problem in a file, each at the file:line:col of the offending node, and
 * goes on; a file with any error adds no rule at all (a rule set never holds
 * half a file). Unknown keys are errors: a typo must not disable a rule.
 *
 * Ids are unique across the whole set, checked as each rule arrives through
 * a hash of ids (rebuilt from the kept rules when a file is dropped).
 *
 * Joins. The compiler registers each (type, field) pair a check joins on
 * through gdi_compile_env.join_id; the pairs are kept unique in rs->joins
 * and their index is the join id programs carry.
 *
 * gdi_ruleset_finish sorts rules by id, numbers them (rule->index), and
 * builds the type index (a sorted array of types, each with a run of rule
 * pointers, found by binary search) and the sorted list of join target
 * types. Adding rules afterwards clears `finished`; finishing again rebuilds.
 *
 * The private state behind rs->by_type (struct gdi_type_index) holds the
 * docs the set owns, the id hash and the two indexes.
 */
#include "rule.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <yaml.h>

/* One type and its rules, in the type index. */
typedef struct type_entry {
    const char *type; /* borrowed from a rule */
    size_t start, n;  /* run in type_rules */
} type_entry;

struct gdi_type_index {
    gdi_doc **docs; /* every doc the set owns (one per loaded file) */
    size_t ndocs, capdocs;
    gdi_rule **ids; /* open-addressing hash of rules by id; NULL = empty */
    size_t capids, nids;
    type_entry *types; /* sorted by type (after finish) */
    size_t ntypes;
    gdi_rule **type_rules; /* runs of rules per type, each sorted by id */
    const char **join_types; /* sorted, unique types of rs->joins */
    size_t njoin_types;
    gdi_target *targets; /* per join type: what the join phase needs of it */
    gdi_typeinfo *tinfo; /* open-addressing hash of every type with rules or joined on */
    size_t captinfo;     /* power of two; empty slots have type NULL */
};

gd_str gdi_type_provider(gd_str type)
{
    const char *u = type.n ? memchr(type.p, '_', type.n) : NULL;
    return (gd_str){type.p, u ? (size_t)(u - type.p) : type.n};
}

/* ------------------------------------------------------------ id hash */

static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
    return h;
}

static gdi_rule *id_find(const struct gdi_type_index *x, const char *id)
{
    if (!x->capids) return NULL;
    size_t m = x->capids - 1, i = (size_t)hash_bytes(id, strlen(id)) & m;
    for (; x->ids[i]; i = (i + 1) & m)
        if (strcmp(x->ids[i]->id, id) == 0) return x->ids[i];
    return NULL;
}

static gd_status id_insert(gd_ctx *ctx, struct gdi_type_index *x, gdi_rule *r)
{
    if ((x->nids + 1) * 2 > x->capids) {
        size_t nc = x->capids ? x->capids * 2 : 256;
        gdi_rule **nt = gdi_calloc(ctx, nc, sizeof *nt);
        if (!nt) return GD_NOMEM;
        gdi_rule **old = x->ids;
        size_t oc = x->capids;
        x->ids = nt;
        x->capids = nc;
        x->nids = 0;
        for (size_t i = 0; i < oc; i++)
            if (old[i]) id_insert(ctx, x, old[i]); /* cannot grow again */
        gdi_free(ctx, old);
    }
    size_t m = x->capids - 1, i = (size_t)hash_bytes(r->id, strlen(r->id)) & m;
    while (x->ids[i]) i = (i + 1) & m;
    x->ids[i] = r;
    x->nids++;
    return GD_OK;
}

/* Rebuild the id hash from the rules kept (after a file was dropped). */
static gd_status id_rebuild(gd_ruleset *rs)
{
    struct gdi_type_index *x = rs->by_type;
    if (x->ids) memset(x->ids, 0, x->capids * sizeof *x->ids);
    x->nids = 0;
    for (size_t i = 0; i < rs->nrules; i++)
        if (id_insert(rs->ctx, x, rs->rules[i])) return GD_NOMEM;
    return GD_OK;
}

/* ------------------------------------------------------------ ruleset */

static void free_index(gd_ruleset *rs)
{
    struct gdi_type_index *x = rs->by_type;
    gdi_free(rs->ctx, x->types);
    gdi_free(rs->ctx, x->type_rules);
    gdi_free(rs->ctx, x->join_types);
    for (size_t i = 0; x->targets && i < x->njoin_types; i++) {
        gdi_free(rs->ctx, (void *)x->targets[i].fields);
        gdi_free(rs->ctx, (void *)x->targets[i].defs);
    }
    gdi_free(rs->ctx, x->targets);
    x->targets = NULL;
    gdi_free(rs->ctx, x->tinfo);
    x->tinfo = NULL;
    x->captinfo = 0;
    x->types = NULL;
    x->type_rules = NULL;
    x->join_types = NULL;
    x->ntypes = x->njoin_types = 0;
    rs->finished = false;
}

gd_status gd_ruleset_new(gd_ctx *ctx, gd_ruleset **out)
{
    if (!out) return GD_MISUSE;
    *out = NULL;
    if (!ctx) return GD_MISUSE;
    gd_ruleset *rs = gdi_calloc(ctx, 1, sizeof *rs);
    if (!rs) return GD_NOMEM;
    rs->ctx = ctx;
    rs->by_type = gdi_calloc(ctx, 1, sizeof *rs->by_type);
    if (!rs->by_type) {
        gdi_free(ctx, rs);
        return GD_NOMEM;
    }
    *out = rs;
    return GD_OK;
}

static void free_doc(gd_ctx *ctx, gdi_doc *d)
{
    if (!d) return;
    gdi_doc_free(d);
    gdi_free(ctx, d);
}

void gd_ruleset_free(gd_ruleset *rs)
{
    if (!rs) return;
    gd_ctx *ctx = rs->ctx;
    for (size_t i = 0; i < rs->nrules; i++) gdi_program_free(rs->rules[i]->check);
    gdi_free(ctx, rs->rules);
    for (size_t i = 0; i < rs->njoins; i++) {
        gdi_free(ctx, rs->joins[i].type);
        gdi_free(ctx, rs->joins[i].field);
        for (size_t u = 0; u < rs->joins[i].nuses; u++) gdi_free(ctx, rs->joins[i].uses[u]);
        gdi_free(ctx, rs->joins[i].uses);
    }
    gdi_free(ctx, rs->joins);
    struct gdi_type_index *x = rs->by_type;
    if (x) {
        free_index(rs);
        for (size_t i = 0; i < x->ndocs; i++) free_doc(ctx, x->docs[i]);
        gdi_free(ctx, x->docs);
        gdi_free(ctx, x->ids);
        gdi_free(ctx, x);
    }
    gdi_free(ctx, rs);
}

size_t gd_ruleset_count(const gd_ruleset *rs)
{
    return rs ? rs->nrules : 0;
}

/* The join_id service handed to the compiler. */
static gd_status env_join_id(void *ud, gd_str type, gd_str field, uint32_t *id)
{
    gd_ruleset *rs = ud;
    for (size_t i = 0; i < rs->njoins; i++)
        if (gd_str_eqc(type, rs->joins[i].type) && gd_str_eqc(field, rs->joins[i].field)) {
            *id = (uint32_t)i;
            return GD_OK;
        }
    if (rs->njoins >= UINT32_MAX) return GD_LIMIT;
    if (gdi_grow(rs->ctx, (void **)&rs->joins, &rs->capjoins, rs->njoins + 1, sizeof *rs->joins))
        return GD_NOMEM;
    char *t = gdi_strndup(rs->ctx, type.p ? type.p : "", type.n);
    char *f = gdi_strndup(rs->ctx, field.p ? field.p : "", field.n);
    if (!t || !f) {
        gdi_free(rs->ctx, t);
        gdi_free(rs->ctx, f);
        return GD_NOMEM;
    }
    memset(&rs->joins[rs->njoins], 0, sizeof rs->joins[rs->njoins]);
    rs->joins[rs->njoins].type = t;
    rs->joins[rs->njoins].field = f;
    *id = (uint32_t)rs->njoins++;
    if (rs->finished) free_index(rs);
    return GD_OK;
}

/* The join_use service handed to the compiler. */
static gd_status env_join_use(void *ud, uint32_t id, gd_str field, bool all)
{
    gd_ruleset *rs = ud;
    if (id >= rs->njoins) return GD_MISUSE;
    gdi_joindef *d = &rs->joins[id];
    if (rs->finished) free_index(rs);
    if (all) {
        d->all = true;
        return GD_OK;
    }
    for (size_t i = 0; i < d->nuses; i++)
        if (gd_str_eqc(field, d->uses[i])) return GD_OK;
    if (gdi_grow(rs->ctx, (void **)&d->uses, &d->capuses, d->nuses + 1, sizeof *d->uses))
        return GD_NOMEM;
    char *f = gdi_strndup(rs->ctx, field.p ? field.p : "", field.n);
    if (!f) return GD_NOMEM;
    d->uses[d->nuses++] = f;
    return GD_OK;
}

/* ------------------------------------------------------------ loading */

/* State while one file is validated. */
typedef struct loader {
    gd_ruleset *rs;
    gdi_doc *doc;
    gdi_arena *a;   /* the doc's arena: rule memory */
    const char *file;
    size_t nerr;    /* errors in this file */
    gd_status st;   /* first hard failure (NOMEM); GD_OK otherwise */
} loader;

static void lerr(loader *L, const gdi_node *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void lerr(loader *L, const gdi_node *at, const char *fmt, ...)
{
    uint32_t line = 0, col = 0;
    if (at) gdi_doc_line_col(L->doc, at, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    gdi_diag_addv(L->rs->ctx, GD_DIAG_ERROR, L->file, line, col, fmt, ap);
    va_end(ap);
    L->nerr++;
}

static void *lalloc(loader *L, size_t n)
{
    void *p = gdi_arena_calloc(L->a, n ? n : 1);
    if (!p) L->st = GD_NOMEM;
    return p;
}

static char *lstr(loader *L, gd_str s)
{
    char *p = gdi_arena_strndup(L->a, s.p ? s.p : "", s.n);
    if (!p) L->st = GD_NOMEM;
    return p;
}

/* Check every key of obj is in the NULL-terminated list; what names the
 * object in messages ("rule", "title", "test case"). */
static void check_keys(loader *L, const gdi_node *obj, const char *const *allowed, const char *what)
{
    const gdi_node *k = gdi_first(obj);
    for (uint32_t i = 0; i < obj->len; i++, k = gdi_next(k + 1)) {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++) ok = gd_str_eqc(gdi_node_str(k), *a);
        if (!ok)
            lerr(L, k, "unknown key '%.*s' in %s", (int)(k->len > 60 ? 60 : k->len), k->str, what);
    }
}

/* A string member; NULL when absent (error when required) or wrong type. */
static const gdi_node *get_str_node(loader *L, const gdi_node *obj, const char *key, bool required,
                                    const char *what)
{
    const gdi_node *v = gdi_obj_getc(obj, key);
    if (!v) {
        if (required) lerr(L, obj, "%s: missing required key '%s'", what, key);
        return NULL;
    }
    if (v->type != GDI_STRING || v->len == 0) {
        lerr(L, v, "'%s' must be a non-empty string", key);
        return NULL;
    }
    return v;
}

static char *get_str(loader *L, const gdi_node *obj, const char *key, bool required,
                     const char *what)
{
    const gdi_node *v = get_str_node(L, obj, key, required, what);
    return v ? lstr(L, gdi_node_str(v)) : NULL;
}

/* A list of strings (numbers accepted as their text when nums). */
static void get_str_list(loader *L, const gdi_node *obj, const char *key, bool required,
                         bool nums, const char *what, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const gdi_node *v = gdi_obj_getc(obj, key);
    if (!v) {
        if (required) lerr(L, obj, "%s: missing required key '%s'", what, key);
        return;
    }
    if (v->type != GDI_ARRAY) {
        lerr(L, v, "'%s' must be a list of strings", key);
        return;
    }
    if (required && v->len == 0) {
        lerr(L, v, "'%s' must not be empty", key);
        return;
    }
    char **arr = lalloc(L, (size_t)v->len * sizeof *arr);
    if (!arr) return;
    const gdi_node *e = gdi_first(v);
    size_t k = 0;
    for (uint32_t i = 0; i < v->len; i++, e = gdi_next(e)) {
        if ((e->type == GDI_STRING && e->len > 0) || (nums && e->type == GDI_NUMBER)) {
            arr[k] = lstr(L, gdi_node_str(e));
            if (!arr[k]) return;
            k++;
        } else {
            lerr(L, e, "'%s' entries must be non-empty strings", key);
        }
    }
    *out = arr;
    *n = k;
}

/* A {en, zh} object with both languages required. */
static void get_i18n(loader *L, const gdi_node *obj, const char *key, char **en, char **zh)
{
    static const char *const keys[] = {"en", "zh", NULL};
    *en = *zh = NULL;
    const gdi_node *v = gdi_obj_getc(obj, key);
    if (!v) {
        lerr(L, obj, "rule: missing required key '%s'", key);
        return;
    }
    if (v->type != GDI_OBJECT) {
        lerr(L, v, "'%s' must be a mapping with 'en' and 'zh'", key);
        return;
    }
    check_keys(L, v, keys, key);
    *en = get_str(L, v, "en", true, key);
    *zh = get_str(L, v, "zh", true, key);
}

static const char *const k_frameworks[] = {"craf-2.0", "soc2", "iso27001", "mlps-2.0",
                                           "soc3-alibaba", NULL};

static void get_controls(loader *L, const gdi_node *obj, gdi_rule *r)
{
    const gdi_node *v = gdi_obj_getc(obj, "controls");
    if (!v) return;
    if (v->type != GDI_OBJECT) {
        lerr(L, v, "'controls' must be a mapping of framework to control ids");
        return;
    }
    check_keys(L, v, k_frameworks, "controls (known frameworks: craf-2.0, soc2, iso27001, "
                                   "mlps-2.0, soc3-alibaba)");
    r->controls = lalloc(L, (size_t)v->len * sizeof *r->controls);
    if (!r->controls) return;
    const gdi_node *k = gdi_first(v);
    for (uint32_t i = 0; i < v->len; i++, k = gdi_next(k + 1)) {
        gdi_control_ref *c = &r->controls[r->ncontrols];
        char key[64];
        snprintf(key, sizeof key, "%.*s", (int)(k->len > 63 ? 63 : k->len), k->str);
        get_str_list(L, v, key, true, true, "controls", &c->ids, &c->nids);
        c->framework = lstr(L, gdi_node_str(k));
        if (!c->framework) return;
        r->ncontrols++;
    }
}

static const char *const k_expect[] = {"pass", "fail", "unknown", "error", NULL};

/* Verdict named by a fixture's expect, or -1. */
static int expect_of(const gdi_node *v)
{
    if (!v || v->type != GDI_STRING) return -1;
    for (int i = 0; k_expect[i]; i++)
        if (gd_str_eqc(gdi_node_str(v), k_expect[i])) return i;
    return -1;
}

static void check_fixtures(loader *L, const gdi_node *tests)
{
    static const char *const case_keys[] = {"name", "expect", "attributes", "type",
                                            "address", "related", NULL};
    static const char *const rel_keys[] = {"type", "attributes", "address", NULL};
    if (tests->type != GDI_ARRAY) {
        lerr(L, tests, "'tests' must be a list of test cases");
        return;
    }
    const gdi_node *c = gdi_first(tests);
    for (uint32_t i = 0; i < tests->len; i++, c = gdi_next(c)) {
        if (c->type != GDI_OBJECT) {
            lerr(L, c, "a test case must be a mapping");
            continue;
        }
        check_keys(L, c, case_keys, "test case");
        get_str_node(L, c, "name", false, "test case");
        get_str_node(L, c, "type", false, "test case");
        get_str_node(L, c, "address", false, "test case");
        const gdi_node *e = gdi_obj_getc(c, "expect");
        if (!e)
            lerr(L, c, "test case: missing required key 'expect'");
        else if (expect_of(e) < 0)
            lerr(L, e, "'expect' must be one of pass, fail, unknown, error");
        const gdi_node *at = gdi_obj_getc(c, "attributes");
        if (!at)
            lerr(L, c, "test case: missing required key 'attributes'");
        else if (at->type != GDI_OBJECT)
            lerr(L, at, "'attributes' must be a mapping");
        const gdi_node *rel = gdi_obj_getc(c, "related");
        if (!rel) continue;
        if (rel->type != GDI_ARRAY) {
            lerr(L, rel, "'related' must be a list of resources");
            continue;
        }
        const gdi_node *r = gdi_first(rel);
        for (uint32_t j = 0; j < rel->len; j++, r = gdi_next(r)) {
            if (r->type != GDI_OBJECT) {
                lerr(L, r, "a related resource must be a mapping with 'type' and 'attributes'");
                continue;
            }
            check_keys(L, r, rel_keys, "related resource");
            get_str_node(L, r, "type", true, "related resource");
            get_str_node(L, r, "address", false, "related resource");
            const gdi_node *ra = gdi_obj_getc(r, "attributes");
            if (!ra)
                lerr(L, r, "related resource: missing required key 'attributes'");
            else if (ra->type != GDI_OBJECT)
                lerr(L, ra, "'attributes' must be a mapping");
        }
    }
}

/* Where the check text sits in the file (see gdi_srcmap). */
static void check_srcmap(loader *L, const gdi_node *v, gdi_srcmap *m)
{
    uint32_t line, col;
    gdi_doc_line_col(L->doc, v, &line, &col);
    m->file = L->file;
    m->line0 = line;
    m->col0 = col;
    m->indent = col ? col - 1 : 0;
    if (v->aux == YAML_SINGLE_QUOTED_SCALAR_STYLE || v->aux == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
        m->col0 = col + 1;
        m->indent = col;
    } else if ((v->aux == YAML_LITERAL_SCALAR_STYLE || v->aux == YAML_FOLDED_SCALAR_STYLE) &&
               L->doc->src) {
        /* skip the header line, then blank lines; the first content line
         * gives the indentation */
        const char *s = L->doc->src, *end = s + L->doc->src_len, *p = s + v->pos;
        uint32_t ln = line;
        while (p < end && *p != '\n') p++;
        while (p < end) {
            p++; /* past '\n' */
            ln++;
            const char *q = p;
            while (q < end && *q == ' ') q++;
            if (q < end && *q != '\n' && *q != '\r') {
                m->line0 = ln;
                m->indent = (uint32_t)(q - p);
                m->col0 = m->indent + 1;
                break;
            }
            p = q;
            while (p < end && *p != '\n') p++;
        }
    }
}

static bool valid_id(gd_str id)
{
    if (!id.n || id.n > 128) return false;
    for (size_t i = 0; i < id.n; i++) {
        char c = id.p[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}

/* Validate and compile one rule; NULL when it has errors. */
static gdi_rule *load_rule(loader *L, const gdi_node *obj)
{
    static const char *const rule_keys[] = {
        "id",       "title",    "description", "severity",    "severity_reason",
        "resource_types", "duties", "controls", "check",      "message",
        "remediation", "references", "tests", NULL};
    if (obj->type != GDI_OBJECT) {
        lerr(L, obj, "a rule must be a mapping");
        return NULL;
    }
    size_t err0 = L->nerr;
    gdi_rule *r = lalloc(L, sizeof *r);
    if (!r) return NULL;
    check_keys(L, obj, rule_keys, "rule");
    const gdi_node *idn = get_str_node(L, obj, "id", true, "rule");
    if (idn) {
        if (!valid_id(gdi_node_str(idn)))
            lerr(L, idn, "rule id '%.*s' may only use letters, digits, '-', '_' and '.'",
                 (int)(idn->len > 60 ? 60 : idn->len), idn->str);
        r->id = lstr(L, gdi_node_str(idn));
    }
    get_i18n(L, obj, "title", &r->title_en, &r->title_zh);
    r->description = get_str(L, obj, "description", false, "rule");
    const gdi_node *sev = get_str_node(L, obj, "severity", true, "rule");
    if (sev) {
        char buf[16];
        snprintf(buf, sizeof buf, "%.*s", (int)(sev->len > 15 ? 15 : sev->len), sev->str);
        if (sev->len > 15 || gd_sev_parse(buf, &r->severity) != GD_OK)
            lerr(L, sev, "unknown severity '%.*s' (use critical, high, medium, low or info)",
                 (int)(sev->len > 30 ? 30 : sev->len), sev->str);
    }
    r->severity_reason = get_str(L, obj, "severity_reason", false, "rule");
    get_str_list(L, obj, "resource_types", true, false, "rule", &r->types, &r->ntypes);
    get_str_list(L, obj, "duties", true, false, "rule", &r->duties, &r->nduties);
    get_controls(L, obj, r);
    r->message = get_str(L, obj, "message", false, "rule");
    get_i18n(L, obj, "remediation", &r->remediation_en, &r->remediation_zh);
    get_str_list(L, obj, "references", false, false, "rule", &r->references, &r->nrefs);
    const gdi_node *tests = gdi_obj_getc(obj, "tests");
    if (!tests)
        lerr(L, obj, "rule: missing required key 'tests'");
    else
        check_fixtures(L, tests);
    r->tests = tests;
    r->fixtures_doc = L->doc;
    r->file = (char *)L->file;
    uint32_t col;
    gdi_doc_line_col(L->doc, obj, &r->line, &col);

    const gdi_node *chk = get_str_node(L, obj, "check", true, "rule");
    if (chk && L->st == GD_OK) {
        gdi_srcmap map;
        check_srcmap(L, chk, &map);
        gdi_compile_env env = {env_join_id, L->rs, env_join_use};
        size_t before = L->rs->ctx->nerrors;
        gd_status cs = gdi_program_compile(L->rs->ctx, &map, chk->str, chk->len, &env, &r->check);
        if (cs == GD_NOMEM) {
            L->st = GD_NOMEM;
        } else if (cs != GD_OK) {
            size_t added = L->rs->ctx->nerrors - before;
            if (!added) lerr(L, chk, "check does not compile");
            L->nerr += added;
            r->check = NULL;
        }
    }
    if (L->nerr != err0 || L->st != GD_OK) {
        gdi_program_free(r->check);
        return NULL;
    }
    return r;
}

/* Drop rules [from, rs->nrules) (a file that failed). */
static void drop_rules(gd_ruleset *rs, size_t from)
{
    for (size_t i = from; i < rs->nrules; i++) gdi_program_free(rs->rules[i]->check);
    if (rs->nrules != from) {
        rs->nrules = from;
        id_rebuild(rs);
    }
}

/* Load one rule file from text. When owned is not NULL the doc takes it
 * (gdi_free). name is used in messages and as rule->file. */
static gd_status load_text(gd_ruleset *rs, const char *name, const char *text, size_t len,
                           char *owned)
{
    gd_ctx *ctx = rs->ctx;
    struct gdi_type_index *x = rs->by_type;
    gd_status st = GD_OK;
    size_t first = rs->nrules;
    gdi_doc *doc = gdi_calloc(ctx, 1, sizeof *doc);
    if (!doc) {
        gdi_free(ctx, owned);
        return GD_NOMEM;
    }
    st = gdi_doc_init(doc, ctx, name);
    if (owned) gdi_doc_own_source(doc, owned, len);
    if (st) goto done;
    if ((st = gdi_yaml_parse(doc, text, len))) goto done;
    if (rs->finished) free_index(rs);

    loader L = {rs, doc, &doc->arena, doc->name, 0, GD_OK};
    const gdi_node *root = gdi_doc_root(doc);
    const gdi_node *list = NULL;
    if (!root || root->type != GDI_OBJECT) {
        lerr(&L, root, "a rule file must be a mapping with a 'rules' list");
    } else {
        static const char *const top_keys[] = {"rules", NULL};
        check_keys(&L, root, top_keys, "rule file");
        list = gdi_obj_getc(root, "rules");
        if (!list)
            lerr(&L, root, "rule file: missing required key 'rules'");
        else if (list->type != GDI_ARRAY) {
            lerr(&L, list, "'rules' must be a list of rules");
            list = NULL;
        }
    }
    const gdi_node *e = list ? gdi_first(list) : NULL;
    for (uint32_t i = 0; list && i < list->len && L.st == GD_OK; i++, e = gdi_next(e)) {
        gdi_rule *r = load_rule(&L, e);
        if (!r) continue;
        gdi_rule *prev = id_find(x, r->id);
        if (prev) {
            lerr(&L, gdi_obj_getc(e, "id"), "duplicate rule id '%s' (first defined at %s:%u)",
                 r->id, prev->file, (unsigned)prev->line);
            gdi_program_free(r->check);
            continue;
        }
        if (gdi_grow(ctx, (void **)&rs->rules, &rs->caprules, rs->nrules + 1,
                     sizeof *rs->rules) ||
            id_insert(ctx, x, r)) {
            gdi_program_free(r->check);
            L.st = GD_NOMEM;
            break;
        }
        rs->rules[rs->nrules++] = r;
    }
    if (L.st) {
        st = L.st;
    } else if (L.nerr) {
        st = GD_INVALID;
    } else if (rs->nrules > first) {
        if (gdi_grow(ctx, (void **)&x->docs, &x->capdocs, x->ndocs + 1, sizeof *x->docs)) {
            st = GD_NOMEM;
        } else {
            x->docs[x->ndocs++] = doc;
            return GD_OK;
        }
    }
done:
    drop_rules(rs, first);
    free_doc(ctx, doc);
    return st;
}

gd_status gd_ruleset_add_buffer(gd_ruleset *rs, const char *name, const char *data, size_t len)
{
    if (!rs || (!data && len)) return GD_MISUSE;
    char *copy = gdi_alloc(rs->ctx, len + 1);
    if (!copy) return GD_NOMEM;
    if (len) memcpy(copy, data, len);
    copy[len] = 0;
    return load_text(rs, name ? name : "<rules>", copy, len, copy);
}

static bool has_yaml_ext(const char *p)
{
    size_t n = strlen(p);
    return (n > 5 && strcmp(p + n - 5, ".yaml") == 0) || (n > 4 && strcmp(p + n - 4, ".yml") == 0);
}

gd_status gd_ruleset_add_builtin(gd_ruleset *rs)
{
    if (!rs) return GD_MISUSE;
    gd_status st = GD_OK;
    char name[512];
    for (size_t i = 0; i < gdi_embedded_count; i++) {
        const gdi_embedded *f = &gdi_embedded_files[i];
        if (!f->path || strncmp(f->path, "rules/", 6) != 0 || !has_yaml_ext(f->path)) continue;
        snprintf(name, sizeof name, "builtin:%s", f->path);
        gd_status s = load_text(rs, name, (const char *)f->data, f->len, NULL);
        if (s == GD_NOMEM) return s;
        if (s && !st) st = s;
    }
    return st;
}

/* Directory walk state: (dev, ino) of directories on the current path and
 * already visited, so symlink loops end. */
typedef struct walk {
    gd_ruleset *rs;
    struct {
        dev_t dev;
        ino_t ino;
    } *seen;
    size_t nseen, capseen;
    gd_status st; /* first failure */
} walk;

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void note(walk *w, gd_status s)
{
    if (s && (!w->st || s == GD_NOMEM)) w->st = s;
}

static void add_one(walk *w, const char *path, bool top);

static void add_dir(walk *w, const char *path, const struct stat *sb)
{
    gd_ctx *ctx = w->rs->ctx;
    for (size_t i = 0; i < w->nseen; i++)
        if (w->seen[i].dev == sb->st_dev && w->seen[i].ino == sb->st_ino) return; /* loop */
    if (gdi_grow(ctx, (void **)&w->seen, &w->capseen, w->nseen + 1, sizeof *w->seen)) {
        note(w, GD_NOMEM);
        return;
    }
    w->seen[w->nseen].dev = sb->st_dev;
    w->seen[w->nseen].ino = sb->st_ino;
    w->nseen++;
    DIR *dir = opendir(path);
    if (!dir) {
        note(w, gdi_err(ctx, GD_IO, path, 0, 0, "cannot open directory: %s", strerror(errno)));
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dir))) {
        if (de->d_name[0] == '.') continue; /* hidden, "." and ".." */
        char *nm = gdi_strndup(ctx, de->d_name, strlen(de->d_name));
        if (!nm || gdi_grow(ctx, (void **)&names, &cap, n + 1, sizeof *names)) {
            gdi_free(ctx, nm);
            note(w, GD_NOMEM);
            break;
        }
        names[n++] = nm;
    }
    closedir(dir);
    qsort(names, n, sizeof *names, cmp_cstr);
    gdi_buf b;
    gdi_buf_init(&b, ctx);
    for (size_t i = 0; i < n && w->st != GD_NOMEM; i++) {
        b.n = 0;
        gdi_buf_puts(&b, path);
        if (b.n && b.p[b.n - 1] != '/') gdi_buf_putc(&b, '/');
        gdi_buf_puts(&b, names[i]);
        if (b.oom) {
            note(w, GD_NOMEM);
            break;
        }
        add_one(w, gdi_buf_cstr(&b), false);
    }
    gdi_buf_free(&b);
    for (size_t i = 0; i < n; i++) gdi_free(ctx, names[i]);
    gdi_free(ctx, names);
}

/* Add a path: a directory is walked; below the top only .yaml/.yml files
 * are read; a file named directly is read whatever its name. */
static void add_one(walk *w, const char *path, bool top)
{
    gd_ctx *ctx = w->rs->ctx;
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (top || errno != ENOENT) /* a dangling symlink below the top is skipped */
            note(w, gdi_err(ctx, GD_IO, path, 0, 0, "cannot open: %s", strerror(errno)));
        return;
    }
    if (S_ISDIR(sb.st_mode)) {
        add_dir(w, path, &sb);
        return;
    }
    if (!top && (!S_ISREG(sb.st_mode) || !has_yaml_ext(path))) return;
    char *buf;
    size_t len;
    gd_status st = gdi_read_file(ctx, path, &buf, &len);
    if (st == GD_OK) st = load_text(w->rs, path, buf, len, buf);
    note(w, st);
}

gd_status gd_ruleset_add_path(gd_ruleset *rs, const char *path)
{
    if (!rs || !path) return GD_MISUSE;
    walk w = {rs, NULL, 0, 0, GD_OK};
    add_one(&w, path, true);
    gdi_free(rs->ctx, w.seen);
    return w.st;
}

/* ------------------------------------------------------------ finish */

static int cmp_rule_id(const void *a, const void *b)
{
    return strcmp((*(gdi_rule *const *)a)->id, (*(gdi_rule *const *)b)->id);
}

/* (type, rule) pair while building the type index. */
typedef struct type_pair {
    const char *type;
    gdi_rule *rule;
} type_pair;

static int cmp_pair(const void *a, const void *b)
{
    const type_pair *x = a, *y = b;
    int c = strcmp(x->type, y->type);
    if (c) return c;
    return x->rule->index < y->rule->index ? -1 : x->rule->index > y->rule->index;
}

static int cmp_gdstr(const void *a, const void *b)
{
    const gd_str *x = a, *y = b;
    size_t m = x->n < y->n ? x->n : y->n;
    int c = m ? memcmp(x->p, y->p, m) : 0;
    return c ? c : (x->n < y->n ? -1 : x->n > y->n);
}

/* Per join target type: every attribute, or the union of its joined fields
 * and of what checks read of it. */
static gd_status target_fields_build(gd_ruleset *rs)
{
    struct gdi_type_index *x = rs->by_type;
    x->targets = gdi_calloc(rs->ctx, x->njoin_types ? x->njoin_types : 1, sizeof *x->targets);
    if (!x->targets) return GD_NOMEM;
    for (size_t t = 0; t < x->njoin_types; t++) {
        gdi_target *tg = &x->targets[t];
        size_t cap = 0, ndefs = 0;
        for (size_t d = 0; d < rs->njoins; d++) {
            const gdi_joindef *jd = &rs->joins[d];
            if (strcmp(jd->type, x->join_types[t]) != 0) continue;
            if (jd->all) tg->all = true;
            cap += 1 + jd->nuses;
            ndefs++;
        }
        uint32_t *defs = gdi_alloc(rs->ctx, (ndefs ? ndefs : 1) * sizeof *defs);
        gd_str *f = gdi_alloc(rs->ctx, (cap ? cap : 1) * sizeof *f);
        tg->defs = defs;
        tg->fields = f;
        if (!defs || !f) return GD_NOMEM;
        size_t n = 0;
        for (size_t d = 0; d < rs->njoins; d++) {
            const gdi_joindef *jd = &rs->joins[d];
            if (strcmp(jd->type, x->join_types[t]) != 0) continue;
            defs[tg->ndefs++] = (uint32_t)d;
            f[n++] = gd_str_c(jd->field);
            for (size_t u = 0; u < jd->nuses; u++) f[n++] = gd_str_c(jd->uses[u]);
        }
        qsort(f, n, sizeof *f, cmp_gdstr);
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (!k || !gd_str_eq(f[k - 1], f[i])) f[k++] = f[i];
        tg->nfields = tg->all ? 0 : k;
    }
    return GD_OK;
}

/* Hash of a type name, 8 bytes at a time (one per resource scanned). */
static uint64_t type_hash(const char *p, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    for (unsigned k = 0; i < n; i++, k += 8) w |= (uint64_t)(unsigned char)p[i] << k;
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
    return h ^ (h >> 29);
}

/* The per-type table behind gdi_ruleset_type (built once the type index
 * and the join targets are). */
static gd_status typeinfo_build(gd_ruleset *rs)
{
    struct gdi_type_index *x = rs->by_type;
    size_t n = x->ntypes + x->njoin_types, cap = 16;
    while (cap < n * 2) cap *= 2;
    x->tinfo = gdi_calloc(rs->ctx, cap, sizeof *x->tinfo);
    if (!x->tinfo) return GD_NOMEM;
    x->captinfo = cap;
    for (size_t k = 0; k < x->ntypes + x->njoin_types; k++) {
        const char *t = k < x->ntypes ? x->types[k].type : x->join_types[k - x->ntypes];
        size_t len = strlen(t), i = (size_t)type_hash(t, len) & (cap - 1);
        while (x->tinfo[i].type && strcmp(x->tinfo[i].type, t) != 0) i = (i + 1) & (cap - 1);
        if (x->tinfo[i].type) continue; /* a type with rules that is also joined on */
        gdi_typeinfo *ti = &x->tinfo[i];
        ti->type = t;
        ti->len = len;
        ti->nrules = gdi_ruleset_for_type(rs, (gd_str){t, len}, &ti->rules);
        ti->target = gdi_ruleset_target(rs, (gd_str){t, len});
        for (size_t r = 0; r < ti->nrules; r++)
            if (gdi_program_uses_joins(ti->rules[r]->check)) ti->join_rules = true;
    }
    return GD_OK;
}

const gdi_typeinfo *gdi_ruleset_type(const gd_ruleset *rs, gd_str type)
{
    if (!rs || !rs->finished) return NULL;
    const struct gdi_type_index *x = rs->by_type;
    size_t m = x->captinfo - 1, i = (size_t)type_hash(type.p, type.n) & m;
    for (; x->tinfo[i].type; i = (i + 1) & m)
        if (x->tinfo[i].len == type.n && gdi_bytes_eq(x->tinfo[i].type, type.p, type.n))
            return &x->tinfo[i];
    return NULL;
}

gd_status gdi_ruleset_finish(gd_ruleset *rs)
{
    if (!rs) return GD_MISUSE;
    if (rs->finished) return GD_OK;
    gd_ctx *ctx = rs->ctx;
    struct gdi_type_index *x = rs->by_type;
    gd_status st = GD_OK;
    type_pair *pairs = NULL;
    free_index(rs);
    if (rs->nrules) qsort(rs->rules, rs->nrules, sizeof *rs->rules, cmp_rule_id);
    size_t npairs = 0;
    for (size_t i = 0; i < rs->nrules; i++) {
        rs->rules[i]->index = (uint32_t)i;
        if (i && strcmp(rs->rules[i - 1]->id, rs->rules[i]->id) == 0)
            st = gdi_err(ctx, GD_INVALID, rs->rules[i]->file, rs->rules[i]->line, 0,
                         "duplicate rule id '%s' (first defined at %s:%u)", rs->rules[i]->id,
                         rs->rules[i - 1]->file, (unsigned)rs->rules[i - 1]->line);
        npairs += rs->rules[i]->ntypes;
    }
    if (st) goto done;
    pairs = gdi_calloc(ctx, npairs ? npairs : 1, sizeof *pairs);
    x->type_rules = gdi_calloc(ctx, npairs ? npairs : 1, sizeof *x->type_rules);
    x->types = gdi_calloc(ctx, npairs ? npairs : 1, sizeof *x->types);
    x->join_types = gdi_calloc(ctx, rs->njoins ? rs->njoins : 1, sizeof *x->join_types);
    if (!pairs || !x->type_rules || !x->types || !x->join_types) {
        st = GD_NOMEM;
        goto done;
    }
    size_t k = 0;
    for (size_t i = 0; i < rs->nrules; i++)
        for (size_t t = 0; t < rs->rules[i]->ntypes; t++)
            pairs[k++] = (type_pair){rs->rules[i]->types[t], rs->rules[i]};
    qsort(pairs, npairs, sizeof *pairs, cmp_pair);
    for (size_t i = 0; i < npairs; i++) {
        /* a rule listing a type twice appears once */
        if (i && pairs[i].rule == pairs[i - 1].rule && strcmp(pairs[i].type, pairs[i - 1].type) == 0)
            continue;
        if (!x->ntypes || strcmp(x->types[x->ntypes - 1].type, pairs[i].type) != 0) {
            type_entry *te = &x->types[x->ntypes++];
            te->type = pairs[i].type;
            te->start = (x->ntypes > 1 ? x->types[x->ntypes - 2].start +
                                                 x->types[x->ntypes - 2].n
                                           : 0);
            te->n = 0;
        }
        type_entry *te = &x->types[x->ntypes - 1];
        x->type_rules[te->start + te->n++] = pairs[i].rule;
    }
    for (size_t i = 0; i < rs->njoins; i++) x->join_types[i] = rs->joins[i].type;
    if (rs->njoins) qsort(x->join_types, rs->njoins, sizeof *x->join_types, cmp_cstr);
    for (size_t i = 0; i < rs->njoins; i++)
        if (!x->njoin_types || strcmp(x->join_types[x->njoin_types - 1], x->join_types[i]) != 0)
            x->join_types[x->njoin_types++] = x->join_types[i];
    if ((st = target_fields_build(rs)) != GD_OK) goto done;
    rs->finished = true;
    if ((st = typeinfo_build(rs)) != GD_OK) {
        rs->finished = false;
        goto done;
    }
done:
    gdi_free(ctx, pairs);
    if (st) free_index(rs);
    return st;
}

/* Compare a gd_str with a C string as strcmp would. */
static int cmp_str_c(gd_str a, const char *b)
{
    size_t bn = strlen(b), m = a.n < bn ? a.n : bn;
    int c = m ? memcmp(a.p, b, m) : 0;
    if (c) return c;
    return a.n < bn ? -1 : a.n > bn;
}

size_t gdi_ruleset_for_type(const gd_ruleset *rs, gd_str type, gdi_rule *const **out)
{
    *out = NULL;
    if (!rs || !rs->finished) return 0;
    const struct gdi_type_index *x = rs->by_type;
    size_t lo = 0, hi = x->ntypes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_str_c(type, x->types[mid].type);
        if (c == 0) {
            *out = &x->type_rules[x->types[mid].start];
            return x->types[mid].n;
        }
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

const gdi_target *gdi_ruleset_target(const gd_ruleset *rs, gd_str type)
{
    if (!rs || !rs->finished) return NULL;
    const struct gdi_type_index *x = rs->by_type;
    size_t lo = 0, hi = x->njoin_types;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_str_c(type, x->join_types[mid]);
        if (c == 0) return &x->targets[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

bool gdi_ruleset_is_join_target(const gd_ruleset *rs, gd_str type)
{
    if (!rs) return false;
    if (!rs->finished) {
        for (size_t i = 0; i < rs->njoins; i++)
            if (gd_str_eqc(type, rs->joins[i].type)) return true;
        return false;
    }
    const struct gdi_type_index *x = rs->by_type;
    size_t lo = 0, hi = x->njoin_types;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_str_c(type, x->join_types[mid]);
        if (c == 0) return true;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}

/* ------------------------------------------------------------ listing */

/* Rules sorted by id without touching rs (caller frees the array). */
static gd_status sorted_rules(const gd_ruleset *rs, gdi_rule ***out)
{
    *out = gdi_calloc(rs->ctx, rs->nrules ? rs->nrules : 1, sizeof **out);
    if (!*out) return GD_NOMEM;
    if (rs->nrules) memcpy(*out, rs->rules, rs->nrules * sizeof **out);
    if (!rs->finished && rs->nrules) qsort(*out, rs->nrules, sizeof **out, cmp_rule_id);
    return GD_OK;
}

static void json_list(gdi_buf *b, char *const *v, size_t n)
{
    gdi_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i) gdi_buf_putc(b, ',');
        gdi_buf_json_str(b, v[i]);
    }
    gdi_buf_putc(b, ']');
}

static void json_rule(gdi_buf *b, const gdi_rule *r)
{
    gdi_buf_puts(b, "{\"id\":");
    gdi_buf_json_str(b, r->id);
    gdi_buf_puts(b, ",\"title\":{\"en\":");
    gdi_buf_json_str(b, r->title_en);
    gdi_buf_puts(b, ",\"zh\":");
    gdi_buf_json_str(b, r->title_zh);
    gdi_buf_puts(b, "},\"description\":");
    gdi_buf_json_str(b, r->description);
    gdi_buf_puts(b, ",\"severity\":");
    gdi_buf_json_str(b, gd_sev_name(r->severity));
    gdi_buf_puts(b, ",\"severity_reason\":");
    gdi_buf_json_str(b, r->severity_reason);
    gdi_buf_puts(b, ",\"resource_types\":");
    json_list(b, r->types, r->ntypes);
    gdi_buf_puts(b, ",\"duties\":");
    json_list(b, r->duties, r->nduties);
    gdi_buf_puts(b, ",\"controls\":{");
    for (size_t i = 0; i < r->ncontrols; i++) {
        if (i) gdi_buf_putc(b, ',');
        gdi_buf_json_str(b, r->controls[i].framework);
        gdi_buf_putc(b, ':');
        json_list(b, r->controls[i].ids, r->controls[i].nids);
    }
    gdi_buf_puts(b, "},\"message\":");
    gdi_buf_json_str(b, r->message);
    gdi_buf_puts(b, ",\"remediation\":{\"en\":");
    gdi_buf_json_str(b, r->remediation_en);
    gdi_buf_puts(b, ",\"zh\":");
    gdi_buf_json_str(b, r->remediation_zh);
    gdi_buf_puts(b, "},\"references\":");
    json_list(b, r->references, r->nrefs);
    gdi_buf_puts(b, ",\"file\":");
    gdi_buf_json_str(b, r->file);
    gdi_buf_printf(b, ",\"line\":%u}", (unsigned)r->line);
}

static gd_status flush_buf(gdi_buf *b, FILE *out)
{
    if (b->oom) return GD_NOMEM;
    if (b->n && fwrite(b->p, 1, b->n, out) != b->n) return GD_IO;
    b->n = 0;
    return GD_OK;
}

gd_status gd_ruleset_write_list(const gd_ruleset *rs, const char *format, const char *lang,
                                FILE *out)
{
    if (!rs || !out) return GD_MISUSE;
    bool json = format && strcmp(format, "json") == 0;
    if (format && !json && strcmp(format, "text") != 0)
        return gdi_err(rs->ctx, GD_INVALID, NULL, 0, 0,
                       "unknown list format '%s' (use text or json)", format);
    bool zh = lang && strcmp(lang, "zh") == 0;
    if (lang && !zh && strcmp(lang, "en") != 0)
        return gdi_err(rs->ctx, GD_INVALID, NULL, 0, 0, "unknown language '%s' (use en or zh)",
                       lang);
    gdi_rule **rules;
    gd_status st = sorted_rules(rs, &rules);
    if (st) return st;
    gdi_buf b;
    gdi_buf_init(&b, rs->ctx);
    if (json) gdi_buf_putc(&b, '[');
    for (size_t i = 0; i < rs->nrules && !st; i++) {
        const gdi_rule *r = rules[i];
        if (json) {
            if (i) gdi_buf_putc(&b, ',');
            gdi_buf_puts(&b, "\n  ");
            json_rule(&b, r);
        } else {
            gdi_buf_printf(&b, "%-22s %-8s ", r->id, gd_sev_name(r->severity));
            for (size_t t = 0; t < r->ntypes; t++) {
                if (t) gdi_buf_putc(&b, ',');
                gdi_buf_puts(&b, r->types[t]);
            }
            gdi_buf_printf(&b, "  %s\n", zh ? r->title_zh : r->title_en);
        }
        if (b.n > 65536) st = flush_buf(&b, out);
    }
    if (json) gdi_buf_puts(&b, rs->nrules ? "\n]\n" : "]\n");
    if (!st) st = flush_buf(&b, out);
    gdi_buf_free(&b);
    gdi_free(rs->ctx, rules);
    return st;
}

gd_status gd_ruleset_disasm(const gd_ruleset *rs, const char *id, FILE *out)
{
    if (!rs || !out) return GD_MISUSE;
    gdi_rule **rules;
    gd_status st = sorted_rules(rs, &rules);
    if (st) return st;
    bool found = false;
    for (size_t i = 0; i < rs->nrules; i++) {
        if (id && strcmp(rules[i]->id, id) != 0) continue;
        found = true;
        fprintf(out, "rule %s (%s:%u)\n", rules[i]->id, rules[i]->file, (unsigned)rules[i]->line);
        if (rules[i]->check) gdi_program_disasm(rules[i]->check, out);
    }
    gdi_free(rs->ctx, rules);
    if (id && !found) return gdi_err(rs->ctx, GD_NOTFOUND, NULL, 0, 0, "no rule with id '%s'", id);
    return ferror(out) ? GD_IO : GD_OK;
}

/* ------------------------------------------------------------ fixtures */

static const char *verdict_name(int v)
{
    return v >= 0 && v <= GDI_V_ERROR ? k_expect[v] : "?";
}

/* Per-run scratch of the fixture runner. */
typedef struct fixrun {
    gd_ruleset *rs;
    gdi_eval *ev;
    gdi_arena scratch; /* addresses; reset per case */
    gdi_resource *rel;  /* related resources of the case */
    const gdi_resource **relp;
    size_t caprel, caprelp;
    size_t cases_passed, cases_failed;
} fixrun;

/* Fill r from a fixture mapping. n is the 1-based case number (or related
 * index); what is "fixture" or "related". */
static gd_status fixture_resource(fixrun *f, const gdi_node *c, gd_str deftype, const char *what,
                                  size_t n, uint64_t seq, gdi_resource *r)
{
    memset(r, 0, sizeof *r);
    const gdi_node *t = gdi_obj_getc(c, "type");
    r->type = t && t->type == GDI_STRING ? gdi_node_str(t) : deftype;
    char nm[48];
    int k = snprintf(nm, sizeof nm, "%s_%zu", what, n);
    char *name = gdi_arena_strndup(&f->scratch, nm, (size_t)k);
    if (!name) return GD_NOMEM;
    r->name = (gd_str){name, (size_t)k};
    const gdi_node *ad = gdi_obj_getc(c, "address");
    if (ad && ad->type == GDI_STRING) {
        r->address = gdi_node_str(ad);
    } else {
        size_t len = r->type.n + 1 + (size_t)k;
        char *a = gdi_arena_alloc(&f->scratch, len + 1);
        if (!a) return GD_NOMEM;
        if (r->type.n) memcpy(a, r->type.p, r->type.n);
        a[r->type.n] = '.';
        memcpy(a + r->type.n + 1, nm, (size_t)k);
        a[len] = 0;
        r->address = (gd_str){a, len};
    }
    r->provider = gdi_type_provider(r->type);
    r->mode = GDI_MODE_MANAGED;
    const gdi_node *at = gdi_obj_getc(c, "attributes");
    r->attrs = at && at->type == GDI_OBJECT ? at : NULL;
    r->seq = seq;
    return GD_OK;
}

/* Run case c (number n) of rule r; *ok tells whether it met expect. */
static gd_status run_case(fixrun *f, const gdi_rule *r, const gdi_node *c, size_t n, FILE *out,
                          bool *ok)
{
    gd_ctx *ctx = f->rs->ctx;
    gdi_joins *joins = NULL;
    gd_status st = GD_OK;
    gdi_arena_reset(&f->scratch);
    gd_str deftype = r->ntypes ? gd_str_c(r->types[0]) : (gd_str){"", 0};
    gdi_resource res;
    if ((st = fixture_resource(f, c, deftype, "fixture", n, 0, &res))) goto done;
    res.doc = r->fixtures_doc;
    const gdi_node *rel = gdi_obj_getc(c, "related");
    size_t nrel = rel && rel->type == GDI_ARRAY ? rel->len : 0;
    if (nrel) {
        if (gdi_grow(ctx, (void **)&f->rel, &f->caprel, nrel, sizeof *f->rel) ||
            gdi_grow(ctx, (void **)&f->relp, &f->caprelp, nrel, sizeof *f->relp)) {
            st = GD_NOMEM;
            goto done;
        }
        const gdi_node *e = gdi_first(rel);
        for (size_t i = 0; i < nrel; i++, e = gdi_next(e)) {
            if ((st = fixture_resource(f, e, (gd_str){"", 0}, "related", i + 1, i + 1,
                                       &f->rel[i])))
                goto done;
            f->rel[i].doc = r->fixtures_doc;
            f->relp[i] = &f->rel[i];
        }
    }
    if ((st = gdi_joins_build(ctx, f->rs->joins, f->rs->njoins, f->relp, nrel, &joins))) goto done;
    gdi_verdict v = GDI_V_ERROR;
    const char *reason = NULL;
    if ((st = gdi_eval_run(f->ev, r->check, &res, joins, &v, &reason))) goto done;
    int want = expect_of(gdi_obj_getc(c, "expect"));
    *ok = (int)v == want;
    if (!*ok) {
        const gdi_node *nm = gdi_obj_getc(c, "name");
        fprintf(out, "FAIL %s case %zu (%.*s): expected %s, got %s", r->id, n,
                nm && nm->type == GDI_STRING ? (int)nm->len : 7,
                nm && nm->type == GDI_STRING ? nm->str : "unnamed", verdict_name(want),
                verdict_name((int)v));
        if (reason && *reason) fprintf(out, " [%s]", reason);
        fputc('\n', out);
    }
done:
    gdi_joins_free(joins);
    return st;
}

gd_status gd_ruleset_test(gd_ruleset *rs, FILE *out, size_t *failed)
{
    if (!rs || !out) return GD_MISUSE;
    size_t nfailed = 0;
    if (failed) *failed = 0;
    gd_status st = gdi_ruleset_finish(rs);
    if (st) return st;
    fixrun f;
    memset(&f, 0, sizeof f);
    f.rs = rs;
    gdi_arena_init(&f.scratch, rs->ctx, 4096);
    if ((st = gdi_eval_new(rs->ctx, &f.ev))) goto done;
    for (size_t i = 0; i < rs->nrules; i++) {
        const gdi_rule *r = rs->rules[i];
        bool rule_ok = true, has_pass = false, has_fail = false;
        const gdi_node *t = r->tests;
        const gdi_node *c = t && t->type == GDI_ARRAY && t->len ? gdi_first(t) : NULL;
        for (uint32_t k = 0; c && k < t->len; k++, c = gdi_next(c)) {
            int want = expect_of(gdi_obj_getc(c, "expect"));
            has_pass |= want == GDI_V_PASS;
            has_fail |= want == GDI_V_FAIL;
            bool ok = false;
            if ((st = run_case(&f, r, c, (size_t)k + 1, out, &ok))) goto done;
            if (ok) {
                f.cases_passed++;
            } else {
                f.cases_failed++;
                rule_ok = false;
            }
        }
        if (!has_pass) fprintf(out, "FAIL %s: no passing fixture\n", r->id);
        if (!has_fail) fprintf(out, "FAIL %s: no failing fixture\n", r->id);
        if (!rule_ok || !has_pass || !has_fail) nfailed++;
    }
    fprintf(out, "rules: %zu tested, %zu failed; cases: %zu passed, %zu failed\n", rs->nrules,
            nfailed, f.cases_passed, f.cases_failed);
    if (ferror(out)) st = GD_IO;
done:
    gdi_eval_free(f.ev);
    gdi_free(rs->ctx, f.rel);
    gdi_free(rs->ctx, f.relp);
    gdi_arena_free(&f.scratch);
    if (failed) *failed = nfailed;
    if (!st && nfailed) st = GD_TESTFAIL;
    return st;
}
