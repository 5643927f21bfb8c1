/*
 * resolve.c — ownership resolution: (model, provider profiles, deployment
 * profile) -> one row per (service, duty). A pure function: it reads the
 * validated profile and the immutable modelset and writes rows into an
 * arena; nothing else changes.
 *
 * The rules
 *
 * 1. Division. The service's service model picks the division of the duty
 *    (tables 1, 3, 4 for oscar-2020; table 6 for mlps-2.0). A duty with no
 *    division under that service model gives no row.
 *
 * 2. Negotiable duties take, in order: the option the profile agreed
 *    (`options:` of the service, basis "contract"); else the provider's
 *    stated default (basis "provider_default", with its confidence); else
 *    the duty is `ambiguous` (nobody responsible, nobody accountable). An
 *    option's machine reading (data/models) gives the roles.
 *
 * 3. Roles to parties. provider `required` makes the provider responsible;
 *    `provides_capability` lists the provider under `capability` (it must
 *    supply the feature) and the customer, who must use it, is responsible;
 *    customer `required` makes the customer responsible. Accountable is the
 *    provider when only the provider is responsible, else the customer
 *    (shared duties and duties the customer performs with the provider's
 *    means are the customer's to answer for; the provider answers for its
 *    own part through the responsible list).
 *
 * 4. Provider positions. When the provider's profile states a split that
 *    differs from the model (e.g. every appendix-1 case claims only part of
 *    customer-data storage security, which table 1 gives to the provider
 *    alone), the row becomes `conflict`: responsible is the union of both
 *    readings, accountable follows the model, and the basis lists both, so
 *    the customer sees where a provider claims less than the model needs.
 *
 * 5. Supply chains (`runs_on`). For duties whose object is the
 *    infrastructure the vendor rents — categories physical,
 *    resource_abstraction, os, network (mlps-2.0: physical_environment,
 *    communication_network) — and where the vendor itself is responsible,
 *    the vendor is replaced in the responsible list by the parties that
 *    resolving the same duty in each lower tier gives, with the vendor as
 *    that tier's customer: the vendor's options toward the lower provider
 *    and the lower provider's defaults and positions apply, and lower tiers
 *    resolve their own `runs_on` the same way (any depth). The vendor stays
 *    accountable. So a data-centre duty becomes responsible: [iaas
 *    provider], accountable: vendor, while security groups, which the IaaS
 *    provider only offers as a capability, stay the vendor's. Application,
 *    data and IAM duties concern the vendor's own application, the
 *    customer's data inside it and the vendor's own console: the vendor
 *    performs them and nothing is delegated. Customer-side parts are never
 *    touched. The row's status is the worst of all tiers (conflict >
 *    ambiguous > unowned > owned) and `chain` lists the hops (depth first).
 *
 * 6. Provider-host images over IaaS. PaaS/SaaS leaves
 *    os.image.provider_host.{creation, version_management,
 *    verification_review, vulnerability_management} have no leaf of the
 *    same id in the IaaS division. Reading chosen: the lower tier's
 *    `image_source` (default other_source) names the IaaS image class the
 *    vendor's hosts are built from, and the leaf of the same suffix in that
 *    class is resolved (other_source: the vendor builds its own images, so
 *    they stay the vendor's; public: the IaaS provider makes the images and
 *    vulnerability management follows table 2 row 1). Where the class has
 *    no such leaf (marketplace images have no version-management row), or
 *    any other leaf has no counterpart, the vendor performs the duty.
 *
 * 7. A row whose responsible list ends up empty is `unowned`.
 */
#include "model/model.h"

#include <stdio.h>

#define MAXP 32     /* parties per row */
#define MAXB 24     /* basis entries per row */
#define MAXC 24     /* chain hops per row */

typedef struct work {
    gdi_arena *arena;
    const gdi_model *model;
    const char *resp[MAXP];
    size_t nresp;
    const char *cap[MAXP];
    size_t ncap;
    const char *accountable;
    int status;
    const char *option;
    gdi_basis basis[MAXB];
    size_t nbasis;
    const char *chain[MAXC];
    size_t nchain;
    bool nomem;
} work;

