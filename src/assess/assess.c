/*
 * assess.c — where a deployment stands on one framework.
 *
 * Inputs: the catalog and its mapping (control -> duties, organisational),
 * the ownership matrix of the deployment profile (who owns each duty of
 * each service), findings (a scan of the inputs, or saved JSON results) and
 * attestations. Output: a gd_assess the renderers print.
 *
 * How a control's status is decided (docs/assess.md has the long form):
 *  1. A control the catalog marks `party: provider` (the SOC 3 areas) is
 *     inherited from the catalog's provider: it is the provider's audited
 *     control.
 *  2. A valid attestation on the control with status not_applicable makes
 *     it not_applicable; planned makes it not_met.
 *  3. The mapped duties are split by the matrix into customer parts (the
 *     customer is among the responsible parties of some service's row),
 *     provider-only parts (inherited, with the accountable provider and the
 *     row's basis) and unsettled parts (ambiguous, unowned or conflict rows).
 *     Duties no service carries are absent. Without a profile every duty
 *     counts as a customer part.
 *  4. Failing findings linked to the control (the rule cites the control, or
 *     one of its duties) make it not_met, or partial when other evidence
 *     for it exists.
 *  5. Otherwise: nothing customer-side and not organisational -> inherited
 *     (every duty absent -> not_applicable). Each customer or unsettled
 *     duty needs evidence (a rule covering it passed, or an attestation on
 *     the duty), and an organisational control needs an attestation on the
 *     control (which also covers its duties). All evidenced -> met; some ->
 *     partial (also when an attestation says partial); none -> unknown.
 * Expired or invalid attestations are never counted.
 *
 * C-RAF tiers: a met, inherited or not-applicable control achieves every
 * tier, except that a control whose higher tiers add requirements and whose
 * evidence is scans only achieves Baseline (a scanner sees configuration,
 * not the reviews and programmes higher tiers ask for), and an attestation
 * with `tier` caps what it covers. Tier cells marked N/A are met by the
 * tier below. A domain achieves the lowest tier of its controls; the
 * overall result is the lowest domain.
 */
#include "assess/assess.h"
#include "attribute.h"
#include "model/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *gdi_astatus_id(int s)
{
    static const char *const v[] = {
#define GDI_X_AS(name, id, en, zh) id,
        GDI_ASTATUS_LIST(GDI_X_AS)
#undef GDI_X_AS
    };
    return s >= 0 && s < GDI_AS__COUNT ? v[s] : "?";
}

const char *gdi_astatus_label(int s, const char *lang)
{
    static const char *const en[] = {
#define GDI_X_AS(name, id, e, zh) e,
        GDI_ASTATUS_LIST(GDI_X_AS)
#undef GDI_X_AS
    };
    static const char *const zh[] = {
#define GDI_X_AS(name, id, e, z) z,
        GDI_ASTATUS_LIST(GDI_X_AS)
#undef GDI_X_AS
    };
    if (s < 0 || s >= GDI_AS__COUNT) return "?";
    return lang && !strcmp(lang, "zh") ? zh[s] : en[s];
}

const char *gdi_rkind_id(int k)
{
    static const char *const v[] = {
#define GDI_X_RK(name, id) id,
        GDI_RK_LIST(GDI_X_RK)
#undef GDI_X_RK
    };
    return k >= 0 && k < (int)(sizeof v / sizeof v[0]) ? v[k] : "?";
}

const char *gdi_nkind_id(int k)
{
    static const char *const v[] = {
#define GDI_X_NK(name, id) id,
        GDI_NK_LIST(GDI_X_NK)
#undef GDI_X_NK
    };
    return k >= 0 && k < (int)(sizeof v / sizeof v[0]) ? v[k] : "?";
}

