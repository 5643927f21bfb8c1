/*
 * json_speed.c — throughput of the JSON reader on Terraform-state-like
 * input. Not built by default. Generates about 200 MB of pretty-printed
 * state JSON in memory (2-space indentation as Terraform writes it; bucket,
 * instance and security-group resources with tags, nested blocks, nulls,
 * numbers and escaped IAM policy strings) and reports MB/s for:
 *   whole     one gdi_json_parse over the whole text (tape of all nodes)
 *   stream    the resources array cut with gdi_json_array_next and each
 *             resource parsed into one reused doc (the scanner's pattern)
 *   extent    gdi_json_array_next alone (the structural skip)
 *
 * Build and run (after building the library in build-json):
 *   cmake -S . -B build-json -DCMAKE_BUILD_TYPE=Release && cmake --build build-json -j2
 *   cc -O2 -Iinclude -Isrc bench/json_speed.c build-json/libgongdan.a \
 *      -lyaml -lpcre2-8 -lcrypto -lpthread -lm -o build-json/json_speed
 *   build-json/json_speed [megabytes]
 */
#include "doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

gd_status gdi_json_array_next(const char *text, size_t len, bool first, size_t *start,
                              size_t *end);

static uint64_t seed = 42;
static uint32_t rnd(uint32_t n)
{
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)((seed >> 33) % n);
}

static void ind(gdi_buf *b, int n)
{
    gdi_buf_putc(b, '\n');
    for (int i = 0; i < n; i++) gdi_buf_putc(b, ' ');
}

static void tags(gdi_buf *b, int d, int i, const char *name)
{
    gdi_buf_printf(b, "\"%s\": {", name);
    ind(b, d + 2);
    gdi_buf_printf(b, "\"Environment\": \"%s\",", rnd(2) ? "production" : "staging");
    ind(b, d + 2);
    gdi_buf_printf(b, "\"Name\": \"resource-%d\",", i);
    ind(b, d + 2);
    gdi_buf_printf(b, "\"Owner\": \"team-%u@example.com\"", rnd(50));
    ind(b, d);
    gdi_buf_putc(b, '}');
}

static void bucket(gdi_buf *b, int i)
{
    int d = 10;
    gdi_buf_printf(b, "\"acl\": %s,", rnd(2) ? "\"private\"" : "null");
    ind(b, d);
    gdi_buf_printf(b, "\"arn\": \"arn:aws:s3:::bucket-%d-%u\",", i, rnd(100000));
    ind(b, d);
    gdi_buf_printf(b, "\"bucket\": \"bucket-%d-%u\",", i, rnd(100000));
    ind(b, d);
    gdi_buf_printf(b, "\"bucket_domain_name\": \"bucket-%d.s3.amazonaws.com\",", i);
    ind(b, d);
    gdi_buf_puts(b, "\"cors_rule\": [],");
    ind(b, d);
    gdi_buf_puts(b, "\"force_destroy\": false,");
    ind(b, d);
    gdi_buf_puts(b, "\"grant\": [],");
    ind(b, d);
    gdi_buf_printf(b, "\"hosted_zone_id\": \"Z3AQBSTGFYJSTF\",");
    ind(b, d);
    gdi_buf_printf(b, "\"id\": \"bucket-%d\",", i);
    ind(b, d);
    gdi_buf_puts(b, "\"lifecycle_rule\": [],");
    ind(b, d);
    gdi_buf_puts(b, "\"logging\": [],");
    ind(b, d);
    gdi_buf_puts(b, "\"object_lock_configuration\": [],");
    ind(b, d);
    gdi_buf_puts(b, "\"policy\": \"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{"
                    "\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":\\\"*\\\",\\\"Action\\\":"
                    "\\\"s3:GetObject\\\",\\\"Resource\\\":\\\"arn:aws:s3:::b/*\\\"}]}\",");
    ind(b, d);
    gdi_buf_puts(b, "\"region\": \"cn-north-1\",");
    ind(b, d);
    gdi_buf_puts(b, "\"server_side_encryption_configuration\": [");
    ind(b, d + 2);
    gdi_buf_putc(b, '{');
    ind(b, d + 4);
    gdi_buf_puts(b, "\"rule\": [");
    ind(b, d + 6);
    gdi_buf_putc(b, '{');
    ind(b, d + 8);
    gdi_buf_puts(b, "\"apply_server_side_encryption_by_default\": [");
    ind(b, d + 10);
    gdi_buf_putc(b, '{');
    ind(b, d + 12);
    gdi_buf_puts(b, "\"kms_master_key_id\": \"\",");
    ind(b, d + 12);
    gdi_buf_puts(b, "\"sse_algorithm\": \"AES256\"");
    ind(b, d + 10);
    gdi_buf_putc(b, '}');
    ind(b, d + 8);
    gdi_buf_puts(b, "],");
    ind(b, d + 8);
    gdi_buf_puts(b, "\"bucket_key_enabled\": false");
    ind(b, d + 6);
    gdi_buf_putc(b, '}');
    ind(b, d + 4);
    gdi_buf_putc(b, ']');
    ind(b, d + 2);
    gdi_buf_putc(b, '}');
    ind(b, d);
    gdi_buf_puts(b, "],");
    ind(b, d);
    tags(b, d, i, "tags");
    gdi_buf_putc(b, ',');
    ind(b, d);
    tags(b, d, i, "tags_all");
    gdi_buf_putc(b, ',');
    ind(b, d);
    gdi_buf_puts(b, "\"versioning\": [");
    ind(b, d + 2);
    gdi_buf_putc(b, '{');
    ind(b, d + 4);
    gdi_buf_printf(b, "\"enabled\": %s,", rnd(2) ? "true" : "false");
    ind(b, d + 4);
    gdi_buf_puts(b, "\"mfa_delete\": false");
    ind(b, d + 2);
    gdi_buf_putc(b, '}');
    ind(b, d);
    gdi_buf_puts(b, "],");
    ind(b, d);
    gdi_buf_puts(b, "\"website\": []");
}