static const char *const status_names[] = {
#define GDI_X_OS(name, str) str,
    GDI_STATUS_LIST(GDI_X_OS)
#undef GDI_X_OS
};
static const char *const basis_names[] = {
#define GDI_X_BK(name, str) str,
    GDI_BASIS_LIST(GDI_X_BK)
#undef GDI_X_BK
};
static const char *const ccm_names[] = {
#define GDI_X_CCM(name, str) str,
    GDI_CCM_LIST(GDI_X_CCM)
#undef GDI_X_CCM
};

const char *gdi_own_status_name(int st)
{
    return st >= 0 && st <= GDI_OWN_CONFLICT ? status_names[st] : "?";
}
const char *gdi_basis_kind_name(int k)
{
    return k >= 0 && k <= GDI_BASIS_GAP ? basis_names[k] : "?";
}
const char *gdi_ccm_name(int c)
{
    return c >= 0 && c <= GDI_CCM_UNDETERMINED ? ccm_names[c] : "?";
}

/* Severity order of statuses for combining tiers. */
static int status_rank(int st)
{
    switch (st) {
    case GDI_OWN_CONFLICT: return 3;
    case GDI_OWN_AMBIGUOUS: return 2;
    case GDI_OWN_UNOWNED: return 1;
    default: return 0;
    }
}

static void set_add(const char **set, size_t *n, const char *p)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(set[i], p) == 0) return;
    if (*n < MAXP) set[(*n)++] = p;
}

static void set_remove(const char **set, size_t *n, const char *p)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(set[i], p) == 0) {
            memmove(&set[i], &set[i + 1], (*n - i - 1) * sizeof *set);
            (*n)--;
            return;
        }
}

static bool set_has(const char *const *set, size_t n, const char *p)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(set[i], p) == 0) return true;
    return false;
}

static const char *dup(work *w, const char *s)
{
    char *c = gdi_arena_strndup(w->arena, s, strlen(s));
    if (!c) w->nomem = true;
    return c ? c : "";
}

/* Append a basis entry; prefix (may be "") goes in front of both texts. */
static void add_basis(work *w, int kind, const char *prefix, const char *en, const char *zh)
{
    if (w->nbasis >= MAXB) return;
    char buf[1024];
    gdi_basis *b = &w->basis[w->nbasis++];
    b->kind = (uint8_t)kind;
    snprintf(buf, sizeof buf, "%s%s", prefix, en);
    b->text.en = dup(w, buf);
    snprintf(buf, sizeof buf, "%s%s", prefix, zh);
    b->text.zh = dup(w, buf);
}

static void cite(const gdi_division *dv, char *en, size_t en_n, char *zh, size_t zh_n)
{
    if (dv->via_table) {
        const char *same = dv->via_table == 3 ? "PaaS" : "IaaS";
        snprintf(en, en_n, "table %d row %d (same as %s: table %d row %d)", dv->table, dv->row, same,
                 dv->via_table, dv->via_row);
        snprintf(zh, zh_n, "表%d第%d行（同%s：表%d第%d行）", dv->table, dv->row, same, dv->via_table,
                 dv->via_row);
    } else {
        snprintf(en, en_n, "table %d row %d", dv->table, dv->row);
        snprintf(zh, zh_n, "表%d第%d行", dv->table, dv->row);
    }
}

static bool delegated_category(const gdi_model *m, const gdi_duty *d)
{
    static const char *const cats[] = {"physical", "resource_abstraction", "os", "network",
                                       "physical_environment", "communication_network", NULL};
    const char *c = m->categories[d->category].id;
    for (size_t i = 0; cats[i]; i++)
        if (strcmp(c, cats[i]) == 0) return true;
    return false;
}

/* The duty that stands for d in a lower tier with service model sm, or NULL
 * when the lower division has no counterpart (rule 6). */
static const gdi_duty *lower_duty(const gdi_model *m, const gdi_duty *d, int sm, int image_source)
{
    if (d->div[sm].present) return d;
    static const char prefix[] = "os.image.provider_host.";
    size_t pl = sizeof prefix - 1;
    if (strncmp(d->id, prefix, pl) != 0) return NULL;
    const char *cls = image_source == GDI_IMG_PUBLIC        ? "os.image.public."
                      : image_source == GDI_IMG_MARKETPLACE ? "os.image.marketplace."
                                                             : "os.image.other_source.";
    char id[160];
    int n = snprintf(id, sizeof id, "%s%s", cls, d->id + pl);
    if (n < 0 || (size_t)n >= sizeof id) return NULL;
    const gdi_duty *x = gdi_model_duty(m, id, (size_t)n);
    return x && x->div[sm].present ? x : NULL;
}

