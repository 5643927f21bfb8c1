/*
 * report.c — renders a finished scan as text, JSON or SARIF 2.1.0.
 *
 * Reports never recompute: they read the sorted findings and per-rule
 * counters of a gd_scan. Output is deterministic (same scan, same bytes).
 *
 * Text groups findings by rule, most severe first, with the resources under
 * each rule. JSON follows docs/output.md. SARIF puts every rule that has a
 * result in tool.driver.rules, each result carries a stable fingerprint
 * (SHA-256 of rule id and resource address, independent of line numbers
 * and order) so code-scanning services track results across runs.
 */
#include "attribute.h"
#include "engine.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const verdict_names[] = {"pass", "fail", "unknown", "error"};

gd_status gd_report_format_parse(const char *name, gd_report_format *out)
{
    static const char *const names[] = {
#define GD_X_RF(n, s) s,
        GD_REPORT_FORMAT_LIST(GD_X_RF)
#undef GD_X_RF
    };
    if (!name || !out) return GD_MISUSE;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (gd_report_format)i;
            return GD_OK;
        }
    return GD_INVALID;
}

/* ------------------------------------------------------------- helpers */

/* Output goes through a 64 KiB buffer flushed with fwrite: reports of
 * millions of findings are mostly short string writes. */
#define OUTBUF (64 * 1024)
typedef struct out {
    FILE *f;
    bool err;          /* a write failed */
    size_t n;          /* bytes in buf */
    char buf[OUTBUF];  /* pending output */
} out;

static void flush_out(out *o)
{
    if (o->n && fwrite(o->buf, 1, o->n, o->f) != o->n) o->err = true;
    o->n = 0;
}

static void wn(out *o, const char *s, size_t n)
{
    if (n > OUTBUF - o->n) {
        flush_out(o);
        if (n > OUTBUF / 2) {
            if (fwrite(s, 1, n, o->f) != n) o->err = true;
            return;
        }
    }
    memcpy(o->buf + o->n, s, n);
    o->n += n;
}

static void w(out *o, const char *s)
{
    wn(o, s, strlen(s));
}

static void wf(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void wf(out *o, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) {
        o->err = true;
        return;
    }
    if ((size_t)n < sizeof tmp) {
        wn(o, tmp, (size_t)n);
        return;
    }
    flush_out(o);
    va_start(ap, fmt);
    if (vfprintf(o->f, fmt, ap) < 0) o->err = true;
    va_end(ap);
}

/* Bytes that need escaping in a JSON string. */
static inline bool json_special(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\' || c == 0x7f;
}

/* A JSON string literal (with quotes); NULL is written as null. */
static void wjs(out *o, const char *s)
{
    if (!s) {
        wn(o, "null", 4);
        return;
    }
    wn(o, "\"", 1);
    const unsigned char *p = (const unsigned char *)s;
    for (;;) {
        const unsigned char *q = p;
        while (*q && !json_special(*q)) q++;
        wn(o, (const char *)p, (size_t)(q - p));
        if (!*q) break;
        switch (*q) {
        case '"': wn(o, "\\\"", 2); break;
        case '\\': wn(o, "\\\\", 2); break;
        case '\n': wn(o, "\\n", 2); break;
        case '\r': wn(o, "\\r", 2); break;
        case '\t': wn(o, "\\t", 2); break;
        default: wf(o, "\\u%04x", *q);
        }
        p = q + 1;
    }
    wn(o, "\"", 1);
}

static void wjs_list(out *o, char *const *items, size_t n)
{
    w(o, "[");
    for (size_t i = 0; i < n; i++) {
        if (i) w(o, ",");
        wjs(o, items[i]);
    }
    w(o, "]");
}

static void wjs_controls(out *o, const gdi_rule *r)
{
    w(o, "{");
    for (size_t i = 0; i < r->ncontrols; i++) {
        if (i) w(o, ",");
        wjs(o, r->controls[i].framework);
        w(o, ":");
        wjs_list(o, r->controls[i].ids, r->controls[i].nids);
    }
    w(o, "}");
}

