/*
 * report_oscal.c — the assessment as an OSCAL 1.x assessment-results
 * document (valid against oscal_assessment-results_schema.json).
 *
 * One result; reviewed-controls include-all; one observation per
 * attestation (method EXAMINE, its evidence files as relevant-evidence
 * carrying their SHA-256, `expires` when set) and per failing rule (method
 * TEST); one finding per control whose target is the control
 * ("<framework>-<id>", made an NCName token), with status satisfied when the
 * control is met, inherited or not applicable, the gongdan status as a
 * property, and links to the observations behind it.
 *
 * UUIDs are derived from names (SHA-256, shaped as version 5) so the same
 * assessment gives the same document.
 */
#include "assess/assess.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#define GD_NS "https://github.com/gongdan/ns/oscal"

/* Name-based UUID (version 5 layout, SHA-256 of the name). */
static void uuid_of(const char *a, const char *b, const char *c, char out[37])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_MD_CTX *x = EVP_MD_CTX_new();
    if (!x || !EVP_DigestInit_ex(x, EVP_sha256(), NULL)) {
        memset(md, 0x42, sizeof md);
    } else {
        EVP_DigestUpdate(x, a ? a : "", a ? strlen(a) : 0);
        EVP_DigestUpdate(x, "\x1f", 1);
        EVP_DigestUpdate(x, b ? b : "", b ? strlen(b) : 0);
        EVP_DigestUpdate(x, "\x1f", 1);
        EVP_DigestUpdate(x, c ? c : "", c ? strlen(c) : 0);
        EVP_DigestFinal_ex(x, md, &n);
    }
    EVP_MD_CTX_free(x);
    md[6] = (unsigned char)((md[6] & 0x0f) | 0x50);
    md[8] = (unsigned char)((md[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", md[0],
             md[1], md[2], md[3], md[4], md[5], md[6], md[7], md[8], md[9], md[10], md[11], md[12],
             md[13], md[14], md[15]);
}

/* An NCName token from framework and control id. */
static void token(gdi_buf *b, const char *fw, const char *id)
{
    gdi_buf_putc(b, '"');
    for (const char *p = fw; *p; p++) {
        char ch = *p;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                  ch == '.' || ch == '-' || ch == '_';
        gdi_buf_putc(b, ok ? ch : '_');
    }
    gdi_buf_putc(b, '-');
    for (const char *p = id; *p; p++) {
        char ch = *p;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                  ch == '.' || ch == '-' || ch == '_';
        gdi_buf_putc(b, ok ? ch : '_');
    }
    gdi_buf_putc(b, '"');
}

static void prop(gdi_buf *b, const char *name, const char *value, bool comma)
{
    gdi_buf_printf(b, "%s{\"name\":\"%s\",\"ns\":\"" GD_NS "\",\"value\":", comma ? "," : "", name);
    gdi_buf_json_str(b, value && *value ? value : "-");
    gdi_buf_putc(b, '}');
}

/* YYYY-MM-DD -> end of that day, UTC, as date-time. */
static void day_end(gdi_buf *b, const char *d)
{
    gdi_buf_printf(b, "\"%.10sT23:59:59Z\"", d);
}

void gdi_assess_oscal(const gd_assess *a, const char *lang, gdi_buf *b)
{
    const gdi_catalog *c = a->cat;
    char ts[32], u[37];
    gdi_iso_time(a->now, ts);
    const char *fw = c->id;
    uuid_of("assessment-results", fw, ts, u);
    gdi_buf_printf(b, "{\"assessment-results\":{\"uuid\":\"%s\",\"metadata\":{\"title\":", u);
    char title[512];
    snprintf(title, sizeof title, "gongdan assessment: %s", gdi_i18n_get(&c->title, lang));
    gdi_buf_json_str(b, title);
    gdi_buf_printf(b, ",\"last-modified\":\"%s\",\"version\":\"%s\",\"oscal-version\":\"1.1.2\",\"props\":[",
                   ts, GD_VERSION_STRING);
    prop(b, "framework", fw, false);
    prop(b, "customer", a->customer, true);
    if (a->profile) prop(b, "deployment-profile", a->profile, true);
    gdi_buf_puts(b, "]},\"import-ap\":{\"href\":\"#gongdan-assess\",\"remarks\":");
    gdi_buf_json_str(b, "No separate assessment plan: gongdan assessed every control of the catalog.");
    uuid_of("result", fw, ts, u);
    gdi_buf_printf(b, "},\"results\":[{\"uuid\":\"%s\",\"title\":", u);
    gdi_buf_json_str(b, title);
    gdi_buf_puts(b, ",\"description\":");
    char desc[1024];
    snprintf(desc, sizeof desc,
             "Per-control status from the ownership matrix, %zu failing finding(s) and %zu "
             "attestation(s): %zu met, %zu partial, %zu not met, %zu not applicable, %zu inherited, "
             "%zu unknown.",
             a->nfindings, a->natts, a->counts[GDI_AS_MET], a->counts[GDI_AS_PARTIAL],
             a->counts[GDI_AS_NOT_MET], a->counts[GDI_AS_NA], a->counts[GDI_AS_INHERITED],
             a->counts[GDI_AS_UNKNOWN]);
    gdi_buf_json_str(b, desc);
    gdi_buf_printf(b, ",\"start\":\"%s\",\"end\":\"%s\",\"props\":[", ts, ts);
    prop(b, "controls", "all", false);
    if (c->ntiers) {
        prop(b, "tier-achieved", a->overall_tier >= 0 ? c->tiers[a->overall_tier] : "none", true);
        if (a->target_tier >= 0) prop(b, "tier-target", c->tiers[a->target_tier], true);
    }
    if (c->level) {
        char lv[16];
        snprintf(lv, sizeof lv, "%d", a->level);
        prop(b, "mlps-level", lv, true);
        prop(b, "mlps-level-rule", a->level_rule > 0 ? "holds" : a->level_rule == 0 ? "broken" : "undecided", true);
    }
    gdi_buf_puts(b, "],\"reviewed-controls\":{\"control-selections\":[{\"include-all\":{}}]}");
    /* observations */
    bool any_obs = false;
    for (size_t i = 0; i < a->natts; i++) {
        const gdi_attest *t = &a->atts[i];
        if (!t->applies) continue;
        uuid_of("attestation", t->file, t->id, u);
        gdi_buf_printf(b, "%s{\"uuid\":\"%s\",\"title\":", any_obs ? "," : ",\"observations\":[", u);
        any_obs = true;
        char tt[512];
        snprintf(tt, sizeof tt, "Attestation %s on %s", t->id, t->control ? t->control : t->duty);
        gdi_buf_json_str(b, tt);
        gdi_buf_puts(b, ",\"description\":");
        gdi_buf_json_str(b, t->statement ? t->statement : "-");
        gdi_buf_puts(b, ",\"props\":[");
        prop(b, "attestation-status", t->status >= 0 ? gdi_att_status_id(t->status) : "-", false);
        prop(b, "attested-by", t->by, true);
        prop(b, "state", t->invalid ? "rejected" : t->expired ? "expired" : "valid", true);
        gdi_buf_puts(b, "],\"methods\":[\"EXAMINE\"],\"types\":[\"control-objective\"]");
        if (t->nev) {
            gdi_buf_puts(b, ",\"relevant-evidence\":[");
            for (size_t k = 0; k < t->nev; k++) {
                gdi_buf_puts(b, k ? ",{\"href\":" : "{\"href\":");
                gdi_buf_json_str(b, t->ev[k].path);
                gdi_buf_puts(b, ",\"description\":");
                gdi_buf_json_str(b, t->ev[k].ok ? "evidence file, digest verified" : "evidence file, digest MISMATCH");
                gdi_buf_puts(b, ",\"props\":[");
                prop(b, "sha256", t->ev[k].sha256, false);
                if (t->ev[k].actual && !t->ev[k].ok) prop(b, "sha256-actual", t->ev[k].actual, true);
                gdi_buf_puts(b, "]}");
            }
            gdi_buf_puts(b, "]");
        }
        gdi_buf_puts(b, ",\"collected\":");
        if (t->date && strlen(t->date) == 10) gdi_buf_printf(b, "\"%sT00:00:00Z\"", t->date);
        else gdi_buf_printf(b, "\"%s\"", ts);
        if (t->expires && strlen(t->expires) == 10) {
            gdi_buf_puts(b, ",\"expires\":");
            day_end(b, t->expires);
        }
        gdi_buf_puts(b, "}");
    }
    /* one observation per failing rule */
    for (size_t i = 0; i < a->nfindings; i++) {
        const gdi_afinding *f = &a->findings[i];
        bool first = true;
        for (size_t k = 0; k < i && first; k++) first = a->findings[k].rule != f->rule;
        if (!first || f->verdict != GDI_V_FAIL) continue;
        size_t n = 0;
        for (size_t k = 0; k < a->nfindings; k++) n += a->findings[k].rule == f->rule && a->findings[k].verdict == GDI_V_FAIL;
        uuid_of("rule", f->rule->id, ts, u);
        gdi_buf_printf(b, "%s{\"uuid\":\"%s\",\"title\":", any_obs ? "," : ",\"observations\":[", u);
        any_obs = true;
        gdi_buf_json_str(b, f->rule->title_en);
        char d[512];
        snprintf(d, sizeof d, "Rule %s failed on %zu resource(s), e.g. %s.", f->rule->id, n, f->address);
        gdi_buf_puts(b, ",\"description\":");
        gdi_buf_json_str(b, d);
        gdi_buf_puts(b, ",\"props\":[");
        prop(b, "rule-id", f->rule->id, false);
        prop(b, "severity", gd_sev_name(f->rule->severity), true);
        gdi_buf_printf(b, "],\"methods\":[\"TEST\"],\"types\":[\"finding\"],\"collected\":\"%s\"}", ts);
    }
    if (any_obs) gdi_buf_puts(b, "]");
    /* findings: one per control */
    gdi_buf_puts(b, ",\"findings\":[");
    for (size_t i = 0; i < a->nctls; i++) {
        const gdi_actl *x = &a->ctls[i];
        uuid_of("finding", fw, x->ctl->id, u);
        gdi_buf_printf(b, "%s{\"uuid\":\"%s\",\"title\":", i ? "," : "", u);
        char tt[512];
        snprintf(tt, sizeof tt, "%s %s", x->ctl->id, gdi_i18n_get(&x->ctl->title, lang));
        gdi_buf_json_str(b, tt);
        gdi_buf buf;
        gdi_buf_init(&buf, a->ctx);
        for (size_t k = 0; k < x->nreasons; k++) {
            if (k) gdi_buf_puts(&buf, "\n");
            gdi_buf_puts(&buf, x->reasons[k].text);
        }
        gdi_buf_puts(b, ",\"description\":");
        gdi_buf_json_str(b, buf.n ? gdi_buf_cstr(&buf) : gdi_astatus_label(x->status, "en"));
        if (buf.oom) b->oom = true;
        gdi_buf_free(&buf);
        gdi_buf_puts(b, ",\"props\":[");
        prop(b, "status", gdi_astatus_id(x->status), false);
        if (x->owner) prop(b, "owner", x->owner, true);
        for (size_t k = 0; k < x->nproviders; k++) prop(b, "inherited-from", x->providers[k], true);
        if (c->ntiers) prop(b, "tier", x->tier >= 0 ? c->tiers[x->tier] : "none", true);
        gdi_buf_puts(b, "],\"target\":{\"type\":\"objective-id\",\"target-id\":");
        token(b, fw, x->ctl->id);
        bool sat = x->status == GDI_AS_MET || x->status == GDI_AS_INHERITED || x->status == GDI_AS_NA;
        gdi_buf_printf(b, ",\"status\":{\"state\":\"%s\",\"reason\":\"%s\"}", sat ? "satisfied" : "not-satisfied",
                       x->status == GDI_AS_MET ? "pass" : x->status == GDI_AS_NOT_MET ? "fail" : "other");
        const char *impl = x->status == GDI_AS_MET || x->status == GDI_AS_INHERITED ? "implemented"
                           : x->status == GDI_AS_PARTIAL                            ? "partial"
                           : x->status == GDI_AS_NA                                 ? "not-applicable"
                                                                                    : "planned";
        gdi_buf_printf(b, ",\"implementation-status\":{\"state\":\"%s\"}}", impl);
        /* related observations */
        bool rel = false;
        for (size_t k = 0; k < x->natts; k++) {
            uuid_of("attestation", x->atts[k]->file, x->atts[k]->id, u);
            gdi_buf_printf(b, "%s{\"observation-uuid\":\"%s\"}", rel ? "," : ",\"related-observations\":[", u);
            rel = true;
        }
        for (size_t k = 0; k < x->nfails; k++) {
            bool dup = false;
            for (size_t j = 0; j < k && !dup; j++) dup = x->fails[j]->rule == x->fails[k]->rule;
            if (dup) continue;
            uuid_of("rule", x->fails[k]->rule->id, ts, u);
            gdi_buf_printf(b, "%s{\"observation-uuid\":\"%s\"}", rel ? "," : ",\"related-observations\":[", u);
            rel = true;
        }
        if (rel) gdi_buf_puts(b, "]");
        gdi_buf_puts(b, "}");
    }
    gdi_buf_puts(b, "]}]}}\n");
}
