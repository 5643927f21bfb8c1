/*
 * browse.c — gd_model_show and gd_providers_write: the built-in (and added)
 * models and provider profiles as text or JSON, in English or Chinese.
 * Read-only views of the modelset; output is built in a buffer and written
 * once.
 */
#include "model/model.h"

#include <stdio.h>

static bool is_zh(const char *lang)
{
    return lang && strcmp(lang, "zh") == 0;
}

static gd_status flush(gd_ctx *ctx, gdi_buf *b, FILE *out)
{
    gd_status st = GD_OK;
    if (b->oom)
        st = GD_NOMEM;
    else if (b->n && fwrite(b->p, 1, b->n, out) != b->n)
        st = gdi_err(ctx, GD_IO, NULL, 0, 0, "could not write the output");
    gdi_buf_free(b);
    return st;
}

/* Compact code of a division: P, C, P+C, P(cap)+C, negotiable, -. */
static const char *div_code(const gdi_division *d)
{
    if (!d->present) return "-";
    if (d->prole == GDI_PR_NEGOTIABLE) return "negotiable";
    if (d->prole == GDI_PR_CAPABILITY) return d->crole == GDI_CR_REQUIRED ? "cap+C" : "cap";
    if (d->prole == GDI_PR_REQUIRED) return d->crole == GDI_CR_REQUIRED ? "P+C" : "P";
    return d->crole == GDI_CR_REQUIRED ? "C" : "none";
}

static void text_duty_detail(const gd_modelset *ms, const gdi_model *m, const gdi_duty *d,
                             const char *lang, gdi_buf *b)
{
    bool zh = is_zh(lang);
    gdi_buf_printf(b, "%s  %s\n", d->id, gdi_text_get(&d->title, lang));
    if (zh && d->title.en) gdi_buf_printf(b, "  (%s)\n", d->title.en);
    if (!zh && d->title.zh) gdi_buf_printf(b, "  (%s)\n", d->title.zh);
    gdi_buf_printf(b, "  %s: %s (%s)\n", gdi_label("category", lang), m->categories[d->category].id,
                   gdi_text_get(&m->categories[d->category].title, lang));
    const gdi_text *g = gdi_model_group(m, d->group);
    if (g) gdi_buf_printf(b, "  %s: %s (%s)\n", zh ? "分组" : "group", d->group, gdi_text_get(g, lang));
    if (d->definition) gdi_buf_printf(b, "  %s: %s\n", zh ? "定义（英文释义）" : "definition", d->definition);
    if (d->oscar) {
        gdi_buf_printf(b, "  %s:", zh ? "对应 OSCAR 责任" : "OSCAR duties");
        for (size_t i = 0; d->oscar[i]; i++) gdi_buf_printf(b, " %s", d->oscar[i]);
        gdi_buf_putc(b, '\n');
    }
    for (int s = 0; s < GDI_SM__COUNT; s++) {
        const gdi_division *dv = &d->div[s];
        if (!dv->present) continue;
        gdi_buf_printf(b, "  %s: %s %s, %s %s; ", gdi_sm_name(s), gdi_label("provider", lang),
                       gdi_prole_name(dv->prole), gdi_label("customer", lang), gdi_crole_name(dv->crole));
        if (zh)
            gdi_buf_printf(b, "表%d第%d行", dv->table, dv->row);
        else
            gdi_buf_printf(b, "table %d row %d", dv->table, dv->row);
        if (dv->via_table)
            gdi_buf_printf(b, zh ? "（同表%d第%d行）" : " (same as table %d row %d)", dv->via_table, dv->via_row);
        gdi_buf_putc(b, '\n');
        if (dv->inferred)
            gdi_buf_printf(b, zh ? "      原表受损，按参考数据歧义说明第%d条解读\n"
                                 : "      reconstructed from a damaged cell: reference ambiguity %d\n",
                           dv->inferred);
        if (dv->readings[0]) {
            gdi_buf_puts(b, zh ? "      解读说明：" : "      documented readings:");
            for (int k = 0; k < 4 && dv->readings[k]; k++) gdi_buf_printf(b, " %d", dv->readings[k]);
            gdi_buf_putc(b, '\n');
        }
        if (dv->note) gdi_buf_printf(b, "      %s: %s\n", zh ? "注（英文释义）" : "note", dv->note);
        for (size_t k = 0; k < dv->noptions; k++) {
            const gdi_option *o = &dv->options[k];
            const char *none = zh ? "（无）" : "(nothing)";
            const char *pt = gdi_text_get(&o->provider_text, lang);
            const char *ct = gdi_text_get(&o->customer_text, lang);
            gdi_buf_printf(b, zh ? "      选项 %s（表%d第%d行）：提供者 %s：%s；客户 %s：%s\n"
                                 : "      option %s (table %d row %d): provider %s: %s; customer %s: %s\n",
                           o->id, dv->options_table, dv->options_row, gdi_prole_name(o->prole),
                           pt[0] ? pt : none, gdi_crole_name(o->crole), ct[0] ? ct : none);
        }
        for (size_t p = 0; p < ms->nproviders; p++) {
            const gdi_provider *pv = ms->providers[p];
            for (size_t k = 0; k < pv->ndefaults; k++) {
                const gdi_pdefault *df = &pv->defaults[k];
                if (df->sm != s || strcmp(df->duty, d->id) != 0) continue;
                gdi_buf_printf(b, zh ? "      %s 默认：%s（%s）\n" : "      %s default: %s (%s)\n", pv->id,
                               df->option ? df->option : (zh ? "未声明" : "not stated"), df->confidence);
            }
        }
    }
}