/* "ownership" of a finding under the deployment: the service, the summary
 * party and, per duty, responsible / accountable / status. */
static void wjs_ownership(out *o, const gd_matrix *m, const gdi_finding *f)
{
    const gdi_service *sv = gdi_attr_service(m, f->address, f->type);
    if (!sv) {
        w(o, "null");
        return;
    }
    const gdi_rule *r = f->rule;
    const char *prov = NULL;
    int party = gdi_attr_party(m, sv, r->duties, r->nduties, &prov);
    w(o, "{\"service\": ");
    wjs(o, sv->id);
    w(o, ", \"party\": ");
    wjs(o, gdi_party_name(party));
    w(o, ", \"duties\": [");
    bool first = true;
    for (size_t i = 0; i < r->nduties; i++) {
        const gdi_own_row *row = gdi_attr_row(m, sv, r->duties[i]);
        if (!row) continue;
        w(o, first ? "{" : ", {");
        first = false;
        w(o, "\"duty\": ");
        wjs(o, row->duty->id);
        w(o, ", \"responsible\": [");
        for (size_t k = 0; k < row->nresponsible; k++) {
            if (k) w(o, ", ");
            wjs(o, row->responsible[k]);
        }
        w(o, "], \"accountable\": ");
        wjs(o, row->accountable);
        w(o, ", \"status\": ");
        wjs(o, gdi_own_status_name(row->status));
        w(o, "}");
    }
    w(o, "]}");
}

static const char *title_of(const gdi_rule *r, const char *lang)
{
    if (lang && strcmp(lang, "zh") == 0 && r->title_zh) return r->title_zh;
    return r->title_en ? r->title_en : r->id;
}

static const char *remedy_of(const gdi_rule *r, const char *lang)
{
    if (lang && strcmp(lang, "zh") == 0 && r->remediation_zh) return r->remediation_zh;
    return r->remediation_en;
}

static const char *message_of(const gdi_finding *f, const char *lang)
{
    const gdi_rule *r = f->rule;
    if (lang && strcmp(lang, "zh") == 0) return title_of(r, lang);
    return r->message ? r->message : title_of(r, "en");
}

/* ------------------------------------------------------------------ JSON */

