/*
 * render.c — text, CSV and JSON renderings of an ownership matrix, plus
 * the helpers the other renderers share (labels in English and Chinese,
 * grid cells, UTF-8 display width).
 *
 * Renderers only read the rows resolve.c produced; they never recompute
 * ownership. Output is deterministic for a given matrix and language:
 * services in profile order, duties in model order. JSON field names and
 * CSV column order are documented in docs/matrix.md and do not change with
 * the language; only human text (titles, basis sentences, CSV header,
 * text layout) is translated.
 */
#include "model/model.h"

#include <stdio.h>

/* ------------------------------------------------------------ labels */

static const struct {
    const char *key, *en, *zh;
} labels[] = {
    {"heading", "Ownership matrix", "责任归属矩阵"},
    {"customer", "customer", "客户"},
    {"model", "model", "模型"},
    {"profile", "profile", "部署配置"},
    {"services", "Services", "服务"},
    {"duty", "Duty", "安全责任"},
    {"legend", "Legend", "图例"},
    {"gaps", "Gaps (duties not clearly owned)", "缺口（归属不明确的责任）"},
    {"no_gaps", "No gaps: every duty has an owner.", "无缺口：每项责任都有承担方。"},
    {"service", "service", "服务"},
    {"status", "status", "状态"},
    {"responsible", "responsible", "负责方"},
    {"accountable", "accountable", "问责方"},
    {"basis", "basis", "依据"},
    {"chain", "chain", "链路"},
    {"option", "option", "选项"},
    {"capability", "capability from", "能力提供方"},
    {"category", "category", "类别"},
    {"title", "title", "名称"},
    {"ccm", "CCM ownership", "CCM 归属"},
    {"summary", "Summary", "汇总"},
    {"rows", "rows", "行"},
    {"provider", "provider", "提供者"},
    {"service_model", "service model", "服务模式"},
    {"all", "all", "全部"},
    {"filters", "Filters", "筛选"},
    {"details", "Details", "详情"},
    {"nobody", "nobody", "无"},
    {"runs_on", "runs on", "运行于"},
};

const char *gdi_label(const char *key, const char *lang)
{
    bool zh = lang && strcmp(lang, "zh") == 0;
    for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
        if (strcmp(labels[i].key, key) == 0) return zh ? labels[i].zh : labels[i].en;
    return key;
}

const char *gdi_status_label(int st, const char *lang)
{
    static const char *const zh[] = {"已归属", "无人承担", "未约定", "冲突"};
    if (lang && strcmp(lang, "zh") == 0 && st >= 0 && st <= GDI_OWN_CONFLICT) return zh[st];
    return gdi_own_status_name(st);
}

static const char *const cell_en[] = {"provider", "customer", "both", "upstream", "?", "!", "none"};
static const char *const cell_zh[] = {"提供者", "客户", "共担", "上游", "?", "!", "无人"};
static const char *const cell_mean_en[] = {
    "the service's provider performs the duty",
    "the customer performs the duty (with the provider's means where it must supply them)",
    "provider and customer each carry part of the duty",
    "a provider the service runs on performs it; the service's provider stays accountable",
    "negotiable duty with no agreed option and no provider default: settle it in the contract",
    "the provider's stated position differs from the model: both readings are shown",
    "no party carries the duty",
};
static const char *const cell_mean_zh[] = {
    "由该服务的提供者承担",
    "由客户承担（提供者须提供所需能力的，另行标明）",
    "提供者与客户各承担一部分",
    "由该服务所依托的下层提供者执行，该服务的提供者仍须问责",
    "可协商责任：既未约定选项，提供者也未声明默认做法，需在合同中约定",
    "提供者声明的立场与模型不一致，两种依据均列出",
    "没有任何一方承担",
};

const char *gdi_cell_word(int cell, const char *lang)
{
    if (cell < 0 || cell >= GDI_CELL__COUNT) return "-";
    return lang && strcmp(lang, "zh") == 0 ? cell_zh[cell] : cell_en[cell];
}

const char *gdi_cell_meaning(int cell, const char *lang)
{
    if (cell < 0 || cell >= GDI_CELL__COUNT) return "";
    return lang && strcmp(lang, "zh") == 0 ? cell_mean_zh[cell] : cell_mean_en[cell];
}

