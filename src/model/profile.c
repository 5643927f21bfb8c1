/*
 * profile.c — reading and validating a deployment profile (docs/profile.md).
 *
 * A profile names the customer, the model and the services the customer
 * uses; each service has a provider, a service model, the options agreed
 * on negotiable duties, the resources that belong to it and, for a vendor
 * that itself rents infrastructure, what it runs on (`runs_on`, nested to
 * any depth up to GDI_MAX_CHAIN). Validation reports every mistake with
 * the file:line:col of the offending YAML node and keeps going, so a user
 * fixes a profile in one pass. Nothing is resolved here; resolve.c works
 * on the validated profile.
 */
#include "model/model.h"

#include <stdio.h>

#define GDI_MAX_CHAIN 16

/* Report keys of obj that are not in allowed (NULL-terminated). */
static void check_keys(gdi_ld *l, const gdi_node *obj, const char *what, const char *const *allowed)
{
    const gdi_node *k = gdi_first(obj);
    for (uint32_t i = 0; i < obj->len; i++, k = gdi_next(gdi_next(k))) {
        bool ok = false;
        for (size_t j = 0; allowed[j] && !ok; j++) ok = gd_str_eqc(gdi_node_str(k), allowed[j]);
        if (!ok) gdi_ld_err(l, k, "unknown key '%.*s' in %s", (int)k->len, k->str, what);
    }
}

static void list_provider_ids(const gd_modelset *ms, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < ms->nproviders && used + 1 < cap; i++) {
        int n = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", ms->providers[i]->id);
        if (n < 0) break;
        used += (size_t)n;
    }
}

static void list_sms(unsigned mask, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = 0;
    for (int s = 0; s < GDI_SM__COUNT; s++) {
        if (!(mask & (1u << s))) continue;
        int n = snprintf(buf + used, cap - used, "%s%s", used ? ", " : "", gdi_sm_name(s));
        if (n < 0 || (size_t)n >= cap - used) break;
        used += (size_t)n;
    }
}

static void ld_options(gdi_ld *l, const gdi_model *m, gdi_tier *t, const gdi_node *opts)
{
    if (!opts) return;
    if (opts->type != GDI_OBJECT) {
        gdi_ld_err(l, opts, "'options' must be a mapping of duty id to option letter");
        return;
    }
    if (opts->len == 0) return;
    t->choices = gdi_arena_calloc(l->arena, (size_t)opts->len * sizeof *t->choices);
    if (!t->choices) {
        l->nomem = true;
        gdi_ld_err(l, opts, "out of memory");
        return;
    }
    const gdi_node *k = gdi_first(opts);
    for (uint32_t i = 0; i < opts->len; i++, k = gdi_next(gdi_next(k))) {
        const gdi_node *v = k + 1;
        const gdi_duty *d = gdi_model_duty(m, k->str, k->len);
        if (!d) {
            gdi_ld_err(l, k, "unknown duty '%.*s' in model %s", (int)k->len, k->str, m->id);
            continue;
        }
        const char *opt = gdi_ld_scalar(l, v, "an option letter");
        if (!opt) continue;
        if (t->sm < 0) continue; /* service model already reported */
        const gdi_division *dv = &d->div[t->sm];
        if (!dv->present) {
            gdi_ld_err(l, k, "duty '%s' does not apply to %s", d->id, gdi_sm_name(t->sm));
            continue;
        }
        if (dv->prole != GDI_PR_NEGOTIABLE) {
            gdi_ld_err(l, k, "duty '%s' is not negotiable under %s (table %d row %d fixes it)", d->id,
                       gdi_sm_name(t->sm), dv->table, dv->row);
            continue;
        }
        if (!gdi_division_option(dv, opt, strlen(opt))) {
            char have[64] = "";
            size_t used = 0;
            for (size_t j = 0; j < dv->noptions; j++) {
                int n = snprintf(have + used, sizeof have - used, "%s%s", j ? ", " : "", dv->options[j].id);
                if (n < 0 || (size_t)n >= sizeof have - used) break;
                used += (size_t)n;
            }
            gdi_ld_err(l, v, "duty '%s' has no option '%s' under %s (options: %s)", d->id, opt,
                       gdi_sm_name(t->sm), have);
            continue;
        }
        gdi_choice *c = &t->choices[t->nchoices++];
        c->duty = d->id;
        c->option = opt;
        gdi_doc_line_col(l->doc, v, &c->line, &c->col);
    }
}

