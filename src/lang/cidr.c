/*
 * cidr.c — IP networks and provider port ranges for the built-in functions.
 *
 * Networks are held as 128-bit numbers (IPv4 in the low 32 bits) with the
 * host bits cleared, so containment is one mask and compare. A network is
 * "public" when it is not wholly inside one of the non-public ranges:
 *   IPv4: 0.0.0.0/8, 10.0.0.0/8, 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16,
 *         172.16.0.0/12, 192.168.0.0/16
 *   IPv6: ::1/128, fc00::/7, fe80::/10 (and IPv4-mapped ::ffff:a.b.c.d
 *         addresses by their IPv4 rules)
 * These ranges are disjoint and no two of them merge into a larger aligned
 * block, so "wholly inside their union" equals "inside one of them"; hence
 * 0.0.0.0/0 and ::/0 (which contain public space) are public.
 *
 * Port ranges are written differently by every provider: Alibaba
 * "22/22", "1/65535", "-1/-1" (all); Tencent "22", "22-25", "80,443",
 * "ALL"; numbers. gdi_ports_parse accepts all of these.
 */
#include "lang.h"

#include <arpa/inet.h>
#include <ctype.h>

static void trim(const char **s, size_t *n)
{
    while (*n && isspace((unsigned char)(*s)[0])) {
        (*s)++;
        (*n)--;
    }
    while (*n && isspace((unsigned char)(*s)[*n - 1])) (*n)--;
}

/* Decimal integer in s[0..n) within [lo, hi]. */
static bool parse_int(const char *s, size_t n, long lo, long hi, long *out)
{
    bool neg = false;
    size_t i = 0;
    if (n && s[0] == '-') {
        neg = true;
        i = 1;
    }
    if (i >= n || n - i > 6) return false;
    long v = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    if (neg) v = -v;
    if (v < lo || v > hi) return false;
    *out = v;
    return true;
}

static void mask128(uint8_t prefix, uint64_t *hi, uint64_t *lo)
{
    if (prefix == 0) {
        *hi = *lo = 0;
    } else if (prefix <= 64) {
        *hi = ~(uint64_t)0 << (64 - prefix);
        *lo = 0;
    } else {
        *hi = ~(uint64_t)0;
        *lo = ~(uint64_t)0 << (128 - prefix);
    }
}

static void net_mask(const gdi_net *n, uint8_t prefix, uint64_t *hi, uint64_t *lo)
{
    if (n->family == 4) {
        *hi = 0;
        *lo = prefix == 0 ? 0 : (uint64_t)(uint32_t)(0xffffffffu << (32 - prefix));
    } else {
        mask128(prefix, hi, lo);
    }
}

static bool parse_v4(const char *s, size_t n, uint32_t *out)
{
    uint32_t v = 0;
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        size_t j = i;
        while (j < n && s[j] >= '0' && s[j] <= '9') j++;
        long b;
        if (j == i || j - i > 3 || !parse_int(s + i, j - i, 0, 255, &b)) return false;
        v = (v << 8) | (uint32_t)b;
        if (part < 3) {
            if (j >= n || s[j] != '.') return false;
            j++;
        }
        i = j;
    }
    if (i != n) return false;
    *out = v;
    return true;
}

bool gdi_net_parse(const char *s, size_t n, gdi_net *out)
{
    memset(out, 0, sizeof *out);
    trim(&s, &n);
    if (n == 1 && s[0] == '*') {
        out->family = 4;
        out->any = true;
        return true;
    }
    size_t slash = n;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '/') {
            slash = i;
            break;
        }
    const char *a = s;
    size_t an = slash;
    bool v6 = memchr(a, ':', an) != NULL;
    long prefix = v6 ? 128 : 32;
    if (slash < n && !parse_int(s + slash + 1, n - slash - 1, 0, v6 ? 128 : 32, &prefix))
        return false;
    if (slash < n && (n - slash - 1 == 0 || s[slash + 1] == '-')) return false;
    if (!v6) {
        uint32_t v;
        if (!parse_v4(a, an, &v)) return false;
        out->family = 4;
        out->lo = v;
        if (slash == n && v == 0) out->any = true; /* bare 0.0.0.0 means "anywhere" */
    } else {
        char buf[64];
        unsigned char bytes[16];
        if (an == 0 || an >= sizeof buf) return false;
        memcpy(buf, a, an);
        buf[an] = 0;
        if (inet_pton(AF_INET6, buf, bytes) != 1) return false;
        out->family = 6;
        for (int i = 0; i < 8; i++) out->hi = (out->hi << 8) | bytes[i];
        for (int i = 8; i < 16; i++) out->lo = (out->lo << 8) | bytes[i];
    }
    out->prefix = (uint8_t)prefix;
    uint64_t mh, ml;
    net_mask(out, out->prefix, &mh, &ml);
    out->hi &= mh;
    out->lo &= ml;
    return true;
}

