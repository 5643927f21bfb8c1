/*
 * coverage.c — the rule-pack coverage report (`gongdan rules coverage`).
 *
 * Renders, as Markdown, which rules of a rule set check which OSCAR duty per
 * provider, which duties no rule can show (they need attestations), which
 * Alibaba Cloud SOC 3 customer duties are checked, how many catalog controls
 * the rules cite, and the equivalence table with the Checkov and KICS checks
 * kept in the embedded data/coverage/equivalence.yaml.
 *
 * The report is also the pack's consistency check: every duty id a rule
 * names must exist in the embedded OSCAR model, every control id in the
 * embedded catalog of its framework, and every rule id the equivalence table
 * names in the rule set. Any violation is reported as a diagnostic
 * "file:line:col: message" (all of them, not only the first) and the
 * function returns GD_INVALID without writing anything.
 *
 * Invariants: output is deterministic (rules sorted by id, duties in model
 * order, providers in a fixed order); all memory comes from one arena freed
 * before returning; the library never prints — the caller owns `out`.
 */
#include "doc.h"
#include "gdi.h"
#include "rule.h"

#include <stdlib.h>
#include <string.h>

#define COV_MAX_PROVIDERS 16
#define COV_MAX_CATALOGS 16

typedef struct cov_duty {
    const char *id;       /* OSCAR leaf id */
    const char *title;    /* English title */
    const char *prov;     /* IaaS division, provider side ("" when absent) */
    const char *cust;     /* IaaS division, customer side ("" when absent) */
} cov_duty;

typedef struct cov_catalog {
    const char *fw;       /* framework id, e.g. "soc2" */
    const char **ids;     /* control ids in catalog order */
    size_t nids;
    bool missing;         /* no embedded catalog of that name */
} cov_catalog;

typedef struct cov {
    gd_ctx *ctx;                     /* borrowed from the rule set */
    gdi_arena arena;                 /* every string and array below */
    gdi_doc docs[3];                 /* model, equivalence, one reused per catalog */
    bool doc_init[3];                /* which docs need freeing */
    const gdi_rule **rules;          /* sorted by id */
    size_t nrules;
    cov_duty *duties;                /* model order */
    size_t nduties;
    cov_catalog cats[COV_MAX_CATALOGS];
    size_t ncats;
    const char *provs[COV_MAX_PROVIDERS]; /* provider column order */
    size_t nprovs;
    size_t errors;                   /* consistency errors found */
} cov;

static const char *const known_providers[] = {"alicloud", "tencentcloud", "huaweicloud", "aws"};

/* NUL-terminated arena copy of a scalar node's text; NULL if not a scalar. */
static const char *scalar(cov *c, const gdi_node *n)
{
    if (!n || (n->type != GDI_STRING && n->type != GDI_NUMBER)) return NULL;
    return gdi_arena_strndup(&c->arena, n->str ? n->str : "", n->len);
}

static const char *member(cov *c, const gdi_node *obj, const char *key)
{
    return scalar(c, gdi_obj_getc(obj, key));
}

static int cmp_rule(const void *a, const void *b)
{
    const gdi_rule *x = *(const gdi_rule *const *)a, *y = *(const gdi_rule *const *)b;
    return strcmp(x->id, y->id);
}

static int cmp_rule_key(const void *key, const void *elem)
{
    const gdi_rule *r = *(const gdi_rule *const *)elem;
    return strcmp((const char *)key, r->id);
}

static bool rule_exists(const cov *c, const char *id)
{
    return c->nrules && bsearch(id, c->rules, c->nrules, sizeof *c->rules, cmp_rule_key) != NULL;
}

/* Parse an embedded YAML file into docs[slot]; NULL root on failure. */
static gd_status load_embedded(cov *c, int slot, const char *path, const gdi_node **root)
{
    *root = NULL;
    const gdi_embedded *e = gdi_embedded_find(path);
    if (!e) return GD_NOTFOUND;
    gdi_doc *d = &c->docs[slot];
    if (c->doc_init[slot]) {
        gdi_doc_free(d);
        c->doc_init[slot] = false;
    }
    char name[160];
    snprintf(name, sizeof name, "builtin:%s", path);
    gd_status st = gdi_doc_init(d, c->ctx, name);
    if (st) return st;
    c->doc_init[slot] = true;
    st = gdi_yaml_parse(d, (const char *)e->data, e->len);
    if (st) return st;
    *root = gdi_doc_root(d);
    return GD_OK;
}