static void instance(gdi_buf *b, int i)
{
    int d = 10;
    gdi_buf_printf(b, "\"ami\": \"ami-0%07x\",", rnd(0xFFFFFFF));
    ind(b, d);
    gdi_buf_printf(b, "\"arn\": \"arn:aws:ec2:cn-north-1:123456789012:instance/i-%08x\",",
                   rnd(0x7FFFFFFF));
    ind(b, d);
    gdi_buf_puts(b, "\"associate_public_ip_address\": true,");
    ind(b, d);
    gdi_buf_puts(b, "\"availability_zone\": \"cn-north-1a\",");
    ind(b, d);
    gdi_buf_printf(b, "\"cpu_core_count\": %u,", 1 + rnd(8));
    ind(b, d);
    gdi_buf_puts(b, "\"cpu_threads_per_core\": 2,");
    ind(b, d);
    gdi_buf_puts(b, "\"disable_api_termination\": false,");
    ind(b, d);
    gdi_buf_puts(b, "\"ebs_block_device\": [],");
    ind(b, d);
    gdi_buf_puts(b, "\"ebs_optimized\": false,");
    ind(b, d);
    gdi_buf_puts(b, "\"iam_instance_profile\": \"\",");
    ind(b, d);
    gdi_buf_printf(b, "\"id\": \"i-%08x\",", rnd(0x7FFFFFFF));
    ind(b, d);
    gdi_buf_puts(b, "\"instance_type\": \"t3.micro\",");
    ind(b, d);
    gdi_buf_puts(b, "\"metadata_options\": [");
    ind(b, d + 2);
    gdi_buf_putc(b, '{');
    ind(b, d + 4);
    gdi_buf_puts(b, "\"http_endpoint\": \"enabled\",");
    ind(b, d + 4);
    gdi_buf_puts(b, "\"http_put_response_hop_limit\": 1,");
    ind(b, d + 4);
    gdi_buf_printf(b, "\"http_tokens\": \"%s\"", rnd(2) ? "required" : "optional");
    ind(b, d + 2);
    gdi_buf_putc(b, '}');
    ind(b, d);
    gdi_buf_puts(b, "],");
    ind(b, d);
    gdi_buf_puts(b, "\"monitoring\": false,");
    ind(b, d);
    gdi_buf_printf(b, "\"private_ip\": \"10.0.%u.%u\",", rnd(256), rnd(256));
    ind(b, d);
    gdi_buf_printf(b, "\"public_ip\": \"54.%u.%u.%u\",", rnd(256), rnd(256), rnd(256));
    ind(b, d);
    gdi_buf_puts(b, "\"root_block_device\": [");
    ind(b, d + 2);
    gdi_buf_putc(b, '{');
    ind(b, d + 4);
    gdi_buf_puts(b, "\"delete_on_termination\": true,");
    ind(b, d + 4);
    gdi_buf_printf(b, "\"encrypted\": %s,", rnd(2) ? "true" : "false");
    ind(b, d + 4);
    gdi_buf_puts(b, "\"iops\": 3000,");
    ind(b, d + 4);
    gdi_buf_puts(b, "\"kms_key_id\": \"\",");
    ind(b, d + 4);
    gdi_buf_printf(b, "\"volume_size\": %u,", 8 + rnd(100));
    ind(b, d + 4);
    gdi_buf_puts(b, "\"volume_type\": \"gp3\"");
    ind(b, d + 2);
    gdi_buf_putc(b, '}');
    ind(b, d);
    gdi_buf_puts(b, "],");
    ind(b, d);
    gdi_buf_puts(b, "\"security_groups\": [],");
    ind(b, d);
    gdi_buf_printf(b, "\"subnet_id\": \"subnet-%08x\",", rnd(0x7FFFFFFF));
    ind(b, d);
    tags(b, d, i, "tags");
    gdi_buf_putc(b, ',');
    ind(b, d);
    gdi_buf_puts(b, "\"user_data\": null,");
    ind(b, d);
    gdi_buf_printf(b, "\"vpc_security_group_ids\": [");
    ind(b, d + 2);
    gdi_buf_printf(b, "\"sg-%08x\"", rnd(0x7FFFFFFF));
    ind(b, d);
    gdi_buf_putc(b, ']');
}

