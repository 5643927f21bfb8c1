/*
 * catalog.c — loading framework catalogs and their duty mappings.
 *
 * Catalog files (data/catalogs/NAME.yaml, or users' files) follow the schema
 * in docs/catalogs.md: id, title(_zh), version, source, provider, tiers,
 * tier_titles(_zh), level, level_rule(_zh), groups[], controls[]. Mapping
 * files (data/mappings/NAME.yaml) name a framework and give per control its
 * `duties` and `organisational` flag. Both are read from the document tape
 * (YAML or JSON alike) and copied into the set's arena, so the document can
 * be freed at once.
 *
 * Invariants: a loaded catalog has unique control ids, every control's group
 * exists, every group's parent exists, tier keys name declared tiers. The
 * loader reports every violation it finds (not only the first) and then
 * returns GD_INVALID without adding the catalog.
 */
#include "catalog/catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>

/* ------------------------------------------------------------ helpers */

const char *gdi_i18n_get(const gdi_i18n *t, const char *lang)
{
    if (lang && !strcmp(lang, "zh") && t->zh && *t->zh) return t->zh;
    return t->en ? t->en : "";
}

void gdi_buf_yaml_str(gdi_buf *b, const char *s)
{
    gdi_buf_putc(b, '"');
    gdi_buf_json_escape(b, s ? s : "", s ? strlen(s) : 0);
    gdi_buf_putc(b, '"');
}

/* Loader state for one document. */
typedef struct ld {
    gd_catalogset *cs;  /* target set */
    const gdi_doc *doc; /* document being read */
    size_t errors;      /* errors reported so far */
} ld;

