/*
 * render.c — `gongdan catalog list|show`: the catalogs, one catalog, one
 * control or one group, as text or JSON, in English or Chinese.
 *
 * Output is built in a gdi_buf and written in one piece, so a failed write
 * or an out-of-memory never leaves half a document. JSON field names are
 * documented in docs/catalogs.md.
 */
#include "catalog/catalog.h"

#include <stdio.h>
#include <string.h>

static void jkv(gdi_buf *b, const char *key, const char *val, bool comma)
{
    gdi_buf_printf(b, "%s\"%s\":", comma ? "," : "", key);
    gdi_buf_json_str(b, val);
}

static size_t count_mapped_org(const gdi_catalog *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->ncontrols; i++) n += c->controls[i].organisational;
    return n;
}

static void list_text(const gd_catalogset *cs, const char *lang, gdi_buf *b)
{
    gdi_buf_printf(b, "%-16s %8s  %s\n", "ID", "CONTROLS", lang && !strcmp(lang, "zh") ? "名称" : "TITLE");
    for (size_t i = 0; i < cs->ncats; i++) {
        const gdi_catalog *c = cs->cats[i];
        gdi_buf_printf(b, "%-16s %8zu  %s%s\n", c->id, c->ncontrols, gdi_i18n_get(&c->title, lang),
                       c->builtin ? "" : c->imported ? " (imported)" : " (user)");
    }
}

static void list_json(const gd_catalogset *cs, const char *lang, gdi_buf *b)
{
    gdi_buf_puts(b, "{\"catalogs\":[");
    for (size_t i = 0; i < cs->ncats; i++) {
        const gdi_catalog *c = cs->cats[i];
        gdi_buf_puts(b, i ? ",{" : "{");
        jkv(b, "id", c->id, false);
        jkv(b, "title", gdi_i18n_get(&c->title, lang), true);
        jkv(b, "version", c->version, true);
        gdi_buf_printf(b, ",\"controls\":%zu,\"builtin\":%s,\"imported\":%s", c->ncontrols,
                       c->builtin ? "true" : "false", c->imported ? "true" : "false");
        jkv(b, "file", c->file, true);
        gdi_buf_putc(b, '}');
    }
    gdi_buf_puts(b, "]}\n");
}

static const char *L(const char *lang, const char *en, const char *zh)
{
    return lang && !strcmp(lang, "zh") ? zh : en;
}

static void control_text(const gdi_catalog *c, const gdi_control *x, const char *lang, bool full,
                         gdi_buf *b)
{
    gdi_buf_printf(b, "%s  %s\n", x->id, gdi_i18n_get(&x->title, lang));
    if (!full) return;
    const gdi_cgroup *g = gdi_catalog_group(c, x->group);
    if (g) gdi_buf_printf(b, "  %s: %s %s\n", L(lang, "group", "分组"), g->id, gdi_i18n_get(&g->title, lang));
    if (x->parent) gdi_buf_printf(b, "  %s: %s\n", L(lang, "enhances", "增强自"), x->parent);
    if (x->party) gdi_buf_printf(b, "  %s: %s\n", L(lang, "party", "责任方"), x->party);
    if (x->applies_to) gdi_buf_printf(b, "  %s: %s\n", L(lang, "applies to", "适用范围"), x->applies_to);
    if (x->extension) gdi_buf_printf(b, "  %s: %s\n", L(lang, "extension", "扩展要求"), x->extension);
    if (x->source) gdi_buf_printf(b, "  %s: %s\n", L(lang, "source", "出处"), x->source);
    if (x->summary) gdi_buf_printf(b, "  %s: %s\n", L(lang, "summary", "摘要"), x->summary);
    if (x->requirement)
        gdi_buf_printf(b, "  %s: %s\n", L(lang, "requirement (all tiers)", "要求（不分级）"), x->requirement);
    if (x->has_tiers)
        for (size_t t = 0; t < c->ntiers; t++)
            gdi_buf_printf(b, "  %s: %s\n", gdi_i18n_get(&c->tier_titles[t], lang),
                           x->tier_text[t] ? x->tier_text[t] : "N/A");
    if (x->ncapabilities) {
        gdi_buf_printf(b, "  %s: ", L(lang, "provider capabilities", "云服务商能力"));
        for (size_t i = 0; i < x->ncapabilities; i++)
            gdi_buf_printf(b, "%s%s", i ? ", " : "", x->capabilities[i]);
        gdi_buf_putc(b, '\n');
    }
    if (x->mapped) {
        if (x->nduties) {
            gdi_buf_printf(b, "  %s:\n", L(lang, "duties", "责任项"));
            for (size_t i = 0; i < x->nduties; i++) gdi_buf_printf(b, "    - %s\n", x->duties[i]);
        }
        if (x->organisational)
            gdi_buf_printf(b, "  %s\n", L(lang, "organisational: needs the organisation's own evidence",
                                          "组织类：需要组织自身的证据（证明）"));
    }
}