void gdi_iso_time(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ------------------------------------------------------------ building */

typedef struct actx {
    gd_assess *a;
    const gd_ruleset *rs;
    const gd_matrix *m;          /* NULL without a profile */
    const gdi_model *model;      /* the profile's model, else oscar-2020 */
    uint64_t *pass, *fail;       /* per rule index */
    size_t nrules;
} actx;

static const char *astrdup(gd_assess *a, const char *s)
{
    return s ? gdi_arena_strndup(&a->arena, s, strlen(s)) : NULL;
}

static const char *afmt(gd_assess *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *afmt(gd_assess *a, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return astrdup(a, buf);
}

static gd_status add_reason(gd_assess *a, gdi_actl *c, int kind, const char *ref, const char *text)
{
    if (!text) return GD_NOMEM;
    gd_status st = gdi_grow(a->ctx, (void **)&c->reasons, &c->capreasons, c->nreasons + 1,
                            sizeof *c->reasons);
    if (st) return st;
    c->reasons[c->nreasons++] = (gdi_reason){(uint8_t)kind, text, ref};
    return GD_OK;
}

static gd_status add_next(gd_assess *a, int kind, const char *ref, const char *text,
                          const char *text_zh, const char *controls)
{
    if (!text) return GD_NOMEM;
    for (size_t i = 0; i < a->nnext; i++)
        if (a->next[i].kind == kind && ref && a->next[i].ref && !strcmp(a->next[i].ref, ref))
            return GD_OK;
    gd_status st = gdi_grow(a->ctx, (void **)&a->next, &a->capnext, a->nnext + 1, sizeof *a->next);
    if (st) return st;
    a->next[a->nnext++] = (gdi_nextstep){(uint8_t)kind, ref, text, text_zh, controls};
    return GD_OK;
}

static bool valid_duty(void *ud, const char *id)
{
    const actx *x = ud;
    return !x->model || gdi_model_duty(x->model, id, strlen(id)) != NULL;
}

static bool ctl_has_duty(const gdi_control *c, const char *d)
{
    for (size_t i = 0; i < c->nduties; i++)
        if (!strcmp(c->duties[i], d)) return true;
    return false;
}

static bool rule_has_duty(const gdi_rule *r, const char *d)
{
    for (size_t i = 0; i < r->nduties; i++)
        if (!strcmp(r->duties[i], d)) return true;
    return false;
}

/* Does rule r cite control c of catalog cat directly? */
static bool rule_cites(const gdi_rule *r, const gdi_catalog *cat, const gdi_control *c)
{
    for (size_t i = 0; i < r->ncontrols; i++) {
        const gdi_control_ref *ref = &r->controls[i];
        if (strcmp(ref->framework, cat->id) && (!cat->based_on || strcmp(ref->framework, cat->based_on)))
            continue;
        for (size_t k = 0; k < ref->nids; k++)
            if (!strcmp(ref->ids[k], c->id)) return true;
    }
    return false;
}

static bool rule_links(const gdi_rule *r, const gdi_catalog *cat, const gdi_control *c)
{
    if (rule_cites(r, cat, c)) return true;
    for (size_t i = 0; i < r->nduties; i++)
        if (ctl_has_duty(c, r->duties[i])) return true;
    return false;
}

/* Same service and party (either may be NULL). */
static bool same_split(const gdi_afinding *x, const gdi_afinding *y)
{
    bool svc = x->service == y->service ||
               (x->service && y->service && strcmp(x->service, y->service) == 0);
    bool pty = x->party == y->party || (x->party && y->party && strcmp(x->party, y->party) == 0);
    return svc && pty;
}

/* With a profile, the failing findings of a control split by service and
 * by whose duties they are about there: one reason per (service, party), in
 * order of first appearance. */
static gd_status service_reasons(gd_assess *a, gdi_actl *ac)
{
    for (size_t i = 0; i < ac->nfails; i++) {
        const gdi_afinding *f = ac->fails[i];
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++) seen = same_split(ac->fails[j], f);
        if (seen) continue;
        size_t n = 0;
        for (size_t j = i; j < ac->nfails; j++) n += same_split(ac->fails[j], f);
        const char *who = f->party ? f->party : "none", *text;
        if (!f->service)
            text = afmt(a, "%zu failing finding(s) on resources no service of the profile covers", n);
        else if (strcmp(who, "customer") == 0)
            text = afmt(a, "service %s: %zu failing finding(s) on the customer's duties there",
                        f->service, n);
        else if (strcmp(who, "provider") == 0)
            text = afmt(a, "service %s: %zu failing finding(s) on duties %s holds there (settle "
                           "them with the provider)",
                        f->service, n, f->accountable ? f->accountable : "the provider");
        else if (strcmp(who, "unresolved") == 0)
            text = afmt(a, "service %s: %zu failing finding(s) on duties whose owner is not "
                           "settled there (settle them with the provider)",
                        f->service, n);
        else
            text = afmt(a, "service %s: %zu failing finding(s) on duties the service does not carry",
                        f->service, n);
        gd_status st = add_reason(a, ac, GDI_RK_FINDING, f->service ? f->service : "-", text);
        if (st) return st;
    }
    return GD_OK;
}

/* Collect findings and per-rule counts from one scan. */
static gd_status take_scan(actx *x, const gd_scan *s)
{
    gd_assess *a = x->a;
    size_t cap = a->nfindings;
    for (size_t i = 0; i < s->nfindings; i++) {
        const gdi_finding *f = &s->findings[i];
        if (!f->rule) continue;
        if (f->verdict == GDI_V_PASS) continue; /* counted through stats */
        gd_status st = gdi_grow(a->ctx, (void **)&a->findings, &cap, a->nfindings + 1,
                                sizeof *a->findings);
        if (st) return st;
        gdi_afinding *g = &a->findings[a->nfindings++];
        g->rule = f->rule;
        g->verdict = f->verdict;
        g->address = astrdup(a, f->address ? f->address : "");
        g->file = f->file < s->nfiles ? astrdup(a, s->files[f->file]) : NULL;
        g->line = f->line;
        if (!g->address) return GD_NOMEM;
        g->service = g->party = g->accountable = NULL;
        if (x->m) { /* split by service: whose duty the finding is about there */
            const gdi_service *sv = gdi_attr_service(x->m, g->address, f->type ? f->type : "");
            const char *prov = NULL;
            int party = gdi_attr_party(x->m, sv, f->rule->duties, f->rule->nduties, &prov);
            /* copies: the matrix is freed before the report is written */
            g->service = sv ? astrdup(a, sv->id) : NULL;
            g->party = gdi_party_name(party); /* a static name */
            g->accountable = party == GDI_PARTY_PROVIDER && prov ? astrdup(a, prov) : NULL;
            if ((sv && !g->service) || (party == GDI_PARTY_PROVIDER && prov && !g->accountable))
                return GD_NOMEM;
        }
    }
    if (s->stats)
        for (size_t r = 0; r < x->nrules && r < s->rs->nrules; r++) {
            x->pass[r] += s->stats[r].pass;
            x->fail[r] += s->stats[r].fail;
        }
    a->resources += s->nresources;
    return GD_OK;
}

/* Is path a saved gongdan JSON result? Looks at the first bytes only. */
static bool is_saved_result(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    char head[2048];
    size_t n = fread(head, 1, sizeof head - 1, f);
    fclose(f);
    head[n] = 0;
    const char *t = strstr(head, "\"tool\"");
    return t && strstr(t, "\"gongdan\"") && head[strspn(head, " \t\r\n")] == '{';
}

static gd_status gather_findings(actx *x, const gd_assess_opts *o, size_t *nerr)
{
    gd_assess *a = x->a;
    gd_status st = GD_OK;
    if (!o->ninputs) return GD_OK;
    if (!x->rs) return gdi_err(a->ctx, GD_MISUSE, NULL, 0, 0, "inputs given but no rules");
    const char **scan_paths = gdi_calloc(a->ctx, o->ninputs + 1, sizeof *scan_paths);
    if (!scan_paths) return GD_NOMEM;
    size_t nscan = 0;
    for (size_t i = 0; i < o->ninputs && !st; i++) {
        if (!is_saved_result(o->inputs[i])) {
            scan_paths[nscan++] = o->inputs[i];
            continue;
        }
        gd_scan *s = NULL;
        gd_status ls = gdi_scan_load_json(x->rs, o->inputs[i], &s);
        if (ls == GD_NOMEM) st = ls;
        else if (ls) (*nerr)++;
        if (s && !st) st = take_scan(x, s);
        gd_scan_free(s);
    }
    if (nscan && !st) {
        gd_scan *s = NULL;
        gd_status ss = gd_scan_run(x->rs, scan_paths, nscan, o->scan, &s);
        if (ss == GD_NOMEM || ss == GD_MISUSE) st = ss;
        else if (ss) (*nerr)++;
        if (s && !st) st = take_scan(x, s);
        gd_scan_free(s);
    }
    gdi_free(a->ctx, scan_paths);
    for (size_t r = 0; r < x->nrules; r++) a->rules_passing += x->pass[r] > 0 && x->fail[r] == 0;
    return st;
}

/* Ownership of one duty over all services. */
typedef struct dutyown {
    bool present;        /* some service carries it */
    bool customer;       /* the customer takes part somewhere */
    bool unsettled;      /* ambiguous / unowned / conflict somewhere */
    const gdi_own_row *provider_row; /* a provider-only row, for the basis */
    const gdi_own_row *bad_row;      /* an unsettled row */
} dutyown;

static dutyown own_of(const actx *x, const char *duty)
{
    dutyown o = {0};
    if (!x->m) {
        o.present = true;
        o.customer = true;
        return o;
    }
    const char *cust = x->m->profile->customer;
    for (size_t i = 0; i < x->m->nrows; i++) {
        const gdi_own_row *r = &x->m->rows[i];
        if (strcmp(r->duty->id, duty)) continue;
        o.present = true;
        bool has_c = false;
        for (size_t k = 0; k < r->nresponsible; k++) has_c = has_c || !strcmp(r->responsible[k], cust);
        if (r->status != GDI_OWN_OWNED) {
            o.unsettled = true;
            if (!o.bad_row) o.bad_row = r;
        }
        if (has_c) o.customer = true;
        else if (r->status == GDI_OWN_OWNED && !o.provider_row) o.provider_row = r;
    }
    return o;
}

static gd_status add_provider(gd_assess *a, gdi_actl *c, const char *p)
{
    if (!p) return GD_OK;
    for (size_t i = 0; i < c->nproviders; i++)
        if (!strcmp(c->providers[i], p)) return GD_OK;
    const char **v = gdi_arena_alloc(&a->arena, sizeof *v * (c->nproviders + 1));
    if (!v) return GD_NOMEM;
    if (c->nproviders) memcpy(v, c->providers, sizeof *v * c->nproviders);
    v[c->nproviders++] = p;
    c->providers = v;
    return GD_OK;
}

static gd_status add_att(gd_assess *a, gdi_actl *c, const gdi_attest *t)
{
    for (size_t i = 0; i < c->natts; i++)
        if (c->atts[i] == t) return GD_OK;
    gd_status st = gdi_grow(a->ctx, (void **)&c->atts, &c->capatts, c->natts + 1, sizeof *c->atts);
    if (st) return st;
    c->atts[c->natts++] = t;
    return GD_OK;
}

/* Basis of a row as one English sentence. */
static const char *row_basis(gd_assess *a, const gdi_own_row *r)
{
    const char *b = r->nbasis ? r->basis[0].text.en : "";
    return afmt(a, "%s (service %s): %s", r->accountable ? r->accountable : "?",
                r->service ? r->service->id : "-", b ? b : "");
}

/* The valid attestations for a control, and for one duty. */
static const gdi_attest *att_for_control(gd_assess *a, const gdi_control *c, bool *expired)
{
    const gdi_attest *best = NULL;
    for (size_t i = 0; i < a->natts; i++) {
        const gdi_attest *t = &a->atts[i];
        if (!t->applies || !t->control || strcmp(t->control, c->id)) continue;
        if (t->expired) {
            *expired = true;
            continue;
        }
        if (t->invalid) continue;
        best = t;
    }
    return best;
}

static const gdi_attest *att_for_duty(gd_assess *a, const char *duty)
{
    for (size_t i = 0; i < a->natts; i++) {
        const gdi_attest *t = &a->atts[i];
        if (t->applies && t->duty && !strcmp(t->duty, duty) && !t->expired && !t->invalid &&
            (t->status == GDI_ATT_IMPLEMENTED || t->status == GDI_ATT_PARTIAL))
            return t;
    }
    return NULL;
}

static gd_status assess_control(actx *x, gdi_actl *ac)
{
    gd_assess *a = x->a;
    const gdi_catalog *cat = a->cat;
    const gdi_control *c = ac->ctl;
    gd_status st = GD_OK;
    ac->tier = -1;
    /* 1. the provider's own audited control */
    if (c->party && !strcmp(c->party, "provider")) {
        ac->status = GDI_AS_INHERITED;
        ac->tier = cat->ntiers ? (int)cat->ntiers - 1 : -1;
        ac->owner = "provider";
        if ((st = add_provider(a, ac, cat->provider ? cat->provider : "provider"))) return st;
        return add_reason(a, ac, GDI_RK_OWNER, cat->provider,
                          afmt(a, "the provider's own control, covered by its audit report (%s)",
                               c->source ? c->source : cat->id));
    }
    bool expired = false;
    const gdi_attest *ca = att_for_control(a, c, &expired);
    if (expired)
        st = add_reason(a, ac, GDI_RK_ATTEST, NULL,
                        afmt(a, "an attestation on %s has expired and is not counted", c->id));
    if (st) return st;
    /* 2. attested not applicable / planned */
    if (ca && ca->status == GDI_ATT_NA) {
        ac->status = GDI_AS_NA;
        ac->tier = cat->ntiers ? (int)cat->ntiers - 1 : -1;
        ac->owner = "organisation";
        if ((st = add_att(a, ac, ca))) return st;
        return add_reason(a, ac, GDI_RK_ATTEST, ca->id,
                          afmt(a, "attested not applicable by %s on %s: %s", ca->by, ca->date,
                               ca->statement));
    }
    /* an unmapped control (imported catalogs): only rules citing it and
     * attestations on it can say anything */
    if (!c->mapped) {
        for (size_t i = 0; i < a->nfindings; i++)
            if (a->findings[i].verdict == GDI_V_FAIL && rule_cites(a->findings[i].rule, cat, c)) {
                if ((st = gdi_grow(a->ctx, (void **)&ac->fails, &ac->capfails, ac->nfails + 1,
                                   sizeof *ac->fails)))
                    return st;
                ac->fails[ac->nfails++] = &a->findings[i];
            }
        bool passed = false;
        for (size_t r = 0; r < x->nrules; r++) {
            const gdi_rule *rule = x->rs->rules[r];
            passed = passed || (x->pass[rule->index] && rule_cites(rule, cat, c));
        }
        bool attested = ca && (ca->status == GDI_ATT_IMPLEMENTED || ca->status == GDI_ATT_PARTIAL);
        if (ca) {
            ((gdi_attest *)ca)->used = true;
            if ((st = add_att(a, ac, ca))) return st;
            st = add_reason(a, ac, GDI_RK_ATTEST, ca->id,
                            afmt(a, "attested %s by %s on %s: %s", gdi_att_status_id(ca->status),
                                 ca->by, ca->date, ca->statement));
        }
        if (!st && ac->nfails)
            st = add_reason(a, ac, GDI_RK_FINDING, ac->fails[0]->rule->id,
                            afmt(a, "%zu failing finding(s), e.g. %s on %s", ac->nfails,
                                 ac->fails[0]->rule->id, ac->fails[0]->address));
        if (!st && !ac->nfails && !passed && !attested)
            st = add_reason(a, ac, GDI_RK_GAP, c->id,
                            afmt(a, "%s has no duty mapping: only rules citing it and attestations "
                                    "on it are evidence",
                                 c->id));
        if (st) return st;
        ac->owner = "customer";
        if (ca && ca->status == GDI_ATT_PLANNED) ac->status = GDI_AS_NOT_MET;
        else if (ac->nfails) ac->status = passed || attested ? GDI_AS_PARTIAL : GDI_AS_NOT_MET;
        else if (attested && ca->status == GDI_ATT_PARTIAL) ac->status = GDI_AS_PARTIAL;
        else if (attested || passed) ac->status = GDI_AS_MET;
        else ac->status = GDI_AS_UNKNOWN;
        if (cat->ntiers && ac->status == GDI_AS_MET) ac->tier = (int)cat->ntiers - 1;
        return GD_OK;
    }
    /* 3. ownership of the mapped duties */
    size_t ncust = 0, nprov = 0, nunset = 0, nabsent = 0, ncovered = 0, npartial = 0;
    bool scan_only = true, any_positive = false;
    int att_tier = -1; /* lowest explicit tier cap among counted attestations; -1 none */
    bool att_tier_set = false;
    for (size_t i = 0; i < c->nduties && !st; i++) {
        const char *d = c->duties[i];
        dutyown o = own_of(x, d);
        if (!o.present) {
            nabsent++;
            continue;
        }
        if (!o.customer && !o.unsettled) {
            nprov++;
            if (o.provider_row) {
                if ((st = add_provider(a, ac, o.provider_row->accountable))) break;
                st = add_reason(a, ac, GDI_RK_OWNER, d,
                                afmt(a, "%s is inherited from %s", d, row_basis(a, o.provider_row)));
            }
            continue;
        }
        if (o.unsettled) {
            nunset++;
            const gdi_own_row *r = o.bad_row;
            st = add_reason(a, ac, GDI_RK_OWNER, d,
                            afmt(a, "%s is %s for service %s: settle it with the provider", d,
                                 gdi_own_status_name(r->status), r->service ? r->service->id : "-"));
            if (!st) {
                const char *prov = r->service && r->service->tier.provider ? r->service->tier.provider->id : "the provider";
                st = add_next(a, GDI_NK_SETTLE, afmt(a, "%s@%s", d, r->service ? r->service->id : "-"),
                              afmt(a, "settle %s with %s for service %s (ownership %s)", d, prov,
                                   r->service ? r->service->id : "-", gdi_own_status_name(r->status)),
                              afmt(a, "与 %s 就服务 %s 的责任项 %s 明确责任（当前：%s）", prov,
                                   r->service ? r->service->id : "-", d, gdi_own_status_name(r->status)),
                              NULL);
            }
        } else {
            ncust++;
        }
        if (st) break;
        /* evidence for a customer-side duty */
        bool covered = false;
        for (size_t r = 0; r < x->nrules && !covered; r++) {
            const gdi_rule *rule = x->rs->rules[r];
            if (x->pass[rule->index] && !x->fail[rule->index] && rule_has_duty(rule, d)) {
                covered = true;
                st = add_reason(a, ac, GDI_RK_PASS, rule->id,
                                afmt(a, "%s: rule %s passed on %llu resource(s)", d, rule->id,
                                     (unsigned long long)x->pass[rule->index]));
            }
        }
        if (!covered) {
            const gdi_attest *t = att_for_duty(a, d);
            if (t) {
                covered = true;
                scan_only = false;
                if (t->status == GDI_ATT_PARTIAL) npartial++;
                if (t->tier >= 0 && (!att_tier_set || t->tier < att_tier)) att_tier = t->tier, att_tier_set = true;
                ((gdi_attest *)t)->used = true;
                if (!st) st = add_att(a, ac, t);
                if (!st)
                    st = add_reason(a, ac, GDI_RK_ATTEST, t->id,
                                    afmt(a, "%s: attested %s by %s on %s", d, gdi_att_status_id(t->status),
                                         t->by, t->date));
            }
        }
        if (!covered && ca && (ca->status == GDI_ATT_IMPLEMENTED || ca->status == GDI_ATT_PARTIAL))
            covered = true; /* the control attestation covers it */
        if (covered) ncovered++;
        else if (!st)
            st = add_reason(a, ac, GDI_RK_GAP, d, afmt(a, "%s: no evidence (no rule covering it passed, no attestation)", d));
        if (!covered && !st)
            st = add_next(a, GDI_NK_COVER, d,
                          afmt(a, "provide evidence for %s: a scan with a rule covering it, or an "
                                  "attestation on the duty",
                               d),
                          afmt(a, "为责任项 %s 提供证据：覆盖它的扫描规则或对该责任项的证明", d), NULL);
    }
    if (st) return st;
    /* control attestation */
    bool org_ok = !c->organisational;
    if (ca && ca->status != GDI_ATT_NA) {
        ((gdi_attest *)ca)->used = true;
        if ((st = add_att(a, ac, ca))) return st;
        scan_only = false;
        if (ca->tier >= 0 && (!att_tier_set || ca->tier < att_tier)) att_tier = ca->tier, att_tier_set = true;
        if (ca->status == GDI_ATT_IMPLEMENTED || ca->status == GDI_ATT_PARTIAL) {
            org_ok = true;
            any_positive = true;
            if (ca->status == GDI_ATT_PARTIAL) npartial++;
        }
        st = add_reason(a, ac, GDI_RK_ATTEST, ca->id,
                        afmt(a, "attested %s by %s on %s%s%s: %s", gdi_att_status_id(ca->status),
                             ca->by, ca->date, ca->expires ? ", expires " : "",
                             ca->expires ? ca->expires : "", ca->statement));
        if (st) return st;
    }
    if (c->organisational && !org_ok) {
        st = add_reason(a, ac, GDI_RK_GAP, c->id,
                        afmt(a, "organisational: needs an attestation on %s", c->id));
        if (!st)
            st = add_next(a, GDI_NK_ATTEST, afmt(a, "%s:%s", a->cat->id, c->id),
                          afmt(a, "attest %s %s (%s)%s", a->cat->id, c->id, c->title.en,
                               expired ? ": the attestation expired, renew it" : ""),
                          afmt(a, "为 %s %s（%s）提供证明%s", a->cat->id, c->id,
                               c->title.zh ? c->title.zh : c->title.en, expired ? "：原证明已过期，请更新" : ""),
                          NULL);
        if (st) return st;
    }
    /* 4. failing findings */
    for (size_t i = 0; i < a->nfindings; i++) {
        const gdi_afinding *f = &a->findings[i];
        if (!rule_links(f->rule, cat, c)) continue;
        if (f->verdict == GDI_V_FAIL) {
            if ((st = gdi_grow(a->ctx, (void **)&ac->fails, &ac->capfails, ac->nfails + 1,
                               sizeof *ac->fails)))
                return st;
            ac->fails[ac->nfails++] = f;
        }
    }
    if (ac->nfails) {
        const gdi_afinding *f0 = ac->fails[0];
        st = add_reason(a, ac, GDI_RK_FINDING, f0->rule->id,
                        afmt(a, "%zu failing finding(s), e.g. %s on %s", ac->nfails, f0->rule->id,
                             f0->address));
        if (st) return st;
        if (x->m && (st = service_reasons(a, ac))) return st;
    }
    for (size_t r = 0; r < x->nrules; r++) {
        const gdi_rule *rule = x->rs->rules[r];
        if (x->pass[rule->index] && rule_links(rule, cat, c)) any_positive = true;
        /* a rule that cites the control directly and passed counts as evidence */
        if (x->pass[rule->index] && !x->fail[rule->index] && rule_cites(rule, cat, c) && !c->nduties) {
            ncovered++;
            ncust++;
        }
    }
    any_positive = any_positive || ncovered > 0;
    ac->owner = ncust || nunset ? (nprov ? "shared" : "customer") : nprov ? "provider" : c->organisational ? "organisation" : NULL;
    if (c->organisational && !ncust && !nunset) ac->owner = nprov ? "shared" : "organisation";
    /* status */
    if (ca && ca->status == GDI_ATT_PLANNED) {
        ac->status = GDI_AS_NOT_MET;
    } else if (ac->nfails) {
        ac->status = any_positive ? GDI_AS_PARTIAL : GDI_AS_NOT_MET;
    } else if (!ncust && !nunset && !c->organisational) {
        if (nprov) {
            ac->status = GDI_AS_INHERITED;
        } else {
            ac->status = GDI_AS_NA;
            st = add_reason(a, ac, GDI_RK_OWNER, NULL,
                            afmt(a, "no service of the deployment carries %s's duties", c->id));
        }
    } else {
        size_t need = ncust + nunset + (c->organisational ? 1 : 0);
        size_t have = ncovered + (c->organisational && org_ok ? 1 : 0);
        if (have >= need && !npartial)
            ac->status = GDI_AS_MET;
        else if (have > 0)
            ac->status = GDI_AS_PARTIAL;
        else
            ac->status = GDI_AS_UNKNOWN;
    }
    if (st) return st;
    /* tiers */
    if (cat->ntiers) {
        int top = (int)cat->ntiers - 1;
        if (ac->status == GDI_AS_MET || ac->status == GDI_AS_INHERITED || ac->status == GDI_AS_NA) {
            int t = top;
            if (ac->status == GDI_AS_MET && c->has_tiers) {
                if (scan_only) t = 0;
                if (att_tier_set && att_tier < t) t = att_tier;
                /* N/A cells above are met by the tier below */
                while (t < top && !c->tier_text[t + 1]) t++;
            }
            ac->tier = t;
        }
    }
    return GD_OK;
}

static gd_status next_steps(actx *x)
{
    gd_assess *a = x->a;
    gd_status st = GD_OK;
    /* failing rules, with the controls they break */
    for (size_t r = 0; r < x->nrules && !st; r++) {
        const gdi_rule *rule = x->rs->rules[r];
        size_t nres = 0;
        for (size_t i = 0; i < a->nfindings; i++)
            nres += a->findings[i].rule == rule && a->findings[i].verdict == GDI_V_FAIL;
        if (!nres) continue;
        gdi_buf ids;
        gdi_buf_init(&ids, a->ctx);
        for (size_t i = 0; i < a->nctls; i++)
            for (size_t k = 0; k < a->ctls[i].nfails; k++)
                if (a->ctls[i].fails[k]->rule == rule) {
                    if (ids.n) gdi_buf_puts(&ids, ", ");
                    gdi_buf_puts(&ids, a->ctls[i].ctl->id);
                    break;
                }
        if (!ids.n) {
            gdi_buf_free(&ids);
            continue; /* fails nothing in this framework */
        }
        const char *ctl = ids.oom ? NULL : astrdup(a, gdi_buf_cstr(&ids));
        gdi_buf_free(&ids);
        if (!ctl) return GD_NOMEM;
        st = add_next(a, GDI_NK_REMEDIATE, rule->id,
                      afmt(a, "fix %s (%s) on %zu resource(s): %s", rule->id, rule->title_en, nres,
                           rule->remediation_en ? rule->remediation_en : "see the rule"),
                      afmt(a, "修复 %s（%s），涉及 %zu 个资源：%s", rule->id,
                           rule->title_zh ? rule->title_zh : rule->title_en, nres,
                           rule->remediation_zh ? rule->remediation_zh
                                                : (rule->remediation_en ? rule->remediation_en : "")),
                      ctl);
    }
    for (size_t i = 0; i < a->natts && !st; i++) {
        const gdi_attest *t = &a->atts[i];
        if (!t->applies) continue;
        if (t->invalid) {
            const char *bad = NULL;
            for (size_t k = 0; k < t->nev; k++)
                if (!t->ev[k].ok) bad = t->ev[k].path;
            st = add_next(a, GDI_NK_EVIDENCE, t->id,
                          afmt(a, "attestation %s (%s) is rejected: %s", t->id, t->file,
                               bad ? afmt(a, "evidence %s is missing or was changed after it was attested", bad)
                                   : "it has errors"),
                          afmt(a, "证明 %s 被拒绝：%s", t->id,
                               bad ? afmt(a, "证据文件 %s 缺失或在证明后被修改", bad) : "内容有错误"),
                          t->control);
        } else if (t->expired) {
            st = add_next(a, GDI_NK_RENEW, t->id,
                          afmt(a, "renew attestation %s on %s: it expired on %s", t->id,
                               t->control ? t->control : t->duty, t->expires),
                          afmt(a, "更新证明 %s（%s）：已于 %s 过期", t->id,
                               t->control ? t->control : t->duty, t->expires),
                          t->control);
        }
    }
    if (st) return st;
    if (a->level_rule == 0)
        st = add_next(a, GDI_NK_LEVEL, "level",
                      afmt(a, "the system is graded level %d but the cloud platform only level %d: "
                              "move to a platform graded at level %d or higher",
                           a->level, a->platform_level, a->level),
                      afmt(a, "系统定级为第%d级，而云平台仅为第%d级：请迁移到第%d级及以上的云平台",
                           a->level, a->platform_level, a->level),
                      NULL);
    else if (a->level_rule < 0 && a->cat->level)
        st = add_next(a, GDI_NK_LEVEL, "level",
                      afmt(a, "state the cloud platform's protection level (--platform-level) to "
                              "check the level rule"),
                      afmt(a, "请提供云平台的等级保护级别（--platform-level）以检查定级规则"), NULL);
    /* order: remediation, evidence problems, renewals, level, settle, attest, cover */
    static const int order[] = {GDI_NK_REMEDIATE, GDI_NK_EVIDENCE, GDI_NK_RENEW, GDI_NK_LEVEL,
                                GDI_NK_SETTLE,    GDI_NK_ATTEST,   GDI_NK_COVER};
    gdi_nextstep *sorted = gdi_arena_alloc(&a->arena, sizeof *sorted * (a->nnext ? a->nnext : 1));
    if (!sorted) return GD_NOMEM;
    size_t k = 0;
    for (size_t o = 0; o < sizeof order / sizeof order[0]; o++)
        for (size_t i = 0; i < a->nnext; i++)
            if (a->next[i].kind == order[o]) sorted[k++] = a->next[i];
    if (k) memcpy(a->next, sorted, sizeof *sorted * k); /* next is NULL when empty */
    return st;
}

static void rollup(gd_assess *a)
{
    const gdi_catalog *cat = a->cat;
    a->overall_tier = cat->ntiers ? (int)cat->ntiers - 1 : -1;
    for (size_t i = 0; i < a->nctls; i++) {
        gdi_actl *c = &a->ctls[i];
        a->counts[c->status]++;
        const gdi_cgroup *g = gdi_catalog_top_group(cat, c->ctl);
        gdi_adomain *d = NULL;
        for (size_t k = 0; k < a->ndomains; k++)
            if (a->domains[k].group == g) d = &a->domains[k];
        if (!d) {
            d = &a->domains[a->ndomains++];
            d->group = g;
            d->tier = cat->ntiers ? (int)cat->ntiers - 1 : -1;
        }
        d->ncontrols++;
        d->counts[c->status]++;
        if (cat->ntiers) {
            if (c->tier < d->tier) d->tier = c->tier;
            for (int t = 0; t <= c->tier && t < GDI_MAX_TIERS; t++) d->tier_count[t]++;
        }
    }
    for (size_t k = 0; k < a->ndomains; k++)
        if (cat->ntiers && a->domains[k].tier < a->overall_tier) a->overall_tier = a->domains[k].tier;
}

GD_API gd_status gd_assess_run(const gd_catalogset *cs, gd_modelset *ms, const gd_ruleset *rs,
                               const gd_assess_opts *o, gd_assess **out)
{
    if (!cs || !ms || !o || !o->framework || !out) return GD_MISUSE;
    *out = NULL;
    gd_ctx *ctx = cs->ctx;
    const gdi_catalog *cat = gdi_catalogset_find(cs, o->framework);
    if (!cat)
        return gdi_err(ctx, GD_NOTFOUND, NULL, 0, 0,
                       "unknown framework '%s' ('gongdan catalog list' shows them)", o->framework);
    gd_assess *a = gdi_calloc(ctx, 1, sizeof *a);
    if (!a) return GD_NOMEM;
    a->ctx = ctx;
    gdi_arena_init(&a->arena, ctx, 64 * 1024);
    a->cat = cat;
    a->now = o->now ? o->now : (int64_t)time(NULL);
    char day[32];
    gdi_iso_time(a->now, day);
    day[10] = 0;
    a->date = astrdup(a, day);
    a->profile = astrdup(a, o->profile);
    a->attest_path = astrdup(a, o->attestations);
    a->target_tier = -1;
    a->level_rule = -1;
    actx x = {a, rs, NULL, NULL, NULL, NULL, rs ? rs->nrules : 0};
    gd_matrix *m = NULL;
    size_t nerr = 0;
    gd_status st = GD_OK;
    if (!a->date) {
        st = GD_NOMEM;
        goto done;
    }
    if (o->ninputs) {
        a->inputs = gdi_arena_alloc(&a->arena, sizeof *a->inputs * o->ninputs);
        if (!a->inputs) {
            st = GD_NOMEM;
            goto done;
        }
        for (size_t i = 0; i < o->ninputs; i++)
            if (!(a->inputs[i] = astrdup(a, o->inputs[i]))) {
                st = GD_NOMEM;
                goto done;
            }
        a->ninputs = o->ninputs;
    }
    if (o->inherent_risk) {
        static const char *const risk[] = {"low", "medium", "high"};
        for (int i = 0; i < 3; i++)
            if (!strcmp(o->inherent_risk, risk[i])) a->target_tier = i;
        if (a->target_tier < 0 || !cat->ntiers) {
            st = gdi_err(ctx, GD_INVALID, NULL, 0, 0,
                         cat->ntiers ? "inherent risk must be low, medium or high"
                                     : "--inherent-risk applies only to tiered frameworks (craf-2.0)");
            goto done;
        }
        if (a->target_tier >= (int)cat->ntiers) a->target_tier = (int)cat->ntiers - 1;
        a->inherent_risk = astrdup(a, o->inherent_risk);
    }
    if (cat->level) {
        a->level = o->level ? o->level : cat->level;
        a->platform_level = o->platform_level;
        if (a->platform_level) a->level_rule = a->level <= a->platform_level;
        if (a->level != cat->level)
            gdi_diag_add(ctx, GD_DIAG_WARNING, NULL, 0, 0,
                         "the %s catalog lists the level %d requirements; the system is level %d",
                         cat->id, cat->level, a->level);
    }
    /* ownership */
    if (o->profile) {
        gd_status ps = gd_matrix_new(ms, o->profile, &m);
        if (ps == GD_NOMEM) {
            st = ps;
            goto done;
        }
        if (ps) {
            nerr++;
            m = NULL;
        } else {
            x.m = m;
            x.model = m->profile->model;
            a->customer = astrdup(a, m->profile->customer);
        }
    }
    if (!x.model) x.model = gdi_modelset_model(ms, "oscar-2020", 10);
    if (!a->customer) a->customer = "customer";
    /* findings */
    if (x.nrules) {
        x.pass = gdi_calloc(ctx, x.nrules, sizeof *x.pass);
        x.fail = gdi_calloc(ctx, x.nrules, sizeof *x.fail);
        if (!x.pass || !x.fail) {
            st = GD_NOMEM;
            goto done;
        }
    }
    if ((st = gather_findings(&x, o, &nerr))) goto done;
    /* attestations */
    if (o->attestations) {
        size_t aerr = 0;
        int64_t today = a->now / 86400;
        st = gdi_attest_load(ctx, &a->arena, o->attestations, cat, valid_duty, &x, today, &a->atts,
                             &a->natts, &aerr);
        if (st == GD_NOMEM) goto done;
        if (st) {
            nerr++;
            st = GD_OK;
        }
        nerr += aerr;
        for (size_t i = 0; i < a->natts; i++)
            if (a->atts[i].expired && a->atts[i].applies) {
                a->nexpired++;
                gdi_diag_add(ctx, GD_DIAG_WARNING, a->atts[i].file, a->atts[i].line, a->atts[i].col,
                             "attestation '%s' expired on %s and counts as missing", a->atts[i].id,
                             a->atts[i].expires);
            }
    }
    /* controls */
    a->nctls = cat->ncontrols;
    a->ctls = gdi_arena_calloc(&a->arena, sizeof *a->ctls * (cat->ncontrols ? cat->ncontrols : 1));
    a->domains = gdi_arena_calloc(&a->arena, sizeof *a->domains * (cat->ncontrols ? cat->ncontrols : 1));
    if (!a->ctls || !a->domains) {
        st = GD_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < cat->ncontrols && !st; i++) {
        a->ctls[i].ctl = &cat->controls[i];
        st = assess_control(&x, &a->ctls[i]);
    }
    if (st) goto done;
    rollup(a);
    st = next_steps(&x);
    a->nerrors = nerr;
done:
    /* reasons/fails/atts were grown with the ctx allocator: move them into
     * the arena so gd_assess_free has one thing to free */
    for (size_t i = 0; a->ctls && i < a->nctls; i++) {
        gdi_actl *c = &a->ctls[i];
        if (c->nreasons && !st) {
            gdi_reason *v = gdi_arena_alloc(&a->arena, sizeof *v * c->nreasons);
            if (v) memcpy(v, c->reasons, sizeof *v * c->nreasons);
            else st = GD_NOMEM;
            gdi_free(ctx, c->reasons);
            c->reasons = v;
        } else {
            gdi_free(ctx, c->reasons);
            c->reasons = NULL;
            c->nreasons = 0;
        }
        c->capreasons = 0;
        if (c->nfails && !st) {
            const gdi_afinding **v = gdi_arena_alloc(&a->arena, sizeof *v * c->nfails);
            if (v) memcpy(v, c->fails, sizeof *v * c->nfails);
            else st = GD_NOMEM;
            gdi_free(ctx, c->fails);
            c->fails = v;
        } else {
            gdi_free(ctx, c->fails);
            c->fails = NULL;
            c->nfails = 0;
        }
        c->capfails = 0;
        if (c->natts && !st) {
            const gdi_attest **v = gdi_arena_alloc(&a->arena, sizeof *v * c->natts);
            if (v) memcpy(v, c->atts, sizeof *v * c->natts);
            else st = GD_NOMEM;
            gdi_free(ctx, c->atts);
            c->atts = v;
        } else {
            gdi_free(ctx, c->atts);
            c->atts = NULL;
            c->natts = 0;
        }
        c->capatts = 0;
    }
    gdi_free(ctx, x.pass);
    gdi_free(ctx, x.fail);
    gd_matrix_free(m);
    if (st) {
        gd_assess_free(a);
        return st;
    }
    *out = a;
    return nerr ? GD_INVALID : GD_OK;
}

GD_API void gd_assess_free(gd_assess *a)
{
    if (!a) return;
    gd_ctx *ctx = a->ctx;
    gdi_free(ctx, a->findings);
    gdi_free(ctx, a->next);
    gdi_arena_free(&a->arena);
    gdi_free(ctx, a);
}

GD_API int gd_assess_tier_achieved(const gd_assess *a)
{
    return a && a->cat->ntiers ? a->overall_tier : -1;
}

GD_API int gd_assess_tier_index(const gd_assess *a, const char *tier)
{
    return a ? gdi_catalog_tier(a->cat, tier) : -1;
}

GD_API size_t gd_assess_count(const gd_assess *a, int status)
{
    return a && status >= 0 && status < GDI_AS__COUNT ? a->counts[status] : 0;
}

GD_API int gd_assess_level_rule(const gd_assess *a)
{
    return a ? a->level_rule : -1;
}

GD_API gd_status gd_assess_format_parse(const char *name, gd_assess_format *out)
{
    static const char *const names[] = {
#define GD_X_AF(n, s) s,
        GD_ASSESS_FORMAT_LIST(GD_X_AF)
#undef GD_X_AF
    };
    for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(name, names[i])) {
            *out = (gd_assess_format)i;
            return GD_OK;
        }
    return GD_INVALID;
}

GD_API gd_status gd_assess_write(const gd_assess *a, gd_assess_format format, const char *lang,
                                 FILE *out)
{
    if (!a || !out) return GD_MISUSE;
    const char *lg = lang && !strcmp(lang, "zh") ? "zh" : "en";
    gdi_buf b;
    gdi_buf_init(&b, a->ctx);
    switch (format) {
    case GD_ASSESS_TEXT: gdi_assess_text(a, lg, &b); break;
    case GD_ASSESS_JSON: gdi_assess_json(a, lg, &b); break;
    case GD_ASSESS_CSV: gdi_assess_csv(a, lg, &b); break;
    case GD_ASSESS_HTML: gdi_assess_html(a, lg, &b); break;
    case GD_ASSESS_OSCAL: gdi_assess_oscal(a, lg, &b); break;
    default: gdi_buf_free(&b); return GD_MISUSE;
    }
    gd_status st = GD_OK;
    if (b.oom) st = GD_NOMEM;
    else if (b.n && fwrite(b.p, 1, b.n, out) != b.n)
        st = gdi_err(a->ctx, GD_IO, NULL, 0, 0, "cannot write the assessment");
    gdi_buf_free(&b);
    return st;
}