static void write_json(const gd_scan *s, const gd_report_opts *opts, out *o)
{
    uint64_t counts[4] = {0}, sev[5] = {0};
    for (size_t i = 0; i < s->rs->nrules; i++) {
        counts[GDI_V_PASS] += s->stats[i].pass;
        counts[GDI_V_FAIL] += s->stats[i].fail;
        counts[GDI_V_UNKNOWN] += s->stats[i].unknown;
        counts[GDI_V_ERROR] += s->stats[i].error;
        sev[s->rs->rules[i]->severity] += s->stats[i].fail;
    }
    wf(o, "{\n  \"tool\": {\"name\": \"gongdan\", \"version\": \"%s\"},\n", gd_version());
    w(o, "  \"inputs\": [");
    for (size_t i = 0; i < s->nfiles; i++) {
        if (i) w(o, ", ");
        wjs(o, s->files[i]);
    }
    wf(o, "],\n  \"complete\": %s,\n", s->complete ? "true" : "false");
    wf(o,
       "  \"summary\": {\"resources\": %llu, \"data_sources\": %llu, \"rules\": %zu, "
       "\"bytes\": %llu,\n    \"results\": {\"pass\": %llu, \"fail\": %llu, \"unknown\": %llu, "
       "\"error\": %llu},\n    \"failures_by_severity\": {",
       (unsigned long long)s->nresources, (unsigned long long)s->ndata, s->rs->nrules,
       (unsigned long long)s->bytes, (unsigned long long)counts[0],
       (unsigned long long)counts[1], (unsigned long long)counts[2],
       (unsigned long long)counts[3]);
    for (int v = GD_SEV_CRITICAL; v >= GD_SEV_INFO; v--)
        wf(o, "\"%s\": %llu%s", gd_sev_name((gd_sev)v), (unsigned long long)sev[v],
           v ? ", " : "");
    w(o, "}},\n  \"findings\": [");
    bool first = true;
    for (size_t i = 0; i < s->nfindings; i++) {
        const gdi_finding *f = &s->findings[i];
        if (f->verdict == GDI_V_PASS && !opts->list_passes) continue;
        const gdi_rule *r = f->rule;
        w(o, first ? "\n    {" : ",\n    {");
        first = false;
        w(o, "\"rule_id\": ");
        wjs(o, r->id);
        wf(o, ", \"verdict\": \"%s\", \"severity\": \"%s\", \"address\": ",
           verdict_names[f->verdict], gd_sev_name(r->severity));
        wjs(o, f->address);
        w(o, ", \"type\": ");
        wjs(o, f->type);
        w(o, ", \"provider\": ");
        wjs(o, f->provider);
        w(o, ",\n     \"title\": ");
        wjs(o, title_of(r, opts->lang));
        w(o, ", \"message\": ");
        wjs(o, message_of(f, opts->lang));
        w(o, ", \"reason\": ");
        wjs(o, f->reason);
        w(o, ",\n     \"duties\": ");
        wjs_list(o, r->duties, r->nduties);
        w(o, ", \"controls\": ");
        wjs_controls(o, r);
        w(o, ",\n     \"file\": ");
        wjs(o, f->file < s->nfiles ? s->files[f->file] : NULL);
        if (f->line)
            wf(o, ", \"line\": %u", f->line);
        else
            w(o, ", \"line\": null");
        w(o, ", \"remediation\": ");
        wjs(o, remedy_of(r, opts->lang));
        if (opts->matrix) {
            w(o, ",\n     \"ownership\": ");
            wjs_ownership(o, opts->matrix, f);
        }
        w(o, "}");
    }
    w(o, first ? "],\n" : "\n  ],\n");
    w(o, "  \"rules\": [");
    first = true;
    for (size_t i = 0; i < s->rs->nrules; i++) {
        const gdi_rule *r = s->rs->rules[i];
        const gdi_rule_stats *st = &s->stats[i];
        w(o, first ? "\n    {" : ",\n    {");
        first = false;
        w(o, "\"id\": ");
        wjs(o, r->id);
        wf(o,
           ", \"severity\": \"%s\", \"pass\": %llu, \"fail\": %llu, \"unknown\": %llu, "
           "\"error\": %llu}",
           gd_sev_name(r->severity), (unsigned long long)st->pass, (unsigned long long)st->fail,
           (unsigned long long)st->unknown, (unsigned long long)st->error);
    }
    w(o, first ? "]\n}\n" : "\n  ]\n}\n");
}

/* ------------------------------------------------------------------ text */

/* Sort key of a finding in the text report: most severe rule first, then
 * rule order, then the scan order. */
typedef struct okey {
    uint32_t sev;   /* inverted severity: 0 = critical */
    uint32_t ridx;  /* rule index */
    size_t i;       /* index in the scan's findings */
} okey;

