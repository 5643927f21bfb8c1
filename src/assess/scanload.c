/*
 * scanload.c — read a saved JSON scan result (`gongdan scan --format json`,
 * docs/output.md) back into a gd_scan, so an assessment can use findings
 * without scanning again.
 *
 * Every finding is bound to the rule of the same id in the given rule set;
 * a finding whose rule is unknown is an error naming the file and position
 * (all such findings are reported), because its duties and controls could
 * not be trusted. Unknown extra fields are allowed. Per-rule counters come
 * from the "rules" array when present.
 */
#include "engine.h"

#include <string.h>

static const gdi_rule *rule_by_id(const gd_ruleset *rs, gd_str id)
{
    for (size_t i = 0; i < rs->nrules; i++)
        if (gd_str_eqc(id, rs->rules[i]->id)) return rs->rules[i];
    return NULL;
}

static const char *keep(gd_scan *s, const gdi_node *n)
{
    if (!n || n->type != GDI_STRING) return NULL;
    return gdi_arena_strndup(&s->arena, n->str, n->len);
}

static int verdict_of(const gdi_node *n)
{
    if (!n || n->type != GDI_STRING) return -1;
    gd_str v = gdi_node_str(n);
    if (gd_str_eqc(v, "pass")) return GDI_V_PASS;
    if (gd_str_eqc(v, "fail")) return GDI_V_FAIL;
    if (gd_str_eqc(v, "unknown")) return GDI_V_UNKNOWN;
    if (gd_str_eqc(v, "error")) return GDI_V_ERROR;
    return -1;
}

/* Index of file name f in s->files, adding it when new. */
static gd_status file_index(gd_scan *s, const gdi_node *f, uint32_t *out)
{
    *out = 0;
    if (!f || f->type != GDI_STRING) return GD_OK;
    for (size_t i = 0; i < s->nfiles; i++)
        if (gd_str_eqc(gdi_node_str(f), s->files[i])) {
            *out = (uint32_t)i;
            return GD_OK;
        }
    size_t cap = s->nfiles;
    gd_status st = gdi_grow(s->ctx, (void **)&s->files, &cap, s->nfiles + 1, sizeof *s->files);
    if (st) return st;
    char *name = gdi_strndup(s->ctx, f->str, f->len);
    if (!name) return GD_NOMEM;
    s->files[s->nfiles] = name;
    *out = (uint32_t)s->nfiles++;
    return GD_OK;
}

static uint64_t u64_of(const gdi_node *n)
{
    int64_t v;
    return n && n->type == GDI_NUMBER && gdi_num_i64(n, &v) && v >= 0 ? (uint64_t)v : 0;
}

