/*
 * render_oscal.c — the ownership matrix as an OSCAL 1.2 system security
 * plan (valid against NIST's oscal_ssp_schema.json, OSCAL 1.2.1).
 *
 * Mapping: the customer's system is the "this-system" component; each
 * service of the profile is a "service" component. Every duty of the
 * model is an implemented requirement (control-id = duty id, which is an
 * OSCAL token); each service where the duty applies gets a by-component
 * whose export lists what the provider side provides (`provided`, the
 * provider's duty or capability) and what the customer must do
 * (`responsibilities`, linked to the provided entry when there is one).
 * Status, accountable party, CCM ownership and chain travel as props in
 * the urn:gongdan:ownership namespace.
 *
 * UUIDs are RFC 4122 version 5 (SHA-1 of a fixed namespace and a name built
 * from the customer, service and duty), so the same profile always gives
 * the same document apart from the last-modified timestamp.
 */
#include "model/model.h"

#include <stdio.h>
#include <time.h>

/* ------------------------------------------------------------ SHA-1 (for UUID v5) */

typedef struct sha1 {
    uint32_t h[5];
    uint64_t len;
    unsigned char buf[64];
    size_t nbuf;
} sha1;

static uint32_t rol(uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

static void sha1_block(sha1 *s, const unsigned char *p)
{
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 80; i++) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3], e = s->h[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5A827999;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ED9EBA1;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8F1BBCDC;
        } else {
            f = b ^ c ^ d;
            k = 0xCA62C1D6;
        }
        uint32_t t = rol(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rol(b, 30);
        b = a;
        a = t;
    }
    s->h[0] += a;
    s->h[1] += b;
    s->h[2] += c;
    s->h[3] += d;
    s->h[4] += e;
}