static gd_status load_model(cov *c)
{
    const gdi_node *root;
    gd_status st = load_embedded(c, 0, "models/oscar-2020.yaml", &root);
    if (st == GD_NOTFOUND)
        return gdi_err(c->ctx, GD_NOTFOUND, NULL, 0, 0,
                       "coverage: embedded model models/oscar-2020.yaml is missing");
    if (st) return st;
    const gdi_node *arr = gdi_obj_getc(root, "duties");
    if (!arr || arr->type != GDI_ARRAY)
        return gdi_err(c->ctx, GD_INVALID, c->docs[0].name, 0, 0, "coverage: model has no 'duties' list");
    c->duties = gdi_arena_calloc(&c->arena, (arr->len ? arr->len : 1) * sizeof *c->duties);
    if (!c->duties) return GD_NOMEM;
    const gdi_node *e = arr->len ? gdi_first(arr) : NULL;
    for (uint32_t i = 0; i < arr->len; i++, e = gdi_next(e)) {
        cov_duty *d = &c->duties[c->nduties];
        d->id = member(c, e, "id");
        if (!d->id) continue;
        d->title = member(c, e, "title");
        const gdi_node *iaas = gdi_obj_getc(gdi_obj_getc(e, "division"), "iaas");
        d->prov = member(c, iaas, "provider");
        d->cust = member(c, iaas, "customer");
        if (!d->title) d->title = "";
        if (!d->prov) d->prov = "";
        if (!d->cust) d->cust = "";
        c->nduties++;
    }
    return GD_OK;
}

static const cov_duty *find_duty(const cov *c, const char *id)
{
    for (size_t i = 0; i < c->nduties; i++)
        if (!strcmp(c->duties[i].id, id)) return &c->duties[i];
    return NULL;
}

/* The catalog of framework fw, loading it on first use. NULL on NOMEM. */
static cov_catalog *catalog(cov *c, const char *fw, gd_status *st)
{
    *st = GD_OK;
    for (size_t i = 0; i < c->ncats; i++)
        if (!strcmp(c->cats[i].fw, fw)) return &c->cats[i];
    if (c->ncats == COV_MAX_CATALOGS) {
        *st = gdi_err(c->ctx, GD_LIMIT, NULL, 0, 0, "coverage: more than %d frameworks",
                      COV_MAX_CATALOGS);
        return NULL;
    }
    cov_catalog *k = &c->cats[c->ncats];
    memset(k, 0, sizeof *k);
    k->fw = gdi_arena_strndup(&c->arena, fw, strlen(fw));
    if (!k->fw) {
        *st = GD_NOMEM;
        return NULL;
    }
    char path[128];
    snprintf(path, sizeof path, "catalogs/%s.yaml", fw);
    const gdi_node *root;
    gd_status ls = load_embedded(c, 2, path, &root);
    if (ls == GD_NOTFOUND) {
        k->missing = true;
    } else if (ls) {
        *st = ls;
        return NULL;
    } else {
        const gdi_node *arr = gdi_obj_getc(root, "controls");
        if (arr && arr->type == GDI_ARRAY && arr->len) {
            k->ids = gdi_arena_calloc(&c->arena, arr->len * sizeof *k->ids);
            if (!k->ids) {
                *st = GD_NOMEM;
                return NULL;
            }
            const gdi_node *e = gdi_first(arr);
            for (uint32_t i = 0; i < arr->len; i++, e = gdi_next(e)) {
                const char *id = member(c, e, "id");
                if (id) k->ids[k->nids++] = id;
            }
        }
    }
    c->ncats++;
    return k;
}

static bool catalog_has(const cov_catalog *k, const char *id)
{
    for (size_t i = 0; i < k->nids; i++)
        if (!strcmp(k->ids[i], id)) return true;
    return false;
}