static void control_json(const gdi_catalog *c, const gdi_control *x, const char *lang, gdi_buf *b)
{
    gdi_buf_putc(b, '{');
    jkv(b, "id", x->id, false);
    jkv(b, "title", gdi_i18n_get(&x->title, lang), true);
    jkv(b, "title_en", x->title.en, true);
    jkv(b, "title_zh", x->title.zh, true);
    jkv(b, "group", x->group, true);
    jkv(b, "parent", x->parent, true);
    jkv(b, "party", x->party, true);
    jkv(b, "source", x->source, true);
    jkv(b, "summary", x->summary, true);
    jkv(b, "requirement", x->requirement, true);
    if (x->has_tiers) {
        gdi_buf_puts(b, ",\"tiers\":{");
        for (size_t t = 0; t < c->ntiers; t++) {
            gdi_buf_printf(b, "%s\"%s\":", t ? "," : "", c->tiers[t]);
            gdi_buf_json_str(b, x->tier_text[t]);
        }
        gdi_buf_putc(b, '}');
    }
    gdi_buf_puts(b, ",\"provider_capabilities\":[");
    for (size_t i = 0; i < x->ncapabilities; i++) {
        if (i) gdi_buf_putc(b, ',');
        gdi_buf_json_str(b, x->capabilities[i]);
    }
    gdi_buf_puts(b, "],\"duties\":[");
    for (size_t i = 0; i < x->nduties; i++) {
        if (i) gdi_buf_putc(b, ',');
        gdi_buf_json_str(b, x->duties[i]);
    }
    gdi_buf_printf(b, "],\"organisational\":%s,\"mapped\":%s}", x->organisational ? "true" : "false",
                   x->mapped ? "true" : "false");
}

static bool in_group(const gdi_catalog *c, const gdi_control *x, const char *gid)
{
    const gdi_cgroup *g = gdi_catalog_group(c, x->group);
    for (int guard = 0; g && guard < 32; guard++) {
        if (!strcmp(g->id, gid)) return true;
        g = g->parent ? gdi_catalog_group(c, g->parent) : NULL;
    }
    return false;
}

static void show_text(const gdi_catalog *c, const char *sel, const char *lang, gdi_buf *b)
{
    const gdi_control *one = sel ? gdi_catalog_control(c, sel) : NULL;
    if (one) {
        control_text(c, one, lang, true, b);
        return;
    }
    if (!sel) {
        gdi_buf_printf(b, "%s — %s\n", c->id, gdi_i18n_get(&c->title, lang));
        if (c->version) gdi_buf_printf(b, "%s: %s\n", L(lang, "version", "版本"), c->version);
        if (c->source) gdi_buf_printf(b, "%s: %s\n", L(lang, "source", "出处"), c->source);
        if (c->ntiers) {
            gdi_buf_printf(b, "%s: ", L(lang, "tiers", "成熟度级别"));
            for (size_t t = 0; t < c->ntiers; t++)
                gdi_buf_printf(b, "%s%s", t ? " < " : "", gdi_i18n_get(&c->tier_titles[t], lang));
            gdi_buf_putc(b, '\n');
        }
        if (c->level) gdi_buf_printf(b, "%s: %d\n", L(lang, "level", "等级"), c->level);
        if (c->level_rule.en && *c->level_rule.en)
            gdi_buf_printf(b, "%s: %s\n", L(lang, "level rule", "定级规则"), gdi_i18n_get(&c->level_rule, lang));
        gdi_buf_printf(b, "%s: %zu (%zu %s)\n\n", L(lang, "controls", "控制项"), c->ncontrols,
                       count_mapped_org(c), L(lang, "organisational", "组织类"));
    }
    /* controls grouped under their group headings */
    const char *last = NULL;
    for (size_t i = 0; i < c->ncontrols; i++) {
        const gdi_control *x = &c->controls[i];
        if (sel && !in_group(c, x, sel)) continue;
        if (x->group && (!last || strcmp(last, x->group))) {
            const gdi_cgroup *g = gdi_catalog_group(c, x->group);
            const gdi_cgroup *top = gdi_catalog_top_group(c, x);
            if (top && top != g)
                gdi_buf_printf(b, "\n[%s %s / %s %s]\n", top->id, gdi_i18n_get(&top->title, lang), g->id,
                               gdi_i18n_get(&g->title, lang));
            else if (g)
                gdi_buf_printf(b, "\n[%s %s]\n", g->id, gdi_i18n_get(&g->title, lang));
            last = x->group;
        }
        gdi_buf_puts(b, "  ");
        control_text(c, x, lang, false, b);
    }
}

