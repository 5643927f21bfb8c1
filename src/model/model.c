/*
 * model.c — loading responsibility models and provider profiles.
 *
 * Both come from YAML (built-in files under data/models and data/providers,
 * embedded at build time, and user provider files). Loading copies every
 * string into the modelset's arena, so documents are freed right after; a
 * loaded model or provider is immutable. Loaders report every mistake they
 * find (file:line:col of the offending node) and only then fail with
 * GD_INVALID. A provider's defaults and positions are checked against the
 * models already loaded, so models load before providers.
 */
#include "model/model.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

/* ------------------------------------------------------------ names */

static const char *const sm_names[] = {
#define GDI_X_SM(name, str) str,
    GDI_SM_LIST(GDI_X_SM)
#undef GDI_X_SM
};

const char *gdi_sm_name(int sm)
{
    return sm >= 0 && sm < GDI_SM__COUNT ? sm_names[sm] : "?";
}

int gdi_sm_parse(const char *s, size_t n)
{
    for (int i = 0; i < GDI_SM__COUNT; i++)
        if (strlen(sm_names[i]) == n && memcmp(sm_names[i], s, n) == 0) return i;
    return -1;
}

static const char *const prole_names[] = {"no", "required", "provides_capability", "negotiable"};
static const char *const crole_names[] = {"no", "required", "negotiable"};

const char *gdi_prole_name(int r)
{
    return r >= 0 && r < 4 ? prole_names[r] : "?";
}

const char *gdi_crole_name(int r)
{
    return r >= 0 && r < 3 ? crole_names[r] : "?";
}

static int parse_name(const char *s, const char *const *names, int n)
{
    if (!s) return -1;
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0) return i;
    return -1;
}

const char *gdi_text_get(const gdi_text *t, const char *lang)
{
    if (lang && strcmp(lang, "zh") == 0 && t->zh && t->zh[0]) return t->zh;
    return t->en ? t->en : "";
}

/* ------------------------------------------------------------ lookups */

const gdi_duty *gdi_model_duty(const gdi_model *m, const char *id, size_t n)
{
    for (size_t i = 0; i < m->nduties; i++)
        if (strlen(m->duties[i].id) == n && memcmp(m->duties[i].id, id, n) == 0)
            return &m->duties[i];
    return NULL;
}

const gdi_text *gdi_model_group(const gdi_model *m, const char *id)
{
    if (!id) return NULL;
    for (size_t i = 0; i < m->ngroups; i++)
        if (strcmp(m->groups[i].id, id) == 0) return &m->groups[i].title;
    for (size_t i = 0; i < m->ncategories; i++)
        if (strcmp(m->categories[i].id, id) == 0) return &m->categories[i].title;
    return NULL;
}

const gdi_option *gdi_division_option(const gdi_division *d, const char *id, size_t n)
{
    for (size_t i = 0; i < d->noptions; i++)
        if (strlen(d->options[i].id) == n && memcmp(d->options[i].id, id, n) == 0)
            return &d->options[i];
    return NULL;
}

const gdi_pdefault *gdi_provider_default(const gdi_provider *p, const char *duty, int sm)
{
    for (size_t i = 0; i < p->ndefaults; i++)
        if (p->defaults[i].sm == sm && p->defaults[i].option && strcmp(p->defaults[i].duty, duty) == 0)
            return &p->defaults[i];
    return NULL;
}

const gdi_pposition *gdi_provider_position(const gdi_provider *p, const char *duty, int sm)
{
    for (size_t i = 0; i < p->npositions; i++)
        if ((p->positions[i].sm_mask & (1u << sm)) && strcmp(p->positions[i].duty, duty) == 0)
            return &p->positions[i];
    return NULL;
}

const gdi_model *gdi_modelset_model(const gd_modelset *ms, const char *id, size_t n)
{
    for (size_t i = 0; i < ms->nmodels; i++)
        if (strlen(ms->models[i]->id) == n && memcmp(ms->models[i]->id, id, n) == 0)
            return ms->models[i];
    return NULL;
}