/* Check every rule's duties and control ids. */
static gd_status check_rules(cov *c)
{
    for (size_t i = 0; i < c->nrules; i++) {
        const gdi_rule *r = c->rules[i];
        for (size_t j = 0; j < r->nduties; j++)
            if (!find_duty(c, r->duties[j]))
            {
                gdi_diag_add(c->ctx, GD_DIAG_ERROR, r->file, r->line, 1,
                             "rule %s: duty '%s' is not a leaf of the OSCAR model", r->id,
                             r->duties[j]);
                c->errors++;
            }
        for (size_t j = 0; j < r->ncontrols; j++) {
            const gdi_control_ref *cr = &r->controls[j];
            gd_status st;
            const cov_catalog *k = catalog(c, cr->framework, &st);
            if (!k) return st;
            if (k->missing) {
                gdi_diag_add(c->ctx, GD_DIAG_ERROR, r->file, r->line, 1,
                             "rule %s: no catalog for framework '%s'", r->id, cr->framework);
                c->errors++;
                continue;
            }
            for (size_t m = 0; m < cr->nids; m++)
                if (!catalog_has(k, cr->ids[m])) {
                    gdi_diag_add(c->ctx, GD_DIAG_ERROR, r->file, r->line, 1,
                                 "rule %s: control '%s' is not in catalog %s", r->id, cr->ids[m],
                                 cr->framework);
                    c->errors++;
                }
        }
    }
    return GD_OK;
}

static const char *rule_provider(cov *c, const gdi_rule *r)
{
    gd_str p = r->ntypes ? gdi_type_provider(gd_str_c(r->types[0])) : (gd_str){"", 0};
    for (size_t i = 0; i < c->nprovs; i++)
        if (gd_str_eqc(p, c->provs[i])) return c->provs[i];
    return NULL;
}

/* Fill the provider columns: the four known providers first, then others
 * in order of first appearance. */
static gd_status collect_providers(cov *c)
{
    for (size_t i = 0; i < sizeof known_providers / sizeof *known_providers; i++)
        c->provs[c->nprovs++] = known_providers[i];
    for (size_t i = 0; i < c->nrules; i++) {
        if (rule_provider(c, c->rules[i]) || !c->rules[i]->ntypes) continue;
        if (c->nprovs == COV_MAX_PROVIDERS) break;
        gd_str p = gdi_type_provider(gd_str_c(c->rules[i]->types[0]));
        const char *s = gdi_arena_strndup(&c->arena, p.p ? p.p : "", p.n);
        if (!s) return GD_NOMEM;
        c->provs[c->nprovs++] = s;
    }
    return GD_OK;
}

/* Markdown table cell text: '|' escaped, newlines flattened. */
static void cell(gdi_buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|') gdi_buf_puts(b, "\\|");
        else if (*s == '\n' || *s == '\r') gdi_buf_putc(b, ' ');
        else gdi_buf_putc(b, *s);
    }
}

static bool rule_has_duty(const gdi_rule *r, const char *duty)
{
    for (size_t j = 0; j < r->nduties; j++)
        if (!strcmp(r->duties[j], duty)) return true;
    return false;
}

static bool rule_cites(const gdi_rule *r, const char *fw, const char *id)
{
    for (size_t j = 0; j < r->ncontrols; j++) {
        if (strcmp(r->controls[j].framework, fw)) continue;
        for (size_t m = 0; m < r->controls[j].nids; m++)
            if (!strcmp(r->controls[j].ids[m], id)) return true;
    }
    return false;
}

