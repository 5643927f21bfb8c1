/*
 * attribute.h — attributing findings to services and parties under a
 * deployment profile (see attribute.c for the rules).
 */
#ifndef GDI_ATTRIBUTE_H
#define GDI_ATTRIBUTE_H

#include "model/model.h"

enum { GDI_PARTY_NONE = 0, GDI_PARTY_CUSTOMER, GDI_PARTY_PROVIDER, GDI_PARTY_UNRESOLVED };

/* The service a resource belongs to (first match in profile order), or NULL. */
const gdi_service *gdi_attr_service(const gd_matrix *m, const char *address, const char *type);
/* The ownership row of (service, duty), or NULL when the duty is not in the
 * service's model under its service model. */
const gdi_own_row *gdi_attr_row(const gd_matrix *m, const gdi_service *s, const char *duty);
/* Summary party of a finding whose rule checks duties (GDI_PARTY_*); when
 * provider is given it receives the accountable non-customer party of the
 * first duty that has one (borrowed from the matrix), or NULL. */
int gdi_attr_party(const gd_matrix *m, const gdi_service *s, char *const *duties, size_t nduties,
                   const char **provider);
/* "customer", "provider", "unresolved", "none". */
const char *gdi_party_name(int party);

#endif