static bool id_under(const char *id, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(id, prefix, n) == 0 && (id[n] == 0 || id[n] == '.');
}

static void json_model(const gdi_model *m, const char *only, const char *lang, gdi_buf *b)
{
    gdi_buf_puts(b, "{\"id\": ");
    gdi_buf_json_str(b, m->id);
    gdi_buf_puts(b, ", \"title\": ");
    gdi_buf_json_str(b, gdi_text_get(&m->title, lang));
    gdi_buf_puts(b, ", \"source\": ");
    gdi_buf_json_str(b, m->source);
    gdi_buf_puts(b, ",\n \"categories\": [");
    for (size_t i = 0; i < m->ncategories; i++) {
        gdi_buf_puts(b, i ? ", {\"id\": " : "{\"id\": ");
        gdi_buf_json_str(b, m->categories[i].id);
        gdi_buf_puts(b, ", \"title\": ");
        gdi_buf_json_str(b, gdi_text_get(&m->categories[i].title, lang));
        gdi_buf_putc(b, '}');
    }
    gdi_buf_puts(b, "],\n \"duties\": [");
    size_t nd = 0;
    for (size_t i = 0; i < m->nduties; i++) {
        const gdi_duty *d = &m->duties[i];
        if (only && !id_under(d->id, only)) continue;
        gdi_buf_puts(b, nd++ ? ",\n  {\"id\": " : "\n  {\"id\": ");
        gdi_buf_json_str(b, d->id);
        gdi_buf_puts(b, ", \"category\": ");
        gdi_buf_json_str(b, m->categories[d->category].id);
        gdi_buf_puts(b, ", \"group\": ");
        gdi_buf_json_str(b, d->group);
        gdi_buf_puts(b, ", \"title\": ");
        gdi_buf_json_str(b, gdi_text_get(&d->title, lang));
        gdi_buf_puts(b, ", \"definition\": ");
        gdi_buf_json_str(b, d->definition);
        gdi_buf_puts(b, ", \"division\": {");
        bool first = true;
        for (int s = 0; s < GDI_SM__COUNT; s++) {
            const gdi_division *dv = &d->div[s];
            if (!dv->present) continue;
            if (!first) gdi_buf_puts(b, ", ");
            first = false;
            gdi_buf_json_str(b, gdi_sm_name(s));
            gdi_buf_puts(b, ": {\"provider\": ");
            gdi_buf_json_str(b, gdi_prole_name(dv->prole));
            gdi_buf_puts(b, ", \"customer\": ");
            gdi_buf_json_str(b, gdi_crole_name(dv->crole));
            gdi_buf_printf(b, ", \"table\": %d, \"row\": %d", dv->table, dv->row);
            if (dv->via_table) gdi_buf_printf(b, ", \"via_table\": %d, \"via_row\": %d", dv->via_table, dv->via_row);
            if (dv->inferred) gdi_buf_printf(b, ", \"inferred\": %d", dv->inferred);
            if (dv->noptions) {
                gdi_buf_printf(b, ", \"options_table\": %d, \"options_row\": %d, \"options\": [",
                               dv->options_table, dv->options_row);
                for (size_t k = 0; k < dv->noptions; k++) {
                    const gdi_option *o = &dv->options[k];
                    gdi_buf_puts(b, k ? ", {\"id\": " : "{\"id\": ");
                    gdi_buf_json_str(b, o->id);
                    gdi_buf_puts(b, ", \"provider\": ");
                    gdi_buf_json_str(b, gdi_prole_name(o->prole));
                    gdi_buf_puts(b, ", \"customer\": ");
                    gdi_buf_json_str(b, gdi_crole_name(o->crole));
                    gdi_buf_puts(b, ", \"provider_text\": ");
                    gdi_buf_json_str(b, gdi_text_get(&o->provider_text, lang));
                    gdi_buf_puts(b, ", \"customer_text\": ");
                    gdi_buf_json_str(b, gdi_text_get(&o->customer_text, lang));
                    gdi_buf_putc(b, '}');
                }
                gdi_buf_putc(b, ']');
            }
            gdi_buf_putc(b, '}');
        }
        gdi_buf_puts(b, "}}");
    }
    gdi_buf_puts(b, "\n]}\n");
}