int gdi_row_cell(const gdi_own_row *r, const char *customer)
{
    if (r->status == GDI_OWN_AMBIGUOUS) return GDI_CELL_AMBIGUOUS;
    if (r->status == GDI_OWN_CONFLICT) return GDI_CELL_CONFLICT;
    if (r->status == GDI_OWN_UNOWNED || r->nresponsible == 0) return GDI_CELL_NONE;
    bool p = false, c = false, third = false;
    const char *prov = r->service ? r->service->tier.provider->id : NULL;
    for (size_t i = 0; i < r->nresponsible; i++) {
        if (strcmp(r->responsible[i], customer) == 0)
            c = true;
        else if (prov && strcmp(r->responsible[i], prov) == 0)
            p = true;
        else
            third = true;
    }
    if (third) return GDI_CELL_UPSTREAM;
    if (p && c) return GDI_CELL_BOTH;
    return p ? GDI_CELL_PROVIDER : GDI_CELL_CUSTOMER;
}

void gdi_buf_join(gdi_buf *b, const char *const *list, size_t n, const char *sep)
{
    for (size_t i = 0; i < n; i++) {
        if (i) gdi_buf_puts(b, sep);
        gdi_buf_puts(b, list[i]);
    }
}

/* ------------------------------------------------------------ width */

/* Decode one UTF-8 sequence at s; returns its length (1 on bad bytes). */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
        *cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
        *cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    if ((s[0] & 0xF8) == 0xF0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
        (s[3] & 0xC0) == 0x80) {
        *cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
              ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        return 4;
    }
    *cp = 0xFFFD;
    return 1;
}

