/* test_catalog_mapping.c — mapping integrity: every control of every
 * built-in catalog is mapped (to duties, or organisational), and every duty
 * id a mapping names is a leaf of the OSCAR model — both the reference
 * extract (shared/reference/responsibility-model.yaml) and the model the
 * product embeds (data/models/oscar-2020.yaml). */
#include "catalog/catalog.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>

static gd_ctx *ctx;

/* Leaf ids of the reference tree: every object with "assignments". */
static void collect_ref(const gdi_node *n, gd_str *ids, size_t *nids, size_t cap)
{
    if (n->type == GDI_OBJECT) {
        if (gdi_obj_getc(n, "assignments")) {
            const gdi_node *id = gdi_obj_getc(n, "id");
            if (id && *nids < cap) ids[(*nids)++] = gdi_node_str(id);
        }
        const gdi_node *k = gdi_first(n);
        for (uint32_t i = 0; i < n->len; i++) {
            if (!gd_str_eqc(gdi_node_str(k), "assignments")) collect_ref(k + 1, ids, nids, cap);
            k = gdi_next(k + 1);
        }
    } else if (n->type == GDI_ARRAY) {
        const gdi_node *e = gdi_first(n);
        for (uint32_t i = 0; i < n->len; i++, e = gdi_next(e)) collect_ref(e, ids, nids, cap);
    }
}

static bool has(const gd_str *ids, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (gd_str_eqc(ids[i], id)) return true;
    return false;
}

int main(void)
{
    gd_ctx_new(&ctx, NULL);
    gd_catalogset *cs = NULL;
    CHECK_INTEQ(gd_catalogset_new(ctx, &cs), GD_OK);

    /* the reference leaves */
    char path[1024];
    size_t len;
    snprintf(path, sizeof path, "%s/reference/responsibility-model.yaml", GD_SHARED_DIR);
    bool have_ref = tap_have(path, "duty ids against the reference");
    char *text = have_ref ? tap_slurp(path, &len) : NULL;
    if (have_ref) CHECK(text != NULL);
    gdi_doc ref;
    gdi_doc_init(&ref, ctx, path);
    static gd_str ref_ids[256];
    size_t nref = 0;
    if (text && gdi_yaml_parse(&ref, text, len) == GD_OK)
        collect_ref(gdi_obj_getc(gdi_doc_root(&ref), "categories"), ref_ids, &nref, 256);
    if (have_ref) CHECK_INTEQ(nref, 76);

    /* the embedded model's duties */
    const gdi_embedded *em = gdi_embedded_find("models/oscar-2020.yaml");
    static gd_str model_ids[256];
    size_t nmodel = 0;
    gdi_doc md;
    gdi_doc_init(&md, ctx, "models/oscar-2020.yaml");
    if (em && gdi_yaml_parse(&md, (const char *)em->data, em->len) == GD_OK) {
        const gdi_node *duties = gdi_obj_getc(gdi_doc_root(&md), "duties");
        if (duties && duties->type == GDI_ARRAY) {
            const gdi_node *d = gdi_first(duties);
            for (uint32_t i = 0; i < duties->len && nmodel < 256; i++, d = gdi_next(d))
                model_ids[nmodel++] = gdi_node_str(gdi_obj_getc(d, "id"));
        }
    }
    CHECK_MSG(nmodel == 76, "embedded model has %zu duties", nmodel);

    static const char *const builtin[] = {"craf-2.0", "soc2", "iso27001", "mlps-2.0",
                                          "soc3-alibaba"};
    size_t total = 0, org = 0, links = 0;
    for (size_t b = 0; b < sizeof builtin / sizeof builtin[0]; b++) {
        const gdi_catalog *c = gdi_catalogset_find(cs, builtin[b]);
        CHECK_MSG(c != NULL, "catalog %s", builtin[b]);
        if (!c) continue;
        CHECK_MSG(c->mapping_file != NULL, "%s has a mapping", c->id);
        for (size_t i = 0; i < c->ncontrols; i++) {
            const gdi_control *x = &c->controls[i];
            total++;
            CHECK_MSG(x->mapped, "%s %s is not mapped", c->id, x->id);
            CHECK_MSG(x->nduties || x->organisational, "%s %s maps to nothing", c->id, x->id);
            org += x->organisational;
            for (size_t k = 0; k < x->nduties; k++) {
                links++;
                if (have_ref)
                    CHECK_MSG(has(ref_ids, nref, x->duties[k]), "%s %s: duty %s not in the reference",
                              c->id, x->id, x->duties[k]);
                if (nmodel)
                    CHECK_MSG(has(model_ids, nmodel, x->duties[k]),
                              "%s %s: duty %s not in the embedded model", c->id, x->id,
                              x->duties[k]);
                for (size_t j = 0; j < k; j++)
                    CHECK_MSG(strcmp(x->duties[j], x->duties[k]), "%s %s: duty %s twice", c->id,
                              x->id, x->duties[k]);
            }
        }
    }
    CHECK_INTEQ(total, 45 + 61 + 93 + 87 + 51);
    /* sanity of the reading: governance is organisational, physical access is
     * a data-centre duty, key management needs both */
    const gdi_catalog *craf = gdi_catalogset_find(cs, "craf-2.0");
    const gdi_control *x = gdi_catalog_control(craf, "1.2.1");
    CHECK(x && x->organisational && x->nduties == 0);
    x = gdi_catalog_control(craf, "3.1.4");
    CHECK(x && !x->organisational && x->nduties == 2 && !strcmp(x->duties[0], "physical.dc_environment"));
    x = gdi_catalog_control(craf, "3.1.8");
    CHECK(x && x->organisational && x->nduties > 0);
    CHECK(org > 50 && links > 400);

    gdi_doc_free(&md);
    gdi_doc_free(&ref);
    free(text);
    gd_catalogset_free(cs);
    gd_ctx_free(ctx);
    return tap_done();
}
