/*
 * render_html.c — the ownership matrix as one self-contained HTML page:
 * a colour grid (duties down, grouped by category; services across),
 * filters by category and status (a few lines of inline script; without
 * script everything is shown), a legend, and the list of gaps with their
 * basis. No external resources; print CSS hides the filters and keeps the
 * colours so the page reads on paper. Every cell carries the full
 * ownership (responsible, accountable, basis) in its tooltip.
 */
#include "model/model.h"

#include <stdio.h>

static void esc(gdi_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': gdi_buf_puts(b, "&lt;"); break;
        case '>': gdi_buf_puts(b, "&gt;"); break;
        case '&': gdi_buf_puts(b, "&amp;"); break;
        case '"': gdi_buf_puts(b, "&quot;"); break;
        default: gdi_buf_putc(b, *s);
        }
    }
}

static const char *const cell_class[] = {"p", "c", "b", "u", "q", "x", "n"};

static const char css[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI','Noto Sans CJK SC','PingFang SC',sans-serif;"
    "margin:24px;color:#1d2330;background:#fff}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}"
    ".meta{color:#555;margin:0 0 12px}.svc{margin:0 0 16px;padding:0;list-style:none}"
    ".svc li{display:inline-block;margin:0 16px 4px 0}.svc code{background:#f2f4f7;padding:1px 5px;border-radius:3px}"
    ".filters{display:flex;gap:16px;align-items:center;margin:8px 0 12px;padding:8px 12px;background:#f6f7f9;"
    "border:1px solid #e2e5ea;border-radius:6px}"
    ".filters select{font:inherit;padding:2px 4px}"
    ".summary span{display:inline-block;margin-right:14px}"
    "table.grid{border-collapse:collapse;width:auto}"
    ".grid th,.grid td{border:1px solid #d9dde3;padding:3px 8px;text-align:left;vertical-align:top}"
    ".grid thead th{position:sticky;top:0;background:#2d3748;color:#fff;font-weight:600}"
    ".grid tr.cat th{background:#e9edf3;color:#1d2330;font-size:13px;text-transform:none}"
    ".grid td.duty{min-width:330px}.grid td.duty small{color:#6b7280;display:block;font-size:11px}"
    ".grid td.cell{text-align:center;min-width:84px;font-weight:600;font-size:12.5px}"
    ".p{background:#dbeafe;color:#1e3a8a}.c{background:#fde7c8;color:#7a3e00}.b{background:#e4dcfb;color:#4c1d95}"
    ".u{background:#d3f0e8;color:#065f46}.q{background:#fff3a3;color:#713f12}.x{background:#fecaca;color:#991b1b}"
    ".n{background:#111827;color:#fff}.na{background:#fafafa;color:#b0b6bf}"
    ".legend{display:flex;flex-wrap:wrap;gap:6px 18px;margin:8px 0}.legend span.k{display:inline-block;"
    "min-width:64px;text-align:center;padding:1px 6px;border-radius:3px;font-weight:600;margin-right:6px}"
    ".gaps li{margin-bottom:8px}.gaps .st{font-weight:600;padding:0 5px;border-radius:3px}"
    ".gaps ul{margin:2px 0 0 0;color:#374151}"
    "@media print{.filters{display:none}body{margin:8mm;font-size:11px}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}.grid thead th{position:static}"
    "tr{page-break-inside:avoid}}";

static const char script[] =
    "(function(){var c=document.getElementById('fc'),s=document.getElementById('fs');"
    "function f(){var cv=c.value,sv=s.value;document.querySelectorAll('tr.row').forEach(function(r){"
    "var ok=(cv===''||r.dataset.cat===cv)&&(sv===''||r.dataset.st.indexOf(' '+sv+' ')>=0);"
    "r.style.display=ok?'':'none';});document.querySelectorAll('tr.cat').forEach(function(h){"
    "var n=h.nextElementSibling,any=false;while(n&&!n.classList.contains('cat')){if(n.style.display!=='none')any=true;"
    "n=n.nextElementSibling;}h.style.display=any?'':'none';});}c.onchange=f;s.onchange=f;})();";

static const gdi_own_row *find_row(const gd_matrix *m, const gdi_service *s, const gdi_duty *d)
{
    for (size_t i = 0; i < m->nrows; i++)
        if (m->rows[i].service == s && m->rows[i].duty == d) return &m->rows[i];
    return NULL;
}

static void tooltip(gdi_buf *b, const gdi_own_row *r, const char *lang)
{
    gdi_buf t;
    gdi_buf_init(&t, b->ctx);
    gdi_buf_printf(&t, "%s: %s\n%s: ", gdi_label("status", lang), gdi_status_label(r->status, lang),
                   gdi_label("responsible", lang));
    if (r->nresponsible)
        gdi_buf_join(&t, r->responsible, r->nresponsible, ", ");
    else
        gdi_buf_puts(&t, gdi_label("nobody", lang));
    gdi_buf_printf(&t, "\n%s: %s\n", gdi_label("accountable", lang),
                   r->accountable ? r->accountable : gdi_label("nobody", lang));
    if (r->ncapability) {
        gdi_buf_printf(&t, "%s: ", gdi_label("capability", lang));
        gdi_buf_join(&t, r->capability, r->ncapability, ", ");
        gdi_buf_putc(&t, '\n');
    }
    gdi_buf_printf(&t, "%s: ", gdi_label("chain", lang));
    gdi_buf_join(&t, r->chain, r->nchain, " > ");
    for (size_t k = 0; k < r->nbasis; k++) gdi_buf_printf(&t, "\n- %s", gdi_text_get(&r->basis[k].text, lang));
    esc(b, gdi_buf_cstr(&t));
    if (t.oom) b->oom = true;
    gdi_buf_free(&t);
}

void gdi_matrix_html(const gd_matrix *m, const char *lang, gdi_buf *b)
{
    const gdi_profile *p = m->profile;
    const gdi_model *mod = p->model;
    bool zh = strcmp(lang, "zh") == 0;
    gdi_buf_printf(b, "<!doctype html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
                   zh ? "zh-CN" : "en");
    esc(b, gdi_label("heading", lang));
    gdi_buf_puts(b, " — ");
    esc(b, p->customer);
    gdi_buf_printf(b, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", css);
    esc(b, gdi_label("heading", lang));
    gdi_buf_puts(b, ": ");
    esc(b, p->customer);
    gdi_buf_puts(b, "</h1>\n<p class=\"meta\">");
    esc(b, gdi_label("model", lang));
    gdi_buf_puts(b, ": <b>");
    esc(b, mod->id);
    gdi_buf_puts(b, "</b> — ");
    esc(b, gdi_text_get(&mod->title, lang));
    gdi_buf_puts(b, " · ");
    esc(b, gdi_label("profile", lang));
    gdi_buf_puts(b, ": ");
    esc(b, p->file);
    gdi_buf_puts(b, "</p>\n<ul class=\"svc\">");
    for (size_t s = 0; s < p->nservices; s++) {
        const gdi_service *sv = &p->services[s];
        gdi_buf_puts(b, "<li><b>");
        esc(b, sv->id);
        gdi_buf_puts(b, "</b> <code>");
        gdi_buf t;
        gdi_buf_init(&t, m->ctx);
        const gdi_tier *tr = &sv->tier;
        gdi_buf_printf(&t, "%s/%s", tr->provider->id, gdi_sm_name(tr->sm));
        while (tr->nruns_on) {
            gdi_buf_puts(&t, " > ");
            for (size_t k = 0; k < tr->nruns_on; k++)
                gdi_buf_printf(&t, "%s%s/%s", k ? ", " : "", tr->runs_on[k].provider->id, gdi_sm_name(tr->runs_on[k].sm));
            tr = &tr->runs_on[0];
        }
        esc(b, gdi_buf_cstr(&t));
        gdi_buf_free(&t);
        gdi_buf_puts(b, "</code></li>");
    }
    gdi_buf_puts(b, "</ul>\n");

    size_t counts[4] = {0};
    for (size_t i = 0; i < m->nrows; i++) counts[m->rows[i].status]++;
    gdi_buf_puts(b, "<p class=\"summary\">");
    gdi_buf_printf(b, "<span><b>%zu</b> %s</span>", m->nrows, gdi_label("rows", lang));
    for (int st = 0; st < 4; st++)
        gdi_buf_printf(b, "<span><b>%zu</b> %s</span>", counts[st], gdi_status_label(st, lang));
    gdi_buf_puts(b, "</p>\n<div class=\"filters\"><b>");
    esc(b, gdi_label("filters", lang));
    gdi_buf_puts(b, "</b><label>");
    esc(b, gdi_label("category", lang));
    gdi_buf_puts(b, " <select id=\"fc\"><option value=\"\">");
    esc(b, gdi_label("all", lang));
    gdi_buf_puts(b, "</option>");
    for (size_t c = 0; c < mod->ncategories; c++) {
        gdi_buf_puts(b, "<option value=\"");
        esc(b, mod->categories[c].id);
        gdi_buf_puts(b, "\">");
        esc(b, gdi_text_get(&mod->categories[c].title, lang));
        gdi_buf_puts(b, "</option>");
    }
    gdi_buf_puts(b, "</select></label><label>");
    esc(b, gdi_label("status", lang));
    gdi_buf_puts(b, " <select id=\"fs\"><option value=\"\">");
    esc(b, gdi_label("all", lang));
    gdi_buf_puts(b, "</option>");
    for (int st = 0; st < 4; st++) {
        gdi_buf_printf(b, "<option value=\"%s\">", gdi_own_status_name(st));
        esc(b, gdi_status_label(st, lang));
        gdi_buf_puts(b, "</option>");
    }
    gdi_buf_puts(b, "</select></label></div>\n<div class=\"legend\">");
    for (int c = 0; c < GDI_CELL__COUNT; c++) {
        gdi_buf_printf(b, "<span><span class=\"k %s\">", cell_class[c]);
        esc(b, gdi_cell_word(c, lang));
        gdi_buf_puts(b, "</span>");
        esc(b, gdi_cell_meaning(c, lang));
        gdi_buf_puts(b, "</span>");
    }
    gdi_buf_puts(b, "</div>\n<table class=\"grid\">\n<thead><tr><th>");
    esc(b, gdi_label("duty", lang));
    gdi_buf_puts(b, "</th>");
    for (size_t s = 0; s < p->nservices; s++) {
        gdi_buf_puts(b, "<th>");
        esc(b, p->services[s].id);
        gdi_buf_puts(b, "</th>");
    }
    gdi_buf_puts(b, "</tr></thead>\n<tbody>\n");
    size_t last = (size_t)-1;
    for (size_t i = 0; i < mod->nduties; i++) {
        const gdi_duty *d = &mod->duties[i];
        bool any = false;
        char sts[64] = " ";
        for (size_t s = 0; s < p->nservices; s++) {
            const gdi_own_row *r = find_row(m, &p->services[s], d);
            if (!r) continue;
            any = true;
            const char *nm = gdi_own_status_name(r->status);
            if (!strstr(sts, nm) && strlen(sts) + strlen(nm) + 2 < sizeof sts) {
                strncat(sts, nm, sizeof sts - strlen(sts) - 1);
                strncat(sts, " ", sizeof sts - strlen(sts) - 1);
            }
        }
        if (!any) continue;
        if (d->category != last) {
            last = d->category;
            gdi_buf_printf(b, "<tr class=\"cat\"><th colspan=\"%zu\">", p->nservices + 1);
            esc(b, gdi_text_get(&mod->categories[d->category].title, lang));
            gdi_buf_puts(b, "</th></tr>\n");
        }
        gdi_buf_puts(b, "<tr class=\"row\" data-cat=\"");
        esc(b, mod->categories[d->category].id);
        gdi_buf_printf(b, "\" data-st=\"%s\"><td class=\"duty\">", sts);
        esc(b, gdi_text_get(&d->title, lang));
        gdi_buf_puts(b, "<small>");
        esc(b, d->id);
        gdi_buf_puts(b, "</small></td>");
        for (size_t s = 0; s < p->nservices; s++) {
            const gdi_own_row *r = find_row(m, &p->services[s], d);
            if (!r) {
                gdi_buf_puts(b, "<td class=\"cell na\">-</td>");
                continue;
            }
            int c = gdi_row_cell(r, p->customer);
            gdi_buf_printf(b, "<td class=\"cell %s\" title=\"", cell_class[c]);
            tooltip(b, r, lang);
            gdi_buf_puts(b, "\">");
            esc(b, gdi_cell_word(c, lang));
            if (r->option) gdi_buf_printf(b, " <small>(%s)</small>", r->option);
            gdi_buf_puts(b, "</td>");
        }
        gdi_buf_puts(b, "</tr>\n");
    }
    gdi_buf_puts(b, "</tbody>\n</table>\n<h2>");
    esc(b, gdi_label("gaps", lang));
    gdi_buf_puts(b, "</h2>\n<ol class=\"gaps\">\n");
    size_t ng = 0;
    for (size_t i = 0; i < m->nrows; i++) {
        const gdi_own_row *r = &m->rows[i];
        if (r->status == GDI_OWN_OWNED) continue;
        ng++;
        int c = gdi_row_cell(r, p->customer);
        gdi_buf_printf(b, "<li><span class=\"st %s\">", cell_class[c]);
        esc(b, gdi_status_label(r->status, lang));
        gdi_buf_puts(b, "</span> <b>");
        esc(b, r->service->id);
        gdi_buf_puts(b, "</b> · ");
        esc(b, gdi_text_get(&r->duty->title, lang));
        gdi_buf_puts(b, " <code>");
        esc(b, r->duty->id);
        gdi_buf_puts(b, "</code><ul>");
        for (size_t k = 0; k < r->nbasis; k++) {
            gdi_buf_puts(b, "<li>");
            esc(b, gdi_text_get(&r->basis[k].text, lang));
            gdi_buf_puts(b, "</li>");
        }
        gdi_buf_puts(b, "</ul></li>\n");
    }
    if (!ng) {
        gdi_buf_puts(b, "<li>");
        esc(b, gdi_label("no_gaps", lang));
        gdi_buf_puts(b, "</li>\n");
    }
    gdi_buf_printf(b, "</ol>\n<script>%s</script>\n</body>\n</html>\n", script);
}
