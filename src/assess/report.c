/*
 * report.c — the assessment as text, JSON and CSV. These renderers only
 * read the gd_assess; nothing is recomputed here. The JSON layout is
 * documented in docs/assess.md; CSV has one row per control.
 */
#include "assess/assess.h"

#include <string.h>

static bool zh(const char *lang)
{
    return lang && !strcmp(lang, "zh");
}

static const char *T(const char *lang, const char *en, const char *z)
{
    return zh(lang) ? z : en;
}

static const char *tier_name(const gd_assess *a, int t, const char *lang)
{
    if (t < 0) return T(lang, "none", "未达到");
    return gdi_i18n_get(&a->cat->tier_titles[t], lang);
}

/* ------------------------------------------------------------ text */

void gdi_assess_text(const gd_assess *a, const char *lang, gdi_buf *b)
{
    const gdi_catalog *c = a->cat;
    gdi_buf_printf(b, "%s %s — %s\n", T(lang, "Assessment:", "评估："), c->id, gdi_i18n_get(&c->title, lang));
    gdi_buf_printf(b, "%s %s   %s %s   %s %s\n", T(lang, "date", "日期"), a->date,
                   T(lang, "profile", "部署"), a->profile ? a->profile : "-", T(lang, "customer", "客户"),
                   a->customer);
    gdi_buf_printf(b, "%s %zu   %s %llu   %s %zu\n", T(lang, "failing findings", "不合规结果"),
                   a->nfindings, T(lang, "resources", "资源"), (unsigned long long)a->resources,
                   T(lang, "attestations", "证明"), a->natts);
    gdi_buf_puts(b, T(lang, "controls:", "控制项："));
    for (int s = 0; s < GDI_AS__COUNT; s++)
        gdi_buf_printf(b, " %s %zu%s", gdi_astatus_label(s, lang), a->counts[s], s + 1 < GDI_AS__COUNT ? "," : "\n");
    if (c->ntiers) {
        gdi_buf_printf(b, "\n%s\n", T(lang, "Maturity per domain", "各领域成熟度"));
        for (size_t i = 0; i < a->ndomains; i++) {
            const gdi_adomain *d = &a->domains[i];
            gdi_buf_printf(b, "  %-3s %-34s %s %-12s", d->group ? d->group->id : "-",
                           d->group ? gdi_i18n_get(&d->group->title, lang) : "", T(lang, "achieved", "已达到"),
                           tier_name(a, d->tier, lang));
            if (a->target_tier >= 0)
                gdi_buf_printf(b, " %s %s%s", T(lang, "target", "目标"), tier_name(a, a->target_tier, lang),
                               d->tier >= a->target_tier ? "" : T(lang, "  GAP", "  差距"));
            gdi_buf_putc(b, '\n');
        }
        gdi_buf_printf(b, "  %s: %s", T(lang, "overall", "总体"), tier_name(a, a->overall_tier, lang));
        if (a->target_tier >= 0)
            gdi_buf_printf(b, " (%s %s, %s %s: %s)", T(lang, "inherent risk", "固有风险"), a->inherent_risk,
                           T(lang, "target", "目标"), tier_name(a, a->target_tier, lang),
                           a->overall_tier >= a->target_tier ? T(lang, "met", "已达到") : T(lang, "not met", "未达到"));
        gdi_buf_putc(b, '\n');
    }
    if (c->level) {
        gdi_buf_printf(b, "\n%s %d, %s ", T(lang, "MLPS level", "等级保护级别"), a->level,
                       T(lang, "platform level", "云平台级别"));
        if (a->platform_level) gdi_buf_printf(b, "%d", a->platform_level);
        else gdi_buf_puts(b, T(lang, "not stated", "未提供"));
        gdi_buf_printf(b, ": %s %s\n", T(lang, "level rule", "定级规则"),
                       a->level_rule > 0 ? T(lang, "holds", "满足")
                       : a->level_rule == 0 ? T(lang, "BROKEN", "不满足")
                                            : T(lang, "undecided", "无法判断"));
        gdi_buf_printf(b, "  (%s)\n", gdi_i18n_get(&c->level_rule, lang));
    }
    gdi_buf_printf(b, "\n%s\n", T(lang, "Controls", "控制项"));
    const char *lastg = NULL;
    for (size_t i = 0; i < a->nctls; i++) {
        const gdi_actl *x = &a->ctls[i];
        const gdi_cgroup *g = gdi_catalog_top_group(c, x->ctl);
        if (g && (!lastg || strcmp(lastg, g->id))) {
            gdi_buf_printf(b, "[%s %s]\n", g->id, gdi_i18n_get(&g->title, lang));
            lastg = g->id;
        }
        if (c->level)
            gdi_buf_printf(b, "  %-10s %-8s %-16s %s", x->ctl->id,
                           x->status == GDI_AS_MET || x->status == GDI_AS_INHERITED || x->status == GDI_AS_NA
                               ? T(lang, "met", "符合")
                               : T(lang, "not met", "不符合"),
                           gdi_astatus_label(x->status, lang), gdi_i18n_get(&x->ctl->title, lang));
        else
            gdi_buf_printf(b, "  %-10s %-16s %s", x->ctl->id, gdi_astatus_label(x->status, lang),
                           gdi_i18n_get(&x->ctl->title, lang));
        if (c->ntiers) gdi_buf_printf(b, "  [%s]", tier_name(a, x->tier, lang));
        if (x->nproviders) {
            gdi_buf_printf(b, "  %s ", T(lang, "from", "继承自"));
            for (size_t k = 0; k < x->nproviders; k++)
                gdi_buf_printf(b, "%s%s", k ? ", " : "", x->providers[k]);
        }
        gdi_buf_putc(b, '\n');
        for (size_t k = 0; k < x->nreasons; k++)
            if (x->status != GDI_AS_MET || x->reasons[k].kind != GDI_RK_OWNER)
                gdi_buf_printf(b, "      - %s\n", x->reasons[k].text);
    }
    if (a->nnext) {
        gdi_buf_printf(b, "\n%s\n", T(lang, "What to do next", "下一步"));
        for (size_t i = 0; i < a->nnext; i++) {
            const gdi_nextstep *n = &a->next[i];
            gdi_buf_printf(b, "  %2zu. %s", i + 1, zh(lang) && n->text_zh ? n->text_zh : n->text);
            if (n->controls) gdi_buf_printf(b, " [%s]", n->controls);
            gdi_buf_putc(b, '\n');
        }
    }
}