static void secgroup(gdi_buf *b, int i)
{
    int d = 10;
    gdi_buf_printf(b, "\"description\": \"Managed by Terraform: group %d\",", i);
    ind(b, d);
    gdi_buf_puts(b, "\"ingress\": [");
    int rules = 1 + (int)rnd(3);
    for (int r = 0; r < rules; r++) {
        ind(b, d + 2);
        gdi_buf_putc(b, '{');
        ind(b, d + 4);
        gdi_buf_puts(b, "\"cidr_blocks\": [");
        ind(b, d + 6);
        gdi_buf_puts(b, rnd(3) ? "\"10.0.0.0/16\"" : "\"0.0.0.0/0\"");
        ind(b, d + 4);
        gdi_buf_puts(b, "],");
        ind(b, d + 4);
        gdi_buf_puts(b, "\"description\": \"\",");
        ind(b, d + 4);
        unsigned port = rnd(2) ? 443 : 22;
        gdi_buf_printf(b, "\"from_port\": %u,", port);
        ind(b, d + 4);
        gdi_buf_puts(b, "\"ipv6_cidr_blocks\": [],");
        ind(b, d + 4);
        gdi_buf_puts(b, "\"prefix_list_ids\": [],");
        ind(b, d + 4);
        gdi_buf_puts(b, "\"protocol\": \"tcp\",");
        ind(b, d + 4);
        gdi_buf_puts(b, "\"security_groups\": [],");
        ind(b, d + 4);
        gdi_buf_puts(b, "\"self\": false,");
        ind(b, d + 4);
        gdi_buf_printf(b, "\"to_port\": %u", port);
        ind(b, d + 2);
        gdi_buf_putc(b, '}');
        if (r + 1 < rules) gdi_buf_putc(b, ',');
    }
    ind(b, d);
    gdi_buf_puts(b, "],");
    ind(b, d);
    gdi_buf_printf(b, "\"name\": \"sg-%d\",", i);
    ind(b, d);
    gdi_buf_puts(b, "\"revoke_rules_on_delete\": false,");
    ind(b, d);
    gdi_buf_printf(b, "\"vpc_id\": \"vpc-%08x\"", rnd(0x7FFFFFFF));
}