static int cp_width(uint32_t cp)
{
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
        (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

size_t gdi_utf8_width(const char *s)
{
    size_t w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        p += utf8_next(p, &cp);
        w += (size_t)cp_width(cp);
    }
    return w;
}

/* Append s cut to at most width columns ("…" marks a cut), padded with
 * spaces to exactly width columns. */
static void put_cell(gdi_buf *b, const char *s, size_t width)
{
    size_t w = gdi_utf8_width(s);
    if (w <= width) {
        gdi_buf_puts(b, s);
        for (; w < width; w++) gdi_buf_putc(b, ' ');
        return;
    }
    const unsigned char *p = (const unsigned char *)s;
    size_t used = 0;
    while (*p) {
        uint32_t cp;
        size_t n = utf8_next(p, &cp);
        int cw = cp_width(cp);
        if (used + (size_t)cw + 1 > width) break;
        gdi_buf_append(b, (const char *)p, n);
        used += (size_t)cw;
        p += n;
    }
    gdi_buf_puts(b, "\xE2\x80\xA6"); /* … */
    used++;
    for (; used < width; used++) gdi_buf_putc(b, ' ');
}

/* ------------------------------------------------------------ text */

/* Row of service s for duty d, or NULL when the duty does not apply. */
static const gdi_own_row *find_row(const gd_matrix *m, const gdi_service *s, const gdi_duty *d)
{
    for (size_t i = 0; i < m->nrows; i++)
        if (m->rows[i].service == s && m->rows[i].duty == d) return &m->rows[i];
    return NULL;
}


static void service_chain(gdi_buf *b, const gdi_tier *t)
{
    gdi_buf_printf(b, "%s/%s", t->provider->id, gdi_sm_name(t->sm));
    if (t->nruns_on == 0) return;
    gdi_buf_puts(b, " > ");
    if (t->nruns_on > 1) gdi_buf_putc(b, '{');
    for (size_t i = 0; i < t->nruns_on; i++) {
        if (i) gdi_buf_puts(b, ", ");
        service_chain(b, &t->runs_on[i]);
    }
    if (t->nruns_on > 1) gdi_buf_putc(b, '}');
}

static void count_status(const gd_matrix *m, size_t counts[4])
{
    memset(counts, 0, 4 * sizeof *counts);
    for (size_t i = 0; i < m->nrows; i++) counts[m->rows[i].status]++;
}

void gdi_matrix_text(const gd_matrix *m, const char *lang, gdi_buf *b)
{
    const gdi_profile *p = m->profile;
    const gdi_model *mod = p->model;
    gdi_buf_printf(b, "%s: %s %s, %s %s (%s)\n", gdi_label("heading", lang), gdi_label("customer", lang),
                   p->customer, gdi_label("model", lang), mod->id, gdi_text_get(&mod->title, lang));
    gdi_buf_printf(b, "%s: %s\n\n", gdi_label("profile", lang), p->file);
    gdi_buf_printf(b, "%s:\n", gdi_label("services", lang));
    for (size_t s = 0; s < p->nservices; s++) {
        gdi_buf_printf(b, "  %s = ", p->services[s].id);
        service_chain(b, &p->services[s].tier);
        gdi_buf_putc(b, '\n');
    }
    gdi_buf_putc(b, '\n');

    size_t tw = gdi_utf8_width(gdi_label("duty", lang));
    for (size_t i = 0; i < mod->nduties; i++) {
        size_t w = gdi_utf8_width(gdi_text_get(&mod->duties[i].title, lang)) + 2;
        if (w > tw) tw = w;
    }
    if (tw > 58) tw = 58;
    size_t *cw = gdi_calloc(m->ctx, p->nservices ? p->nservices : 1, sizeof *cw);
    if (!cw) {
        b->oom = true;
        return;
    }
    for (size_t s = 0; s < p->nservices; s++) {
        cw[s] = gdi_utf8_width(p->services[s].id);
        for (int c = 0; c < GDI_CELL__COUNT; c++) {
            size_t w = gdi_utf8_width(gdi_cell_word(c, lang));
            if (w > cw[s]) cw[s] = w;
        }
        if (cw[s] > 24) cw[s] = 24;
    }
    put_cell(b, gdi_label("duty", lang), tw);
    for (size_t s = 0; s < p->nservices; s++) {
        gdi_buf_puts(b, "  ");
        put_cell(b, p->services[s].id, cw[s]);
    }
    gdi_buf_putc(b, '\n');
    size_t last_cat = (size_t)-1;
    for (size_t i = 0; i < mod->nduties; i++) {
        const gdi_duty *d = &mod->duties[i];
        bool any = false;
        for (size_t s = 0; s < p->nservices && !any; s++) any = find_row(m, &p->services[s], d) != NULL;
        if (!any) continue;
        if (d->category != last_cat) {
            last_cat = d->category;
            gdi_buf_printf(b, "%s\n", gdi_text_get(&mod->categories[d->category].title, lang));
        }
        gdi_buf_puts(b, "  ");
        put_cell(b, gdi_text_get(&d->title, lang), tw - 2);
        for (size_t s = 0; s < p->nservices; s++) {
            const gdi_own_row *r = find_row(m, &p->services[s], d);
            gdi_buf_puts(b, "  ");
            put_cell(b, r ? gdi_cell_word(gdi_row_cell(r, p->customer), lang) : "-", cw[s]);
        }
        /* trim trailing spaces of the line */
        while (b->n && b->p[b->n - 1] == ' ') b->n--;
        gdi_buf_putc(b, '\n');
    }
    gdi_free(m->ctx, cw);

    gdi_buf_printf(b, "\n%s:\n", gdi_label("legend", lang));
    for (int c = 0; c < GDI_CELL__COUNT; c++)
        gdi_buf_printf(b, "  %-8s %s\n", gdi_cell_word(c, lang), gdi_cell_meaning(c, lang));
    gdi_buf_printf(b, "  %-8s %s\n", "-", lang && strcmp(lang, "zh") == 0 ? "该服务模式下不适用" : "does not apply under the service model");

    gdi_buf_printf(b, "\n%s:\n", gdi_label("gaps", lang));
    size_t ngaps = 0;
    for (size_t i = 0; i < m->nrows; i++) {
        const gdi_own_row *r = &m->rows[i];
        if (r->status == GDI_OWN_OWNED) continue;
        ngaps++;
        gdi_buf_printf(b, "  %s %s %s [%s]", gdi_status_label(r->status, lang), r->service->id,
                       r->duty->id, gdi_text_get(&r->duty->title, lang));
        gdi_buf_puts(b, "\n");
        if (r->nresponsible) {
            gdi_buf_printf(b, "      %s: ", gdi_label("responsible", lang));
            gdi_buf_join(b, r->responsible, r->nresponsible, ", ");
            gdi_buf_printf(b, "; %s: %s\n", gdi_label("accountable", lang),
                           r->accountable ? r->accountable : gdi_label("nobody", lang));
        }
        for (size_t k = 0; k < r->nbasis; k++)
            if (r->basis[k].kind != GDI_BASIS_TABLE && r->basis[k].kind != GDI_BASIS_READING)
                gdi_buf_printf(b, "      - %s\n", gdi_text_get(&r->basis[k].text, lang));
    }
    if (!ngaps) gdi_buf_printf(b, "  %s\n", gdi_label("no_gaps", lang));
    size_t counts[4];
    count_status(m, counts);
    gdi_buf_printf(b, "\n%s: %zu %s; %s %zu, %s %zu, %s %zu, %s %zu\n", gdi_label("summary", lang),
                   m->nrows, gdi_label("rows", lang), gdi_status_label(GDI_OWN_OWNED, lang),
                   counts[GDI_OWN_OWNED], gdi_status_label(GDI_OWN_UNOWNED, lang), counts[GDI_OWN_UNOWNED],
                   gdi_status_label(GDI_OWN_AMBIGUOUS, lang), counts[GDI_OWN_AMBIGUOUS],
                   gdi_status_label(GDI_OWN_CONFLICT, lang), counts[GDI_OWN_CONFLICT]);
}

/* ------------------------------------------------------------ CSV */

static void csv_field(gdi_buf *b, const char *s)
{
    bool q = strpbrk(s, ",\"\r\n") != NULL;
    if (!q) {
        gdi_buf_puts(b, s);
        return;
    }
    gdi_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"') gdi_buf_putc(b, '"');
        gdi_buf_putc(b, *s);
    }
    gdi_buf_putc(b, '"');
}