/* ------------------------------------------------------------ json */

static void jk(gdi_buf *b, const char *k, const char *v, bool comma)
{
    gdi_buf_printf(b, "%s\"%s\":", comma ? "," : "", k);
    gdi_buf_json_str(b, v);
}

static void tier_json(gdi_buf *b, const gd_assess *a, int t)
{
    if (t < 0) gdi_buf_puts(b, "null");
    else gdi_buf_json_str(b, a->cat->tiers[t]);
}

void gdi_assess_json(const gd_assess *a, const char *lang, gdi_buf *b)
{
    const gdi_catalog *c = a->cat;
    char ts[32];
    gdi_iso_time(a->now, ts);
    gdi_buf_printf(b, "{\"tool\":{\"name\":\"gongdan\",\"version\":\"%s\"}", GD_VERSION_STRING);
    gdi_buf_puts(b, ",\"framework\":{");
    jk(b, "id", c->id, false);
    jk(b, "title", gdi_i18n_get(&c->title, lang), true);
    jk(b, "version", c->version, true);
    gdi_buf_puts(b, "}");
    jk(b, "date", ts, true);
    jk(b, "profile", a->profile, true);
    jk(b, "customer", a->customer, true);
    jk(b, "attestations_path", a->attest_path, true);
    gdi_buf_puts(b, ",\"inputs\":[");
    for (size_t i = 0; i < a->ninputs; i++) {
        if (i) gdi_buf_putc(b, ',');
        gdi_buf_json_str(b, a->inputs[i]);
    }
    gdi_buf_puts(b, "],\"summary\":{");
    for (int s = 0; s < GDI_AS__COUNT; s++)
        gdi_buf_printf(b, "%s\"%s\":%zu", s ? "," : "", gdi_astatus_id(s), a->counts[s]);
    gdi_buf_printf(b, ",\"controls\":%zu,\"failing_findings\":%zu,\"resources\":%llu,"
                      "\"attestations\":%zu,\"expired_attestations\":%zu,\"input_errors\":%zu}",
                   a->nctls, a->nfindings, (unsigned long long)a->resources, a->natts, a->nexpired,
                   a->nerrors);
    if (c->ntiers) {
        gdi_buf_puts(b, ",\"maturity\":{\"tiers\":[");
        for (size_t t = 0; t < c->ntiers; t++) {
            if (t) gdi_buf_putc(b, ',');
            gdi_buf_json_str(b, c->tiers[t]);
        }
        gdi_buf_puts(b, "]");
        jk(b, "inherent_risk", a->inherent_risk, true);
        gdi_buf_puts(b, ",\"target\":");
        tier_json(b, a, a->target_tier);
        gdi_buf_puts(b, ",\"achieved\":");
        tier_json(b, a, a->overall_tier);
        gdi_buf_printf(b, ",\"target_met\":%s,\"domains\":[",
                       a->target_tier < 0 ? "null" : a->overall_tier >= a->target_tier ? "true" : "false");
        for (size_t i = 0; i < a->ndomains; i++) {
            const gdi_adomain *d = &a->domains[i];
            gdi_buf_puts(b, i ? ",{" : "{");
            jk(b, "id", d->group ? d->group->id : NULL, false);
            jk(b, "title", d->group ? gdi_i18n_get(&d->group->title, lang) : NULL, true);
            gdi_buf_puts(b, ",\"achieved\":");
            tier_json(b, a, d->tier);
            gdi_buf_printf(b, ",\"gap\":%d,\"controls\":%zu,\"controls_at_tier\":[",
                           a->target_tier < 0 ? 0 : (a->target_tier > d->tier ? a->target_tier - d->tier : 0),
                           d->ncontrols);
            for (size_t t = 0; t < c->ntiers; t++) gdi_buf_printf(b, "%s%d", t ? "," : "", d->tier_count[t]);
            gdi_buf_puts(b, "]}");
        }
        gdi_buf_puts(b, "]}");
    }
    if (c->level) {
        gdi_buf_printf(b, ",\"mlps\":{\"level\":%d,\"platform_level\":", a->level);
        if (a->platform_level) gdi_buf_printf(b, "%d", a->platform_level);
        else gdi_buf_puts(b, "null");
        gdi_buf_printf(b, ",\"level_rule\":%s",
                       a->level_rule > 0 ? "true" : a->level_rule == 0 ? "false" : "null");
        jk(b, "rule", gdi_i18n_get(&c->level_rule, lang), true);
        gdi_buf_puts(b, "}");
    }
    gdi_buf_puts(b, ",\"controls\":[");
    for (size_t i = 0; i < a->nctls; i++) {
        const gdi_actl *x = &a->ctls[i];
        const gdi_cgroup *g = gdi_catalog_top_group(c, x->ctl);
        gdi_buf_puts(b, i ? ",{" : "{");
        jk(b, "id", x->ctl->id, false);
        jk(b, "title", gdi_i18n_get(&x->ctl->title, lang), true);
        jk(b, "group", x->ctl->group, true);
        jk(b, "domain", g ? g->id : NULL, true);
        jk(b, "status", gdi_astatus_id(x->status), true);
        if (c->ntiers) {
            gdi_buf_puts(b, ",\"tier\":");
            tier_json(b, a, x->tier);
        }
        jk(b, "owner", x->owner, true);
        gdi_buf_puts(b, ",\"inherited_from\":[");
        for (size_t k = 0; k < x->nproviders; k++) {
            if (k) gdi_buf_putc(b, ',');
            gdi_buf_json_str(b, x->providers[k]);
        }
        gdi_buf_puts(b, "],\"duties\":[");
        for (size_t k = 0; k < x->ctl->nduties; k++) {
            if (k) gdi_buf_putc(b, ',');
            gdi_buf_json_str(b, x->ctl->duties[k]);
        }
        gdi_buf_printf(b, "],\"organisational\":%s,\"reasons\":[", x->ctl->organisational ? "true" : "false");
        for (size_t k = 0; k < x->nreasons; k++) {
            gdi_buf_puts(b, k ? ",{" : "{");
            jk(b, "kind", gdi_rkind_id(x->reasons[k].kind), false);
            jk(b, "ref", x->reasons[k].ref, true);
            jk(b, "text", x->reasons[k].text, true);
            gdi_buf_putc(b, '}');
        }
        gdi_buf_puts(b, "],\"findings\":[");
        for (size_t k = 0; k < x->nfails; k++) {
            const gdi_afinding *f = x->fails[k];
            gdi_buf_puts(b, k ? ",{" : "{");
            jk(b, "rule_id", f->rule->id, false);
            jk(b, "address", f->address, true);
            jk(b, "file", f->file, true);
            gdi_buf_printf(b, ",\"line\":%u", f->line);
            if (f->party) { /* with a profile: split by service */
                jk(b, "service", f->service, true);
                jk(b, "party", f->party, true);
                jk(b, "accountable", f->accountable, true);
            }
            gdi_buf_putc(b, '}');
        }
        gdi_buf_puts(b, "],\"attestations\":[");
        for (size_t k = 0; k < x->natts; k++) {
            if (k) gdi_buf_putc(b, ',');
            gdi_buf_json_str(b, x->atts[k]->id);
        }
        gdi_buf_puts(b, "]}");
    }
    gdi_buf_puts(b, "],\"attestations\":[");
    for (size_t i = 0; i < a->natts; i++) {
        const gdi_attest *t = &a->atts[i];
        gdi_buf_puts(b, i ? ",{" : "{");
        jk(b, "id", t->id, false);
        jk(b, "file", t->file, true);
        gdi_buf_printf(b, ",\"line\":%u", t->line);
        jk(b, "framework", t->framework, true);
        jk(b, "control", t->control, true);
        jk(b, "duty", t->duty, true);
        jk(b, "status", t->status >= 0 ? gdi_att_status_id(t->status) : NULL, true);
        jk(b, "tier", t->tier_name, true);
        jk(b, "attested_by", t->by, true);
        jk(b, "date", t->date, true);
        jk(b, "expires", t->expires, true);
        gdi_buf_printf(b, ",\"expired\":%s,\"valid\":%s,\"applies\":%s,\"used\":%s,\"evidence\":[",
                       t->expired ? "true" : "false", t->invalid ? "false" : "true",
                       t->applies ? "true" : "false", t->used ? "true" : "false");
        for (size_t k = 0; k < t->nev; k++) {
            gdi_buf_puts(b, k ? ",{" : "{");
            jk(b, "path", t->ev[k].path, false);
            jk(b, "sha256", t->ev[k].sha256, true);
            jk(b, "actual", t->ev[k].actual, true);
            gdi_buf_printf(b, ",\"ok\":%s}", t->ev[k].ok ? "true" : "false");
        }
        gdi_buf_puts(b, "]}");
    }
    gdi_buf_puts(b, "],\"next\":[");
    for (size_t i = 0; i < a->nnext; i++) {
        const gdi_nextstep *n = &a->next[i];
        gdi_buf_puts(b, i ? ",{" : "{");
        jk(b, "kind", gdi_nkind_id(n->kind), false);
        jk(b, "ref", n->ref, true);
        jk(b, "text", zh(lang) && n->text_zh ? n->text_zh : n->text, true);
        jk(b, "controls", n->controls, true);
        gdi_buf_putc(b, '}');
    }
    gdi_buf_puts(b, "]}\n");
}