bool gdi_net_contains(const gdi_net *a, const gdi_net *b)
{
    if (a->family != b->family) return false;
    if (b->prefix < a->prefix) return false;
    uint64_t mh, ml;
    net_mask(a, a->prefix, &mh, &ml);
    return (b->hi & mh) == a->hi && (b->lo & ml) == a->lo;
}

static const struct {
    uint32_t addr;
    uint8_t prefix;
} private_v4[] = {
    {0x00000000u, 8},  /* 0.0.0.0/8 "this network" */
    {0x0a000000u, 8},  /* 10.0.0.0/8 */
    {0x64400000u, 10}, /* 100.64.0.0/10 carrier-grade NAT */
    {0x7f000000u, 8},  /* 127.0.0.0/8 loopback */
    {0xa9fe0000u, 16}, /* 169.254.0.0/16 link-local */
    {0xac100000u, 12}, /* 172.16.0.0/12 */
    {0xc0a80000u, 16}, /* 192.168.0.0/16 */
};

static const struct {
    uint64_t hi, lo;
    uint8_t prefix;
} private_v6[] = {
    {0, 1, 128},                        /* ::1 loopback */
    {0xfc00000000000000ull, 0, 7},      /* fc00::/7 unique local */
    {0xfe80000000000000ull, 0, 10},     /* fe80::/10 link-local */
};

bool gdi_net_is_public(const gdi_net *a)
{
    if (a->any) return true;
    gdi_net v = *a;
    /* IPv4-mapped IPv6 (::ffff:0:0/96): judge by the IPv4 rules */
    if (v.family == 6 && v.hi == 0 && (v.lo >> 32) == 0xffff && v.prefix >= 96) {
        v.family = 4;
        v.lo &= 0xffffffffu;
        v.prefix = (uint8_t)(v.prefix - 96);
    }
    if (v.family == 4) {
        for (size_t i = 0; i < sizeof private_v4 / sizeof private_v4[0]; i++) {
            gdi_net p = {4, private_v4[i].prefix, false, 0, private_v4[i].addr};
            if (gdi_net_contains(&p, &v)) return false;
        }
        return true;
    }
    for (size_t i = 0; i < sizeof private_v6 / sizeof private_v6[0]; i++) {
        gdi_net p = {6, private_v6[i].prefix, false, private_v6[i].hi, private_v6[i].lo};
        if (gdi_net_contains(&p, &v)) return false;
    }
    return true;
}

bool gdi_net_is_any(const gdi_net *a)
{
    return a->any || a->prefix == 0;
}

static bool ieq(const char *s, size_t n, const char *w)
{
    size_t wn = strlen(w);
    if (n != wn) return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != w[i]) return false;
    return true;
}

/* One range without commas. */
static bool parse_range(const char *s, size_t n, gdi_ports *out)
{
    trim(&s, &n);
    if (n == 0) return false;
    if (ieq(s, n, "all") || ieq(s, n, "-1/-1") || ieq(s, n, "-1") || ieq(s, n, "*")) {
        out->lo = 0;
        out->hi = 65535;
        return true;
    }
    /* separator: '/' anywhere, or '-' after the first character */
    size_t sep = n;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '/' || (s[i] == '-' && i > 0)) {
            sep = i;
            break;
        }
    long lo, hi;
    if (sep == n) {
        if (!parse_int(s, n, 0, 65535, &lo)) return false;
        out->lo = out->hi = (int32_t)lo;
        return true;
    }
    const char *a = s, *b = s + sep + 1;
    size_t an = sep, bn = n - sep - 1;
    trim(&a, &an);
    trim(&b, &bn);
    if (!parse_int(a, an, -1, 65535, &lo) || !parse_int(b, bn, -1, 65535, &hi)) return false;
    if (lo == -1 || hi == -1) {
        if (lo != hi) return false;
        out->lo = 0;
        out->hi = 65535;
        return true;
    }
    if (lo > hi) return false;
    out->lo = (int32_t)lo;
    out->hi = (int32_t)hi;
    return true;
}

bool gdi_ports_parse(const char *s, size_t n, gdi_ports *out, size_t max, size_t *count)
{
    *count = 0;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != ',') continue;
        if (*count >= max) return false;
        if (!parse_range(s + start, i - start, &out[*count])) return false;
        (*count)++;
        start = i + 1;
    }
    return *count > 0;
}