static void write_summary(cov *c, gdi_buf *b)
{
    size_t tot[6] = {0};
    gdi_buf_puts(b, "## Rules per provider\n\n"
                    "| provider | rules | critical | high | medium | low | info |\n"
                    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (size_t p = 0; p < c->nprovs; p++) {
        size_t n[6] = {0};
        for (size_t i = 0; i < c->nrules; i++) {
            if (rule_provider(c, c->rules[i]) != c->provs[p]) continue;
            n[0]++;
            n[1 + (GD_SEV_CRITICAL - c->rules[i]->severity)]++;
        }
        for (int k = 0; k < 6; k++) tot[k] += n[k];
        gdi_buf_printf(b, "| %s | %zu | %zu | %zu | %zu | %zu | %zu |\n", c->provs[p], n[0], n[1],
                       n[2], n[3], n[4], n[5]);
    }
    gdi_buf_printf(b, "| **total** | **%zu** | %zu | %zu | %zu | %zu | %zu |\n\n", tot[0], tot[1],
                   tot[2], tot[3], tot[4], tot[5]);
}

static void write_controls(cov *c, gdi_buf *b)
{
    gdi_buf_puts(b, "## Framework controls cited\n\n"
                    "| framework | controls cited by at least one rule | controls in the catalog |\n"
                    "| --- | ---: | ---: |\n");
    for (size_t k = 0; k < c->ncats; k++) {
        const cov_catalog *cat = &c->cats[k];
        size_t cited = 0;
        for (size_t m = 0; m < cat->nids; m++)
            for (size_t i = 0; i < c->nrules; i++)
                if (rule_cites(c->rules[i], cat->fw, cat->ids[m])) {
                    cited++;
                    break;
                }
        gdi_buf_printf(b, "| %s | %zu | %zu |\n", cat->fw, cited, cat->nids);
    }
    gdi_buf_puts(b, "\n");
}

static void write_duties(cov *c, gdi_buf *b)
{
    gdi_buf_puts(b, "## Rules per OSCAR duty and provider\n\n"
                    "The IaaS split is the OSCAR division (provider / customer) for IaaS. A rule "
                    "may name a duty the provider carries alongside the customer duty it checks; "
                    "see docs/rule-pack.md.\n\n| duty | IaaS split |");
    for (size_t p = 0; p < c->nprovs; p++) gdi_buf_printf(b, " %s |", c->provs[p]);
    gdi_buf_puts(b, "\n| --- | --- |");
    for (size_t p = 0; p < c->nprovs; p++) gdi_buf_puts(b, " --- |");
    gdi_buf_puts(b, "\n");
    for (size_t d = 0; d < c->nduties; d++) {
        const cov_duty *du = &c->duties[d];
        size_t any = 0;
        for (size_t i = 0; i < c->nrules; i++) any += rule_has_duty(c->rules[i], du->id);
        if (!any) continue;
        gdi_buf_printf(b, "| `%s` ", du->id);
        cell(b, du->title);
        gdi_buf_printf(b, " | %s / %s |", du->prov, du->cust);
        for (size_t p = 0; p < c->nprovs; p++) {
            size_t n = 0;
            gdi_buf_puts(b, " ");
            for (size_t i = 0; i < c->nrules; i++) {
                const gdi_rule *r = c->rules[i];
                if (rule_provider(c, r) != c->provs[p] || !rule_has_duty(r, du->id)) continue;
                gdi_buf_printf(b, "%s%s", n ? ", " : "", r->id);
                n++;
            }
            gdi_buf_puts(b, n ? " |" : "— |");
        }
        gdi_buf_puts(b, "\n");
    }
    gdi_buf_puts(b, "\n");
}

static void write_uncovered(cov *c, gdi_buf *b)
{
    gdi_buf_puts(b, "## Duties no configuration can show\n\n"
                    "No rule checks these OSCAR duties: Terraform configuration cannot show them. "
                    "Where the customer carries them (customer `required` or `negotiable`) they need "
                    "attestations (`gongdan assess`); where only the provider does, the evidence is "
                    "the provider's own reports.\n\n"
                    "| duty | title | IaaS split | evidence |\n| --- | --- | --- | --- |\n");
    for (size_t d = 0; d < c->nduties; d++) {
        const cov_duty *du = &c->duties[d];
        bool any = false;
        for (size_t i = 0; i < c->nrules && !any; i++) any = rule_has_duty(c->rules[i], du->id);
        if (any) continue;
        bool cust = !strcmp(du->cust, "required") || !strcmp(du->cust, "negotiable");
        gdi_buf_printf(b, "| `%s` | ", du->id);
        cell(b, du->title);
        gdi_buf_printf(b, " | %s / %s | %s |\n", *du->prov ? du->prov : "—",
                       *du->cust ? du->cust : "—",
                       cust ? "customer attestation"
                            : (*du->prov ? "provider reports (inherited)" : "not in IaaS"));
    }
    gdi_buf_puts(b, "\n");
}

static gd_status write_cuec(cov *c, gdi_buf *b)
{
    gd_status st;
    const cov_catalog *k = catalog(c, "soc3-alibaba", &st);
    if (!k) return st;
    if (k->missing) return GD_OK;
    gdi_buf_puts(b, "## Alibaba Cloud SOC 3 customer duties\n\n"
                    "Complementary user entity controls of the Alibaba Cloud SOC 3 report and the "
                    "rules that check them; the others need attestations.\n\n"
                    "| customer duty | rules |\n| --- | --- |\n");
    for (size_t m = 0; m < k->nids; m++) {
        if (strncmp(k->ids[m], "cuec.", 5)) continue;
        gdi_buf_printf(b, "| `%s` | ", k->ids[m]);
        size_t n = 0;
        for (size_t i = 0; i < c->nrules; i++)
            if (rule_cites(c->rules[i], "soc3-alibaba", k->ids[m]))
                gdi_buf_printf(b, "%s%s", n++ ? ", " : "", c->rules[i]->id);
        gdi_buf_puts(b, n ? " |\n" : "attestation |\n");
    }
    gdi_buf_puts(b, "\n");
    return GD_OK;
}

static void names(cov *c, gdi_buf *b, const gdi_node *list)
{
    size_t n = 0;
    if (list && list->type == GDI_ARRAY && list->len) {
        const gdi_node *e = gdi_first(list);
        for (uint32_t i = 0; i < list->len; i++, e = gdi_next(e)) {
            const char *s = scalar(c, e);
            if (!s) continue;
            gdi_buf_printf(b, "%s`", n++ ? ", " : "");
            cell(b, s);
            gdi_buf_puts(b, "`");
        }
    }
    if (!n) gdi_buf_puts(b, "—");
}

/* Check the equivalence table and, when b is not NULL, render it. */
static gd_status equivalence(cov *c, gdi_buf *b)
{
    const gdi_node *root;
    gd_status st = load_embedded(c, 1, "coverage/equivalence.yaml", &root);
    if (st == GD_NOTFOUND)
        return gdi_err(c->ctx, GD_NOTFOUND, NULL, 0, 0,
                       "coverage: embedded coverage/equivalence.yaml is missing");
    if (st) return st;
    const gdi_doc *d = &c->docs[1];
    const gdi_node *arr = gdi_obj_getc(root, "topics");
    if (!arr || arr->type != GDI_ARRAY) {
        gdi_diag_add(c->ctx, GD_DIAG_ERROR, d->name, 1, 1, "equivalence table has no 'topics' list");
        c->errors++;
        return GD_OK;
    }
    if (b)
        gdi_buf_puts(b, "## Equivalence with Checkov and KICS\n\n"
                        "Topics of the Alibaba Cloud and Tencent Cloud Terraform checks of Checkov and "
                        "KICS (named by their check file and query folder names; topics in our words) "
                        "and the gongdan rules that cover each. Source: "
                        "data/coverage/equivalence.yaml.\n\n"
                        "| provider | topic | Checkov | KICS | gongdan rules | note |\n"
                        "| --- | --- | --- | --- | --- | --- |\n");
    const gdi_node *t = arr->len ? gdi_first(arr) : NULL;
    for (uint32_t i = 0; i < arr->len; i++, t = gdi_next(t)) {
        uint32_t line, col;
        gdi_doc_line_col(d, t, &line, &col);
        const char *prov = member(c, t, "provider"), *topic = member(c, t, "topic");
        const gdi_node *rules = gdi_obj_getc(t, "rules");
        if (!prov || !topic || !rules || rules->type != GDI_ARRAY || !rules->len) {
            gdi_diag_add(c->ctx, GD_DIAG_ERROR, d->name, line, col,
                         "topic needs 'provider', 'topic' and a non-empty 'rules' list");
            c->errors++;
            continue;
        }
        const gdi_node *e = gdi_first(rules);
        for (uint32_t j = 0; j < rules->len; j++, e = gdi_next(e)) {
            const char *id = scalar(c, e);
            if (id && rule_exists(c, id)) continue;
            uint32_t l2, c2;
            gdi_doc_line_col(d, e, &l2, &c2);
            gdi_diag_add(c->ctx, GD_DIAG_ERROR, d->name, l2, c2,
                         "topic '%s' names rule '%s', which does not exist", topic, id ? id : "?");
            c->errors++;
        }
        if (!b) continue;
        gdi_buf_printf(b, "| %s | ", prov);
        cell(b, topic);
        gdi_buf_puts(b, " | ");
        names(c, b, gdi_obj_getc(t, "checkov"));
        gdi_buf_puts(b, " | ");
        names(c, b, gdi_obj_getc(t, "kics"));
        gdi_buf_puts(b, " | ");
        e = gdi_first(rules);
        for (uint32_t j = 0; j < rules->len; j++, e = gdi_next(e)) {
            const char *id = scalar(c, e);
            gdi_buf_printf(b, "%s%s", j ? ", " : "", id ? id : "?");
        }
        gdi_buf_puts(b, " | ");
        const char *note = member(c, t, "note");
        cell(b, note ? note : "");
        gdi_buf_puts(b, " |\n");
    }
    if (b) gdi_buf_puts(b, "\n");
    return GD_OK;
}

static gd_status render(cov *c, gdi_buf *b)
{
    gd_status st;
    gdi_buf_puts(b, "# Rule pack coverage\n\n"
                    "<!-- Generated by `gongdan rules coverage -o docs/rules-coverage.md`. "
                    "Do not edit by hand. -->\n\n"
                    "Built-in rules checked against the OSCAR model (data/models/oscar-2020.yaml), the "
                    "framework catalogs (data/catalogs/) and the equivalence table "
                    "(data/coverage/equivalence.yaml). Id scheme, severity policy and duty mapping: "
                    "docs/rule-pack.md.\n\n");
    write_summary(c, b);
    write_controls(c, b);
    write_duties(c, b);
    write_uncovered(c, b);
    if ((st = write_cuec(c, b))) return st;
    return equivalence(c, b);
}

/* Write the coverage report of rs (Markdown) to out. Checks every duty id
 * against the embedded OSCAR model, every control id against the embedded
 * catalog of its framework and the embedded equivalence table against the
 * rule ids; on any violation every problem is added to the ctx diagnostics,
 * nothing is written and GD_INVALID is returned. GD_IO when writing fails,
 * GD_NOMEM on allocation failure, GD_MISUSE on NULL arguments. */
GD_API gd_status gd_ruleset_write_coverage(const gd_ruleset *rs, FILE *out)
{
    if (!rs || !out) return GD_MISUSE;
    gd_status st = GD_OK;
    cov c;
    memset(&c, 0, sizeof c);
    c.ctx = rs->ctx;
    gdi_arena_init(&c.arena, c.ctx, 64 * 1024);
    gdi_buf b;
    gdi_buf_init(&b, c.ctx);

    c.nrules = rs->nrules;
    c.rules = gdi_arena_calloc(&c.arena, (c.nrules ? c.nrules : 1) * sizeof *c.rules);
    if (!c.rules) {
        st = GD_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < c.nrules; i++) c.rules[i] = rs->rules[i];
    qsort(c.rules, c.nrules, sizeof *c.rules, cmp_rule);

    if ((st = load_model(&c))) goto done;
    if ((st = check_rules(&c))) goto done;
    if ((st = collect_providers(&c))) goto done;
    if ((st = equivalence(&c, NULL))) goto done;
    if (c.errors) {
        st = GD_INVALID;
        goto done;
    }
    if ((st = render(&c, &b))) goto done;
    if (b.oom) {
        st = GD_NOMEM;
        goto done;
    }
    if (b.n && fwrite(b.p, 1, b.n, out) != b.n) st = GD_IO;
    if (!st && fflush(out)) st = GD_IO;
done:
    for (int i = 0; i < 3; i++)
        if (c.doc_init[i]) gdi_doc_free(&c.docs[i]);
    gdi_buf_free(&b);
    gdi_arena_free(&c.arena);
    return st;
}