static int okey_cmp(const void *a, const void *b)
{
    const okey *x = a, *y = b;
    if (x->sev != y->sev) return x->sev < y->sev ? -1 : 1;
    if (x->ridx != y->ridx) return x->ridx < y->ridx ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static const char *sev_color(gd_sev s)
{
    switch (s) {
    case GD_SEV_CRITICAL: return "\033[1;35m";
    case GD_SEV_HIGH: return "\033[1;31m";
    case GD_SEV_MEDIUM: return "\033[1;33m";
    case GD_SEV_LOW: return "\033[1;36m";
    default: return "\033[1;37m";
    }
}

static gd_status write_text(const gd_scan *s, const gd_report_opts *opts, out *o)
{
    bool color = opts->color, zh = opts->lang && strcmp(opts->lang, "zh") == 0;
    const char *B = color ? "\033[1m" : "", *D = color ? "\033[2m" : "", *R = color ? "\033[0m" : "";
    size_t n = 0;
    for (size_t i = 0; i < s->nfindings; i++)
        if (s->findings[i].verdict != GDI_V_PASS || opts->list_passes) n++;
    okey *keys = gdi_calloc(s->ctx, n ? n : 1, sizeof *keys);
    size_t *order = gdi_calloc(s->ctx, n ? n : 1, sizeof *order);
    if (!keys || !order) {
        gdi_free(s->ctx, keys);
        gdi_free(s->ctx, order);
        return GD_NOMEM;
    }
    n = 0;
    for (size_t i = 0; i < s->nfindings; i++)
        if (s->findings[i].verdict != GDI_V_PASS || opts->list_passes) {
            keys[n].sev = (uint32_t)(GD_SEV_CRITICAL - s->findings[i].rule->severity);
            keys[n].ridx = s->findings[i].rule->index;
            keys[n].i = i;
            n++;
        }
    qsort(keys, n, sizeof *keys, okey_cmp);
    for (size_t i = 0; i < n; i++) order[i] = keys[i].i;
    gdi_free(s->ctx, keys);

    wf(o, "%sgongdan %s%s — %s%llu %s, %zu %s%s\n", B, gd_version(), R,
       zh ? "扫描 " : "", (unsigned long long)s->nresources, zh ? "个资源" : "resources",
       s->rs->nrules, zh ? "条规则" : "rules", s->complete ? "" : (zh ? "（输入不完整）" : " (INCOMPLETE: see errors)"));
    size_t i = 0;
    while (i < n) {
        const gdi_rule *r = s->findings[order[i]].rule;
        size_t j = i;
        while (j < n && s->findings[order[j]].rule == r) j++;
        w(o, "\n");
        char sevbuf[16];
        snprintf(sevbuf, sizeof sevbuf, "%s", gd_sev_name(r->severity));
        for (char *c = sevbuf; *c; c++) *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
        wf(o, "%s%-8s%s %s%s%s  %s\n", color ? sev_color(r->severity) : "", sevbuf, R, B, r->id, R,
           title_of(r, opts->lang));
        if (r->nduties) {
            wf(o, "  %s%s", D, zh ? "职责: " : "duties: ");
            for (size_t k = 0; k < r->nduties; k++) wf(o, "%s%s", k ? ", " : "", r->duties[k]);
            wf(o, "%s\n", R);
        }
        if (r->ncontrols) {
            wf(o, "  %s%s", D, zh ? "控制项: " : "controls: ");
            for (size_t k = 0; k < r->ncontrols; k++) {
                wf(o, "%s%s ", k ? "; " : "", r->controls[k].framework);
                for (size_t m = 0; m < r->controls[k].nids; m++)
                    wf(o, "%s%s", m ? "," : "", r->controls[k].ids[m]);
            }
            wf(o, "%s\n", R);
        }
        for (size_t k = i; k < j; k++) {
            const gdi_finding *f = &s->findings[order[k]];
            const char *mark = f->verdict == GDI_V_FAIL      ? (color ? "\033[31m✗\033[0m" : "FAIL")
                               : f->verdict == GDI_V_UNKNOWN ? (color ? "\033[33m?\033[0m" : "UNKNOWN")
                               : f->verdict == GDI_V_ERROR   ? (color ? "\033[35m!\033[0m" : "ERROR")
                                                             : (color ? "\033[32m✓\033[0m" : "PASS");
            wf(o, "  %s %s", mark, f->address);
            if (f->file < s->nfiles) {
                wf(o, "  %s%s", D, s->files[f->file]);
                if (f->line) wf(o, ":%u", f->line);
                w(o, R);
            }
            w(o, "\n");
            if (f->reason) wf(o, "      %s%s%s\n", D, f->reason, R);
            if (opts->matrix && f->verdict != GDI_V_PASS) {
                const gdi_service *sv = gdi_attr_service(opts->matrix, f->address, f->type);
                const char *prov = NULL;
                int party = sv ? gdi_attr_party(opts->matrix, sv, r->duties, r->nduties, &prov)
                               : GDI_PARTY_NONE;
                const char *cust = opts->matrix->profile->customer;
                if (!sv)
                    wf(o, "      %s%s%s\n", D, zh ? "未归属任何服务（部署配置中没有匹配的 resources）"
                                               : "no service of the profile claims this resource", R);
                else if (party == GDI_PARTY_CUSTOMER)
                    wf(o, "      %s%s %s (%s %s)%s\n", D, zh ? "责任方:" : "responsible:", cust,
                       zh ? "服务" : "service", sv->id, R);
                else if (party == GDI_PARTY_PROVIDER)
                    wf(o, "      %s%s %s (%s %s)%s\n", D, zh ? "继承自提供者:" : "inherited: responsible party",
                       prov ? prov : "provider", zh ? "服务" : "service", sv->id, R);
                else if (party == GDI_PARTY_UNRESOLVED)
                    wf(o, "      %s%s (%s %s)%s\n", D,
                       zh ? "责任未明确：需与提供者协商" : "ownership unresolved: settle it with the provider",
                       zh ? "服务" : "service", sv->id, R);
            }
        }
        const char *fix = remedy_of(r, opts->lang);
        if (fix && (s->findings[order[i]].verdict != GDI_V_PASS))
            wf(o, "  %s%s%s %s\n", B, zh ? "修复:" : "fix:", R, fix);
        i = j;
    }
    uint64_t c[4] = {0}, sev[5] = {0};
    for (size_t k = 0; k < s->rs->nrules; k++) {
        c[0] += s->stats[k].pass;
        c[1] += s->stats[k].fail;
        c[2] += s->stats[k].unknown;
        c[3] += s->stats[k].error;
        sev[s->rs->rules[k]->severity] += s->stats[k].fail;
    }
    w(o, "\n");
    if (zh)
        wf(o, "%s合计:%s %llu 项不通过（严重 %llu，高 %llu，中 %llu，低 %llu，信息 %llu），%llu 项未知，%llu 项错误，%llu 项通过\n",
           B, R, (unsigned long long)c[1], (unsigned long long)sev[4], (unsigned long long)sev[3],
           (unsigned long long)sev[2], (unsigned long long)sev[1], (unsigned long long)sev[0],
           (unsigned long long)c[2], (unsigned long long)c[3], (unsigned long long)c[0]);
    else
        wf(o, "%sSummary:%s %llu failing (%llu critical, %llu high, %llu medium, %llu low, %llu info), %llu unknown, %llu errors, %llu passed\n",
           B, R, (unsigned long long)c[1], (unsigned long long)sev[4], (unsigned long long)sev[3],
           (unsigned long long)sev[2], (unsigned long long)sev[1], (unsigned long long)sev[0],
           (unsigned long long)c[2], (unsigned long long)c[3], (unsigned long long)c[0]);
    if (opts->matrix) {
        uint64_t np[4] = {0};
        for (size_t k = 0; k < s->nfindings; k++) {
            const gdi_finding *f = &s->findings[k];
            if (f->verdict != GDI_V_FAIL) continue;
            const gdi_service *sv = gdi_attr_service(opts->matrix, f->address, f->type);
            np[sv ? gdi_attr_party(opts->matrix, sv, f->rule->duties, f->rule->nduties, NULL)
                  : GDI_PARTY_NONE]++;
        }
        if (zh)
            wf(o, "%s责任:%s 客户 %llu 项，提供者（继承）%llu 项，未明确 %llu 项，未归属服务 %llu 项\n", B, R,
               (unsigned long long)np[GDI_PARTY_CUSTOMER], (unsigned long long)np[GDI_PARTY_PROVIDER],
               (unsigned long long)np[GDI_PARTY_UNRESOLVED], (unsigned long long)np[GDI_PARTY_NONE]);
        else
            wf(o, "%sOwnership of failures:%s %llu the customer's (%s), %llu inherited from providers, "
                  "%llu unresolved, %llu outside every service\n",
               B, R, (unsigned long long)np[GDI_PARTY_CUSTOMER], opts->matrix->profile->customer,
               (unsigned long long)np[GDI_PARTY_PROVIDER], (unsigned long long)np[GDI_PARTY_UNRESOLVED],
               (unsigned long long)np[GDI_PARTY_NONE]);
    }
    gdi_free(s->ctx, order);
    return GD_OK;
}

/* ----------------------------------------------------------------- SARIF */

static void sha256_hex(const char *a, const char *b, char hex[65])
{
    unsigned char md[32];
    unsigned int mdlen = 0;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    bool ok = c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) &&
              EVP_DigestUpdate(c, a, strlen(a)) && EVP_DigestUpdate(c, "\0", 1) &&
              EVP_DigestUpdate(c, b, strlen(b)) && EVP_DigestFinal_ex(c, md, &mdlen);
    EVP_MD_CTX_free(c);
    if (!ok) mdlen = 0;
    for (unsigned i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", i < mdlen ? md[i] : 0);
    hex[64] = 0;
}

/* A relative URI reference for a file path (percent-encoding as needed). */
static void wuri(out *o, const char *path)
{
    w(o, "\"");
    if (path[0] == '.' && path[1] == '/') path += 2;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("/-._~", c))
            wn(o, (const char *)p, 1);
        else
            wf(o, "%%%02X", c);
    }
    w(o, "\"");
}

