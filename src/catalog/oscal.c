/*
 * oscal.c — import of NIST OSCAL catalogs and profiles (JSON, OSCAL 1.x)
 * into gongdan catalogs, and the writer that saves a catalog as gongdan
 * catalog YAML.
 *
 * A catalog keeps its groups (families) and every control and enhancement
 * with its OSCAL id ("ac-2", "ac-2.1"), title and label; an enhancement
 * records its base control in `parent`. Withdrawn controls (prop status =
 * withdrawn) are skipped. Statement prose is not kept: gongdan needs ids
 * and titles, and the source document stays the reference.
 *
 * A profile is resolved only as far as gongdan needs: the union of its
 * imports' include-controls with-ids (or include-all), selected from a
 * catalog already in the set (merge and modify are ignored; titles come
 * from the base catalog). The base is the catalog named "nist-800-53" for an
 * 800-53 profile, otherwise the only imported catalog in the set.
 */
#include "catalog/catalog.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

typedef struct imp {
    gd_catalogset *cs;
    const gdi_doc *doc;
    gdi_catalog *c;
    size_t capctl;
    size_t capgrp;
    size_t errors;
} imp;

static void ierr(imp *m, const gdi_node *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void ierr(imp *m, const gdi_node *n, const char *fmt, ...)
{
    uint32_t line = 0, col = 0;
    if (n) gdi_doc_line_col(m->doc, n, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    gdi_diag_addv(m->cs->ctx, GD_DIAG_ERROR, m->doc->name, line, col, fmt, ap);
    va_end(ap);
    m->errors++;
}

static const char *dup_node(imp *m, const gdi_node *n)
{
    if (!n || n->type != GDI_STRING) return NULL;
    return gdi_arena_strndup(&m->cs->arena, n->str, n->len);
}

/* Value of the first prop named name (and class when cls is not NULL,
 * or without a class when cls is ""). */
static const gdi_node *prop(const gdi_node *obj, const char *name, const char *cls)
{
    const gdi_node *props = gdi_obj_getc(obj, "props");
    if (!props || props->type != GDI_ARRAY) return NULL;
    const gdi_node *p = gdi_first(props);
    for (uint32_t i = 0; i < props->len; i++, p = gdi_next(p)) {
        const gdi_node *nm = gdi_obj_getc(p, "name");
        if (!nm || nm->type != GDI_STRING || !gd_str_eqc(gdi_node_str(nm), name)) continue;
        const gdi_node *c = gdi_obj_getc(p, "class");
        if (cls && !*cls && c) continue;
        if (cls && *cls && (!c || c->type != GDI_STRING || !gd_str_eqc(gdi_node_str(c), cls)))
            continue;
        return gdi_obj_getc(p, "value");
    }
    return NULL;
}

static gd_status add_group(imp *m, const char *id, const char *parent, const char *title)
{
    gdi_catalog *c = m->c;
    if (c->ngroups == m->capgrp) {
        size_t nc = m->capgrp ? m->capgrp * 2 : 32;
        gdi_cgroup *g = gdi_arena_calloc(&m->cs->arena, sizeof *g * nc);
        if (!g) return GD_NOMEM;
        if (c->ngroups) memcpy(g, c->groups, sizeof *g * c->ngroups);
        c->groups = g;
        m->capgrp = nc;
    }
    gdi_cgroup *g = &c->groups[c->ngroups++];
    g->id = id;
    g->parent = parent;
    g->title.en = title ? title : id;
    return GD_OK;
}

static gdi_control *new_control(imp *m)
{
    gdi_catalog *c = m->c;
    if (c->ncontrols == m->capctl) {
        size_t nc = m->capctl ? m->capctl * 2 : 256;
        gdi_control *v = gdi_arena_calloc(&m->cs->arena, sizeof *v * nc);
        if (!v) return NULL;
        if (c->ncontrols) memcpy(v, c->controls, sizeof *v * c->ncontrols);
        c->controls = v;
        m->capctl = nc;
    }
    return &c->controls[c->ncontrols++];
}

static gd_status walk_controls(imp *m, const gdi_node *arr, const char *group,
                               const char *parent, int depth)
{
    if (!arr) return GD_OK;
    if (arr->type != GDI_ARRAY) {
        ierr(m, arr, "controls must be an array");
        return GD_OK;
    }
    if (depth > 8) {
        ierr(m, arr, "controls nested too deeply");
        return GD_OK;
    }
    const gdi_node *n = gdi_first(arr);
    for (uint32_t i = 0; i < arr->len; i++, n = gdi_next(n)) {
        const gdi_node *idn = gdi_obj_getc(n, "id");
        if (!idn || idn->type != GDI_STRING) {
            ierr(m, n, "a control needs a string 'id'");
            continue;
        }
        const gdi_node *stn = prop(n, "status", NULL);
        if (stn && stn->type == GDI_STRING && gd_str_eqc(gdi_node_str(stn), "withdrawn"))
            continue;
        gdi_control *ctl = new_control(m);
        if (!ctl) return GD_NOMEM;
        ctl->id = dup_node(m, idn);
        ctl->group = group;
        ctl->parent = parent;
        ctl->title.en = dup_node(m, gdi_obj_getc(n, "title"));
        const gdi_node *lab = prop(n, "label", "");
        if (!lab) lab = prop(n, "label", NULL);
        ctl->source = dup_node(m, lab);
        if (!ctl->id) return GD_NOMEM;
        if (!ctl->title.en) ctl->title.en = ctl->id;
        uint32_t col;
        gdi_doc_line_col(m->doc, n, &ctl->line, &col);
        const char *self = ctl->id;
        gd_status st = walk_controls(m, gdi_obj_getc(n, "controls"), group, self, depth + 1);
        if (st) return st;
    }
    return GD_OK;
}

static gd_status walk_groups(imp *m, const gdi_node *arr, const char *parent, int depth)
{
    if (!arr) return GD_OK;
    if (arr->type != GDI_ARRAY || depth > 8) {
        ierr(m, arr, "groups must be an array (at most 8 levels)");
        return GD_OK;
    }
    const gdi_node *g = gdi_first(arr);
    for (uint32_t i = 0; i < arr->len; i++, g = gdi_next(g)) {
        const char *id = dup_node(m, gdi_obj_getc(g, "id"));
        const char *title = dup_node(m, gdi_obj_getc(g, "title"));
        if (!id) {
            /* OSCAL allows groups without ids; invent a stable one */
            char buf[32];
            snprintf(buf, sizeof buf, "group-%zu", m->c->ngroups + 1);
            id = gdi_arena_strndup(&m->cs->arena, buf, strlen(buf));
            if (!id) return GD_NOMEM;
        }
        gd_status st = add_group(m, id, parent, title);
        if (!st) st = walk_controls(m, gdi_obj_getc(g, "controls"), id, NULL, 0);
        if (!st) st = walk_groups(m, gdi_obj_getc(g, "groups"), id, depth + 1);
        if (st) return st;
    }
    return GD_OK;
}

/* Derive a catalog id from a title: 800-53 documents get "nist-800-53"
 * (profiles add the baseline: "nist-800-53-low"); others a slug. */
static const char *derive_id(imp *m, const char *title, bool profile)
{
    char buf[64];
    if (title && strstr(title, "800-53")) {
        const char *base = "";
        if (profile) {
            if (strstr(title, "LOW")) base = "-low";
            else if (strstr(title, "MODERATE")) base = "-moderate";
            else if (strstr(title, "HIGH")) base = "-high";
            else if (strstr(title, "PRIVACY")) base = "-privacy";
            else base = "-profile";
        }
        snprintf(buf, sizeof buf, "nist-800-53%s", base);
    } else {
        size_t k = 0;
        bool dash = false;
        for (const char *p = title ? title : "imported"; *p && k < 40; p++) {
            unsigned char ch = (unsigned char)*p;
            if (isalnum(ch)) {
                buf[k++] = (char)tolower(ch);
                dash = false;
            } else if (!dash && k) {
                buf[k++] = '-';
                dash = true;
            }
        }
        while (k && buf[k - 1] == '-') k--;
        if (!k) {
            memcpy(buf, "imported", 8);
            k = 8;
        }
        buf[k] = 0;
    }
    return gdi_arena_strndup(&m->cs->arena, buf, strlen(buf));
}

static gd_status import_catalog(imp *m, const gdi_node *cat)
{
    const gdi_node *groups = gdi_obj_getc(cat, "groups");
    gd_status st = walk_groups(m, groups, NULL, 0);
    if (!st) st = walk_controls(m, gdi_obj_getc(cat, "controls"), NULL, NULL, 0);
    return st;
}

/* Is id in the with-ids list of any include-controls of imp? */
static bool selected(const gdi_node *incl, const char *id)
{
    const gdi_node *ic = gdi_first(incl);
    for (uint32_t i = 0; i < incl->len; i++, ic = gdi_next(ic)) {
        const gdi_node *w = gdi_obj_getc(ic, "with-ids");
        if (!w || w->type != GDI_ARRAY) continue;
        const gdi_node *e = gdi_first(w);
        for (uint32_t k = 0; k < w->len; k++, e = gdi_next(e))
            if (e->type == GDI_STRING && gd_str_eqc(gdi_node_str(e), id)) return true;
    }
    return false;
}

static gd_status import_profile(imp *m, const gdi_node *prof, const char *title)
{
    const gdi_catalog *base = NULL;
    if (title && strstr(title, "800-53")) base = gdi_catalogset_find(m->cs, "nist-800-53");
    if (!base) {
        size_t nimp = 0;
        for (size_t i = 0; i < m->cs->ncats; i++)
            if (m->cs->cats[i]->imported && !m->cs->cats[i]->based_on) {
                base = m->cs->cats[i];
                nimp++;
            }
        if (nimp != 1) base = NULL;
    }
    const gdi_node *imports = gdi_obj_getc(prof, "imports");
    if (!imports || imports->type != GDI_ARRAY || imports->len == 0) {
        ierr(m, prof, "profile has no 'imports'");
        return GD_OK;
    }
    if (!base) {
        ierr(m, imports,
             "profile imports a catalog that is not loaded: import the catalog first "
             "(e.g. 'gongdan catalog import CATALOG.json --id nist-800-53')");
        return GD_OK;
    }
    m->c->based_on = base->id;
    /* groups: copy all; unused ones are dropped below */
    bool *used = gdi_calloc(m->cs->ctx, base->ngroups + 1, sizeof *used);
    if (!used) return GD_NOMEM;
    gd_status st = GD_OK;
    const gdi_node *im = gdi_first(imports);
    for (uint32_t i = 0; i < imports->len && !st; i++, im = gdi_next(im)) {
        const gdi_node *all = gdi_obj_getc(im, "include-all");
        const gdi_node *incl = gdi_obj_getc(im, "include-controls");
        if (!all && (!incl || incl->type != GDI_ARRAY)) {
            ierr(m, im, "import has neither include-all nor include-controls");
            continue;
        }
        /* every with-id must exist in the base */
        if (incl && incl->type == GDI_ARRAY) {
            const gdi_node *ic = gdi_first(incl);
            for (uint32_t k = 0; k < incl->len; k++, ic = gdi_next(ic)) {
                const gdi_node *w = gdi_obj_getc(ic, "with-ids");
                if (!w || w->type != GDI_ARRAY) continue;
                const gdi_node *e = gdi_first(w);
                for (uint32_t j = 0; j < w->len; j++, e = gdi_next(e)) {
                    char id[128];
                    if (e->type != GDI_STRING) continue;
                    snprintf(id, sizeof id, "%.*s", (int)e->len, e->str);
                    if (!gdi_catalog_control(base, id))
                        ierr(m, e, "profile selects '%s', which catalog '%s' does not have", id,
                             base->id);
                }
            }
        }
        for (size_t k = 0; k < base->ncontrols; k++) {
            const gdi_control *bc = &base->controls[k];
            if (!all && !selected(incl, bc->id)) continue;
            if (gdi_catalog_control(m->c, bc->id)) continue;
            gdi_control *ctl = new_control(m);
            if (!ctl) {
                st = GD_NOMEM;
                break;
            }
            *ctl = *bc;
            ctl->mapped = false;
            ctl->duties = NULL;
            ctl->nduties = 0;
            ctl->organisational = false;
            for (size_t g = 0; g < base->ngroups; g++)
                if (bc->group && !strcmp(base->groups[g].id, bc->group)) used[g] = true;
        }
    }
    for (size_t g = 0; g < base->ngroups && !st; g++)
        if (used[g])
            st = add_group(m, base->groups[g].id, base->groups[g].parent,
                           base->groups[g].title.en);
    gdi_free(m->cs->ctx, used);
    return st;
}

gd_status gdi_oscal_import(gd_catalogset *cs, const gdi_doc *doc, const char *id,
                           gdi_catalog **out)
{
    *out = NULL;
    imp m = {cs, doc, NULL, 0, 0, 0};
    const gdi_node *root = gdi_doc_root(doc);
    const gdi_node *cat = root ? gdi_obj_getc(root, "catalog") : NULL;
    const gdi_node *prof = root ? gdi_obj_getc(root, "profile") : NULL;
    const gdi_node *top = cat ? cat : prof;
    if (!top || top->type != GDI_OBJECT) {
        ierr(&m, root, "not an OSCAL catalog or profile");
        return GD_INVALID;
    }
    m.c = gdi_arena_calloc(&cs->arena, sizeof *m.c);
    if (!m.c) return GD_NOMEM;
    gdi_catalog *c = m.c;
    c->imported = true;
    c->level_rule.en = "";
    c->file = gdi_arena_strndup(&cs->arena, doc->name, strlen(doc->name));
    const gdi_node *meta = gdi_obj_getc(top, "metadata");
    const gdi_node *tn = meta ? gdi_obj_getc(meta, "title") : NULL;
    if (!tn || tn->type != GDI_STRING) {
        ierr(&m, meta ? meta : top, "metadata.title is missing");
        return GD_INVALID;
    }
    c->title.en = dup_node(&m, tn);
    const gdi_node *vn = meta ? gdi_obj_getc(meta, "version") : NULL;
    c->version = dup_node(&m, vn);
    c->id = id ? gdi_arena_strndup(&cs->arena, id, strlen(id)) : derive_id(&m, c->title.en, !cat);
    c->source = c->file;
    if (!c->id || !c->title.en || !c->file) return GD_NOMEM;
    gd_status st = cat ? import_catalog(&m, cat) : import_profile(&m, prof, c->title.en);
    if (st) return st;
    /* duplicate ids make a catalog unusable: report them */
    for (size_t i = 1; i < c->ncontrols && !m.errors; i++)
        for (size_t k = 0; k < i; k++)
            if (!strcmp(c->controls[i].id, c->controls[k].id)) {
                ierr(&m, top, "duplicate control id '%s'", c->controls[i].id);
                break;
            }
    if (m.errors) return GD_INVALID;
    if (!c->ncontrols) {
        ierr(&m, top, "the document has no controls");
        return GD_INVALID;
    }
    *out = c;
    return GD_OK;
}

/* ------------------------------------------------------------ writer */

static void kv(gdi_buf *b, const char *indent, const char *key, const char *val)
{
    if (!val) return;
    gdi_buf_printf(b, "%s%s: ", indent, key);
    gdi_buf_yaml_str(b, val);
    gdi_buf_putc(b, '\n');
}

void gdi_catalog_yaml(const gdi_catalog *c, gdi_buf *b)
{
    gdi_buf_printf(b, "# gongdan catalog %s, converted from %s\n", c->id, c->file);
    kv(b, "", "id", c->id);
    kv(b, "", "title", c->title.en);
    kv(b, "", "title_zh", c->title.zh);
    kv(b, "", "version", c->version);
    kv(b, "", "source", c->source);
    kv(b, "", "provider", c->provider);
    kv(b, "", "based_on", c->based_on);
    if (c->imported) gdi_buf_puts(b, "imported: true\n");
    if (c->ntiers) {
        gdi_buf_puts(b, "tiers: [");
        for (size_t i = 0; i < c->ntiers; i++) {
            if (i) gdi_buf_puts(b, ", ");
            gdi_buf_yaml_str(b, c->tiers[i]);
        }
        gdi_buf_puts(b, "]\n");
    }
    if (c->level) gdi_buf_printf(b, "level: %d\n", c->level);
    if (c->level_rule.en && *c->level_rule.en) kv(b, "", "level_rule", c->level_rule.en);
    gdi_buf_puts(b, c->ngroups ? "groups:\n" : "groups: []\n");
    for (size_t i = 0; i < c->ngroups; i++) {
        kv(b, "  - ", "id", c->groups[i].id);
        kv(b, "    ", "parent", c->groups[i].parent);
        kv(b, "    ", "title", c->groups[i].title.en);
        kv(b, "    ", "title_zh", c->groups[i].title.zh);
    }
    gdi_buf_puts(b, "controls:\n");
    for (size_t i = 0; i < c->ncontrols; i++) {
        const gdi_control *x = &c->controls[i];
        kv(b, "  - ", "id", x->id);
        kv(b, "    ", "group", x->group);
        kv(b, "    ", "parent", x->parent);
        kv(b, "    ", "title", x->title.en);
        kv(b, "    ", "title_zh", x->title.zh);
        kv(b, "    ", "source", x->source);
        kv(b, "    ", "requirement", x->requirement);
        kv(b, "    ", "summary", x->summary);
        kv(b, "    ", "party", x->party);
        if (x->has_tiers) {
            gdi_buf_puts(b, "    tiers:\n");
            for (size_t t = 0; t < c->ntiers; t++) {
                gdi_buf_printf(b, "      %s: ", c->tiers[t]);
                if (x->tier_text[t])
                    gdi_buf_yaml_str(b, x->tier_text[t]);
                else
                    gdi_buf_puts(b, "null");
                gdi_buf_putc(b, '\n');
            }
        }
    }
}
