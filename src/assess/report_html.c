/*
 * report_html.c — the assessment as one self-contained HTML page: summary,
 * a domain x tier heat map (tiered frameworks) or a per-section bar (MLPS),
 * the control table with status, owner and evidence, the attestations with
 * their digests, and what to do next. No scripts, no external resources;
 * print styles keep it readable on paper.
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

static void esc(gdi_buf *b, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        switch (*p) {
        case '<': gdi_buf_puts(b, "&lt;"); break;
        case '>': gdi_buf_puts(b, "&gt;"); break;
        case '&': gdi_buf_puts(b, "&amp;"); break;
        case '"': gdi_buf_puts(b, "&quot;"); break;
        default: gdi_buf_putc(b, *p);
        }
    }
}

static const char *tier_name(const gd_assess *a, int t, const char *lang)
{
    if (t < 0) return T(lang, "none", "未达到");
    return gdi_i18n_get(&a->cat->tier_titles[t], lang);
}

static const char css[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI','Noto Sans CJK SC',sans-serif;"
    "margin:24px 32px;color:#1d2330;background:#fff}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d8dde6;"
    "padding-bottom:4px}.meta{color:#5a6475;margin-bottom:14px}"
    ".cards{display:flex;gap:10px;flex-wrap:wrap}.card{border:1px solid #d8dde6;border-radius:6px;"
    "padding:8px 14px;min-width:92px}.card b{display:block;font-size:22px}"
    "table{border-collapse:collapse;width:100%}th,td{border:1px solid #d8dde6;padding:5px 8px;"
    "text-align:left;vertical-align:top}th{background:#f3f5f9;font-weight:600}"
    ".heat td.c{text-align:center;font-weight:600;min-width:110px}"
    ".s{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap}"
    ".met{background:#d7f2df;color:#17613a}.partial{background:#fff0c2;color:#7a5700}"
    ".not_met{background:#fbd5d5;color:#8f1d1d}.not_applicable{background:#eceff3;color:#4a5260}"
    ".inherited{background:#dbe8fb;color:#1d4f91}.unknown{background:#f1e4fa;color:#6b2d8c}"
    ".gap{color:#8f1d1d;font-weight:600}.ok{color:#17613a;font-weight:600}"
    "ul{margin:2px 0;padding-left:18px}.small{font-size:12px;color:#5a6475}code{font-size:12px}"
    ".bad{color:#8f1d1d}"
    "@media print{body{margin:8mm}h2{break-after:avoid}tr{break-inside:avoid}}";

/* Heat colour for a share (0..1) of controls achieving a tier. */
static const char *heat(double share)
{
    if (share >= 0.999) return "#5cbf7a";
    if (share >= 0.75) return "#a8dcb4";
    if (share >= 0.5) return "#f7e08a";
    if (share >= 0.25) return "#f6b98a";
    return "#ef9a9a";
}

static void badge(gdi_buf *b, int status, const char *lang)
{
    gdi_buf_printf(b, "<span class=\"s %s\">", gdi_astatus_id(status));
    esc(b, gdi_astatus_label(status, lang));
    gdi_buf_puts(b, "</span>");
}

