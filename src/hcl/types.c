/*
 * types.c — Terraform type constraints: converting a variable's value to
 * the `type` written in its declaration.
 *
 * A type constraint is read straight from its expression tree: keywords
 * (string, number, bool, any) and constructor calls (list(T), set(T),
 * map(T), tuple([...]), object({...}) with optional(T, default)). Conversion
 * follows Terraform's rules for the cases configurations rely on:
 * primitives convert between string, number and bool where the text
 * allows; object attributes marked optional get their default (or null)
 * when absent; attributes the type does not name are dropped. Unknown
 * values stay unknown. The recursion follows the type expression, whose
 * depth the parser bounds.
 */
#include "hcli.h"

#include <math.h>

static gd_status conv_err(hcl_ev *ev, const hcl_expr *t, const char *want, const hcl_val *v)
{
    return gdi_hcl_everr(ev, t, "cannot convert a %s value to %s", gdi_hv_type_name(v), want);
}

static int cmp_val(const hcl_val *a, const hcl_val *b)
{
    if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
    if (a->kind == HV_STR) return gdi_hv_strcmp((gd_str){a->u.s, a->n}, (gd_str){b->u.s, b->n});
    if (a->kind == HV_NUM) return a->u.num < b->u.num ? -1 : a->u.num > b->u.num;
    if (a->kind == HV_BOOL) return (int)a->u.b - (int)b->u.b;
    return 0;
}

uint32_t gdi_hcl_set_normalize(hcl_val **items, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) {
        hcl_val *x = items[i];
        uint32_t j = i;
        while (j > 0 && cmp_val(items[j - 1], x) > 0) {
            items[j] = items[j - 1];
            j--;
        }
        items[j] = x;
    }
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; i++) {
        bool unk = false;
        if (m && gdi_hv_equal(items[m - 1], items[i], &unk) && !unk) continue;
        items[m++] = items[i];
    }
    return m;
}