static void csv_list(gdi_buf *b, const char *const *list, size_t n, const char *sep)
{
    gdi_buf tmp;
    gdi_buf_init(&tmp, b->ctx);
    gdi_buf_join(&tmp, list, n, sep);
    csv_field(b, gdi_buf_cstr(&tmp));
    if (tmp.oom) b->oom = true;
    gdi_buf_free(&tmp);
}

void gdi_matrix_csv(const gd_matrix *m, const char *lang, gdi_buf *b)
{
    bool zh = strcmp(lang, "zh") == 0;
    gdi_buf_puts(b, zh ? "服务,提供者,服务模式,责任编号,类别,名称,负责方,问责方,状态,CCM归属,选项,能力提供方,链路,依据\r\n"
                       : "service,provider,service_model,duty,category,title,responsible,accountable,status,ccm_ownership,option,capability,chain,basis\r\n");
    const gdi_model *mod = m->profile->model;
    for (size_t i = 0; i < m->nrows; i++) {
        const gdi_own_row *r = &m->rows[i];
        csv_field(b, r->service->id);
        gdi_buf_putc(b, ',');
        csv_field(b, r->service->tier.provider->id);
        gdi_buf_putc(b, ',');
        csv_field(b, gdi_sm_name(r->sm));
        gdi_buf_putc(b, ',');
        csv_field(b, r->duty->id);
        gdi_buf_putc(b, ',');
        csv_field(b, mod->categories[r->duty->category].id);
        gdi_buf_putc(b, ',');
        csv_field(b, gdi_text_get(&r->duty->title, lang));
        gdi_buf_putc(b, ',');
        csv_list(b, r->responsible, r->nresponsible, ";");
        gdi_buf_putc(b, ',');
        csv_field(b, r->accountable ? r->accountable : "");
        gdi_buf_putc(b, ',');
        csv_field(b, gdi_own_status_name(r->status));
        gdi_buf_putc(b, ',');
        csv_field(b, gdi_ccm_name(r->ccm));
        gdi_buf_putc(b, ',');
        csv_field(b, r->option ? r->option : "");
        gdi_buf_putc(b, ',');
        csv_list(b, r->capability, r->ncapability, ";");
        gdi_buf_putc(b, ',');
        csv_list(b, r->chain, r->nchain, " > ");
        gdi_buf_putc(b, ',');
        gdi_buf tmp;
        gdi_buf_init(&tmp, m->ctx);
        for (size_t k = 0; k < r->nbasis; k++) {
            if (k) gdi_buf_puts(&tmp, " | ");
            gdi_buf_puts(&tmp, gdi_text_get(&r->basis[k].text, lang));
        }
        csv_field(b, gdi_buf_cstr(&tmp));
        if (tmp.oom) b->oom = true;
        gdi_buf_free(&tmp);
        gdi_buf_puts(b, "\r\n");
    }
}