void gdi_assess_html(const gd_assess *a, const char *lang, gdi_buf *b)
{
    const gdi_catalog *c = a->cat;
    gdi_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width\"><title>",
                   zh(lang) ? "zh" : "en");
    esc(b, c->id);
    gdi_buf_puts(b, " — gongdan assess</title><style>");
    gdi_buf_puts(b, css);
    gdi_buf_puts(b, "</style></head><body>\n<h1>");
    esc(b, gdi_i18n_get(&c->title, lang));
    gdi_buf_puts(b, "</h1>\n<div class=\"meta\">");
    gdi_buf_printf(b, "%s <b>", T(lang, "Assessment of", "评估对象"));
    esc(b, a->customer);
    gdi_buf_printf(b, "</b> · %s ", T(lang, "profile", "部署"));
    esc(b, a->profile ? a->profile : "-");
    gdi_buf_printf(b, " · %s %s · gongdan %s</div>\n", T(lang, "date", "日期"), a->date, GD_VERSION_STRING);
    /* summary cards */
    gdi_buf_puts(b, "<div class=\"cards\">");
    for (int s = 0; s < GDI_AS__COUNT; s++) {
        gdi_buf_printf(b, "<div class=\"card\"><b>%zu</b>", a->counts[s]);
        badge(b, s, lang);
        gdi_buf_puts(b, "</div>");
    }
    gdi_buf_printf(b, "<div class=\"card\"><b>%zu</b>%s</div>", a->nfindings,
                   T(lang, "failing findings", "不合规结果"));
    gdi_buf_printf(b, "<div class=\"card\"><b>%zu</b>%s</div>", a->natts, T(lang, "attestations", "证明"));
    gdi_buf_puts(b, "</div>\n");
    if (c->ntiers) {
        gdi_buf_printf(b, "<h2>%s</h2>\n", T(lang, "Maturity: domain × tier", "成熟度：领域 × 级别"));
        gdi_buf_puts(b, "<p>");
        gdi_buf_printf(b, "%s <b>%s</b>", T(lang, "Overall tier achieved:", "总体已达到："),
                       tier_name(a, a->overall_tier, lang));
        if (a->target_tier >= 0)
            gdi_buf_printf(b, " · %s %s → %s <b>%s</b> · <span class=\"%s\">%s</span>",
                           T(lang, "inherent risk", "固有风险"), a->inherent_risk, T(lang, "target", "目标"),
                           tier_name(a, a->target_tier, lang), a->overall_tier >= a->target_tier ? "ok" : "gap",
                           a->overall_tier >= a->target_tier ? T(lang, "target met", "已达目标")
                                                             : T(lang, "gap to target", "未达目标"));
        gdi_buf_puts(b, "</p>\n<table class=\"heat\"><tr><th>");
        gdi_buf_puts(b, T(lang, "Domain", "领域"));
        gdi_buf_puts(b, "</th>");
        for (size_t t = 0; t < c->ntiers; t++) {
            gdi_buf_puts(b, "<th>");
            esc(b, gdi_i18n_get(&c->tier_titles[t], lang));
            gdi_buf_puts(b, "</th>");
        }
        gdi_buf_printf(b, "<th>%s</th><th>%s</th></tr>\n", T(lang, "Achieved", "已达到"), T(lang, "Gap", "差距"));
        for (size_t i = 0; i < a->ndomains; i++) {
            const gdi_adomain *d = &a->domains[i];
            gdi_buf_puts(b, "<tr><td>");
            esc(b, d->group ? d->group->id : "");
            gdi_buf_puts(b, " ");
            esc(b, d->group ? gdi_i18n_get(&d->group->title, lang) : "");
            gdi_buf_puts(b, "</td>");
            for (size_t t = 0; t < c->ntiers; t++) {
                double share = d->ncontrols ? (double)d->tier_count[t] / (double)d->ncontrols : 0;
                gdi_buf_printf(b, "<td class=\"c\" style=\"background:%s\"%s>%d / %zu</td>", heat(share),
                               a->target_tier >= 0 && (int)t == a->target_tier ? " title=\"target\"" : "",
                               d->tier_count[t], d->ncontrols);
            }
            int gap = a->target_tier >= 0 && a->target_tier > d->tier ? a->target_tier - d->tier : 0;
            gdi_buf_printf(b, "<td>%s</td><td class=\"%s\">%s</td></tr>\n", tier_name(a, d->tier, lang),
                           gap ? "gap" : "ok",
                           a->target_tier < 0 ? "—" : gap ? (gap == 1 ? "1" : gap == 2 ? "2" : "3") : "0");
        }
        gdi_buf_printf(b, "</table><p class=\"small\">%s</p>\n",
                       T(lang, "Each cell: controls of the domain that achieve the tier / controls in the "
                               "domain. A domain achieves a tier when all its controls do.",
                         "每格：该领域达到此级别的控制项数 / 领域内控制项总数。领域内全部控制项达到某级别，该领域方达到该级别。"));
    }
    if (c->level) {
        gdi_buf_printf(b, "<h2>%s</h2>\n<p>", T(lang, "MLPS level rule", "等级保护定级规则"));
        gdi_buf_printf(b, "%s %d · %s ", T(lang, "system level", "系统级别"), a->level,
                       T(lang, "platform level", "云平台级别"));
        if (a->platform_level) gdi_buf_printf(b, "%d", a->platform_level);
        else gdi_buf_puts(b, T(lang, "not stated", "未提供"));
        gdi_buf_printf(b, " · <span class=\"%s\">%s</span></p><p class=\"small\">",
                       a->level_rule > 0 ? "ok" : "gap",
                       a->level_rule > 0 ? T(lang, "holds", "满足")
                       : a->level_rule == 0 ? T(lang, "broken", "不满足")
                                            : T(lang, "undecided", "无法判断"));
        esc(b, gdi_i18n_get(&c->level_rule, lang));
        gdi_buf_puts(b, "</p>\n<table><tr>");
        gdi_buf_printf(b, "<th>%s</th><th>%s</th><th>%s</th></tr>\n", T(lang, "Section", "层面"),
                       T(lang, "Families met", "符合的控制点"), T(lang, "Not met", "不符合"));
        for (size_t i = 0; i < c->ngroups; i++) {
            const gdi_cgroup *g = &c->groups[i];
            if (!g->parent) continue;
            size_t ok = 0, n = 0;
            for (size_t k = 0; k < a->nctls; k++) {
                if (!a->ctls[k].ctl->group || strcmp(a->ctls[k].ctl->group, g->id)) continue;
                n++;
                int s = a->ctls[k].status;
                ok += s == GDI_AS_MET || s == GDI_AS_INHERITED || s == GDI_AS_NA;
            }
            gdi_buf_puts(b, "<tr><td>");
            esc(b, g->id);
            gdi_buf_puts(b, " ");
            esc(b, gdi_i18n_get(&g->title, lang));
            gdi_buf_printf(b, "</td><td style=\"background:%s\">%zu / %zu</td><td>%zu</td></tr>\n",
                           heat(n ? (double)ok / (double)n : 0), ok, n, n - ok);
        }
        gdi_buf_puts(b, "</table>\n");
    }
    if (a->nnext) {
        gdi_buf_printf(b, "<h2>%s</h2>\n<ol>", T(lang, "What to do next", "下一步"));
        for (size_t i = 0; i < a->nnext; i++) {
            gdi_buf_puts(b, "<li>");
            esc(b, zh(lang) && a->next[i].text_zh ? a->next[i].text_zh : a->next[i].text);
            if (a->next[i].controls) {
                gdi_buf_puts(b, " <span class=\"small\">[");
                esc(b, a->next[i].controls);
                gdi_buf_puts(b, "]</span>");
            }
            gdi_buf_puts(b, "</li>");
        }
        gdi_buf_puts(b, "</ol>\n");
    }
    gdi_buf_printf(b, "<h2>%s</h2>\n<table><tr><th>%s</th><th>%s</th><th>%s</th>", T(lang, "Controls", "控制项"),
                   T(lang, "Control", "控制项"), T(lang, "Status", "状态"), T(lang, "Owner", "责任方"));
    if (c->ntiers) gdi_buf_printf(b, "<th>%s</th>", T(lang, "Tier", "级别"));
    gdi_buf_printf(b, "<th>%s</th></tr>\n", T(lang, "Evidence and reasons", "证据与原因"));
    for (size_t i = 0; i < a->nctls; i++) {
        const gdi_actl *x = &a->ctls[i];
        gdi_buf_puts(b, "<tr><td><b>");
        esc(b, x->ctl->id);
        gdi_buf_puts(b, "</b> ");
        esc(b, gdi_i18n_get(&x->ctl->title, lang));
        gdi_buf_puts(b, "</td><td>");
        badge(b, x->status, lang);
        gdi_buf_puts(b, "</td><td>");
        esc(b, x->owner ? x->owner : "—");
        for (size_t k = 0; k < x->nproviders; k++) {
            gdi_buf_puts(b, k ? ", " : "<br><span class=\"small\">");
            esc(b, x->providers[k]);
            if (k + 1 == x->nproviders) gdi_buf_puts(b, "</span>");
        }
        gdi_buf_puts(b, "</td>");
        if (c->ntiers) {
            gdi_buf_puts(b, "<td>");
            esc(b, tier_name(a, x->tier, lang));
            gdi_buf_puts(b, "</td>");
        }
        gdi_buf_puts(b, "<td><ul>");
        for (size_t k = 0; k < x->nreasons; k++) {
            gdi_buf_puts(b, "<li>");
            esc(b, x->reasons[k].text);
            gdi_buf_puts(b, "</li>");
        }
        for (size_t k = 0; k < x->nfails && k < 5; k++) {
            gdi_buf_puts(b, "<li class=\"bad\"><code>");
            esc(b, x->fails[k]->rule->id);
            gdi_buf_puts(b, "</code> ");
            esc(b, x->fails[k]->address);
            gdi_buf_puts(b, "</li>");
        }
        gdi_buf_puts(b, "</ul></td></tr>\n");
    }
    gdi_buf_puts(b, "</table>\n");
    if (a->natts) {
        gdi_buf_printf(b, "<h2>%s</h2>\n<table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
                       T(lang, "Attestations", "证明"), T(lang, "Attestation", "证明"), T(lang, "Target", "对象"),
                       T(lang, "State", "状态"), T(lang, "Evidence (SHA-256)", "证据（SHA-256）"));
        for (size_t i = 0; i < a->natts; i++) {
            const gdi_attest *t = &a->atts[i];
            gdi_buf_puts(b, "<tr><td><b>");
            esc(b, t->id);
            gdi_buf_puts(b, "</b><br><span class=\"small\">");
            esc(b, t->by);
            gdi_buf_puts(b, " · ");
            esc(b, t->date);
            if (t->expires) {
                gdi_buf_puts(b, " → ");
                esc(b, t->expires);
            }
            gdi_buf_puts(b, "</span></td><td>");
            esc(b, t->control ? t->control : t->duty);
            gdi_buf_puts(b, "</td><td>");
            if (t->invalid) gdi_buf_printf(b, "<span class=\"gap\">%s</span>", T(lang, "rejected", "被拒绝"));
            else if (t->expired) gdi_buf_printf(b, "<span class=\"gap\">%s</span>", T(lang, "expired", "已过期"));
            else if (!t->applies) gdi_buf_puts(b, T(lang, "other framework", "其他框架"));
            else esc(b, t->status >= 0 ? gdi_att_status_id(t->status) : "?");
            gdi_buf_puts(b, "</td><td>");
            for (size_t k = 0; k < t->nev; k++) {
                gdi_buf_printf(b, "%s<span class=\"%s\">", k ? "<br>" : "", t->ev[k].ok ? "" : "bad");
                esc(b, t->ev[k].path);
                gdi_buf_puts(b, " <code>");
                gdi_buf_append(b, t->ev[k].sha256, 12);
                gdi_buf_puts(b, "…</code>");
                if (!t->ev[k].ok) gdi_buf_puts(b, T(lang, " mismatch", " 不一致"));
                gdi_buf_puts(b, "</span>");
            }
            gdi_buf_puts(b, "</td></tr>\n");
        }
        gdi_buf_puts(b, "</table>\n");
    }
    gdi_buf_printf(b, "<p class=\"small\">%s</p>\n</body></html>\n",
                   T(lang, "Control titles and requirement summaries are gongdan's own paraphrase; ids "
                           "are the frameworks' numbering.",
                     "控制项标题和要求摘要为 gongdan 的转述；编号沿用各框架原编号。"));
}