static void resolve_tier(work *w, const gdi_tier *t, const gdi_duty *d, const char *customer,
                         const char *prefix, int depth);

/* Rule 5: replace provider P by the parties of the lower tiers. */
static void delegate(work *w, const gdi_tier *t, const gdi_duty *d, const char *prefix, int depth)
{
    const char *P = t->provider->id;
    const char *lower_resp[MAXP];
    size_t nlower = 0;
    bool any = false;
    for (size_t i = 0; i < t->nruns_on; i++) {
        const gdi_tier *lt = &t->runs_on[i];
        if (!lt->provider || lt->sm < 0) continue;
        char hop[160], pre[200];
        snprintf(hop, sizeof hop, "%s/%s", lt->provider->id, gdi_sm_name(lt->sm));
        snprintf(pre, sizeof pre, "%s[%s] ", prefix, hop);
        const gdi_duty *ld = lower_duty(w->model, d, lt->sm, lt->image_source);
        if (!ld) {
            char en[512], zh[512];
            snprintf(en, sizeof en, "%s has no counterpart of this duty under %s; %s performs it itself",
                     lt->provider->id, gdi_sm_name(lt->sm), P);
            snprintf(zh, sizeof zh, "%s 在 %s 下没有对应责任；由 %s 自行承担", lt->provider->id,
                     gdi_sm_name(lt->sm), P);
            add_basis(w, GDI_BASIS_CHAIN, pre, en, zh);
            set_add(lower_resp, &nlower, P);
            any = true;
            continue;
        }
        if (w->nchain < MAXC) w->chain[w->nchain++] = dup(w, hop);
        /* Resolve the lower tier in a fresh work area with P as its customer. */
        work *sub = gdi_arena_calloc(w->arena, sizeof *sub);
        if (!sub) {
            w->nomem = true;
            return;
        }
        sub->arena = w->arena;
        sub->model = w->model;
        if (ld != d) {
            char en[512], zh[512];
            snprintf(en, sizeof en, "provider-host images read as %s (image_source) under %s",
                     ld->id, gdi_sm_name(lt->sm));
            snprintf(zh, sizeof zh, "提供者主机镜像按 %s（image_source）在 %s 下解析", ld->id,
                     gdi_sm_name(lt->sm));
            add_basis(w, GDI_BASIS_READING, pre, en, zh);
        }
        resolve_tier(sub, lt, ld, P, pre, depth + 1);
        if (sub->nomem) w->nomem = true;
        for (size_t j = 0; j < sub->nresp; j++) set_add(lower_resp, &nlower, sub->resp[j]);
        for (size_t j = 0; j < sub->ncap; j++) set_add(w->cap, &w->ncap, sub->cap[j]);
        for (size_t j = 0; j < sub->nbasis && w->nbasis < MAXB; j++) w->basis[w->nbasis++] = sub->basis[j];
        for (size_t j = 0; j < sub->nchain && w->nchain < MAXC; j++) w->chain[w->nchain++] = sub->chain[j];
        if (status_rank(sub->status) > status_rank(w->status)) w->status = sub->status;
        any = true;
    }
    if (!any) return;
    set_remove(w->resp, &w->nresp, P);
    for (size_t j = 0; j < nlower; j++) set_add(w->resp, &w->nresp, lower_resp[j]);
}

static void apply_roles(work *w, int pr, int cr, const char *P, const char *C)
{
    if (pr == GDI_PR_REQUIRED) set_add(w->resp, &w->nresp, P);
    if (pr == GDI_PR_CAPABILITY) {
        set_add(w->cap, &w->ncap, P);
        set_add(w->resp, &w->nresp, C); /* the customer uses what the provider supplies */
    }
    if (cr == GDI_CR_REQUIRED) set_add(w->resp, &w->nresp, C);
}