/* ------------------------------------------------------------ JSON */

static void json_list(gdi_buf *b, const char *const *list, size_t n)
{
    gdi_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i) gdi_buf_putc(b, ',');
        gdi_buf_json_str(b, list[i]);
    }
    gdi_buf_putc(b, ']');
}

static void json_tier(gdi_buf *b, const gdi_tier *t)
{
    gdi_buf_puts(b, "{\"provider\":");
    gdi_buf_json_str(b, t->provider->id);
    gdi_buf_puts(b, ",\"service_model\":");
    gdi_buf_json_str(b, gdi_sm_name(t->sm));
    gdi_buf_puts(b, ",\"options\":{");
    for (size_t i = 0; i < t->nchoices; i++) {
        if (i) gdi_buf_putc(b, ',');
        gdi_buf_json_str(b, t->choices[i].duty);
        gdi_buf_putc(b, ':');
        gdi_buf_json_str(b, t->choices[i].option);
    }
    gdi_buf_puts(b, "},\"runs_on\":[");
    for (size_t i = 0; i < t->nruns_on; i++) {
        if (i) gdi_buf_putc(b, ',');
        json_tier(b, &t->runs_on[i]);
    }
    gdi_buf_puts(b, "]}");
}

void gdi_matrix_json(const gd_matrix *m, const char *lang, gdi_buf *b)
{
    const gdi_profile *p = m->profile;
    const gdi_model *mod = p->model;
    gdi_buf_puts(b, "{\n  \"format\": \"gongdan-matrix\",\n  \"version\": 1,\n  \"lang\": ");
    gdi_buf_json_str(b, lang);
    gdi_buf_puts(b, ",\n  \"customer\": ");
    gdi_buf_json_str(b, p->customer);
    gdi_buf_puts(b, ",\n  \"profile\": ");
    gdi_buf_json_str(b, p->file);
    gdi_buf_puts(b, ",\n  \"model\": {\"id\": ");
    gdi_buf_json_str(b, mod->id);
    gdi_buf_puts(b, ", \"title\": ");
    gdi_buf_json_str(b, gdi_text_get(&mod->title, lang));
    gdi_buf_puts(b, "},\n  \"parties\": [");
    /* customer first, then every provider reachable from the services */
    const char *seen[64];
    size_t nseen = 0;
    gdi_buf_puts(b, "\n    {\"id\": ");
    gdi_buf_json_str(b, p->customer);
    gdi_buf_puts(b, ", \"role\": \"customer\", \"name\": ");
    gdi_buf_json_str(b, p->customer);
    gdi_buf_puts(b, "}");
    for (size_t s = 0; s < p->nservices; s++) {
        /* walk the tier tree iteratively with a small stack */
        const gdi_tier *stack[64];
        size_t ns = 0;
        stack[ns++] = &p->services[s].tier;
        while (ns) {
            const gdi_tier *t = stack[--ns];
            bool dupe = false;
            for (size_t k = 0; k < nseen; k++) dupe = dupe || strcmp(seen[k], t->provider->id) == 0;
            if (!dupe && nseen < 64) {
                seen[nseen++] = t->provider->id;
                gdi_buf_puts(b, ",\n    {\"id\": ");
                gdi_buf_json_str(b, t->provider->id);
                gdi_buf_puts(b, ", \"role\": \"provider\", \"name\": ");
                gdi_buf_json_str(b, gdi_text_get(&t->provider->name, lang));
                gdi_buf_puts(b, "}");
            }
            for (size_t k = t->nruns_on; k > 0 && ns < 64; k--) stack[ns++] = &t->runs_on[k - 1];
        }
    }
    gdi_buf_puts(b, "\n  ],\n  \"services\": [");
    for (size_t s = 0; s < p->nservices; s++) {
        const gdi_service *sv = &p->services[s];
        gdi_buf_puts(b, s ? ",\n    {\"id\": " : "\n    {\"id\": ");
        gdi_buf_json_str(b, sv->id);
        gdi_buf_puts(b, ", \"provider\": ");
        gdi_buf_json_str(b, sv->tier.provider->id);
        gdi_buf_puts(b, ", \"service_model\": ");
        gdi_buf_json_str(b, gdi_sm_name(sv->tier.sm));
        gdi_buf_puts(b, ", \"resources\": ");
        json_list(b, sv->resources, sv->nresources);
        gdi_buf_puts(b, ", \"tier\": ");
        json_tier(b, &sv->tier);
        gdi_buf_puts(b, "}");
    }
    gdi_buf_puts(b, "\n  ],\n  \"rows\": [");
    for (size_t i = 0; i < m->nrows; i++) {
        const gdi_own_row *r = &m->rows[i];
        gdi_buf_puts(b, i ? ",\n    {" : "\n    {");
        gdi_buf_puts(b, "\"service\": ");
        gdi_buf_json_str(b, r->service->id);
        gdi_buf_puts(b, ", \"duty\": ");
        gdi_buf_json_str(b, r->duty->id);
        gdi_buf_puts(b, ", \"category\": ");
        gdi_buf_json_str(b, mod->categories[r->duty->category].id);
        gdi_buf_puts(b, ", \"title\": ");
        gdi_buf_json_str(b, gdi_text_get(&r->duty->title, lang));
        gdi_buf_puts(b, ", \"service_model\": ");
        gdi_buf_json_str(b, gdi_sm_name(r->sm));
        gdi_buf_puts(b, ", \"responsible\": ");
        json_list(b, r->responsible, r->nresponsible);
        gdi_buf_puts(b, ", \"accountable\": ");
        gdi_buf_json_str(b, r->accountable);
        gdi_buf_puts(b, ", \"capability\": ");
        json_list(b, r->capability, r->ncapability);
        gdi_buf_puts(b, ", \"status\": ");
        gdi_buf_json_str(b, gdi_own_status_name(r->status));
        gdi_buf_puts(b, ", \"ccm_ownership\": ");
        gdi_buf_json_str(b, gdi_ccm_name(r->ccm));
        gdi_buf_puts(b, ", \"option\": ");
        gdi_buf_json_str(b, r->option);
        gdi_buf_puts(b, ", \"chain\": ");
        json_list(b, r->chain, r->nchain);
        gdi_buf_puts(b, ", \"basis\": [");
        for (size_t k = 0; k < r->nbasis; k++) {
            if (k) gdi_buf_puts(b, ", ");
            gdi_buf_puts(b, "{\"kind\": ");
            gdi_buf_json_str(b, gdi_basis_kind_name(r->basis[k].kind));
            gdi_buf_puts(b, ", \"text\": ");
            gdi_buf_json_str(b, gdi_text_get(&r->basis[k].text, lang));
            gdi_buf_putc(b, '}');
        }
        gdi_buf_puts(b, "]}");
    }
    gdi_buf_puts(b, "\n  ],\n  \"gaps\": [");
    size_t ng = 0;
    for (size_t i = 0; i < m->nrows; i++) {
        const gdi_own_row *r = &m->rows[i];
        if (r->status == GDI_OWN_OWNED) continue;
        gdi_buf_puts(b, ng++ ? ",\n    {" : "\n    {");
        gdi_buf_puts(b, "\"service\": ");
        gdi_buf_json_str(b, r->service->id);
        gdi_buf_puts(b, ", \"duty\": ");
        gdi_buf_json_str(b, r->duty->id);
        gdi_buf_puts(b, ", \"status\": ");
        gdi_buf_json_str(b, gdi_own_status_name(r->status));
        gdi_buf_puts(b, ", \"reason\": ");
        const char *reason = NULL;
        for (size_t k = 0; k < r->nbasis; k++)
            if (r->basis[k].kind == GDI_BASIS_GAP || r->basis[k].kind == GDI_BASIS_POSITION)
                reason = gdi_text_get(&r->basis[k].text, lang);
        gdi_buf_json_str(b, reason ? reason : "");
        gdi_buf_puts(b, "}");
    }
    size_t counts[4];
    count_status(m, counts);
    gdi_buf_printf(b, "%s],\n  \"summary\": {\"rows\": %zu, \"owned\": %zu, \"unowned\": %zu, "
                      "\"ambiguous\": %zu, \"conflict\": %zu}\n}\n",
                   ng ? "\n  " : "", m->nrows, counts[GDI_OWN_OWNED], counts[GDI_OWN_UNOWNED],
                   counts[GDI_OWN_AMBIGUOUS], counts[GDI_OWN_CONFLICT]);
}