static void show_json(const gdi_catalog *c, const char *sel, const char *lang, gdi_buf *b)
{
    const gdi_control *one = sel ? gdi_catalog_control(c, sel) : NULL;
    if (one) {
        control_json(c, one, lang, b);
        gdi_buf_putc(b, '\n');
        return;
    }
    gdi_buf_putc(b, '{');
    jkv(b, "id", c->id, false);
    jkv(b, "title", gdi_i18n_get(&c->title, lang), true);
    jkv(b, "version", c->version, true);
    jkv(b, "source", c->source, true);
    jkv(b, "provider", c->provider, true);
    jkv(b, "based_on", c->based_on, true);
    gdi_buf_puts(b, ",\"tiers\":[");
    for (size_t t = 0; t < c->ntiers; t++) {
        if (t) gdi_buf_putc(b, ',');
        gdi_buf_json_str(b, c->tiers[t]);
    }
    gdi_buf_printf(b, "],\"level\":%d", c->level);
    bool has_rule = c->level_rule.en && *c->level_rule.en; /* OSCAL imports have none */
    jkv(b, "level_rule", has_rule ? gdi_i18n_get(&c->level_rule, lang) : NULL, true);
    gdi_buf_puts(b, ",\"groups\":[");
    for (size_t i = 0; i < c->ngroups; i++) {
        gdi_buf_puts(b, i ? ",{" : "{");
        jkv(b, "id", c->groups[i].id, false);
        jkv(b, "parent", c->groups[i].parent, true);
        jkv(b, "title", gdi_i18n_get(&c->groups[i].title, lang), true);
        gdi_buf_putc(b, '}');
    }
    gdi_buf_puts(b, "],\"controls\":[");
    bool first = true;
    for (size_t i = 0; i < c->ncontrols; i++) {
        if (sel && !in_group(c, &c->controls[i], sel)) continue;
        if (!first) gdi_buf_putc(b, ',');
        first = false;
        control_json(c, &c->controls[i], lang, b);
    }
    gdi_buf_puts(b, "]}\n");
}

GD_API gd_status gd_catalog_write(const gd_catalogset *cs, const char *id, const char *control,
                                  const char *format, const char *lang, FILE *out)
{
    if (!cs || !out) return GD_MISUSE;
    bool json = format && !strcmp(format, "json");
    if (format && !json && strcmp(format, "text"))
        return gdi_err(cs->ctx, GD_INVALID, NULL, 0, 0, "unknown format '%s' (text, json)", format);
    gdi_buf b;
    gdi_buf_init(&b, cs->ctx);
    gd_status st = GD_OK;
    if (!id) {
        json ? list_json(cs, lang, &b) : list_text(cs, lang, &b);
    } else {
        const gdi_catalog *c = gdi_catalogset_find(cs, id);
        if (!c) {
            st = gdi_err(cs->ctx, GD_NOTFOUND, NULL, 0, 0,
                         "unknown catalog '%s' ('gongdan catalog list' shows them)", id);
            goto done;
        }
        if (control && !gdi_catalog_control(c, control) && !gdi_catalog_group(c, control)) {
            st = gdi_err(cs->ctx, GD_NOTFOUND, NULL, 0, 0, "%s has no control or group '%s'", id,
                         control);
            goto done;
        }
        json ? show_json(c, control, lang, &b) : show_text(c, control, lang, &b);
    }
    if (b.oom) {
        st = GD_NOMEM;
        goto done;
    }
    if (b.n && fwrite(b.p, 1, b.n, out) != b.n)
        st = gdi_err(cs->ctx, GD_IO, NULL, 0, 0, "cannot write output");
done:
    gdi_buf_free(&b);
    return st;
}