static void resolve_tier(work *w, const gdi_tier *t, const gdi_duty *d, const char *C,
                         const char *prefix, int depth)
{
    const gdi_provider *prov = t->provider;
    const char *P = prov->id;
    const gdi_division *dv = &d->div[t->sm];
    char en[768], zh[768], c_en[160], c_zh[160];
    w->status = GDI_OWN_OWNED;
    cite(dv, c_en, sizeof c_en, c_zh, sizeof c_zh);
    snprintf(en, sizeof en, "%s under %s: provider %s, customer %s", c_en, gdi_sm_name(t->sm),
             gdi_prole_name(dv->prole), gdi_crole_name(dv->crole));
    snprintf(zh, sizeof zh, "%s（%s）：提供者 %s，客户 %s", c_zh, gdi_sm_name(t->sm),
             gdi_prole_name(dv->prole), gdi_crole_name(dv->crole));
    add_basis(w, GDI_BASIS_TABLE, prefix, en, zh);
    if (dv->inferred) {
        snprintf(en, sizeof en, "damaged source cell, reading per reference ambiguity %d", dv->inferred);
        snprintf(zh, sizeof zh, "原表单元格受损，按参考数据歧义说明第%d条解读", dv->inferred);
        add_basis(w, GDI_BASIS_READING, prefix, en, zh);
    }
    int pr = dv->prole, cr = dv->crole;
    if (pr == GDI_PR_NEGOTIABLE || cr == GDI_CR_NEGOTIABLE) {
        const gdi_option *o = NULL;
        for (size_t i = 0; i < t->nchoices; i++)
            if (strcmp(t->choices[i].duty, d->id) == 0)
                o = gdi_division_option(dv, t->choices[i].option, strlen(t->choices[i].option));
        if (o) {
            snprintf(en, sizeof en, "option %s agreed with %s (table %d row %d)", o->id, P,
                     dv->options_table, dv->options_row);
            snprintf(zh, sizeof zh, "与 %s 约定选项 %s（表%d第%d行）", P, o->id, dv->options_table,
                     dv->options_row);
            add_basis(w, GDI_BASIS_CONTRACT, prefix, en, zh);
        } else {
            const gdi_pdefault *def = gdi_provider_default(prov, d->id, t->sm);
            if (def) o = gdi_division_option(dv, def->option, strlen(def->option));
            if (o) {
                snprintf(en, sizeof en, "%s's stated default: option %s (table %d row %d, %s): %s", P,
                         o->id, dv->options_table, dv->options_row, def->confidence, def->basis.en);
                snprintf(zh, sizeof zh, "%s 声明的默认做法：选项 %s（表%d第%d行，置信度 %s）：%s", P,
                         o->id, dv->options_table, dv->options_row, def->confidence,
                         gdi_text_get(&def->basis, "zh"));
                add_basis(w, GDI_BASIS_DEFAULT, prefix, en, zh);
            }
        }
        if (!o) {
            snprintf(en, sizeof en,
                     "negotiable (table %d row %d): no option agreed in the profile and %s states no default",
                     dv->options_table, dv->options_row, P);
            snprintf(zh, sizeof zh, "可协商（表%d第%d行）：部署配置未约定选项，%s 也未声明默认做法",
                     dv->options_table, dv->options_row, P);
            add_basis(w, GDI_BASIS_GAP, prefix, en, zh);
            w->status = GDI_OWN_AMBIGUOUS;
            w->accountable = NULL;
            return;
        }
        w->option = o->id;
        pr = o->prole;
        cr = o->crole;
    }
    apply_roles(w, pr, cr, P, C);
    bool provider_only = pr == GDI_PR_REQUIRED && cr != GDI_CR_REQUIRED;
    w->accountable = provider_only ? P : C;

    const gdi_pposition *pos = gdi_provider_position(prov, d->id, t->sm);
    if (pos && (pos->prole != pr || pos->crole != cr)) {
        snprintf(en, sizeof en, "%s's stated position differs: provider %s, customer %s: %s", P,
                 gdi_prole_name(pos->prole), gdi_crole_name(pos->crole), pos->basis.en);
        snprintf(zh, sizeof zh, "%s 声明的立场与模型不同：提供者 %s，客户 %s：%s", P,
                 gdi_prole_name(pos->prole), gdi_crole_name(pos->crole), gdi_text_get(&pos->basis, "zh"));
        add_basis(w, GDI_BASIS_POSITION, prefix, en, zh);
        apply_roles(w, pos->prole, pos->crole, P, C);
        w->status = GDI_OWN_CONFLICT;
    }

    if (t->nruns_on && depth < 64 && set_has(w->resp, w->nresp, P) &&
        delegated_category(w->model, d))
        delegate(w, t, d, prefix, depth);

    if (w->nresp == 0 && w->status == GDI_OWN_OWNED) {
        add_basis(w, GDI_BASIS_GAP, prefix, "no party carries this duty", "没有任何一方承担此责任");
        w->status = GDI_OWN_UNOWNED;
        w->accountable = NULL;
    }
}