static void sha1_init(sha1 *s)
{
    static const uint32_t iv[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    memcpy(s->h, iv, sizeof iv);
    s->len = 0;
    s->nbuf = 0;
}

static void sha1_update(sha1 *s, const void *data, size_t n)
{
    const unsigned char *p = data;
    s->len += n;
    while (n--) {
        s->buf[s->nbuf++] = *p++;
        if (s->nbuf == 64) {
            sha1_block(s, s->buf);
            s->nbuf = 0;
        }
    }
}

static void sha1_final(sha1 *s, unsigned char out[20])
{
    uint64_t bits = s->len * 8;
    unsigned char pad = 0x80;
    sha1_update(s, &pad, 1);
    pad = 0;
    while (s->nbuf != 56) sha1_update(s, &pad, 1);
    unsigned char l[8];
    for (int i = 0; i < 8; i++) l[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha1_update(s, l, 8);
    for (int i = 0; i < 5; i++) {
        out[4 * i] = (unsigned char)(s->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)s->h[i];
    }
}

/* UUID v5 of name in gongdan's namespace, written to out[37]. */
static void uuid5(const char *name, char out[37])
{
    /* namespace: a fixed UUID chosen for gongdan ownership documents */
    static const unsigned char ns[16] = {0x6f, 0x0c, 0x2d, 0x1e, 0x9a, 0x4b, 0x5c, 0x3d,
                                         0x8e, 0x7f, 0x10, 0x21, 0x32, 0x43, 0x54, 0x65};
    sha1 s;
    unsigned char h[20];
    sha1_init(&s);
    sha1_update(&s, ns, sizeof ns);
    sha1_update(&s, name, strlen(name));
    sha1_final(&s, h);
    h[6] = (unsigned char)((h[6] & 0x0F) | 0x50);
    h[8] = (unsigned char)((h[8] & 0x3F) | 0x80);
    static const char hex[] = "0123456789abcdef";
    size_t k = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out[k++] = '-';
        out[k++] = hex[h[i] >> 4];
        out[k++] = hex[h[i] & 15];
    }
    out[k] = 0;
}

static void juuid(gdi_buf *b, const char *fmt1, const char *a, const char *c, const char *d)
{
    char name[512], u[37];
    snprintf(name, sizeof name, "%s|%s|%s|%s", fmt1, a ? a : "", c ? c : "", d ? d : "");
    uuid5(name, u);
    gdi_buf_printf(b, "\"%s\"", u);
}

static void jprop(gdi_buf *b, bool first, const char *name, const char *value)
{
    if (!first) gdi_buf_puts(b, ", ");
    gdi_buf_puts(b, "{\"name\": ");
    gdi_buf_json_str(b, name);
    gdi_buf_puts(b, ", \"ns\": \"urn:gongdan:ownership\", \"value\": ");
    gdi_buf_json_str(b, value && value[0] ? value : "none");
    gdi_buf_putc(b, '}');
}

/* Text of what the provider side does for row r (for `provided`). */
static void provided_text(const gd_matrix *m, const gdi_own_row *r, const char *lang, gdi_buf *t)
{
    bool zh = strcmp(lang, "zh") == 0;
    const char *C = m->profile->customer;
    size_t np = 0;
    for (size_t i = 0; i < r->nresponsible; i++) {
        if (strcmp(r->responsible[i], C) == 0) continue;
        gdi_buf_puts(t, np++ ? ", " : (zh ? "执行方：" : "Performed by "));
        gdi_buf_puts(t, r->responsible[i]);
    }
    if (r->ncapability) {
        gdi_buf_puts(t, np ? (zh ? "；能力提供方：" : "; means supplied by ") : (zh ? "能力提供方：" : "Means supplied by "));
        gdi_buf_join(t, r->capability, r->ncapability, ", ");
    }
    gdi_buf_puts(t, zh ? "。依据：" : ". Basis: ");
    for (size_t k = 0; k < r->nbasis; k++) {
        if (k) gdi_buf_puts(t, "; ");
        gdi_buf_puts(t, gdi_text_get(&r->basis[k].text, lang));
    }
}

static bool customer_responsible(const gd_matrix *m, const gdi_own_row *r)
{
    for (size_t i = 0; i < r->nresponsible; i++)
        if (strcmp(r->responsible[i], m->profile->customer) == 0) return true;
    return false;
}

static bool provider_side(const gd_matrix *m, const gdi_own_row *r)
{
    if (r->ncapability) return true;
    for (size_t i = 0; i < r->nresponsible; i++)
        if (strcmp(r->responsible[i], m->profile->customer) != 0) return true;
    return false;
}

void gdi_matrix_oscal(const gd_matrix *m, const char *lang, int64_t timestamp, gdi_buf *b)
{
    const gdi_profile *p = m->profile;
    const gdi_model *mod = p->model;
    bool zh = strcmp(lang, "zh") == 0;
    const char *C = p->customer;
    char ts[40];
    time_t tt = (time_t)timestamp;
    struct tm tmv;
    if (gmtime_r(&tt, &tmv))
        strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tmv);
    else
        snprintf(ts, sizeof ts, "1970-01-01T00:00:00Z");
    gdi_buf tmp;
    gdi_buf_init(&tmp, m->ctx);

    gdi_buf_puts(b, "{\n  \"system-security-plan\": {\n    \"uuid\": ");
    juuid(b, "ssp", C, mod->id, NULL);
    gdi_buf_puts(b, ",\n    \"metadata\": {\n      \"title\": ");
    tmp.n = 0;
    gdi_buf_printf(&tmp, zh ? "%s 的安全责任划分（%s）" : "Shared-responsibility matrix of %s (%s)", C, mod->id);
    gdi_buf_json_str(b, gdi_buf_cstr(&tmp));
    gdi_buf_printf(b, ",\n      \"last-modified\": \"%s\",\n      \"version\": \"1\",\n"
                      "      \"oscal-version\": \"1.2.1\",\n      \"roles\": [\n", ts);
    gdi_buf_puts(b, "        {\"id\": \"customer\", \"title\": ");
    gdi_buf_json_str(b, zh ? "云服务客户" : "Cloud service customer");
    gdi_buf_puts(b, "},\n        {\"id\": \"provider\", \"title\": ");
    gdi_buf_json_str(b, zh ? "云服务提供者" : "Cloud service provider");
    gdi_buf_puts(b, "}\n      ],\n      \"parties\": [\n        {\"uuid\": ");
    juuid(b, "party", C, NULL, NULL);
    gdi_buf_puts(b, ", \"type\": \"organization\", \"name\": ");
    gdi_buf_json_str(b, C);
    gdi_buf_puts(b, "}");
    /* every provider reachable from a service, once */
    const char *seen[64];
    size_t nseen = 0;
    for (size_t s = 0; s < p->nservices; s++) {
        const gdi_tier *stack[64];
        size_t ns = 0;
        stack[ns++] = &p->services[s].tier;
        while (ns) {
            const gdi_tier *t = stack[--ns];
            bool dupe = false;
            for (size_t k = 0; k < nseen; k++) dupe = dupe || strcmp(seen[k], t->provider->id) == 0;
            if (!dupe && nseen < 64) {
                seen[nseen++] = t->provider->id;
                gdi_buf_puts(b, ",\n        {\"uuid\": ");
                juuid(b, "party", t->provider->id, NULL, NULL);
                gdi_buf_puts(b, ", \"type\": \"organization\", \"name\": ");
                gdi_buf_json_str(b, gdi_text_get(&t->provider->name, lang));
                gdi_buf_puts(b, ", \"short-name\": ");
                gdi_buf_json_str(b, t->provider->id);
                gdi_buf_puts(b, "}");
            }
            for (size_t k = t->nruns_on; k > 0 && ns < 64; k--) stack[ns++] = &t->runs_on[k - 1];
        }
    }
    gdi_buf_puts(b, "\n      ],\n      \"responsible-parties\": [\n        {\"role-id\": \"customer\", \"party-uuids\": [");
    juuid(b, "party", C, NULL, NULL);
    gdi_buf_puts(b, "]},\n        {\"role-id\": \"provider\", \"party-uuids\": [");
    for (size_t k = 0; k < nseen; k++) {
        if (k) gdi_buf_puts(b, ", ");
        juuid(b, "party", seen[k], NULL, NULL);
    }
    gdi_buf_puts(b, "]}\n      ]\n    },\n    \"import-profile\": {\"href\": \"#");
    {
        char name[256], u[37];
        snprintf(name, sizeof name, "model|%s||", mod->id);
        uuid5(name, u);
        gdi_buf_puts(b, u);
    }
    gdi_buf_puts(b, "\", \"remarks\": ");
    tmp.n = 0;
    gdi_buf_printf(&tmp, zh ? "责任模型 %s 的责任项作为控制项（见 back-matter）。" :
                              "The duties of responsibility model %s serve as controls (see back-matter).", mod->id);
    gdi_buf_json_str(b, gdi_buf_cstr(&tmp));
    gdi_buf_puts(b, "},\n    \"system-characteristics\": {\n      \"system-ids\": [{\"identifier-type\": "
                    "\"https://ietf.org/rfc/rfc4122\", \"id\": ");
    juuid(b, "system", C, NULL, NULL);
    gdi_buf_puts(b, "}],\n      \"system-name\": ");
    gdi_buf_json_str(b, C);
    gdi_buf_puts(b, ",\n      \"description\": ");
    tmp.n = 0;
    gdi_buf_printf(&tmp, zh ? "部署配置 %s 中的云服务，按 %s 划分安全责任。" :
                              "The cloud services of deployment profile %s, with security duties divided per %s.",
                   p->file, mod->id);
    gdi_buf_json_str(b, gdi_buf_cstr(&tmp));
    gdi_buf_puts(b, ",\n      \"system-information\": {\"information-types\": [{\"uuid\": ");
    juuid(b, "info", C, NULL, NULL);
    gdi_buf_puts(b, ", \"title\": ");
    gdi_buf_json_str(b, zh ? "云服务客户数据" : "Cloud service customer data");
    gdi_buf_puts(b, ", \"description\": ");
    gdi_buf_json_str(b, zh ? "客户放入云服务的数据及其使用云服务产生的数据。" : "Data the customer puts into its cloud services and data produced by using them.");
    gdi_buf_puts(b, "}]},\n      \"status\": {\"state\": \"operational\"},\n      \"authorization-boundary\": {\"description\": ");
    tmp.n = 0;
    gdi_buf_puts(&tmp, zh ? "服务：" : "Services: ");
    for (size_t s = 0; s < p->nservices; s++) {
        const gdi_service *sv = &p->services[s];
        gdi_buf_printf(&tmp, "%s%s (%s/%s)", s ? ", " : "", sv->id, sv->tier.provider->id, gdi_sm_name(sv->tier.sm));
    }
    gdi_buf_json_str(b, gdi_buf_cstr(&tmp));
    gdi_buf_puts(b, "}\n    },\n    \"system-implementation\": {\n      \"components\": [\n        {\"uuid\": ");
    juuid(b, "component", C, "this-system", NULL);
    gdi_buf_puts(b, ", \"type\": \"this-system\", \"title\": ");
    gdi_buf_json_str(b, C);
    gdi_buf_puts(b, ", \"description\": ");
    gdi_buf_json_str(b, zh ? "客户的系统。" : "The customer's system.");
    gdi_buf_puts(b, ", \"status\": {\"state\": \"operational\"}}");
    for (size_t s = 0; s < p->nservices; s++) {
        const gdi_service *sv = &p->services[s];
        gdi_buf_puts(b, ",\n        {\"uuid\": ");
        juuid(b, "component", C, sv->id, NULL);
        gdi_buf_puts(b, ", \"type\": \"service\", \"title\": ");
        gdi_buf_json_str(b, sv->id);
        gdi_buf_puts(b, ", \"description\": ");
        tmp.n = 0;
        gdi_buf_printf(&tmp, "%s %s (%s)", gdi_text_get(&sv->tier.provider->name, lang), gdi_sm_name(sv->tier.sm),
                       sv->tier.provider->id);
        gdi_buf_json_str(b, gdi_buf_cstr(&tmp));
        gdi_buf_puts(b, ", \"props\": [");
        jprop(b, true, "provider", sv->tier.provider->id);
        jprop(b, false, "service-model", gdi_sm_name(sv->tier.sm));
        gdi_buf_puts(b, "], \"status\": {\"state\": \"operational\"}}");
    }
    gdi_buf_puts(b, "\n      ]\n    },\n    \"control-implementation\": {\n      \"description\": ");
    tmp.n = 0;
    gdi_buf_printf(&tmp, zh ? "每项安全责任在每个服务中的归属：export.provided 为提供者一方承担或提供的部分，"
                              "export.responsibilities 为客户须承担的部分。" :
                              "Ownership of every security duty in every service: export.provided is what the "
                              "provider side performs or supplies, export.responsibilities what the customer must do.");
    gdi_buf_json_str(b, gdi_buf_cstr(&tmp));
    gdi_buf_puts(b, ",\n      \"implemented-requirements\": [");
    size_t nreq = 0;
    for (size_t i = 0; i < mod->nduties; i++) {
        const gdi_duty *d = &mod->duties[i];
        size_t nrows = 0;
        for (size_t k = 0; k < m->nrows; k++) nrows += m->rows[k].duty == d;
        if (!nrows) continue;
        gdi_buf_puts(b, nreq++ ? ",\n        {\"uuid\": " : "\n        {\"uuid\": ");
        juuid(b, "requirement", C, d->id, NULL);
        gdi_buf_puts(b, ", \"control-id\": ");
        gdi_buf_json_str(b, d->id);
        gdi_buf_puts(b, ", \"remarks\": ");
        gdi_buf_json_str(b, gdi_text_get(&d->title, lang));
        gdi_buf_puts(b, ",\n         \"by-components\": [");
        size_t nbc = 0;
        for (size_t k = 0; k < m->nrows; k++) {
            const gdi_own_row *r = &m->rows[k];
            if (r->duty != d) continue;
            gdi_buf_puts(b, nbc++ ? ",\n           {\"component-uuid\": " : "\n           {\"component-uuid\": ");
            juuid(b, "component", C, r->service->id, NULL);
            gdi_buf_puts(b, ", \"uuid\": ");
            juuid(b, "by-component", C, r->service->id, d->id);
            gdi_buf_puts(b, ", \"description\": ");
            tmp.n = 0;
            gdi_buf_printf(&tmp, "%s: %s; %s: ", gdi_label("status", lang), gdi_status_label(r->status, lang),
                           gdi_label("responsible", lang));
            if (r->nresponsible)
                gdi_buf_join(&tmp, r->responsible, r->nresponsible, ", ");
            else
                gdi_buf_puts(&tmp, gdi_label("nobody", lang));
            gdi_buf_printf(&tmp, "; %s: %s", gdi_label("accountable", lang),
                           r->accountable ? r->accountable : gdi_label("nobody", lang));
            gdi_buf_json_str(b, gdi_buf_cstr(&tmp));
            gdi_buf_puts(b, ", \"props\": [");
            jprop(b, true, "status", gdi_own_status_name(r->status));
            jprop(b, false, "accountable", r->accountable);
            jprop(b, false, "ccm-ownership", gdi_ccm_name(r->ccm));
            tmp.n = 0;
            gdi_buf_join(&tmp, r->chain, r->nchain, " > ");
            jprop(b, false, "chain", gdi_buf_cstr(&tmp));
            if (r->option) jprop(b, false, "option", r->option);
            gdi_buf_putc(b, ']');
            bool prov = provider_side(m, r), cust = customer_responsible(m, r);
            if (prov || cust) {
                gdi_buf_puts(b, ",\n            \"export\": {");
                if (prov) {
                    gdi_buf_puts(b, "\"provided\": [{\"uuid\": ");
                    juuid(b, "provided", C, r->service->id, d->id);
                    gdi_buf_puts(b, ", \"description\": ");
                    tmp.n = 0;
                    provided_text(m, r, lang, &tmp);
                    gdi_buf_json_str(b, gdi_buf_cstr(&tmp));
                    gdi_buf_puts(b, "}]");
                }
                if (cust) {
                    gdi_buf_puts(b, prov ? ", \"responsibilities\": [{\"uuid\": " : "\"responsibilities\": [{\"uuid\": ");
                    juuid(b, "responsibility", C, r->service->id, d->id);
                    if (prov) {
                        gdi_buf_puts(b, ", \"provided-uuid\": ");
                        juuid(b, "provided", C, r->service->id, d->id);
                    }
                    gdi_buf_puts(b, ", \"description\": ");
                    tmp.n = 0;
                    gdi_buf_printf(&tmp, zh ? "%s 须承担：%s" : "%s must carry: %s", C, gdi_text_get(&d->title, lang));
                    if (r->option) gdi_buf_printf(&tmp, zh ? "（选项 %s）" : " (option %s)", r->option);
                    gdi_buf_json_str(b, gdi_buf_cstr(&tmp));
                    gdi_buf_puts(b, ", \"responsible-roles\": [{\"role-id\": \"customer\", \"party-uuids\": [");
                    juuid(b, "party", C, NULL, NULL);
                    gdi_buf_puts(b, "]}]}]");
                }
                gdi_buf_putc(b, '}');
            }
            gdi_buf_putc(b, '}');
        }
        gdi_buf_puts(b, "]}");
    }
    gdi_buf_puts(b, "\n      ]\n    },\n    \"back-matter\": {\"resources\": [{\"uuid\": ");
    juuid(b, "model", mod->id, NULL, NULL);
    gdi_buf_puts(b, ", \"title\": ");
    gdi_buf_json_str(b, gdi_text_get(&mod->title, lang));
    gdi_buf_puts(b, ", \"description\": ");
    gdi_buf_json_str(b, mod->source ? mod->source : mod->id);
    gdi_buf_puts(b, "}]}\n  }\n}\n");
    if (tmp.oom) b->oom = true;
    gdi_buf_free(&tmp);
}