static void ld_tier(gdi_ld *l, const gd_modelset *ms, const gdi_model *m, const gdi_node *obj,
                    gdi_tier *t, int depth, bool top)
{
    static const char *const tier_keys[] = {"provider", "service_model", "options", "runs_on",
                                            "image_source", NULL};
    uint32_t col;
    gdi_doc_line_col(l->doc, obj, &t->line, &col);
    t->sm = -1;
    if (!top) check_keys(l, obj, "runs_on entry", tier_keys);
    const gdi_node *pn = gdi_obj_getc(obj, "provider");
    const char *pid = gdi_ld_str(l, obj, "provider", true);
    if (pid) {
        t->provider = gdi_modelset_provider(ms, pid, strlen(pid));
        if (!t->provider) {
            char known[512];
            list_provider_ids(ms, known, sizeof known);
            gdi_ld_err(l, pn, "unknown provider '%s' (known: %s)", pid, known);
        }
    }
    const gdi_node *smn = gdi_obj_getc(obj, "service_model");
    const char *sm = gdi_ld_str(l, obj, "service_model", true);
    if (sm) {
        t->sm = gdi_sm_parse(sm, strlen(sm));
        if (t->sm < 0) {
            gdi_ld_err(l, smn, "unknown service model '%s' (expected iaas, paas or saas)", sm);
        } else if (!(m->sm_mask & (1u << t->sm))) {
            gdi_ld_err(l, smn, "model %s has no division for %s", m->id, sm);
            t->sm = -1;
        } else if (t->provider && !(t->provider->sm_mask & (1u << t->sm))) {
            char offers[64];
            list_sms(t->provider->sm_mask, offers, sizeof offers);
            gdi_ld_err(l, smn, "provider '%s' does not offer %s (offers: %s)", t->provider->id, sm,
                       offers);
        }
    }
    ld_options(l, m, t, gdi_obj_getc(obj, "options"));
    const char *img = gdi_ld_str(l, obj, "image_source", false);
    if (img) {
        if (strcmp(img, "other_source") == 0)
            t->image_source = GDI_IMG_OTHER;
        else if (strcmp(img, "public") == 0)
            t->image_source = GDI_IMG_PUBLIC;
        else if (strcmp(img, "marketplace") == 0)
            t->image_source = GDI_IMG_MARKETPLACE;
        else
            gdi_ld_err(l, gdi_obj_getc(obj, "image_source"),
                       "image_source '%s' is not public, marketplace or other_source", img);
    }
    const gdi_node *ro = gdi_ld_array(l, obj, "runs_on");
    if (!ro || ro->len == 0) return;
    if (depth + 1 >= GDI_MAX_CHAIN) {
        gdi_ld_err(l, ro, "runs_on is nested deeper than %d levels", GDI_MAX_CHAIN);
        return;
    }
    t->runs_on = gdi_arena_calloc(l->arena, (size_t)ro->len * sizeof *t->runs_on);
    if (!t->runs_on) {
        l->nomem = true;
        gdi_ld_err(l, ro, "out of memory");
        return;
    }
    const gdi_node *e = gdi_first(ro);
    for (uint32_t i = 0; i < ro->len; i++, e = gdi_next(e)) {
        if (e->type != GDI_OBJECT) {
            gdi_ld_err(l, e, "a runs_on entry must be a mapping with provider and service_model");
            continue;
        }
        ld_tier(l, ms, m, e, &t->runs_on[t->nruns_on++], depth + 1, false);
    }
}