gd_status gdi_scan_load_json(const gd_ruleset *rs, const char *path, gd_scan **out)
{
    if (!rs || !path || !out) return GD_MISUSE;
    gd_ctx *ctx = rs->ctx;
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    size_t errors = 0;
    gdi_doc d;
    gd_status st = gdi_read_file(ctx, path, &text, &len);
    if (st) return st;
    if ((st = gdi_doc_init(&d, ctx, path))) {
        gdi_free(ctx, text);
        return st;
    }
    gd_scan *s = NULL;
    if ((st = gdi_json_parse(&d, text, len))) goto done;
    const gdi_node *root = gdi_doc_root(&d);
    const gdi_node *tool = root ? gdi_obj_getc(root, "tool") : NULL;
    const gdi_node *name = tool ? gdi_obj_getc(tool, "name") : NULL;
    if (!name || name->type != GDI_STRING || !gd_str_eqc(gdi_node_str(name), "gongdan")) {
        st = gdi_err(ctx, GD_INVALID, path, 1, 1,
                     "not a gongdan scan result (tool.name is not \"gongdan\")");
        goto done;
    }
    const gdi_node *fs = gdi_obj_getc(root, "findings");
    if (!fs || fs->type != GDI_ARRAY) {
        st = gdi_err(ctx, GD_INVALID, path, 1, 1, "scan result has no 'findings' array");
        goto done;
    }
    s = gdi_calloc(ctx, 1, sizeof *s);
    if (!s) {
        st = GD_NOMEM;
        goto done;
    }
    s->ctx = ctx;
    s->rs = rs;
    s->complete = true;
    gdi_arena_init(&s->arena, ctx, 16 * 1024);
    s->stats = gdi_calloc(ctx, rs->nrules ? rs->nrules : 1, sizeof *s->stats);
    if (!s->stats) {
        st = GD_NOMEM;
        goto done;
    }
    const gdi_node *f = gdi_first(fs);
    for (uint32_t i = 0; i < fs->len; i++, f = gdi_next(f)) {
        uint32_t line, col;
        gdi_doc_line_col(&d, f, &line, &col);
        const gdi_node *rid = gdi_obj_getc(f, "rule_id");
        int v = verdict_of(gdi_obj_getc(f, "verdict"));
        if (!rid || rid->type != GDI_STRING || v < 0) {
            gdi_diag_add(ctx, GD_DIAG_ERROR, path, line, col,
                         "finding needs a string rule_id and a verdict (fail, unknown, error, "
                         "pass)");
            errors++;
            continue;
        }
        const gdi_rule *r = rule_by_id(rs, gdi_node_str(rid));
        if (!r) {
            gdi_doc_line_col(&d, rid, &line, &col);
            gdi_diag_add(ctx, GD_DIAG_ERROR, path, line, col,
                         "finding of unknown rule '%.*s' (the result was made with other rules)",
                         (int)rid->len, rid->str);
            errors++;
            continue;
        }
        if ((st = gdi_grow(ctx, (void **)&s->findings, &s->capfindings, s->nfindings + 1,
                           sizeof *s->findings)))
            goto done;
        gdi_finding *g = &s->findings[s->nfindings];
        memset(g, 0, sizeof *g);
        g->rule = r;
        g->verdict = (uint8_t)v;
        g->address = keep(s, gdi_obj_getc(f, "address"));
        g->type = keep(s, gdi_obj_getc(f, "type"));
        g->provider = keep(s, gdi_obj_getc(f, "provider"));
        g->reason = keep(s, gdi_obj_getc(f, "reason"));
        g->line = (uint32_t)u64_of(gdi_obj_getc(f, "line"));
        g->seq = i;
        if (!g->address) g->address = "";
        if (!g->type) g->type = "";
        if (!g->provider) g->provider = "";
        if ((st = file_index(s, gdi_obj_getc(f, "file"), &g->file))) goto done;
        s->nfindings++;
        /* counts when the result has no "rules" array */
        gdi_rule_stats *rsx = &s->stats[r->index];
        if (v == GDI_V_PASS) rsx->pass++;
        else if (v == GDI_V_FAIL) rsx->fail++;
        else if (v == GDI_V_UNKNOWN) rsx->unknown++;
        else rsx->error++;
    }
    const gdi_node *rules = gdi_obj_getc(root, "rules");
    if (rules && rules->type == GDI_ARRAY) {
        const gdi_node *e = gdi_first(rules);
        for (uint32_t i = 0; i < rules->len; i++, e = gdi_next(e)) {
            const gdi_node *id = gdi_obj_getc(e, "id");
            if (!id || id->type != GDI_STRING) continue;
            const gdi_rule *r = rule_by_id(rs, gdi_node_str(id));
            if (!r) continue; /* counts of rules we do not have carry no findings */
            gdi_rule_stats *x = &s->stats[r->index];
            x->pass = u64_of(gdi_obj_getc(e, "pass"));
            x->fail = u64_of(gdi_obj_getc(e, "fail"));
            x->unknown = u64_of(gdi_obj_getc(e, "unknown"));
            x->error = u64_of(gdi_obj_getc(e, "error"));
        }
    }
    const gdi_node *top = gdi_obj_getc(root, "complete");
    if (top && top->type == GDI_FALSE) s->complete = false;
    const gdi_node *sum = gdi_obj_getc(root, "summary");
    if (sum) {
        s->nresources = u64_of(gdi_obj_getc(sum, "resources"));
        const gdi_node *c = gdi_obj_getc(sum, "complete");
        if (c && c->type == GDI_FALSE) s->complete = false;
    }
    if (errors) st = GD_INVALID;
done:
    if (st && st != GD_INVALID) {
        gd_scan_free(s);
        s = NULL;
    }
    *out = s;
    gdi_doc_free(&d);
    gdi_free(ctx, text);
    return st;
}