/* Append one resource object at indentation 4. */
static void resource(gdi_buf *b, int i)
{
    static const char *types[] = {"aws_s3_bucket", "aws_instance", "aws_security_group"};
    int t = (int)rnd(3);
    gdi_buf_putc(b, '{');
    ind(b, 6);
    gdi_buf_puts(b, "\"mode\": \"managed\",");
    ind(b, 6);
    gdi_buf_printf(b, "\"type\": \"%s\",", types[t]);
    ind(b, 6);
    gdi_buf_printf(b, "\"name\": \"r%d\",", i);
    ind(b, 6);
    gdi_buf_puts(b, "\"provider\": \"provider[\\\"registry.terraform.io/hashicorp/aws\\\"]\",");
    ind(b, 6);
    gdi_buf_puts(b, "\"instances\": [");
    ind(b, 8);
    gdi_buf_putc(b, '{');
    ind(b, 10);
    gdi_buf_puts(b, "\"schema_version\": 0,");
    ind(b, 10);
    gdi_buf_puts(b, "\"attributes\": {");
    ind(b, 10);
    if (t == 0) bucket(b, i);
    else if (t == 1) instance(b, i);
    else secgroup(b, i);
    ind(b, 10);
    gdi_buf_puts(b, "},");
    ind(b, 10);
    gdi_buf_puts(b, "\"sensitive_attributes\": [],");
    ind(b, 10);
    gdi_buf_puts(b, "\"private\": \"eyJzY2hlbWFfdmVyc2lvbiI6IjAifQ==\"");
    ind(b, 8);
    gdi_buf_putc(b, '}');
    ind(b, 6);
    gdi_buf_putc(b, ']');
    ind(b, 4);
    gdi_buf_putc(b, '}');
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    size_t target = (size_t)(argc > 1 ? strtoul(argv[1], NULL, 10) : 200) << 20;
    gd_ctx *ctx;
    if (gd_ctx_new(&ctx, NULL)) return 1;
    gdi_buf b;
    gdi_buf_init(&b, ctx);
    gdi_buf_puts(&b, "{\n  \"version\": 4,\n  \"terraform_version\": \"1.5.7\",\n  \"serial\": 12,\n"
                     "  \"lineage\": \"5f0e1d2c-aaaa-bbbb-cccc-0123456789ab\",\n  \"outputs\": {},\n"
                     "  \"resources\": [\n    ");
    size_t res_at = b.n - 5; /* just after the '[' */
    int nres = 0;
    while (b.n < target) {
        if (nres) gdi_buf_puts(&b, ",\n    ");
        resource(&b, nres++);
    }
    gdi_buf_puts(&b, "\n  ],\n  \"check_results\": null\n}\n");
    if (b.oom) return 1;
    double mb = (double)b.n / 1e6;
    printf("input: %.1f MB, %d resources\n", mb, nres);

    gdi_doc d;
    gdi_doc_init(&d, ctx, "bench.json");
    double best = 1e9;
    uint32_t nodes = 0;
    for (int rep = 0; rep < 3; rep++) {
        gdi_doc_reset(&d);
        double t0 = now();
        gd_status st = gdi_json_parse(&d, b.p, b.n);
        double t1 = now();
        if (st) {
            fprintf(stderr, "parse failed: %s\n", gd_ctx_diag(ctx, 0, NULL));
            return 1;
        }
        nodes = d.n;
        if (t1 - t0 < best) best = t1 - t0;
    }
    printf("whole:  %8.0f MB/s  (%u nodes, %.1f bytes/node)\n", mb / best, nodes,
           (double)b.n / nodes);

    /* stream: one reused doc per resource */
    const char *arr = b.p + res_at;
    size_t alen = b.n - res_at;
    best = 1e9;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now();
        size_t off = 0, s, e;
        bool first = true;
        int count = 0;
        while (gdi_json_array_next(arr + off, alen - off, first, &s, &e) == GD_OK) {
            gdi_doc_reset(&d);
            if (gdi_json_parse(&d, arr + off + s, e - s)) {
                fprintf(stderr, "resource parse failed: %s\n", gd_ctx_diag(ctx, 0, NULL));
                return 1;
            }
            off += e;
            first = false;
            count++;
        }
        double t1 = now();
        if (count != nres) {
            fprintf(stderr, "stream saw %d resources, want %d\n", count, nres);
            return 1;
        }
        if (t1 - t0 < best) best = t1 - t0;
    }
    printf("stream: %8.0f MB/s  (cut + parse each resource into one reused doc)\n", mb / best);

    best = 1e9;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now();
        size_t off = 0, s, e;
        bool first = true;
        while (gdi_json_array_next(arr + off, alen - off, first, &s, &e) == GD_OK) {
            off += e;
            first = false;
        }
        double t1 = now();
        if (t1 - t0 < best) best = t1 - t0;
    }
    printf("extent: %8.0f MB/s  (gdi_json_array_next alone)\n", mb / best);

    gdi_doc_free(&d);
    gdi_buf_free(&b);
    gd_ctx_free(ctx);
    return 0;
}