const gdi_provider *gdi_modelset_provider(const gd_modelset *ms, const char *id, size_t n)
{
    for (size_t i = 0; i < ms->nproviders; i++)
        if (strlen(ms->providers[i]->id) == n && memcmp(ms->providers[i]->id, id, n) == 0)
            return ms->providers[i];
    return NULL;
}

/* ------------------------------------------------------------ loader helpers */

void gdi_ld_err(gdi_ld *l, const gdi_node *n, const char *fmt, ...)
{
    uint32_t line = 0, col = 0;
    if (n) gdi_doc_line_col(l->doc, n, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    gdi_diag_addv(l->ctx, GD_DIAG_ERROR, l->doc->name, line, col, fmt, ap);
    va_end(ap);
    l->nerr++;
}

const char *gdi_ld_scalar(gdi_ld *l, const gdi_node *n, const char *what)
{
    switch (n->type) {
    case GDI_STRING:
    case GDI_NUMBER: {
        char *s = gdi_arena_strndup(l->arena, n->str ? n->str : "", n->len);
        if (!s) {
            l->nomem = true;
            gdi_ld_err(l, n, "out of memory");
        }
        return s;
    }
    case GDI_TRUE:
        return "true";
    case GDI_FALSE:
        return "false";
    default:
        gdi_ld_err(l, n, "%s must be a string, not %s", what, gdi_type_name((gdi_type)n->type));
        return NULL;
    }
}

const char *gdi_ld_str(gdi_ld *l, const gdi_node *obj, const char *key, bool required)
{
    const gdi_node *v = gdi_obj_getc(obj, key);
    if (!v || v->type == GDI_NULL) {
        if (required) gdi_ld_err(l, obj, "missing '%s'", key);
        return NULL;
    }
    return gdi_ld_scalar(l, v, key);
}

void gdi_ld_int(gdi_ld *l, const gdi_node *obj, const char *key, int *out)
{
    const gdi_node *v = gdi_obj_getc(obj, key);
    if (!v) return;
    int64_t x;
    if (v->type != GDI_NUMBER || !gdi_num_i64(v, &x) || x < 0 || x > 100000) {
        gdi_ld_err(l, v, "'%s' must be a small non-negative integer", key);
        return;
    }
    *out = (int)x;
}

const gdi_node *gdi_ld_array(gdi_ld *l, const gdi_node *obj, const char *key)
{
    const gdi_node *v = gdi_obj_getc(obj, key);
    if (!v || v->type == GDI_NULL) return NULL;
    if (v->type != GDI_ARRAY) {
        gdi_ld_err(l, v, "'%s' must be a list", key);
        return NULL;
    }
    return v;
}

unsigned gdi_ld_sm_list(gdi_ld *l, const gdi_node *arr)
{
    unsigned mask = 0;
    if (!arr) return 0;
    if (arr->type != GDI_ARRAY) {
        gdi_ld_err(l, arr, "service models must be a list such as [iaas, paas]");
        return 0;
    }
    const gdi_node *e = gdi_first(arr);
    for (uint32_t i = 0; i < arr->len; i++, e = gdi_next(e)) {
        int sm = e->type == GDI_STRING ? gdi_sm_parse(e->str, e->len) : -1;
        if (sm < 0)
            gdi_ld_err(l, e, "unknown service model '%.*s' (expected iaas, paas or saas)",
                       e->type == GDI_STRING ? (int)e->len : 1, e->type == GDI_STRING ? e->str : "?");
        else
            mask |= 1u << sm;
    }
    return mask;
}

static gdi_text ld_text(gdi_ld *l, const gdi_node *obj, const char *key, const char *key_zh,
                        bool required)
{
    gdi_text t;
    t.en = gdi_ld_str(l, obj, key, required);
    if (!t.en) t.en = "";
    t.zh = key_zh ? gdi_ld_str(l, obj, key_zh, false) : NULL;
    return t;
}

static void ld_readings(gdi_ld *l, const gdi_node *obj, int *out)
{
    const gdi_node *a = gdi_ld_array(l, obj, "readings");
    if (!a) return;
    const gdi_node *e = gdi_first(a);
    size_t k = 0;
    for (uint32_t i = 0; i < a->len && k < 3; i++, e = gdi_next(e)) {
        int64_t x;
        if (e->type != GDI_NUMBER || !gdi_num_i64(e, &x) || x <= 0 || x > 1000)
            gdi_ld_err(l, e, "readings must be ambiguity numbers");
        else
            out[k++] = (int)x;
    }
}

static void *ld_array_alloc(gdi_ld *l, size_t n, size_t esz)
{
    if (n == 0) return NULL;
    if (n > SIZE_MAX / esz) return NULL;
    void *p = gdi_arena_calloc(l->arena, n * esz);
    if (!p) {
        l->nomem = true;
        gdi_ld_err(l, NULL, "out of memory");
    }
    return p;
}

/* ------------------------------------------------------------ models */

static void ld_division(gdi_ld *l, const gdi_node *v, gdi_division *d)
{
    d->present = true;
    if (v->type != GDI_OBJECT) {
        gdi_ld_err(l, v, "a division must be a mapping");
        return;
    }
    const char *p = gdi_ld_str(l, v, "provider", true);
    const char *c = gdi_ld_str(l, v, "customer", true);
    int pr = parse_name(p, prole_names, 4), cr = parse_name(c, crole_names, 3);
    if (p && pr < 0)
        gdi_ld_err(l, gdi_obj_getc(v, "provider"),
                   "provider role '%s' is not required, no, provides_capability or negotiable", p);
    if (c && cr < 0)
        gdi_ld_err(l, gdi_obj_getc(v, "customer"), "customer role '%s' is not required, no or negotiable", c);
    d->prole = (uint8_t)(pr < 0 ? 0 : pr);
    d->crole = (uint8_t)(cr < 0 ? 0 : cr);
    gdi_ld_int(l, v, "table", &d->table);
    gdi_ld_int(l, v, "row", &d->row);
    gdi_ld_int(l, v, "via_table", &d->via_table);
    gdi_ld_int(l, v, "via_row", &d->via_row);
    gdi_ld_int(l, v, "options_table", &d->options_table);
    gdi_ld_int(l, v, "options_row", &d->options_row);
    gdi_ld_int(l, v, "inferred", &d->inferred);
    ld_readings(l, v, d->readings);
    d->note = gdi_ld_str(l, v, "note", false);
    if (!d->table || !d->row) gdi_ld_err(l, v, "a division must cite its table and row");
    const gdi_node *opts = gdi_ld_array(l, v, "options");
    bool neg = d->prole == GDI_PR_NEGOTIABLE || d->crole == GDI_CR_NEGOTIABLE;
    if (neg && (!opts || opts->len < 2))
        gdi_ld_err(l, v, "a negotiable division needs at least two options");
    if (!neg && opts) gdi_ld_err(l, opts, "options are only allowed on a negotiable division");
    if (!opts) return;
    d->options = ld_array_alloc(l, opts->len, sizeof *d->options);
    if (!d->options) return;
    const gdi_node *e = gdi_first(opts);
    for (uint32_t i = 0; i < opts->len; i++, e = gdi_next(e)) {
        gdi_option *o = &d->options[d->noptions];
        if (e->type != GDI_OBJECT) {
            gdi_ld_err(l, e, "an option must be a mapping");
            continue;
        }
        o->id = gdi_ld_str(l, e, "id", true);
        const char *op = gdi_ld_str(l, e, "provider", true);
        const char *oc = gdi_ld_str(l, e, "customer", true);
        int opr = parse_name(op, prole_names, 3), ocr = parse_name(oc, crole_names, 2);
        if (op && opr < 0) gdi_ld_err(l, e, "option provider role '%s' is not required, no or provides_capability", op);
        if (oc && ocr < 0) gdi_ld_err(l, e, "option customer role '%s' is not required or no", oc);
        o->prole = (uint8_t)(opr < 0 ? 0 : opr);
        o->crole = (uint8_t)(ocr < 0 ? 0 : ocr);
        o->provider_text = ld_text(l, e, "provider_text", "provider_text_zh", false);
        o->customer_text = ld_text(l, e, "customer_text", "customer_text_zh", false);
        gdi_ld_int(l, e, "inferred", &o->inferred);
        if (!o->id) continue;
        for (size_t j = 0; j < d->noptions; j++)
            if (strcmp(d->options[j].id, o->id) == 0) gdi_ld_err(l, e, "duplicate option '%s'", o->id);
        d->noptions++;
    }
}

static void ld_titles(gdi_ld *l, const gdi_node *list, gdi_category **out, size_t *n)
{
    if (!list) return;
    *out = ld_array_alloc(l, list->len, sizeof **out);
    if (!*out) return;
    const gdi_node *e = gdi_first(list);
    for (uint32_t i = 0; i < list->len; i++, e = gdi_next(e)) {
        if (e->type != GDI_OBJECT) {
            gdi_ld_err(l, e, "expected a mapping with id and title");
            continue;
        }
        gdi_category *c = &(*out)[*n];
        c->id = gdi_ld_str(l, e, "id", true);
        c->title = ld_text(l, e, "title", "title_zh", true);
        if (c->id) (*n)++;
    }
}

static void ld_duty(gdi_ld *l, gdi_model *m, const gdi_node *e)
{
    gdi_duty *d = &m->duties[m->nduties];
    if (e->type != GDI_OBJECT) {
        gdi_ld_err(l, e, "a duty must be a mapping");
        return;
    }
    d->id = gdi_ld_str(l, e, "id", true);
    const char *cat = gdi_ld_str(l, e, "category", true);
    d->group = gdi_ld_str(l, e, "group", false);
    d->title = ld_text(l, e, "title", "title_zh", true);
    d->definition = gdi_ld_str(l, e, "definition", false);
    if (!d->id) return;
    bool found = false;
    for (size_t i = 0; cat && i < m->ncategories; i++)
        if (strcmp(m->categories[i].id, cat) == 0) {
            d->category = i;
            found = true;
        }
    if (cat && !found) gdi_ld_err(l, gdi_obj_getc(e, "category"), "unknown category '%s'", cat);
    if (gdi_model_duty(m, d->id, strlen(d->id))) gdi_ld_err(l, e, "duplicate duty id '%s'", d->id);
    const gdi_node *os = gdi_ld_array(l, e, "oscar");
    if (os) {
        const char **v = ld_array_alloc(l, (size_t)os->len + 1, sizeof *v);
        const gdi_node *x = gdi_first(os);
        for (uint32_t i = 0; v && i < os->len; i++, x = gdi_next(x)) v[i] = gdi_ld_scalar(l, x, "oscar");
        d->oscar = v;
    }
    const gdi_node *div = gdi_obj_getc(e, "division");
    if (!div || div->type != GDI_OBJECT) {
        gdi_ld_err(l, e, "duty '%s' needs a division mapping", d->id);
        return;
    }
    const gdi_node *k = gdi_first(div);
    for (uint32_t i = 0; i < div->len; i++, k = gdi_next(gdi_next(k))) {
        const gdi_node *v = k + 1;
        if (gd_str_eqc(gdi_node_str(k), "any")) {
            gdi_division one;
            memset(&one, 0, sizeof one);
            ld_division(l, v, &one);
            for (int s = 0; s < GDI_SM__COUNT; s++)
                if (m->sm_mask & (1u << s)) d->div[s] = one;
            continue;
        }
        int sm = gdi_sm_parse(k->str, k->len);
        if (sm < 0 || !(m->sm_mask & (1u << sm))) {
            gdi_ld_err(l, k, "unknown service model '%.*s' in division", (int)k->len, k->str);
            continue;
        }
        ld_division(l, v, &d->div[sm]);
    }
    m->nduties++;
}

gd_status gdi_model_load(gd_modelset *ms, const gdi_doc *doc, gdi_model **out)
{
    gdi_ld l = {ms->ctx, &ms->arena, doc, 0, false};
    gd_status st = GD_OK;
    const gdi_node *root = gdi_doc_root(doc);
    *out = NULL;
    if (!root || root->type != GDI_OBJECT) {
        gdi_ld_err(&l, root, "a model file must be a mapping");
        return GD_INVALID;
    }
    gdi_model *m = gdi_arena_calloc(&ms->arena, sizeof *m);
    if (!m) return GD_NOMEM;
    m->file = gdi_arena_strndup(&ms->arena, doc->name, strlen(doc->name));
    m->id = gdi_ld_str(&l, root, "id", true);
    m->title = ld_text(&l, root, "title", "title_zh", true);
    m->source = gdi_ld_str(&l, root, "source", false);
    m->sm_mask = gdi_ld_sm_list(&l, gdi_obj_getc(root, "service_models"));
    if (!m->sm_mask) gdi_ld_err(&l, root, "a model needs service_models");
    ld_titles(&l, gdi_ld_array(&l, root, "categories"), &m->categories, &m->ncategories);
    ld_titles(&l, gdi_ld_array(&l, root, "groups"), &m->groups, &m->ngroups);
    const gdi_node *duties = gdi_ld_array(&l, root, "duties");
    if (!duties || duties->len == 0) {
        gdi_ld_err(&l, root, "a model needs a non-empty 'duties' list");
    } else {
        m->duties = ld_array_alloc(&l, duties->len, sizeof *m->duties);
        const gdi_node *e = gdi_first(duties);
        for (uint32_t i = 0; m->duties && i < duties->len; i++, e = gdi_next(e)) ld_duty(&l, m, e);
    }
    if (m->id && gdi_modelset_model(ms, m->id, strlen(m->id)))
        gdi_ld_err(&l, gdi_obj_getc(root, "id"), "model '%s' is already loaded", m->id);
    if (l.nerr) {
        st = l.nomem ? GD_NOMEM : GD_INVALID;
        goto done;
    }
    st = gdi_grow(ms->ctx, (void **)&ms->models, &ms->capmodels, ms->nmodels + 1, sizeof *ms->models);
    if (st != GD_OK) goto done;
    ms->models[ms->nmodels++] = m;
    *out = m;
done:
    return st;
}

/* ------------------------------------------------------------ providers */

/* Check a provider default against the models: the duty exists in some
 * model, is negotiable under sm and has the option. */
static void check_default(gdi_ld *l, const gd_modelset *ms, const gdi_node *e, const gdi_pdefault *d)
{
    const gdi_duty *duty = NULL;
    for (size_t i = 0; i < ms->nmodels && !duty; i++)
        duty = gdi_model_duty(ms->models[i], d->duty, strlen(d->duty));
    if (!duty) {
        gdi_ld_err(l, e, "unknown duty '%s'", d->duty);
        return;
    }
    const gdi_division *dv = &duty->div[d->sm];
    if (!dv->present) {
        gdi_ld_err(l, e, "duty '%s' does not apply to %s", d->duty, gdi_sm_name(d->sm));
        return;
    }
    if (dv->prole != GDI_PR_NEGOTIABLE) {
        gdi_ld_err(l, e, "duty '%s' is not negotiable under %s", d->duty, gdi_sm_name(d->sm));
        return;
    }
    if (d->option && !gdi_division_option(dv, d->option, strlen(d->option)))
        gdi_ld_err(l, e, "duty '%s' has no option '%s' under %s", d->duty, d->option, gdi_sm_name(d->sm));
}

static void ld_defaults(gdi_ld *l, const gd_modelset *ms, gdi_provider *p, const gdi_node *a)
{
    if (!a) return;
    p->defaults = ld_array_alloc(l, a->len, sizeof *p->defaults);
    const gdi_node *e = gdi_first(a);
    for (uint32_t i = 0; p->defaults && i < a->len; i++, e = gdi_next(e)) {
        gdi_pdefault *d = &p->defaults[p->ndefaults];
        if (e->type != GDI_OBJECT) {
            gdi_ld_err(l, e, "a default must be a mapping");
            continue;
        }
        d->duty = gdi_ld_str(l, e, "duty", true);
        const char *sm = gdi_ld_str(l, e, "service_model", true);
        d->option = gdi_ld_str(l, e, "option", false);
        d->confidence = gdi_ld_str(l, e, "confidence", false);
        if (!d->confidence) d->confidence = d->option ? "explicit" : "not_stated";
        d->basis = ld_text(l, e, "basis", "basis_zh", false);
        ld_readings(l, e, d->readings);
        uint32_t col;
        gdi_doc_line_col(l->doc, e, &d->line, &col);
        d->sm = sm ? gdi_sm_parse(sm, strlen(sm)) : -1;
        if (sm && d->sm < 0) gdi_ld_err(l, e, "unknown service model '%s'", sm);
        if (!d->duty || d->sm < 0) continue;
        check_default(l, ms, e, d);
        p->ndefaults++;
    }
}

static void ld_positions(gdi_ld *l, const gd_modelset *ms, gdi_provider *p, const gdi_node *a)
{
    if (!a) return;
    p->positions = ld_array_alloc(l, a->len, sizeof *p->positions);
    const gdi_node *e = gdi_first(a);
    for (uint32_t i = 0; p->positions && i < a->len; i++, e = gdi_next(e)) {
        gdi_pposition *q = &p->positions[p->npositions];
        if (e->type != GDI_OBJECT) {
            gdi_ld_err(l, e, "a position must be a mapping");
            continue;
        }
        q->duty = gdi_ld_str(l, e, "duty", true);
        q->sm_mask = gdi_ld_sm_list(l, gdi_obj_getc(e, "service_models"));
        const char *pr = gdi_ld_str(l, e, "provider", true);
        const char *cr = gdi_ld_str(l, e, "customer", true);
        int a1 = parse_name(pr, prole_names, 3), a2 = parse_name(cr, crole_names, 2);
        if (pr && a1 < 0) gdi_ld_err(l, e, "position provider role '%s' is not required, no or provides_capability", pr);
        if (cr && a2 < 0) gdi_ld_err(l, e, "position customer role '%s' is not required or no", cr);
        q->prole = (uint8_t)(a1 < 0 ? 0 : a1);
        q->crole = (uint8_t)(a2 < 0 ? 0 : a2);
        q->basis = ld_text(l, e, "basis", "basis_zh", true);
        ld_readings(l, e, q->readings);
        if (!q->duty) continue;
        const gdi_duty *duty = NULL;
        for (size_t k = 0; k < ms->nmodels && !duty; k++)
            duty = gdi_model_duty(ms->models[k], q->duty, strlen(q->duty));
        if (!duty) gdi_ld_err(l, e, "unknown duty '%s'", q->duty);
        p->npositions++;
    }
}

static void ld_controls(gdi_ld *l, gdi_provider *p, const gdi_node *a)
{
    if (!a) return;
    p->controls = ld_array_alloc(l, a->len, sizeof *p->controls);
    const gdi_node *e = gdi_first(a);
    for (uint32_t i = 0; p->controls && i < a->len; i++, e = gdi_next(e)) {
        gdi_pcontrol *c = &p->controls[p->ncontrols];
        if (e->type != GDI_OBJECT) {
            gdi_ld_err(l, e, "a control must be a mapping");
            continue;
        }
        c->category = gdi_ld_str(l, e, "category", false);
        c->duty = gdi_ld_str(l, e, "duty", false);
        c->model = gdi_ld_str(l, e, "model", false);
        c->ref = gdi_ld_str(l, e, "ref", false);
        c->text = gdi_ld_str(l, e, "text", true);
        const gdi_node *sms = gdi_obj_getc(e, "service_models");
        c->sm_mask = sms ? gdi_ld_sm_list(l, sms) : p->sm_mask;
        if (c->text) p->ncontrols++;
    }
}

gd_status gdi_provider_load(gd_modelset *ms, const gdi_doc *doc, bool builtin, gdi_provider **out)
{
    gdi_ld l = {ms->ctx, &ms->arena, doc, 0, false};
    gd_status st = GD_OK;
    const gdi_node *root = gdi_doc_root(doc);
    *out = NULL;
    if (!root || root->type != GDI_OBJECT) {
        gdi_ld_err(&l, root, "a provider profile must be a mapping");
        return GD_INVALID;
    }
    gdi_provider *p = gdi_arena_calloc(&ms->arena, sizeof *p);
    if (!p) return GD_NOMEM;
    p->builtin = builtin;
    p->file = gdi_arena_strndup(&ms->arena, doc->name, strlen(doc->name));
    p->id = gdi_ld_str(&l, root, "id", true);
    p->name = ld_text(&l, root, "name", "name_zh", true);
    p->kind = gdi_ld_str(&l, root, "kind", false);
    p->source = gdi_ld_str(&l, root, "source", false);
    p->hosting = gdi_ld_str(&l, root, "hosting", false);
    p->runs_on_hint = gdi_ld_str(&l, root, "runs_on_hint", false);
    const gdi_node *sms = gdi_obj_getc(root, "service_models");
    if (!sms)
        gdi_ld_err(&l, root, "missing 'service_models'");
    else
        p->sm_mask = gdi_ld_sm_list(&l, sms);
    if (p->id && !p->id[0]) gdi_ld_err(&l, gdi_obj_getc(root, "id"), "provider id must not be empty");
    if (p->id && strcmp(p->id, "customer") == 0)
        gdi_ld_err(&l, gdi_obj_getc(root, "id"), "'customer' is reserved and cannot be a provider id");
    ld_defaults(&l, ms, p, gdi_ld_array(&l, root, "defaults"));
    ld_positions(&l, ms, p, gdi_ld_array(&l, root, "positions"));
    ld_controls(&l, p, gdi_ld_array(&l, root, "controls"));
    const gdi_node *stm = gdi_ld_array(&l, root, "statements");
    if (stm) {
        p->statements = ld_array_alloc(&l, stm->len, sizeof *p->statements);
        const gdi_node *e = gdi_first(stm);
        for (uint32_t i = 0; p->statements && i < stm->len; i++, e = gdi_next(e)) {
            const char *s = gdi_ld_scalar(&l, e, "a statement");
            if (s) p->statements[p->nstatements++] = s;
        }
    }
    if (l.nerr) {
        st = l.nomem ? GD_NOMEM : GD_INVALID;
        goto done;
    }
    for (size_t i = 0; i < ms->nproviders; i++) {
        if (strcmp(ms->providers[i]->id, p->id) != 0) continue;
        uint32_t line, col;
        gdi_doc_line_col(doc, gdi_obj_getc(root, "id"), &line, &col);
        gdi_diag_add(ms->ctx, GD_DIAG_WARNING, doc->name, line, col,
                     "provider '%s' replaces the one from %s", p->id, ms->providers[i]->file);
        ms->providers[i] = p;
        *out = p;
        goto done;
    }
    st = gdi_grow(ms->ctx, (void **)&ms->providers, &ms->capproviders, ms->nproviders + 1,
                  sizeof *ms->providers);
    if (st != GD_OK) goto done;
    ms->providers[ms->nproviders++] = p;
    *out = p;
done:
    return st;
}

/* ------------------------------------------------------------ modelset */

static const char *const builtin_models[] = {"models/oscar-2020.yaml", "models/mlps-2.0.yaml"};
static const char *const builtin_providers[] = {
    "providers/alibaba_cloud.yaml", "providers/huawei_cloud.yaml", "providers/tencent_cloud.yaml",
    "providers/inspur_gov_cloud.yaml", "providers/zego_rtc.yaml", "providers/feishu_suite.yaml"};

/* Parse YAML text named name and load it as a model (kind 0) or provider. */
static gd_status load_text(gd_modelset *ms, const char *name, const char *text, size_t len, int kind,
                           bool builtin)
{
    gdi_doc doc;
    gd_status st = gdi_doc_init(&doc, ms->ctx, name);
    if (st != GD_OK) return st;
    st = gdi_yaml_parse(&doc, text, len);
    if (st != GD_OK) goto done;
    if (kind == 0) {
        gdi_model *m;
        st = gdi_model_load(ms, &doc, &m);
    } else {
        gdi_provider *p;
        st = gdi_provider_load(ms, &doc, builtin, &p);
    }
done:
    gdi_doc_free(&doc);
    return st;
}

gd_status gd_modelset_new(gd_ctx *ctx, gd_modelset **out)
{
    if (!ctx || !out) return GD_MISUSE;
    *out = NULL;
    gd_status st = GD_OK;
    gd_modelset *ms = gdi_calloc(ctx, 1, sizeof *ms);
    if (!ms) return GD_NOMEM;
    ms->ctx = ctx;
    gdi_arena_init(&ms->arena, ctx, 64 * 1024);
    for (size_t i = 0; i < sizeof builtin_models / sizeof *builtin_models; i++) {
        const gdi_embedded *e = gdi_embedded_find(builtin_models[i]);
        char name[128];
        snprintf(name, sizeof name, "<builtin>/%s", builtin_models[i]);
        if (!e) {
            st = gdi_err(ctx, GD_INTERNAL, name, 0, 0, "built-in model is missing from this build");
            goto done;
        }
        st = load_text(ms, name, (const char *)e->data, e->len, 0, true);
        if (st != GD_OK) goto done;
    }
    for (size_t i = 0; i < sizeof builtin_providers / sizeof *builtin_providers; i++) {
        const gdi_embedded *e = gdi_embedded_find(builtin_providers[i]);
        char name[128];
        snprintf(name, sizeof name, "<builtin>/%s", builtin_providers[i]);
        if (!e) {
            st = gdi_err(ctx, GD_INTERNAL, name, 0, 0, "built-in provider profile is missing from this build");
            goto done;
        }
        st = load_text(ms, name, (const char *)e->data, e->len, 1, true);
        if (st != GD_OK) goto done;
    }
done:
    if (st != GD_OK) {
        gd_modelset_free(ms);
        return st;
    }
    *out = ms;
    return GD_OK;
}

void gd_modelset_free(gd_modelset *ms)
{
    if (!ms) return;
    gd_ctx *ctx = ms->ctx;
    gdi_arena_free(&ms->arena);
    gdi_free(ctx, ms->models);
    gdi_free(ctx, ms->providers);
    gdi_free(ctx, ms);
}

static gd_status add_provider_file(gd_modelset *ms, const char *path)
{
    char *text = NULL;
    size_t len = 0;
    gd_status st = gdi_read_file(ms->ctx, path, &text, &len);
    if (st != GD_OK) return st;
    st = load_text(ms, path, text, len, 1, false);
    gdi_free(ms->ctx, text);
    return st;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_yaml_ext(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) || (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

gd_status gd_modelset_add_providers(gd_modelset *ms, const char *path)
{
    if (!ms || !path) return GD_MISUSE;
    gd_status st = GD_OK, first = GD_OK;
    char **names = NULL;
    size_t n = 0, cap = 0;
    DIR *dir = opendir(path);
    if (!dir) return add_provider_file(ms, path);
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.' || !has_yaml_ext(de->d_name)) continue;
        st = gdi_grow(ms->ctx, (void **)&names, &cap, n + 1, sizeof *names);
        if (st != GD_OK) goto done;
        size_t plen = strlen(path) + strlen(de->d_name) + 2;
        names[n] = gdi_alloc(ms->ctx, plen);
        if (!names[n]) {
            st = GD_NOMEM;
            goto done;
        }
        snprintf(names[n], plen, "%s/%s", path, de->d_name);
        n++;
    }
    if (n > 1) qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        st = add_provider_file(ms, names[i]);
        if (st == GD_NOMEM) goto done;
        if (st != GD_OK && first == GD_OK) first = st;
    }
    st = first;
done:
    closedir(dir);
    for (size_t i = 0; i < n; i++) gdi_free(ms->ctx, names[i]);
    gdi_free(ms->ctx, names);
    return st;
}