static void lerr(ld *l, const gdi_node *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void lerr(ld *l, const gdi_node *n, const char *fmt, ...)
{
    uint32_t line = 0, col = 0;
    if (n) gdi_doc_line_col(l->doc, n, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    gdi_diag_addv(l->cs->ctx, GD_DIAG_ERROR, l->doc->name, line, col, fmt, ap);
    va_end(ap);
    l->errors++;
}

static uint32_t node_line(ld *l, const gdi_node *n)
{
    uint32_t line = 0, col = 0;
    gdi_doc_line_col(l->doc, n, &line, &col);
    return line;
}

/* Copy a string node into the arena. Numbers are accepted as their text
 * (YAML turns an unquoted 2017 into a number). NULL on a type error
 * (reported) or out of memory (*nomem set). */
static const char *node_cstr(ld *l, const gdi_node *n, const char *what, bool *nomem)
{
    if (n->type != GDI_STRING && n->type != GDI_NUMBER) {
        lerr(l, n, "%s must be a string, not %s", what, gdi_type_name((gdi_type)n->type));
        return NULL;
    }
    char *s = gdi_arena_strndup(&l->cs->arena, n->str, n->len);
    if (!s) *nomem = true;
    return s;
}

/* Optional string member. Absent or null: NULL without error. */
static const char *opt_str(ld *l, const gdi_node *obj, const char *key, bool *nomem)
{
    const gdi_node *v = gdi_obj_getc(obj, key);
    if (!v || v->type == GDI_NULL) return NULL;
    return node_cstr(l, v, key, nomem);
}

/* Required string member. */
static const char *req_str(ld *l, const gdi_node *obj, const char *key, const char *what,
                           bool *nomem)
{
    const gdi_node *v = gdi_obj_getc(obj, key);
    if (!v || v->type == GDI_NULL) {
        lerr(l, obj, "%s has no '%s'", what, key);
        return NULL;
    }
    return node_cstr(l, v, key, nomem);
}

/* A list of strings into an arena array. */
static gd_status str_list(ld *l, const gdi_node *arr, const char *what, const char ***out,
                          size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!arr || arr->type == GDI_NULL) return GD_OK;
    if (arr->type != GDI_ARRAY) {
        lerr(l, arr, "%s must be a list", what);
        return GD_OK;
    }
    if (arr->len == 0) return GD_OK;
    const char **v = gdi_arena_alloc(&l->cs->arena, sizeof *v * arr->len);
    if (!v) return GD_NOMEM;
    size_t k = 0;
    bool nomem = false;
    const gdi_node *e = gdi_first(arr);
    for (uint32_t i = 0; i < arr->len; i++, e = gdi_next(e)) {
        const char *s = node_cstr(l, e, what, &nomem);
        if (nomem) return GD_NOMEM;
        if (s) v[k++] = s;
    }
    *out = v;
    *n = k;
    return GD_OK;
}

/* ------------------------------------------------------------ lookups */

const gdi_catalog *gdi_catalogset_find(const gd_catalogset *cs, const char *id)
{
    if (!cs || !id) return NULL;
    for (size_t i = 0; i < cs->ncats; i++)
        if (!strcmp(cs->cats[i]->id, id)) return cs->cats[i];
    return NULL;
}

const gdi_control *gdi_catalog_control(const gdi_catalog *c, const char *id)
{
    if (!c || !id) return NULL;
    for (size_t i = 0; i < c->ncontrols; i++)
        if (!strcmp(c->controls[i].id, id)) return &c->controls[i];
    return NULL;
}

const gdi_cgroup *gdi_catalog_group(const gdi_catalog *c, const char *id)
{
    if (!c || !id) return NULL;
    for (size_t i = 0; i < c->ngroups; i++)
        if (!strcmp(c->groups[i].id, id)) return &c->groups[i];
    return NULL;
}

const gdi_cgroup *gdi_catalog_top_group(const gdi_catalog *c, const gdi_control *ctl)
{
    const gdi_cgroup *g = gdi_catalog_group(c, ctl->group);
    for (int guard = 0; g && g->parent && guard < 32; guard++) {
        const gdi_cgroup *p = gdi_catalog_group(c, g->parent);
        if (!p) break;
        g = p;
    }
    return g;
}

int gdi_catalog_tier(const gdi_catalog *c, const char *name)
{
    if (!c || !name) return -1;
    for (size_t i = 0; i < c->ntiers; i++)
        if (!strcmp(c->tiers[i], name)) return (int)i;
    return -1;
}

/* ------------------------------------------------------------ catalogs */

static gd_status load_groups(ld *l, gdi_catalog *c, const gdi_node *arr)
{
    if (!arr) return GD_OK;
    if (arr->type != GDI_ARRAY) {
        lerr(l, arr, "groups must be a list");
        return GD_OK;
    }
    c->groups = gdi_arena_calloc(&l->cs->arena, sizeof *c->groups * (arr->len ? arr->len : 1));
    if (!c->groups) return GD_NOMEM;
    bool nomem = false;
    const gdi_node *g = gdi_first(arr);
    for (uint32_t i = 0; i < arr->len; i++, g = gdi_next(g)) {
        if (g->type != GDI_OBJECT) {
            lerr(l, g, "a group must be a mapping");
            continue;
        }
        gdi_cgroup *out = &c->groups[c->ngroups];
        out->id = req_str(l, g, "id", "group", &nomem);
        out->parent = opt_str(l, g, "parent", &nomem);
        out->title.en = opt_str(l, g, "title", &nomem);
        out->title.zh = opt_str(l, g, "title_zh", &nomem);
        if (nomem) return GD_NOMEM;
        if (!out->id) continue;
        if (!out->title.en) out->title.en = out->id;
        if (gdi_catalog_group(c, out->id)) {
            lerr(l, g, "duplicate group id '%s'", out->id);
            continue;
        }
        c->ngroups++;
    }
    /* parents must exist */
    g = gdi_first(arr);
    for (size_t i = 0; i < c->ngroups; i++)
        if (c->groups[i].parent && !gdi_catalog_group(c, c->groups[i].parent))
            lerr(l, arr, "group '%s' has unknown parent '%s'", c->groups[i].id,
                 c->groups[i].parent);
    return GD_OK;
}

static gd_status load_tiers(ld *l, gdi_catalog *c, const gdi_node *root)
{
    const gdi_node *t = gdi_obj_getc(root, "tiers");
    if (!t || t->type == GDI_NULL) return GD_OK;
    const char **names;
    size_t n;
    gd_status st = str_list(l, t, "tiers", &names, &n);
    if (st) return st;
    if (n > GDI_MAX_TIERS) {
        lerr(l, t, "at most %d tiers are supported", GDI_MAX_TIERS);
        n = GDI_MAX_TIERS;
    }
    bool nomem = false;
    const gdi_node *tt = gdi_obj_getc(root, "tier_titles");
    const gdi_node *tz = gdi_obj_getc(root, "tier_titles_zh");
    for (size_t i = 0; i < n; i++) {
        c->tiers[i] = names[i];
        c->tier_titles[i].en = tt ? opt_str(l, tt, names[i], &nomem) : NULL;
        c->tier_titles[i].zh = tz ? opt_str(l, tz, names[i], &nomem) : NULL;
        if (!c->tier_titles[i].en) c->tier_titles[i].en = names[i];
    }
    c->ntiers = n;
    return nomem ? GD_NOMEM : GD_OK;
}

static gd_status load_control(ld *l, gdi_catalog *c, const gdi_node *n, gdi_control *out,
                              bool *ok)
{
    bool nomem = false;
    *ok = false;
    if (n->type != GDI_OBJECT) {
        lerr(l, n, "a control must be a mapping");
        return GD_OK;
    }
    size_t before = l->errors;
    out->line = node_line(l, n);
    out->id = req_str(l, n, "id", "control", &nomem);
    out->group = opt_str(l, n, "group", &nomem);
    out->parent = opt_str(l, n, "parent", &nomem);
    out->title.en = opt_str(l, n, "title", &nomem);
    out->title.zh = opt_str(l, n, "title_zh", &nomem);
    out->requirement = opt_str(l, n, "requirement", &nomem);
    out->summary = opt_str(l, n, "summary", &nomem);
    out->source = opt_str(l, n, "source", &nomem);
    out->party = opt_str(l, n, "party", &nomem);
    out->applies_to = opt_str(l, n, "applies_to", &nomem);
    out->extension = opt_str(l, n, "extension", &nomem);
    if (nomem) return GD_NOMEM;
    gd_status st = str_list(l, gdi_obj_getc(n, "provider_capabilities"),
                            "provider_capabilities", &out->capabilities, &out->ncapabilities);
    if (st) return st;
    if (!out->id) return GD_OK;
    if (!out->title.en) out->title.en = out->id;
    if (out->group && !gdi_catalog_group(c, out->group))
        lerr(l, gdi_obj_getc(n, "group"), "control '%s': unknown group '%s'", out->id,
             out->group);
    if (out->party && strcmp(out->party, "provider") && strcmp(out->party, "customer"))
        lerr(l, gdi_obj_getc(n, "party"), "control '%s': party must be provider or customer",
             out->id);
    const gdi_node *tiers = gdi_obj_getc(n, "tiers");
    if (tiers && tiers->type != GDI_NULL) {
        if (tiers->type != GDI_OBJECT) {
            lerr(l, tiers, "control '%s': tiers must be a mapping", out->id);
        } else if (!c->ntiers) {
            lerr(l, tiers, "control '%s' has tiers but the catalog declares none", out->id);
        } else {
            out->has_tiers = true;
            const gdi_node *k = gdi_first(tiers);
            for (uint32_t i = 0; i < tiers->len; i++) {
                const gdi_node *v = k + 1;
                char name[64];
                snprintf(name, sizeof name, "%.*s", (int)k->len, k->str);
                int ti = gdi_catalog_tier(c, name);
                if (ti < 0)
                    lerr(l, k, "control '%s': unknown tier '%s'", out->id, name);
                else if (v->type != GDI_NULL)
                    out->tier_text[ti] = node_cstr(l, v, "tier text", &nomem);
                if (nomem) return GD_NOMEM;
                k = gdi_next(v);
            }
        }
    }
    if (gdi_catalog_control(c, out->id)) {
        lerr(l, gdi_obj_getc(n, "id"), "duplicate control id '%s'", out->id);
        return GD_OK;
    }
    /* kept even when it had errors (the catalog is then rejected as a
     * whole), so later duplicates of it are still reported */
    (void)before;
    *ok = true;
    return GD_OK;
}

gd_status gdi_catalog_load(gd_catalogset *cs, const gdi_doc *doc, bool builtin, gdi_catalog **out)
{
    ld l = {cs, doc, 0};
    gd_status st = GD_OK;
    bool nomem = false;
    *out = NULL;
    const gdi_node *root = gdi_doc_root(doc);
    if (!root || root->type != GDI_OBJECT) {
        lerr(&l, root, "a catalog must be a mapping with 'id' and 'controls'");
        return GD_INVALID;
    }
    gdi_catalog *c = gdi_arena_calloc(&cs->arena, sizeof *c);
    if (!c) return GD_NOMEM;
    c->builtin = builtin;
    c->file = gdi_arena_strndup(&cs->arena, doc->name, strlen(doc->name));
    c->id = req_str(&l, root, "id", "catalog", &nomem);
    c->title.en = opt_str(&l, root, "title", &nomem);
    c->title.zh = opt_str(&l, root, "title_zh", &nomem);
    c->version = opt_str(&l, root, "version", &nomem);
    c->source = opt_str(&l, root, "source", &nomem);
    c->provider = opt_str(&l, root, "provider", &nomem);
    c->based_on = opt_str(&l, root, "based_on", &nomem);
    c->level_rule.en = opt_str(&l, root, "level_rule", &nomem);
    c->level_rule.zh = opt_str(&l, root, "level_rule_zh", &nomem);
    if (nomem || !c->file) return GD_NOMEM;
    if (!c->title.en) c->title.en = c->id ? c->id : "";
    if (!c->level_rule.en) c->level_rule.en = "";
    const gdi_node *lv = gdi_obj_getc(root, "level");
    if (lv && lv->type != GDI_NULL) {
        int64_t v;
        if (lv->type != GDI_NUMBER || !gdi_num_i64(lv, &v) || v < 1 || v > 5)
            lerr(&l, lv, "level must be a whole number from 1 to 5");
        else
            c->level = (int)v;
    }
    const gdi_node *im = gdi_obj_getc(root, "imported");
    c->imported = im && im->type == GDI_TRUE;
    if ((st = load_tiers(&l, c, root))) return st;
    if ((st = load_groups(&l, c, gdi_obj_getc(root, "groups")))) return st;
    const gdi_node *ctls = gdi_obj_getc(root, "controls");
    if (!ctls || ctls->type != GDI_ARRAY) {
        lerr(&l, ctls ? ctls : root, "a catalog needs a 'controls' list");
        return GD_INVALID;
    }
    c->controls = gdi_arena_calloc(&cs->arena, sizeof *c->controls * (ctls->len ? ctls->len : 1));
    if (!c->controls) return GD_NOMEM;
    const gdi_node *n = gdi_first(ctls);
    for (uint32_t i = 0; i < ctls->len; i++, n = gdi_next(n)) {
        bool ok;
        if ((st = load_control(&l, c, n, &c->controls[c->ncontrols], &ok))) return st;
        if (ok) c->ncontrols++;
    }
    if (l.errors || !c->id) return GD_INVALID;
    *out = c;
    return GD_OK;
}

gd_status gdi_catalogset_put(gd_catalogset *cs, gdi_catalog *c)
{
    for (size_t i = 0; i < cs->ncats; i++) {
        if (!strcmp(cs->cats[i]->id, c->id)) {
            /* reloading the same file (import, then save) replaces silently */
            if (strcmp(cs->cats[i]->file, c->file))
                gdi_diag_add(cs->ctx, GD_DIAG_WARNING, c->file, 0, 0,
                             "catalog '%s' replaces the one from %s", c->id, cs->cats[i]->file);
            cs->cats[i] = c;
            return GD_OK;
        }
    }
    gd_status st = gdi_grow(cs->ctx, (void **)&cs->cats, &cs->capcats, cs->ncats + 1,
                            sizeof *cs->cats);
    if (st) return st;
    cs->cats[cs->ncats++] = c;
    return GD_OK;
}

/* ------------------------------------------------------------ mappings */

/* Duty ids look like "a.b" or "a.b.c" in lowercase snake case. The full
 * existence check against the model is done by the mapping test and by
 * the assessment (an unknown duty there is reported). */
static bool duty_id_ok(const char *s)
{
    size_t dots = 0;
    if (!*s) return false;
    for (const char *p = s; *p; p++) {
        if (*p == '.') {
            if (p == s || p[1] == '.' || p[1] == 0) return false;
            dots++;
        } else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    }
    return dots >= 1;
}

gd_status gdi_mapping_load(gd_catalogset *cs, const gdi_doc *doc)
{
    ld l = {cs, doc, 0};
    bool nomem = false;
    const gdi_node *root = gdi_doc_root(doc);
    if (!root || root->type != GDI_OBJECT) {
        lerr(&l, root, "a mapping must be a mapping with 'framework' and 'controls'");
        return GD_INVALID;
    }
    const char *fw = req_str(&l, root, "framework", "mapping", &nomem);
    if (nomem) return GD_NOMEM;
    if (!fw) return GD_INVALID;
    gdi_catalog *c = (gdi_catalog *)gdi_catalogset_find(cs, fw);
    if (!c) {
        lerr(&l, gdi_obj_getc(root, "framework"), "mapping names unknown catalog '%s'", fw);
        return GD_INVALID;
    }
    const gdi_node *ctls = gdi_obj_getc(root, "controls");
    if (!ctls || ctls->type != GDI_ARRAY) {
        lerr(&l, ctls ? ctls : root, "a mapping needs a 'controls' list");
        return GD_INVALID;
    }
    c->mapping_file = gdi_arena_strndup(&cs->arena, doc->name, strlen(doc->name));
    if (!c->mapping_file) return GD_NOMEM;
    const gdi_node *n = gdi_first(ctls);
    for (uint32_t i = 0; i < ctls->len; i++, n = gdi_next(n)) {
        if (n->type != GDI_OBJECT) {
            lerr(&l, n, "a mapping entry must be a mapping");
            continue;
        }
        const char *id = req_str(&l, n, "id", "mapping entry", &nomem);
        if (nomem) return GD_NOMEM;
        if (!id) continue;
        gdi_control *ctl = (gdi_control *)gdi_catalog_control(c, id);
        if (!ctl) {
            lerr(&l, gdi_obj_getc(n, "id"), "mapping names unknown control '%s' of %s", id, fw);
            continue;
        }
        if (ctl->mapped) {
            lerr(&l, gdi_obj_getc(n, "id"), "control '%s' is mapped twice", id);
            continue;
        }
        const char **duties;
        size_t nd;
        gd_status st = str_list(&l, gdi_obj_getc(n, "duties"), "duties", &duties, &nd);
        if (st) return st;
        for (size_t k = 0; k < nd; k++)
            if (!duty_id_ok(duties[k]))
                lerr(&l, gdi_obj_getc(n, "duties"), "control '%s': '%s' is not a duty id", id,
                     duties[k]);
        const gdi_node *org = gdi_obj_getc(n, "organisational");
        if (org && org->type != GDI_TRUE && org->type != GDI_FALSE && org->type != GDI_NULL)
            lerr(&l, org, "organisational must be true or false");
        bool is_org = org && org->type == GDI_TRUE;
        if (!nd && !is_org)
            lerr(&l, n, "control '%s' maps to no duty and is not organisational", id);
        ctl->duties = duties;
        ctl->nduties = nd;
        ctl->organisational = is_org;
        ctl->map_note = opt_str(&l, n, "note", &nomem);
        if (nomem) return GD_NOMEM;
        ctl->mapped = true;
    }
    return l.errors ? GD_INVALID : GD_OK;
}

/* ------------------------------------------------------------ the set */

static bool has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

/* Parse text (YAML or JSON by name) and load it as a catalog, mapping or
 * OSCAL document, deciding by its top-level keys. */
static gd_status load_text(gd_catalogset *cs, const char *name, const char *text, size_t len,
                           bool builtin)
{
    gdi_doc d;
    gd_status st = gdi_doc_init(&d, cs->ctx, name);
    if (st) return st;
    if (has_suffix(name, ".json"))
        st = gdi_json_parse(&d, text, len);
    else
        st = gdi_yaml_parse(&d, text, len);
    if (st) goto done;
    const gdi_node *root = gdi_doc_root(&d);
    gdi_catalog *c = NULL;
    if (root && root->type == GDI_OBJECT &&
        (gdi_obj_getc(root, "catalog") || gdi_obj_getc(root, "profile"))) {
        st = gdi_oscal_import(cs, &d, NULL, &c);
        if (!st) st = gdi_catalogset_put(cs, c);
    } else if (root && root->type == GDI_OBJECT && gdi_obj_getc(root, "framework")) {
        st = gdi_mapping_load(cs, &d);
    } else {
        st = gdi_catalog_load(cs, &d, builtin, &c);
        if (!st) st = gdi_catalogset_put(cs, c);
    }
done:
    gdi_doc_free(&d);
    return st;
}

static gd_status load_file(gd_catalogset *cs, const char *path)
{
    char *text = NULL;
    size_t len = 0;
    gd_status st = gdi_read_file(cs->ctx, path, &text, &len);
    if (st) return st;
    st = load_text(cs, path, text, len, false);
    gdi_free(cs->ctx, text);
    return st;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

GD_API gd_status gd_catalogset_add_path(gd_catalogset *cs, const char *path)
{
    if (!cs || !path) return GD_MISUSE;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return gdi_err(cs->ctx, GD_IO, path, 0, 0, "cannot open: no such file or directory");
    if (!S_ISDIR(sb.st_mode)) return load_file(cs, path);
    /* a directory: catalogs first, then mappings, each in name order */
    DIR *dir = opendir(path);
    if (!dir) return gdi_err(cs->ctx, GD_IO, path, 0, 0, "cannot read directory");
    char **names = NULL;
    size_t n = 0, cap = 0;
    gd_status st = GD_OK, worst = GD_OK;
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (e->d_name[0] == '.') continue;
        if (!has_suffix(e->d_name, ".yaml") && !has_suffix(e->d_name, ".yml") &&
            !has_suffix(e->d_name, ".json"))
            continue;
        if ((st = gdi_grow(cs->ctx, (void **)&names, &cap, n + 1, sizeof *names))) break;
        size_t pl = strlen(path), nl = strlen(e->d_name);
        char *full = gdi_alloc(cs->ctx, pl + nl + 2);
        if (!full) {
            st = GD_NOMEM;
            break;
        }
        memcpy(full, path, pl);
        full[pl] = '/';
        memcpy(full + pl + 1, e->d_name, nl + 1);
        names[n++] = full;
    }
    closedir(dir);
    if (!st) {
        qsort(names, n, sizeof *names, cmp_str);
        for (size_t i = 0; i < n && st != GD_NOMEM; i++) {
            st = load_file(cs, names[i]);
            if (st && !worst) worst = st;
        }
        if (st != GD_NOMEM) st = worst;
    }
    for (size_t i = 0; i < n; i++) gdi_free(cs->ctx, names[i]);
    gdi_free(cs->ctx, names);
    return st;
}

GD_API gd_status gd_catalogset_new(gd_ctx *ctx, gd_catalogset **out)
{
    if (!ctx || !out) return GD_MISUSE;
    *out = NULL;
    gd_catalogset *cs = gdi_calloc(ctx, 1, sizeof *cs);
    if (!cs) return GD_NOMEM;
    cs->ctx = ctx;
    gdi_arena_init(&cs->arena, ctx, 64 * 1024);
    gd_status st = GD_OK;
    /* catalogs before mappings: a mapping attaches to a loaded catalog */
    static const char *const dirs[] = {"catalogs/", "mappings/"};
    for (size_t pass = 0; pass < 2 && !st; pass++) {
        for (size_t i = 0; i < gdi_embedded_count && !st; i++) {
            const gdi_embedded *e = &gdi_embedded_files[i];
            if (strncmp(e->path, dirs[pass], strlen(dirs[pass])) != 0) continue;
            char name[256];
            snprintf(name, sizeof name, "builtin:%s", e->path);
            st = load_text(cs, name, (const char *)e->data, e->len, true);
        }
    }
    if (st) {
        gd_catalogset_free(cs);
        return st == GD_NOMEM ? GD_NOMEM : GD_INTERNAL;
    }
    *out = cs;
    return GD_OK;
}

GD_API void gd_catalogset_free(gd_catalogset *cs)
{
    if (!cs) return;
    gd_ctx *ctx = cs->ctx;
    gdi_arena_free(&cs->arena);
    gdi_free(ctx, cs->cats);
    gdi_free(ctx, cs);
}

GD_API size_t gd_catalogset_count(const gd_catalogset *cs)
{
    return cs ? cs->ncats : 0;
}

GD_API const char *gd_catalogset_id(const gd_catalogset *cs, size_t i)
{
    return cs && i < cs->ncats ? cs->cats[i]->id : NULL;
}

GD_API int gd_catalog_has_control(const gd_catalogset *cs, const char *framework,
                                  const char *control)
{
    return gdi_catalog_control(gdi_catalogset_find(cs, framework), control) != NULL;
}

GD_API gd_status gd_catalog_import(gd_catalogset *cs, const char *path, const char *id,
                                   FILE *out, const char **out_id)
{
    if (!cs || !path) return GD_MISUSE;
    if (out_id) *out_id = NULL;
    char *text = NULL;
    size_t len = 0;
    gdi_doc d;
    gdi_catalog *c = NULL;
    gd_status st = gdi_read_file(cs->ctx, path, &text, &len);
    if (st) return st;
    if ((st = gdi_doc_init(&d, cs->ctx, path))) {
        gdi_free(cs->ctx, text);
        return st;
    }
    if ((st = gdi_json_parse(&d, text, len))) goto done;
    const gdi_node *root = gdi_doc_root(&d);
    if (!root || root->type != GDI_OBJECT ||
        (!gdi_obj_getc(root, "catalog") && !gdi_obj_getc(root, "profile"))) {
        st = gdi_err(cs->ctx, GD_INVALID, path, 1, 1,
                     "not an OSCAL catalog or profile (no 'catalog' or 'profile' member)");
        goto done;
    }
    if ((st = gdi_oscal_import(cs, &d, id, &c))) goto done;
    if ((st = gdi_catalogset_put(cs, c))) goto done;
    if (out) {
        gdi_buf b;
        gdi_buf_init(&b, cs->ctx);
        gdi_catalog_yaml(c, &b);
        if (b.oom)
            st = GD_NOMEM;
        else if (fwrite(b.p, 1, b.n, out) != b.n)
            st = gdi_err(cs->ctx, GD_IO, NULL, 0, 0, "cannot write the imported catalog");
        gdi_buf_free(&b);
    }
    if (out_id && !st) *out_id = c->id;
done:
    gdi_doc_free(&d);
    gdi_free(cs->ctx, text);
    return st;
}