gd_status gdi_hcl_convert(hcl_ev *ev, const hcl_expr *t, const hcl_val *v, const hcl_val **out)
{
    *out = v;
    if (!t || v->kind == HV_UNK) return GD_OK;
    gd_status st;
    if (t->kind == HE_PAREN) return gdi_hcl_convert(ev, t->a, v, out);
    if (t->kind == HE_VAR) {
        gd_str n = t->name;
        if (gd_str_eqc(n, "any")) return GD_OK;
        if (v->kind == HV_NULL) return GD_OK;
        if (gd_str_eqc(n, "string")) {
            hcl_val *s;
            if (v->kind == HV_LIST || v->kind == HV_OBJ) return conv_err(ev, t, "string", v);
            if (!gdi_hv_to_string(ev->arena, v, &s)) return GD_NOMEM;
            *out = s;
            return GD_OK;
        }
        if (gd_str_eqc(n, "number")) {
            double d;
            if (!gdi_hv_to_number(v, &d)) return conv_err(ev, t, "number", v);
            if (v->kind != HV_NUM && !(*out = gdi_hv_num(ev->arena, d, v->file, v->pos)))
                return GD_NOMEM;
            return GD_OK;
        }
        if (gd_str_eqc(n, "bool")) {
            bool b;
            if (!gdi_hv_to_bool(v, &b)) return conv_err(ev, t, "bool", v);
            if (v->kind != HV_BOOL && !(*out = gdi_hv_bool(ev->arena, b, v->file, v->pos)))
                return GD_NOMEM;
            return GD_OK;
        }
        return gdi_hcl_everr(ev, t, "unknown type '%.*s'", (int)n.n, n.p);
    }
    if (t->kind != HE_CALL) return gdi_hcl_everr(ev, t, "invalid type constraint");
    gd_str fn = t->name;
    if (gd_str_eqc(fn, "optional")) {
        if (t->n < 1) return gdi_hcl_everr(ev, t, "optional() needs a type");
        return gdi_hcl_convert(ev, t->kids[0], v, out);
    }
    if (v->kind == HV_NULL) return GD_OK;
    bool is_list = gd_str_eqc(fn, "list"), is_set = gd_str_eqc(fn, "set");
    if (is_list || is_set) {
        if (t->n != 1) return gdi_hcl_everr(ev, t, "%.*s() needs one element type", (int)fn.n, fn.p);
        if (v->kind != HV_LIST) return conv_err(ev, t, is_list ? "list" : "set", v);
        hcl_val **items = v->n ? gdi_arena_alloc(ev->arena, (size_t)v->n * sizeof *items) : NULL;
        if (v->n && !items) return GD_NOMEM;
        bool unk = false;
        for (uint32_t i = 0; i < v->n; i++) {
            const hcl_val *c;
            if ((st = gdi_hcl_convert(ev, t->kids[0], v->u.c.items[i], &c))) return st;
            if (c->kind == HV_UNK) unk = true;
            items[i] = (hcl_val *)c;
        }
        uint32_t n = v->n;
        if (is_set && !unk) n = gdi_hcl_set_normalize(items, n);
        *out = gdi_hv_list(ev->arena, items, n, is_set ? HVF_SET : 0, v->file, v->pos);
        return *out ? GD_OK : GD_NOMEM;
    }
    if (gd_str_eqc(fn, "map")) {
        if (t->n != 1) return gdi_hcl_everr(ev, t, "map() needs one element type");
        if (v->kind != HV_OBJ) return conv_err(ev, t, "map", v);
        hcl_val **items = v->n ? gdi_arena_alloc(ev->arena, (size_t)v->n * sizeof *items) : NULL;
        if (v->n && !items) return GD_NOMEM;
        for (uint32_t i = 0; i < v->n; i++) {
            const hcl_val *c;
            if ((st = gdi_hcl_convert(ev, t->kids[0], v->u.c.items[i], &c))) return st;
            items[i] = (hcl_val *)c;
        }
        *out = gdi_hv_obj(ev->arena, v->u.c.keys, items, v->n, HVF_MAP, v->file, v->pos, NULL);
        return *out ? GD_OK : GD_NOMEM;
    }
    if (gd_str_eqc(fn, "tuple")) {
        if (t->n != 1 || t->kids[0]->kind != HE_TUPLE)
            return gdi_hcl_everr(ev, t, "tuple() needs a list of element types");
        const hcl_expr *tt = t->kids[0];
        if (v->kind != HV_LIST || v->n != tt->n) return conv_err(ev, t, "this tuple type", v);
        hcl_val **items = v->n ? gdi_arena_alloc(ev->arena, (size_t)v->n * sizeof *items) : NULL;
        if (v->n && !items) return GD_NOMEM;
        for (uint32_t i = 0; i < v->n; i++) {
            const hcl_val *c;
            if ((st = gdi_hcl_convert(ev, tt->kids[i], v->u.c.items[i], &c))) return st;
            items[i] = (hcl_val *)c;
        }
        *out = gdi_hv_list(ev->arena, items, v->n, HVF_TUPLE, v->file, v->pos);
        return *out ? GD_OK : GD_NOMEM;
    }
    if (gd_str_eqc(fn, "object")) {
        if (t->n != 1 || t->kids[0]->kind != HE_OBJECT)
            return gdi_hcl_everr(ev, t, "object() needs an object of attribute types");
        const hcl_expr *ot = t->kids[0];
        if (v->kind != HV_OBJ) return conv_err(ev, t, "object", v);
        uint32_t n = ot->n;
        gd_str *keys = n ? gdi_arena_alloc(ev->arena, (size_t)n * sizeof *keys) : NULL;
        hcl_val **vals = n ? gdi_arena_alloc(ev->arena, (size_t)n * sizeof *vals) : NULL;
        if (n && (!keys || !vals)) return GD_NOMEM;
        for (uint32_t i = 0; i < n; i++) {
            const hcl_expr *ke = ot->kids[2 * i], *te = ot->kids[2 * i + 1];
            if (ke->kind != HE_STR) return gdi_hcl_everr(ev, ke, "object type keys must be names");
            keys[i] = ke->name;
            const hcl_val *m = gdi_hv_get(v, ke->name);
            bool opt = te->kind == HE_CALL && gd_str_eqc(te->name, "optional");
            if (!m || m->kind == HV_NULL) {
                if (!opt) {
                    if (!m)
                        return gdi_hcl_everr(ev, ke, "attribute \"%.*s\" is required",
                                             (int)ke->name.n, ke->name.p);
                    vals[i] = (hcl_val *)m;
                    continue;
                }
                if (te->n >= 2) {
                    hcl_scope none = {0};
                    const hcl_val *d;
                    if ((st = gdi_hcl_eval(ev, &none, te->kids[1], &d))) return st;
                    if ((st = gdi_hcl_convert(ev, te->kids[0], d, &m))) return st;
                } else {
                    m = &gdi_hcl_null;
                }
                vals[i] = (hcl_val *)m;
                continue;
            }
            const hcl_val *c;
            if ((st = gdi_hcl_convert(ev, te, m, &c))) return st;
            vals[i] = (hcl_val *)c;
        }
        *out = gdi_hv_obj(ev->arena, keys, vals, n, 0, v->file, v->pos, NULL);
        return *out ? GD_OK : GD_NOMEM;
    }
    return gdi_hcl_everr(ev, t, "unknown type constructor '%.*s'", (int)fn.n, fn.p);
}
