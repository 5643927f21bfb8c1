/*
 * attribute.c — who is responsible for a finding under a deployment.
 *
 * A deployment profile names, per service, the scanned resources that
 * belong to it (glob patterns over the resource address or type, e.g.
 * "alicloud_*"). A finding's resource is attributed to the first service,
 * in profile order, with a matching pattern; each duty the rule checks is
 * then looked up in the ownership matrix for that service. The summary
 * party of the finding is:
 *   customer    some duty has the customer among its responsible parties
 *               (a failed customer duty is the customer's to fix);
 *   provider    every duty is the provider's alone: the finding is
 *               inherited, and the provider (named) is accountable;
 *   unresolved  a duty is unowned, ambiguous or in conflict;
 *   none        no service claims the resource (or the rule names no duty
 *               present under the service's model).
 * Everything here is read-only over an immutable matrix and safe to call
 * from several threads.
 */
#include "attribute.h"

#include <fnmatch.h>

const gdi_service *gdi_attr_service(const gd_matrix *m, const char *address, const char *type)
{
    if (!m || !m->profile) return NULL;
    const gdi_profile *p = m->profile;
    for (size_t i = 0; i < p->nservices; i++) {
        const gdi_service *s = &p->services[i];
        for (size_t j = 0; j < s->nresources; j++) {
            const char *pat = s->resources[j];
            if ((type && fnmatch(pat, type, 0) == 0) || (address && fnmatch(pat, address, 0) == 0))
                return s;
        }
    }
    return NULL;
}

const gdi_own_row *gdi_attr_row(const gd_matrix *m, const gdi_service *s, const char *duty)
{
    if (!m || !s || !duty) return NULL;
    for (size_t i = 0; i < m->nrows; i++) {
        const gdi_own_row *r = &m->rows[i];
        if (r->service == s && r->duty && strcmp(r->duty->id, duty) == 0) return r;
    }
    return NULL;
}

int gdi_attr_party(const gd_matrix *m, const gdi_service *s, char *const *duties, size_t nduties,
                   const char **provider)
{
    if (provider) *provider = NULL;
    if (!m || !s) return GDI_PARTY_NONE;
    const char *customer = m->profile->customer;
    bool any = false, cust = false, unresolved = false;
    for (size_t i = 0; i < nduties; i++) {
        const gdi_own_row *r = gdi_attr_row(m, s, duties[i]);
        if (!r) continue;
        any = true;
        if (r->status != GDI_OWN_OWNED) unresolved = true;
        for (size_t k = 0; k < r->nresponsible; k++)
            if (customer && strcmp(r->responsible[k], customer) == 0) cust = true;
        if (provider && !*provider && r->accountable &&
            (!customer || strcmp(r->accountable, customer) != 0))
            *provider = r->accountable;
    }
    if (!any) return GDI_PARTY_NONE;
    if (cust) return GDI_PARTY_CUSTOMER;
    if (unresolved) return GDI_PARTY_UNRESOLVED;
    return GDI_PARTY_PROVIDER;
}

const char *gdi_party_name(int party)
{
    switch (party) {
    case GDI_PARTY_CUSTOMER: return "customer";
    case GDI_PARTY_PROVIDER: return "provider";
    case GDI_PARTY_UNRESOLVED: return "unresolved";
    default: return "none";
    }
}