static gd_status finish_row(work *w, const gdi_tier *t, const char *customer, gdi_own_row *row)
{
    row->option = w->option;
    row->status = (uint8_t)w->status;
    row->accountable = w->status == GDI_OWN_AMBIGUOUS || w->status == GDI_OWN_UNOWNED ? NULL : w->accountable;
    const char *P = t->provider->id;
    bool has_p = false, has_c = false, third = false;
    for (size_t i = 0; i < w->nresp; i++) {
        if (strcmp(w->resp[i], P) == 0)
            has_p = true;
        else if (strcmp(w->resp[i], customer) == 0)
            has_c = true;
        else
            third = true;
    }
    if (set_has(w->cap, w->ncap, P)) has_p = has_p || has_c;
    if (w->status == GDI_OWN_AMBIGUOUS || w->status == GDI_OWN_UNOWNED)
        row->ccm = GDI_CCM_UNDETERMINED;
    else if (third)
        row->ccm = GDI_CCM_THIRD;
    else if (has_p && has_c)
        row->ccm = GDI_CCM_SHARED;
    else if (has_p)
        row->ccm = GDI_CCM_CSP;
    else
        row->ccm = GDI_CCM_CSC;
#define COPY_LIST(dst, ndst, src, nsrc)                                                            \
    do {                                                                                           \
        (ndst) = (nsrc);                                                                           \
        (dst) = NULL;                                                                              \
        if (nsrc) {                                                                                \
            (dst) = gdi_arena_alloc(w->arena, (nsrc) * sizeof *(dst));                             \
            if (!(dst)) return GD_NOMEM;                                                           \
            memcpy((void *)(dst), (src), (nsrc) * sizeof *(dst));                                  \
        }                                                                                          \
    } while (0)
    COPY_LIST(row->responsible, row->nresponsible, w->resp, w->nresp);
    COPY_LIST(row->capability, row->ncapability, w->cap, w->ncap);
    COPY_LIST(row->basis, row->nbasis, w->basis, w->nbasis);
    COPY_LIST(row->chain, row->nchain, w->chain, w->nchain);
#undef COPY_LIST
    return w->nomem ? GD_NOMEM : GD_OK;
}

gd_status gdi_resolve_duty(const gdi_tier *tier, const gdi_model *m, const gdi_duty *d,
                           const char *customer, gdi_arena *arena, gdi_own_row *row)
{
    if (!tier || !tier->provider || tier->sm < 0 || !d || !d->div[tier->sm].present)
        return GD_MISUSE;
    work *w = gdi_arena_calloc(arena, sizeof *w);
    if (!w) return GD_NOMEM;
    w->arena = arena;
    w->model = m;
    char hop[160];
    snprintf(hop, sizeof hop, "%s/%s", tier->provider->id, gdi_sm_name(tier->sm));
    w->chain[w->nchain++] = dup(w, hop);
    resolve_tier(w, tier, d, customer, "", 0);
    memset(row, 0, sizeof *row);
    row->duty = d;
    row->sm = tier->sm;
    return finish_row(w, tier, customer, row);
}

gd_status gdi_resolve(const gdi_profile *p, gdi_arena *arena, gdi_own_row **rows, size_t *nrows)
{
    size_t n = 0;
    *rows = NULL;
    *nrows = 0;
    for (size_t s = 0; s < p->nservices; s++)
        for (size_t i = 0; i < p->model->nduties; i++)
            if (p->model->duties[i].div[p->services[s].tier.sm].present) n++;
    if (n == 0) return GD_OK;
    gdi_own_row *out = gdi_arena_calloc(arena, n * sizeof *out);
    if (!out) return GD_NOMEM;
    size_t k = 0;
    for (size_t s = 0; s < p->nservices; s++) {
        const gdi_service *svc = &p->services[s];
        for (size_t i = 0; i < p->model->nduties; i++) {
            const gdi_duty *d = &p->model->duties[i];
            if (!d->div[svc->tier.sm].present) continue;
            gd_status st = gdi_resolve_duty(&svc->tier, p->model, d, p->customer, arena, &out[k]);
            if (st != GD_OK) return st;
            out[k].service = svc;
            k++;
        }
    }
    *rows = out;
    *nrows = k;
    return GD_OK;
}