gd_status gd_model_show(const gd_modelset *ms, const char *model_id, const char *duty,
                        const char *format, const char *lang, FILE *out)
{
    if (!ms || !out) return GD_MISUSE;
    bool json = format && strcmp(format, "json") == 0;
    bool zh = is_zh(lang);
    gdi_buf b;
    gdi_buf_init(&b, ms->ctx);
    if (model_id && strcmp(model_id, "*") == 0) {
        for (size_t i = 0; i < ms->nmodels; i++) {
            const gdi_model *m = ms->models[i];
            if (json) {
                gdi_buf_puts(&b, i ? ",\n {\"id\": " : "[{\"id\": ");
                gdi_buf_json_str(&b, m->id);
                gdi_buf_puts(&b, ", \"title\": ");
                gdi_buf_json_str(&b, gdi_text_get(&m->title, lang));
                gdi_buf_printf(&b, ", \"duties\": %zu}", m->nduties);
            } else {
                gdi_buf_printf(&b, "%-12s %3zu %s  %s\n", m->id, m->nduties, zh ? "项责任" : "duties",
                               gdi_text_get(&m->title, lang));
            }
        }
        if (json) gdi_buf_puts(&b, "]\n");
        return flush(ms->ctx, &b, out);
    }
    const char *mid = model_id ? model_id : "oscar-2020";
    const gdi_model *m = gdi_modelset_model(ms, mid, strlen(mid));
    if (!m) {
        gdi_buf_free(&b);
        return gdi_err(ms->ctx, GD_NOTFOUND, NULL, 0, 0, "unknown model '%s' (known: oscar-2020, mlps-2.0)", mid);
    }
    size_t matched = 0;
    for (size_t i = 0; i < m->nduties; i++)
        if (!duty || id_under(m->duties[i].id, duty)) matched++;
    if (duty && !matched) {
        gdi_buf_free(&b);
        return gdi_err(ms->ctx, GD_NOTFOUND, NULL, 0, 0, "model %s has no duty, category or group '%s'", m->id, duty);
    }
    if (json) {
        json_model(m, duty, lang, &b);
        return flush(ms->ctx, &b, out);
    }
    if (duty) {
        for (size_t i = 0; i < m->nduties; i++) {
            if (!id_under(m->duties[i].id, duty)) continue;
            text_duty_detail(ms, m, &m->duties[i], lang, &b);
            gdi_buf_putc(&b, '\n');
        }
        return flush(ms->ctx, &b, out);
    }
    gdi_buf_printf(&b, "%s  %s\n", m->id, gdi_text_get(&m->title, lang));
    if (m->source) gdi_buf_printf(&b, "%s: %s\n", zh ? "来源" : "source", m->source);
    gdi_buf_printf(&b, "%zu %s. %s\n\n", m->nduties, zh ? "项责任" : "duties",
                   zh ? "P 提供者，C 客户，P+C 双方，cap+C 提供者提供能力、客户使用，negotiable 可协商，- 不适用"
                      : "P provider, C customer, P+C both, cap+C provider supplies the means and the customer uses "
                        "them, negotiable: see options, - does not apply");
    size_t last = (size_t)-1;
    for (size_t i = 0; i < m->nduties; i++) {
        const gdi_duty *d = &m->duties[i];
        if (d->category != last) {
            last = d->category;
            gdi_buf_printf(&b, "%s [%s]\n", gdi_text_get(&m->categories[d->category].title, lang),
                           m->categories[d->category].id);
            gdi_buf_printf(&b, "  %-52s %-10s %-10s %-10s\n", zh ? "编号" : "id", "iaas", "paas", "saas");
        }
        gdi_buf_printf(&b, "  %-52s %-10s %-10s %-10s %s\n", d->id, div_code(&d->div[0]), div_code(&d->div[1]),
                       div_code(&d->div[2]), gdi_text_get(&d->title, lang));
    }
    return flush(ms->ctx, &b, out);
}