gd_status gdi_profile_load(const gd_modelset *ms, gdi_arena *arena, const gdi_doc *doc,
                           gdi_profile **out)
{
    static const char *const root_keys[] = {"customer", "model", "services", NULL};
    static const char *const svc_keys[] = {"id", "provider", "service_model", "options",
                                           "resources", "runs_on", "image_source", "description",
                                           NULL};
    gdi_ld l = {ms->ctx, arena, doc, 0, false};
    const gdi_node *root = gdi_doc_root(doc);
    *out = NULL;
    if (!root || root->type != GDI_OBJECT) {
        gdi_ld_err(&l, root, "a deployment profile must be a mapping with customer, model and services");
        return GD_INVALID;
    }
    gdi_profile *p = gdi_arena_calloc(arena, sizeof *p);
    if (!p) return GD_NOMEM;
    p->file = gdi_arena_strndup(arena, doc->name, strlen(doc->name));
    check_keys(&l, root, "the profile", root_keys);
    p->customer = gdi_ld_str(&l, root, "customer", true);
    if (p->customer && gdi_modelset_provider(ms, p->customer, strlen(p->customer)))
        gdi_ld_err(&l, gdi_obj_getc(root, "customer"),
                   "customer '%s' has the id of a provider; choose another party id", p->customer);
    if (p->customer && !p->customer[0]) gdi_ld_err(&l, gdi_obj_getc(root, "customer"), "customer must not be empty");
    const char *mid = gdi_ld_str(&l, root, "model", false);
    if (!mid) mid = "oscar-2020";
    p->model = gdi_modelset_model(ms, mid, strlen(mid));
    if (!p->model) {
        gdi_ld_err(&l, gdi_obj_getc(root, "model"), "unknown model '%s' (known: oscar-2020, mlps-2.0)", mid);
        return GD_INVALID;
    }
    size_t nerr0 = l.nerr;
    const gdi_node *svcs = gdi_ld_array(&l, root, "services");
    if (!svcs || svcs->len == 0) {
        /* missing, empty or null (`services:` alone); a wrong type was reported */
        const gdi_node *at = gdi_obj_getc(root, "services");
        if (l.nerr == nerr0)
            gdi_ld_err(&l, at ? at : root, "the profile needs at least one service");
        return GD_INVALID;
    }
    p->services = gdi_arena_calloc(arena, (size_t)svcs->len * sizeof *p->services);
    if (!p->services) return GD_NOMEM;
    const gdi_node *e = gdi_first(svcs);
    for (uint32_t i = 0; i < svcs->len; i++, e = gdi_next(e)) {
        if (e->type != GDI_OBJECT) {
            gdi_ld_err(&l, e, "a service must be a mapping with id, provider and service_model");
            continue;
        }
        gdi_service *s = &p->services[p->nservices];
        uint32_t col;
        gdi_doc_line_col(doc, e, &s->line, &col);
        check_keys(&l, e, "a service", svc_keys);
        s->id = gdi_ld_str(&l, e, "id", true);
        if (s->id) {
            for (size_t j = 0; j < p->nservices; j++)
                if (strcmp(p->services[j].id, s->id) == 0)
                    gdi_ld_err(&l, gdi_obj_getc(e, "id"), "duplicate service id '%s' (first defined at line %u)",
                               s->id, p->services[j].line);
        }
        ld_tier(&l, ms, p->model, e, &s->tier, 0, true);
        const gdi_node *res = gdi_ld_array(&l, e, "resources");
        if (res && res->len) {
            s->resources = gdi_arena_calloc(arena, (size_t)res->len * sizeof *s->resources);
            const gdi_node *r = gdi_first(res);
            for (uint32_t j = 0; s->resources && j < res->len; j++, r = gdi_next(r)) {
                const char *pat = gdi_ld_scalar(&l, r, "a resource pattern");
                if (pat) s->resources[s->nresources++] = pat;
            }
        }
        if (s->id) p->nservices++;
    }
    if (l.nerr) return l.nomem ? GD_NOMEM : GD_INVALID;
    *out = p;
    return GD_OK;
}