static const char *sarif_level(gd_sev s)
{
    return s >= GD_SEV_HIGH ? "error" : s == GD_SEV_MEDIUM ? "warning" : "note";
}

static const char *security_severity(gd_sev s)
{
    switch (s) {
    case GD_SEV_CRITICAL: return "9.5";
    case GD_SEV_HIGH: return "8.0";
    case GD_SEV_MEDIUM: return "5.5";
    case GD_SEV_LOW: return "3.0";
    default: return "0.0";
    }
}

static gd_status write_sarif(const gd_scan *s, const gd_report_opts *opts, out *o)
{
    size_t nr = s->rs->nrules;
    /* rules that appear in results, in rule order, with their index */
    long *ridx = gdi_calloc(s->ctx, nr ? nr : 1, sizeof *ridx);
    if (!ridx) return GD_NOMEM;
    for (size_t i = 0; i < nr; i++) ridx[i] = -1;
    for (size_t i = 0; i < s->nfindings; i++)
        if (s->findings[i].verdict != GDI_V_PASS || opts->list_passes)
            ridx[s->findings[i].rule->index] = 0;
    long next = 0;
    for (size_t i = 0; i < nr; i++)
        if (ridx[i] == 0) ridx[i] = next++;
        else ridx[i] = -1;

    w(o, "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
         "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": {\n        \"driver\": {\n");
    wf(o, "          \"name\": \"gongdan\",\n          \"version\": \"%s\",\n"
          "          \"semanticVersion\": \"%s\",\n"
          "          \"informationUri\": \"https://gongdan.invalid/docs/rules\",\n"
          "          \"rules\": [",
       gd_version(), gd_version());
    bool first = true;
    for (size_t i = 0; i < nr; i++) {
        if (ridx[i] < 0) continue;
        const gdi_rule *r = s->rs->rules[i];
        w(o, first ? "\n            {" : ",\n            {");
        first = false;
        w(o, "\"id\": ");
        wjs(o, r->id);
        w(o, ", \"name\": ");
        /* a PascalCase-free readable name: the id without dashes */
        {
            char nm[128];
            size_t k = 0;
            for (const char *c = r->id; *c && k + 1 < sizeof nm; c++)
                if (*c != '-') nm[k++] = *c;
            nm[k] = 0;
            wjs(o, nm);
        }
        w(o, ",\n             \"shortDescription\": {\"text\": ");
        wjs(o, title_of(r, opts->lang));
        w(o, "},\n             \"fullDescription\": {\"text\": ");
        wjs(o, r->description ? r->description : title_of(r, opts->lang));
        w(o, "},\n             \"help\": {\"text\": ");
        wjs(o, remedy_of(r, opts->lang) ? remedy_of(r, opts->lang) : "");
        w(o, "},\n             \"defaultConfiguration\": {\"level\": ");
        wjs(o, sarif_level(r->severity));
        w(o, "},\n             \"properties\": {\"security-severity\": ");
        wjs(o, security_severity(r->severity));
        w(o, ", \"severity\": ");
        wjs(o, gd_sev_name(r->severity));
        w(o, ", \"tags\": [\"security\", \"shared-responsibility\"");
        for (size_t k = 0; k < r->nduties; k++) {
            w(o, ", ");
            char tag[300];
            snprintf(tag, sizeof tag, "duty:%s", r->duties[k]);
            wjs(o, tag);
        }
        w(o, "], \"duties\": ");
        wjs_list(o, r->duties, r->nduties);
        w(o, ", \"controls\": ");
        wjs_controls(o, r);
        w(o, "}}");
    }
    w(o, first ? "]\n" : "\n          ]\n");
    w(o, "        }\n      },\n");
    wf(o, "      \"invocations\": [{\"executionSuccessful\": %s}],\n",
       s->complete ? "true" : "false");
    w(o, "      \"results\": [");
    first = true;
    for (size_t i = 0; i < s->nfindings; i++) {
        const gdi_finding *f = &s->findings[i];
        if (f->verdict == GDI_V_PASS && !opts->list_passes) continue;
        const gdi_rule *r = f->rule;
        w(o, first ? "\n        {" : ",\n        {");
        first = false;
        w(o, "\"ruleId\": ");
        wjs(o, r->id);
        wf(o, ", \"ruleIndex\": %ld", ridx[r->index]);
        const char *kind = f->verdict == GDI_V_FAIL      ? "fail"
                           : f->verdict == GDI_V_UNKNOWN ? "open"
                           : f->verdict == GDI_V_ERROR   ? "review"
                                                         : "pass";
        wf(o, ", \"kind\": \"%s\", \"level\": \"%s\",\n         \"message\": {\"text\": ", kind,
           f->verdict == GDI_V_FAIL ? sarif_level(r->severity) : "none");
        {
            gdi_buf m;
            gdi_buf_init(&m, s->ctx);
            gdi_buf_printf(&m, "%s: %s", f->address, message_of(f, opts->lang));
            if (f->reason) gdi_buf_printf(&m, " (%s)", f->reason);
            wjs(o, m.oom ? f->address : gdi_buf_cstr(&m));
            gdi_buf_free(&m);
        }
        w(o, "},\n         \"locations\": [{");
        if (f->file < s->nfiles) {
            w(o, "\"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
            wuri(o, s->files[f->file]);
            w(o, "}");
            if (f->line) wf(o, ", \"region\": {\"startLine\": %u}", f->line);
            w(o, "}, ");
        }
        w(o, "\"logicalLocations\": [{\"fullyQualifiedName\": ");
        wjs(o, f->address);
        w(o, ", \"kind\": \"resource\"}]}],\n         \"partialFingerprints\": {\"gongdan/v1\": ");
        char hex[65];
        sha256_hex(r->id, f->address, hex);
        wjs(o, hex);
        w(o, "},\n         \"properties\": {\"verdict\": ");
        wjs(o, verdict_names[f->verdict]);
        w(o, ", \"resourceType\": ");
        wjs(o, f->type);
        w(o, ", \"provider\": ");
        wjs(o, f->provider);
        if (opts->matrix) {
            w(o, ", \"ownership\": ");
            wjs_ownership(o, opts->matrix, f);
        }
        w(o, "}}");
    }
    w(o, first ? "]\n" : "\n      ]\n");
    w(o, "    }\n  ]\n}\n");
    gdi_free(s->ctx, ridx);
    return GD_OK;
}

gd_status gd_scan_write(const gd_scan *s, const gd_report_opts *opts, FILE *f)
{
    if (!s || !opts || !f) return GD_MISUSE;
    out *o = gdi_alloc(s->ctx, sizeof *o);
    if (!o) return GD_NOMEM;
    o->f = f;
    o->err = false;
    o->n = 0;
    gd_status st = GD_OK;
    switch (opts->format) {
    case GD_REPORT_TEXT: st = write_text(s, opts, o); break;
    case GD_REPORT_JSON: write_json(s, opts, o); break;
    case GD_REPORT_SARIF: st = write_sarif(s, opts, o); break;
    default: st = GD_MISUSE;
    }
    flush_out(o);
    if (st == GD_OK && o->err) st = gdi_err(s->ctx, GD_IO, NULL, 0, 0, "write error");
    gdi_free(s->ctx, o);
    return st;
}