static void text_provider(const gd_modelset *ms, const gdi_provider *p, const char *lang, gdi_buf *b)
{
    bool zh = is_zh(lang);
    gdi_buf_printf(b, "%s  %s\n", p->id, gdi_text_get(&p->name, lang));
    gdi_buf_printf(b, "  %s: %s\n", zh ? "类型" : "kind", p->kind ? p->kind : "-");
    gdi_buf_printf(b, "  %s:", zh ? "服务模式" : "service models");
    for (int s = 0; s < GDI_SM__COUNT; s++)
        if (p->sm_mask & (1u << s)) gdi_buf_printf(b, " %s", gdi_sm_name(s));
    gdi_buf_putc(b, '\n');
    gdi_buf_printf(b, "  %s: %s%s\n", zh ? "来源" : "source", p->source ? p->source : "-",
                   p->builtin ? "" : (zh ? "（用户文件）" : " (user file)"));
    if (p->hosting) gdi_buf_printf(b, "  %s: %s\n", zh ? "托管" : "hosting", p->hosting);
    if (p->runs_on_hint) gdi_buf_printf(b, "  runs_on: %s\n", p->runs_on_hint);
    if (p->ndefaults) {
        gdi_buf_printf(b, "  %s:\n", zh ? "可协商责任的默认做法" : "defaults on negotiable duties");
        for (size_t i = 0; i < p->ndefaults; i++) {
            const gdi_pdefault *d = &p->defaults[i];
            gdi_buf_printf(b, "    %s/%s: %s (%s)\n      %s\n", d->duty, gdi_sm_name(d->sm),
                           d->option ? d->option : (zh ? "未声明" : "not stated"), d->confidence,
                           gdi_text_get(&d->basis, lang));
        }
    }
    if (p->npositions) {
        gdi_buf_printf(b, "  %s:\n", zh ? "与模型不同的声明立场" : "stated positions that differ from the model");
        for (size_t i = 0; i < p->npositions; i++) {
            const gdi_pposition *q = &p->positions[i];
            gdi_buf_printf(b, "    %s: %s %s, %s %s\n      %s\n", q->duty, gdi_label("provider", lang),
                           gdi_prole_name(q->prole), gdi_label("customer", lang), gdi_crole_name(q->crole),
                           gdi_text_get(&q->basis, lang));
        }
    }
    if (p->nstatements) {
        gdi_buf_printf(b, "  %s:\n", zh ? "声明（英文释义）" : "statements");
        for (size_t i = 0; i < p->nstatements; i++) gdi_buf_printf(b, "    - %s\n", p->statements[i]);
    }
    if (p->ncontrols) {
        gdi_buf_printf(b, "  %s (%zu):\n", zh ? "声明的控制措施（英文释义）" : "stated controls", p->ncontrols);
        for (size_t i = 0; i < p->ncontrols; i++) {
            const gdi_pcontrol *c = &p->controls[i];
            gdi_buf_printf(b, "    [%s] %s\n", c->duty ? c->duty : (c->category ? c->category : "-"), c->text);
        }
    }
    (void)ms;
}