/* ------------------------------------------------------------ csv */

static void csvf(gdi_buf *b, const char *s, bool last)
{
    gdi_buf_putc(b, '"');
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"') gdi_buf_putc(b, '"');
        gdi_buf_putc(b, *p);
    }
    gdi_buf_putc(b, '"');
    gdi_buf_putc(b, last ? '\n' : ',');
}

void gdi_assess_csv(const gd_assess *a, const char *lang, gdi_buf *b)
{
    const gdi_catalog *c = a->cat;
    gdi_buf_puts(b, "framework,control,title,domain,status,tier,owner,inherited_from,failing_findings,"
                    "attestations,reasons\n");
    for (size_t i = 0; i < a->nctls; i++) {
        const gdi_actl *x = &a->ctls[i];
        const gdi_cgroup *g = gdi_catalog_top_group(c, x->ctl);
        csvf(b, c->id, false);
        csvf(b, x->ctl->id, false);
        csvf(b, gdi_i18n_get(&x->ctl->title, lang), false);
        csvf(b, g ? g->id : "", false);
        csvf(b, gdi_astatus_id(x->status), false);
        csvf(b, c->ntiers && x->tier >= 0 ? c->tiers[x->tier] : "", false);
        csvf(b, x->owner, false);
        gdi_buf buf;
        gdi_buf_init(&buf, a->ctx);
        for (size_t k = 0; k < x->nproviders; k++) {
            if (k) gdi_buf_puts(&buf, "; ");
            gdi_buf_puts(&buf, x->providers[k]);
        }
        csvf(b, gdi_buf_cstr(&buf), false);
        gdi_buf_free(&buf);
        gdi_buf_printf(b, "%zu,", x->nfails);
        gdi_buf_init(&buf, a->ctx);
        for (size_t k = 0; k < x->natts; k++) {
            if (k) gdi_buf_puts(&buf, "; ");
            gdi_buf_puts(&buf, x->atts[k]->id);
        }
        csvf(b, gdi_buf_cstr(&buf), false);
        gdi_buf_free(&buf);
        gdi_buf_init(&buf, a->ctx);
        for (size_t k = 0; k < x->nreasons; k++) {
            if (k) gdi_buf_puts(&buf, " | ");
            gdi_buf_puts(&buf, x->reasons[k].text);
        }
        csvf(b, gdi_buf_cstr(&buf), true);
        if (buf.oom) b->oom = true;
        gdi_buf_free(&buf);
    }
}