static void json_provider(const gdi_provider *p, const char *lang, bool full, gdi_buf *b)
{
    gdi_buf_puts(b, "{\"id\": ");
    gdi_buf_json_str(b, p->id);
    gdi_buf_puts(b, ", \"name\": ");
    gdi_buf_json_str(b, gdi_text_get(&p->name, lang));
    gdi_buf_puts(b, ", \"kind\": ");
    gdi_buf_json_str(b, p->kind);
    gdi_buf_puts(b, ", \"builtin\": ");
    gdi_buf_puts(b, p->builtin ? "true" : "false");
    gdi_buf_puts(b, ", \"service_models\": [");
    bool first = true;
    for (int s = 0; s < GDI_SM__COUNT; s++)
        if (p->sm_mask & (1u << s)) {
            if (!first) gdi_buf_puts(b, ", ");
            first = false;
            gdi_buf_json_str(b, gdi_sm_name(s));
        }
    gdi_buf_putc(b, ']');
    if (full) {
        gdi_buf_puts(b, ", \"source\": ");
        gdi_buf_json_str(b, p->source);
        gdi_buf_puts(b, ", \"hosting\": ");
        gdi_buf_json_str(b, p->hosting);
        gdi_buf_puts(b, ", \"defaults\": [");
        for (size_t i = 0; i < p->ndefaults; i++) {
            const gdi_pdefault *d = &p->defaults[i];
            gdi_buf_puts(b, i ? ", {\"duty\": " : "{\"duty\": ");
            gdi_buf_json_str(b, d->duty);
            gdi_buf_puts(b, ", \"service_model\": ");
            gdi_buf_json_str(b, gdi_sm_name(d->sm));
            gdi_buf_puts(b, ", \"option\": ");
            gdi_buf_json_str(b, d->option);
            gdi_buf_puts(b, ", \"confidence\": ");
            gdi_buf_json_str(b, d->confidence);
            gdi_buf_puts(b, ", \"basis\": ");
            gdi_buf_json_str(b, gdi_text_get(&d->basis, lang));
            gdi_buf_putc(b, '}');
        }
        gdi_buf_puts(b, "], \"controls\": [");
        for (size_t i = 0; i < p->ncontrols; i++) {
            const gdi_pcontrol *c = &p->controls[i];
            gdi_buf_puts(b, i ? ", {\"category\": " : "{\"category\": ");
            gdi_buf_json_str(b, c->category);
            gdi_buf_puts(b, ", \"duty\": ");
            gdi_buf_json_str(b, c->duty);
            gdi_buf_puts(b, ", \"text\": ");
            gdi_buf_json_str(b, c->text);
            gdi_buf_putc(b, '}');
        }
        gdi_buf_putc(b, ']');
    }
    gdi_buf_putc(b, '}');
}

gd_status gd_providers_write(const gd_modelset *ms, const char *id, const char *format,
                             const char *lang, FILE *out)
{
    if (!ms || !out) return GD_MISUSE;
    bool json = format && strcmp(format, "json") == 0;
    bool zh = is_zh(lang);
    gdi_buf b;
    gdi_buf_init(&b, ms->ctx);
    if (id) {
        const gdi_provider *p = gdi_modelset_provider(ms, id, strlen(id));
        if (!p) {
            gdi_buf_free(&b);
            return gdi_err(ms->ctx, GD_NOTFOUND, NULL, 0, 0, "unknown provider '%s'", id);
        }
        if (json) {
            json_provider(p, lang, true, &b);
            gdi_buf_putc(&b, '\n');
        } else {
            text_provider(ms, p, lang, &b);
        }
        return flush(ms->ctx, &b, out);
    }
    if (json) gdi_buf_putc(&b, '[');
    for (size_t i = 0; i < ms->nproviders; i++) {
        const gdi_provider *p = ms->providers[i];
        if (json) {
            if (i) gdi_buf_puts(&b, ",\n ");
            json_provider(p, lang, false, &b);
            continue;
        }
        char sms[32] = "";
        size_t used = 0;
        for (int s = 0; s < GDI_SM__COUNT; s++)
            if (p->sm_mask & (1u << s)) {
                int n = snprintf(sms + used, sizeof sms - used, "%s%s", used ? "," : "", gdi_sm_name(s));
                if (n > 0 && (size_t)n < sizeof sms - used) used += (size_t)n;
            }
        gdi_buf_printf(&b, "%-18s %-16s %-15s %2zu %s %3zu %s  %s\n", p->id, p->kind ? p->kind : "-", sms,
                       p->ndefaults, zh ? "项默认" : "defaults", p->ncontrols, zh ? "项控制" : "controls",
                       gdi_text_get(&p->name, lang));
    }
    if (json) gdi_buf_puts(&b, "]\n");
    return flush(ms->ctx, &b, out);
}
