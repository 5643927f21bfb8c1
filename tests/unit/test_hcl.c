/* test_hcl.c — the HCL reader: expressions, evaluation, resources, modules,
 * variables, JSON syntax, positions, errors, limits and out-of-memory. */
#include "hcl/hcl.h"
#include "tap.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define DATA GD_SOURCE_DIR "/tests/data/hcl/"

static char tmpdir[256];

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

static void clear_dir(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'/*", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot clear %s\n", dir);
}

/* Evaluate `expr` as an output of a one-file configuration (with extra
 * declarations `decls`); returns the JSON text (static buffer) or the
 * first diagnostic prefixed with "ERR:". */
static const char *eval_keep(const char *decls, const char *expr);

static const char *evalx(const char *decls, const char *expr)
{
    clear_dir(tmpdir);
    return eval_keep(decls, expr);
}

/* evalx without clearing tmpdir first (other files stay). */
static const char *eval_keep(const char *decls, const char *expr)
{
    static char out[4096];
    char text[4096];
    snprintf(text, sizeof text, "%s\noutput \"x\" {\n  value = %s\n}\n", decls, expr);
    write_file(tmpdir, "main.tf", text);
    gd_ctx *ctx;
    gd_ctx_new(&ctx, NULL);
    gdi_hcl_result *r = NULL;
    const char *paths[] = {tmpdir};
    gd_status st = gdi_hcl_load(ctx, paths, 1, NULL, &r);
    out[0] = 0;
    if (st != GD_OK && gd_ctx_diag_count(ctx)) {
        snprintf(out, sizeof out, "ERR:%s", gd_ctx_diag(ctx, 0, NULL));
    } else if (r && r->outputs) {
        gdi_buf b;
        gdi_buf_init(&b, ctx);
        const gdi_node *x = gdi_obj_getc(gdi_doc_root(r->outputs), "x");
        if (x && x->type == GDI_UNKNOWN)
            gdi_buf_puts(&b, "UNKNOWN");
        else if (x)
            gdi_node_to_json(&b, x);
        snprintf(out, sizeof out, "%s", gdi_buf_cstr(&b));
        gdi_buf_free(&b);
    }
    gdi_hcl_result_free(r);
    gd_ctx_free(ctx);
    return out;
}

static const char *ev(const char *expr)
{
    return evalx("", expr);
}

static void test_expressions(void)
{
    CHECK_STREQ(ev("1 + 2 * 3 - 4 / 2"), "5");
    CHECK_STREQ(ev("(1 + 2) % 2"), "1");
    CHECK_STREQ(ev("!false && (1 < 2 || false)"), "true");
    CHECK_STREQ(ev("\"a\" == \"a\" ? \"y\" : \"n\""), "\"y\"");
    CHECK_STREQ(ev("[1, \"two\", true, null]"), "[1,\"two\",true,null]");
    CHECK_STREQ(ev("{ b = 1, \"a\" = 2 }"), "{\"a\":2,\"b\":1}");
    CHECK_STREQ(ev("\"x${1 + 1}y\""), "\"x2y\"");
    CHECK_STREQ(ev("\"${[1]}\""), "[1]"); /* a lone interpolation keeps its type */
    CHECK_STREQ(ev("\"%{ for x in [1, 2] }<${x}>%{ endfor }\""), "\"<1><2>\"");
    CHECK_STREQ(ev("\"%{ if true }a%{ else }b%{ endif }\""), "\"a\"");
    CHECK_STREQ(ev("\"a  ${~ \"b\" ~}  c\""), "\"abc\"");
    CHECK_STREQ(ev("<<EOT\nx ${1}\nEOT"), "\"x 1\\n\"");
    CHECK_STREQ(ev("<<-EOT\n    a\n      b\n    EOT"), "\"a\\n  b\\n\"");
    CHECK_STREQ(ev("[for i, v in [\"a\", \"b\"] : \"${i}${v}\" if v != \"c\"]"), "[\"0a\",\"1b\"]");
    CHECK_STREQ(ev("{for v in [\"a\", \"b\", \"a\"] : v => v...}"),
                "{\"a\":[\"a\",\"a\"],\"b\":[\"b\"]}");
    CHECK_STREQ(ev("[{ a = 1 }, { a = 2 }][*].a"), "[1,2]");
    CHECK_STREQ(ev("[{ a = [1] }, { a = [2] }].*.a[0]"), "[1]");
    CHECK_STREQ(ev("{ a = { b = [5, 6] } }.a.b[1]"), "6");
    CHECK_STREQ(ev("[7, 8].1"), "8");
    CHECK_STREQ(ev("null[*]"), "[]");
    CHECK_STREQ(ev("max([3, 9, 1]...)"), "9");
    CHECK_STREQ(ev("-(3)"), "-3");
    /* errors name the place */
    const char *r = ev("1 + \"x\"");
    CHECK_MSG(strstr(r, "ERR:") && strstr(r, "main.tf:3:15: an arithmetic operand must be a number"),
              "got %s", r);
    r = ev("[1][3]");
    CHECK_MSG(strstr(r, "out of range"), "got %s", r);
    r = ev("{ a = 1, a = 2 }");
    CHECK_MSG(strstr(r, "duplicate key"), "got %s", r);
    CHECK_STREQ(ev("try([1][5], \"fb\")"), "\"fb\"");
    CHECK_STREQ(ev("can(nosuch.attr)"), "false");
}

static void test_functions(void)
{
    CHECK_STREQ(ev("format(\"%s-%03d\", \"a\", 7)"), "\"a-007\"");
    CHECK_STREQ(ev("cidrsubnet(\"10.0.0.0/16\", 8, 3)"), "\"10.0.3.0/24\"");
    CHECK_STREQ(ev("cidrhost(\"192.168.0.0/24\", -1)"), "\"192.168.0.255\"");
    CHECK_STREQ(ev("jsonencode({ a = [1, \"<\"] })"), "\"{\\\"a\\\":[1,\\\"\\\\u003c\\\"]}\"");
    CHECK_STREQ(ev("jsondecode(\"[1, {\\\"k\\\": true}]\")"), "[1,{\"k\":true}]");
    CHECK_STREQ(ev("toset([\"b\", \"a\", \"b\"])"), "[\"a\",\"b\"]");
    CHECK_STREQ(ev("merge({ a = 1 }, { a = 2, b = 3 })"), "{\"a\":2,\"b\":3}");
    CHECK_STREQ(ev("lookup({ a = 1 }, \"z\", 0)"), "0");
    CHECK_STREQ(ev("substr(\"héllo\", 1, 3)"), "\"éll\"");
    CHECK_STREQ(ev("split(\",\", \"a,,b\")"), "[\"a\",\"\",\"b\"]");
    CHECK_STREQ(ev("base64decode(base64encode(\"round trip\"))"), "\"round trip\"");
    CHECK_STREQ(ev("sha256(\"\")"),
                "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"");
    CHECK_STREQ(ev("timestamp()"), "UNKNOWN");
    CHECK_STREQ(ev("nosuchfn(1)"), "UNKNOWN"); /* a warning, not an error */
    const char *r = ev("length(1, 2)");
    CHECK_MSG(strstr(r, "takes 1 argument"), "got %s", r);
}

static void test_regex(void)
{
    CHECK_STREQ(ev("regex(\"[0-9]+\", \"ab123c45\")"), "\"123\"");
    CHECK_STREQ(ev("regex(\"(\\\\w)(\\\\d)?-\", \"a-\")"), "[\"a\",null]");
    CHECK_STREQ(ev("regex(\"(?P<k>\\\\w+)=(?P<v>\\\\w+)\", \"x=1\")"), "{\"k\":\"x\",\"v\":\"1\"}");
    CHECK_STREQ(ev("regexall(\"a*\", \"baaac\")"), "[\"\",\"aaa\",\"\"]");
    CHECK_STREQ(ev("regexall(\"x\", \"abc\")"), "[]");
    CHECK_STREQ(ev("replace(\"baaac\", \"/a*/\", \"X\")"), "\"XbXcX\"");
    /* Go's expansion: $1x names group "1x" (empty); $${1} is ${1} after HCL's escape */
    CHECK_STREQ(ev("replace(\"x1y\", \"/(\\\\d)/\", \"[$1$1x$${1}$$]\")"), "\"x[11$]y\"");
    CHECK_STREQ(ev("replace(\"a\\n\", \"/a$/\", \"b\")"), "\"a\\n\""); /* $ only at the end */
    CHECK_STREQ(ev("replace(\"a/b\", \"/\", \"-\")"), "\"a-b\""); /* one slash: plain */
    const char *r = ev("regex(\"z\", \"abc\")");
    CHECK_MSG(strstr(r, ":3:11: regex(): pattern did not match"), "got %s", r);
    r = ev("regex(\"(\", \"abc\")");
    CHECK_MSG(strstr(r, "invalid regular expression pattern"), "got %s", r);
    r = ev("regex(\"(a)(?P<n>b)\", \"ab\")");
    CHECK_MSG(strstr(r, "cannot be mixed"), "got %s", r);
    r = ev("regex(\"(a+)+$\", \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\")");
    CHECK_MSG(strstr(r, "backtracking"), "got %s", r);
    CHECK_STREQ(evalx("variable \"u\" {}", "regex(var.u, \"x\")"), "UNKNOWN");
}

static void test_ipv6(void)
{
    CHECK_STREQ(ev("cidrhost(\"fd00:fd12:3456:7890::/56\", 16)"), "\"fd00:fd12:3456:7800::10\"");
    CHECK_STREQ(ev("cidrhost(\"2001:db8::/64\", -1)"), "\"2001:db8::ffff:ffff:ffff:ffff\"");
    CHECK_STREQ(ev("cidrsubnet(\"2001:db8::/32\", 32, 1)"), "\"2001:db8:0:1::/64\"");
    CHECK_STREQ(ev("cidrhost(\"1:0:0:1:0:0:1:0/128\", 0)"), "\"1::1:0:0:1:0\""); /* first run */
    CHECK_STREQ(ev("cidrhost(\"1:0:1:0:0:0:1:0/128\", 0)"), "\"1:0:1::1:0\""); /* longest run */
    CHECK_STREQ(ev("cidrsubnets(\"2001:db8::/126\", 1, 1)"), "[\"2001:db8::/127\",\"2001:db8::2/127\"]");
    CHECK_STREQ(ev("cidrsubnets(\"::/0\", 1, 1)"), "[\"::/1\",\"8000::/1\"]");
    CHECK_STREQ(ev("cidrhost(\"::ffff:0:0/96\", 258)"), "\"0.0.1.2\"");
    const char *r = ev("cidrsubnets(\"2001:db8::/127\", 1, 1, 1)");
    CHECK_MSG(strstr(r, "not enough remaining address space"), "got %s", r);
    r = ev("cidrhost(\"2001:db8::/120\", 256)");
    CHECK_MSG(strstr(r, "cannot accommodate host number 256"), "got %s", r);
    r = ev("cidrnetmask(\"2001:db8::/32\")");
    CHECK_MSG(strstr(r, "IPv6 addresses cannot have a netmask"), "got %s", r);
    r = ev("cidrhost(\"2001:db8:::/64\", 1)");
    CHECK_MSG(strstr(r, "invalid CIDR address"), "got %s", r);
    r = ev("cidrhost(\"1:2:3:4:5:6:7:8:9/64\", 1)");
    CHECK_MSG(strstr(r, "invalid CIDR address"), "got %s", r);
}

static void test_files(void)
{
    clear_dir(tmpdir);
    char sub[512];
    snprintf(sub, sizeof sub, "%s/m", tmpdir);
    mkdir(sub, 0755);
    write_file(tmpdir, "t.tftpl", "%{ for x in xs }${x}-%{ endfor }${n}");
    write_file(tmpdir, "bad.tftpl", "ok\n${ 1 + }\n");
    write_file(tmpdir, "bin.txt", "\xff\xfe");
    write_file(sub, "data.txt", "in module");
    write_file(sub, "main.tf", "output \"t\" {\n  value = file(\"${path.module}/data.txt\")\n}\n"
                               "output \"p\" {\n  value = path.module\n}\n");
    const char *mod = "module \"m\" {\n  source = \"./m\"\n}\n";
    CHECK_STREQ(eval_keep("", "templatefile(\"t.tftpl\", { xs = [1, 2], n = \"z\" })"),
                "\"1-2-z\"");
    CHECK_STREQ(eval_keep(mod, "[module.m.t, module.m.p, path.module]"),
                "[\"in module\",\"m\",\".\"]");
    CHECK_STREQ(eval_keep("", "file(\"m/data.txt\")"), "\"in module\"");
    CHECK_STREQ(eval_keep("", "can(file(\"nope.txt\"))"), "false");
    const char *r = eval_keep("", "file(\"nope.txt\")");
    CHECK_MSG(strstr(r, "main.tf:3:11: file(): cannot read \"nope.txt\": cannot open: No such file"),
              "got %s", r);
    r = eval_keep("", "file(\"/dev/zero\")");
    CHECK_MSG(strstr(r, "file(): cannot read \"/dev/zero\": not a regular file"), "got %s", r);
    r = eval_keep("", "file(\"m\")");
    CHECK_MSG(strstr(r, "file(): cannot read \"m\": not a regular file"), "got %s", r);
    r = eval_keep("", "file(\"bin.txt\")");
    CHECK_MSG(strstr(r, "is not valid UTF-8"), "got %s", r);
    r = eval_keep("", "templatefile(\"bad.tftpl\", {})");
    CHECK_MSG(strstr(r, "bad.tftpl:2:8: unexpected '}'"), "got %s", r); /* the error points into the template */
    r = eval_keep("", "templatefile(\"t.tftpl\", { xs = [1] })");
    CHECK_MSG(strstr(r, "t.tftpl:1:35: unknown variable 'n'"), "got %s", r);
    /* encodings and digests of files, whatever their bytes */
    CHECK_STREQ(eval_keep("", "filebase64(\"bin.txt\")"), "\"//4=\"");
    CHECK_STREQ(eval_keep("", "[filemd5(\"m/data.txt\"), filesha1(\"m/data.txt\")]"),
                "[\"b8e0acec0f3b923f54cfc224085a9a7f\",\"ddeeffaf107d9257c774a72d81654f31ca9e01d6\"]");
    CHECK_STREQ(eval_keep("", "filesha256(\"m/data.txt\")"),
                "\"18c498f610072922349a1d1ed687f537f0c15ab5ae4fb8d895ad145df23e74e6\"");
    CHECK_STREQ(eval_keep("", "substr(filesha512(\"m/data.txt\"), 0, 20)"), "\"4311c4666f4071e2408a\"");
    CHECK_STREQ(eval_keep("", "filebase64sha256(\"m/data.txt\")"),
                "\"GMSY9hAHKSI0mh0e1of1N/DBWrWuT7jYla0UXfI+dOY=\"");
    CHECK_STREQ(eval_keep("", "substr(filebase64sha512(\"m/data.txt\"), 0, 20)"), "\"QxHEZm9AceJAiqh2uj87\"");
    CHECK_STREQ(eval_keep("", "base64sha256(\"hello\")"), "\"LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=\"");
    r = eval_keep("", "filemd5(\"nope.txt\")");
    CHECK_MSG(strstr(r, "filemd5(): cannot read \"nope.txt\""), "got %s", r);
    /* fileexists: a regular file, nothing, a directory (an error, as in Terraform) */
    CHECK_STREQ(eval_keep("", "[fileexists(\"m/data.txt\"), fileexists(\"nope.txt\"), fileexists(\"nope/x\")]"),
                "[true,false,false]");
    r = eval_keep("", "fileexists(\"m\")");
    CHECK_MSG(strstr(r, "fileexists(): \"m\" is a directory, not a file"), "got %s", r);
    /* fileset: relative paths of regular files, sorted, '/' separated */
    char files[600], deeper[700];
    snprintf(files, sizeof files, "%s/files", tmpdir);
    snprintf(deeper, sizeof deeper, "%s/sub", files);
    mkdir(files, 0755);
    mkdir(deeper, 0755);
    write_file(files, "a.json", "{}");
    write_file(files, "b.txt", "b");
    write_file(deeper, "c.json", "{}");
    CHECK_STREQ(eval_keep("", "fileset(\"files\", \"*\")"), "[\"a.json\",\"b.txt\"]");
    CHECK_STREQ(eval_keep("", "fileset(\"files\", \"**\")"),
                "[\"a.json\",\"b.txt\",\"sub/c.json\"]");
    CHECK_STREQ(eval_keep("", "fileset(\"files\", \"**/*.json\")"), "[\"a.json\",\"sub/c.json\"]");
    CHECK_STREQ(eval_keep("", "fileset(\".\", \"files/*/*.json\")"), "[\"files/sub/c.json\"]");
    CHECK_STREQ(eval_keep("", "fileset(\"files\", \"{a,b}.*\")"), "[\"a.json\",\"b.txt\"]");
    CHECK_STREQ(eval_keep("", "fileset(\"files\", \"[!a].t?t\")"), "[\"b.txt\"]");
    CHECK_STREQ(eval_keep("", "fileset(\"files\", \"./sub//*\")"), "[\"sub/c.json\"]");
    CHECK_STREQ(eval_keep("", "fileset(\"files\", \"*.yaml\")"), "[]");
    CHECK_STREQ(eval_keep("", "fileset(\"nope\", \"*\")"), "[]");
    CHECK_STREQ(eval_keep("", "fileset(\"files\", \"../*\")"), "UNKNOWN");
    r = eval_keep("", "fileset(\"files\", \"[a\")");
    CHECK_MSG(strstr(r, "fileset(): malformed character class"), "got %s", r);
    r = eval_keep("", "fileset(\"files\", \"{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}\")");
    CHECK_MSG(strstr(r, "more than 256 alternatives"), "got %s", r);
    /* a pattern that would take exponential time is stopped, not run */
    r = eval_keep("", "fileset(\"files\", \"*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b\")");
    CHECK_MSG(strstr(r, "[]") || strstr(r, "too many steps"), "got %s", r);
    CHECK_STREQ(evalx("variable \"u\" {}", "file(var.u)"), "UNKNOWN");
    /* the size limit */
    clear_dir(tmpdir);
    char big[201];
    memset(big, 'x', 200);
    big[200] = 0;
    write_file(tmpdir, "big.txt", big);
    write_file(tmpdir, "main.tf", "output \"x\" {\n  value = file(\"big.txt\")\n}\n");
    gd_ctx *ctx;
    gd_ctx_new(&ctx, NULL);
    gd_ctx_set_limit(ctx, GD_LIMIT_FILE_SIZE, 100);
    gdi_hcl_result *res = NULL;
    const char *paths[] = {tmpdir};
    gd_status st = gdi_hcl_load(ctx, paths, 1, NULL, &res);
    CHECK_INTEQ(st, GD_LIMIT);
    r = gd_ctx_diag_count(ctx) ? gd_ctx_diag(ctx, 0, NULL) : "";
    CHECK_MSG(strstr(r, "main.tf:2:11: file(): cannot read \"big.txt\": file is 200 bytes, over the limit of 100"),
              "got %s", r);
    gdi_hcl_result_free(res);
    gd_ctx_free(ctx);
}

static void test_unknowns(void)
{
    const char *res = "resource \"aws_vpc\" \"v\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n"
                      "data \"aws_region\" \"r\" {}\nvariable \"nodef\" {}\n";
    CHECK_STREQ(evalx(res, "aws_vpc.v.cidr_block"), "\"10.0.0.0/16\"");
    CHECK_STREQ(evalx(res, "aws_vpc.v.id"), "UNKNOWN");
    CHECK_STREQ(evalx(res, "\"arn:${aws_vpc.v.arn}\""), "UNKNOWN");
    CHECK_STREQ(evalx(res, "data.aws_region.r.name"), "UNKNOWN");
    CHECK_STREQ(evalx(res, "var.nodef"), "UNKNOWN");
    CHECK_STREQ(evalx(res, "upper(var.nodef)"), "UNKNOWN");
    CHECK_STREQ(evalx(res, "length([aws_vpc.v.id, 1])"), "2");
    CHECK_STREQ(evalx(res, "aws_vpc.v.id == null ? 1 : 2"), "UNKNOWN");
    CHECK_STREQ(evalx(res, "false && aws_vpc.v.id"), "false");
    CHECK_STREQ(evalx(res, "[aws_vpc.v.id]"), "[null]");
    const char *cyc = "locals {\n  a = local.b\n  b = local.a\n}\n";
    const char *r = evalx(cyc, "local.a");
    CHECK_MSG(strstr(r, "depends on itself"), "got %s", r);
}

static const gdi_resource *find_res(const gdi_hcl_result *r, const char *addr)
{
    for (size_t i = 0; r && i < r->nres; i++)
        if (gd_str_eqc(r->res[i].address, addr)) return &r->res[i];
    return NULL;
}

static uint32_t attr_line(const gdi_resource *x, const char *name)
{
    const gdi_node *n = gdi_obj_getc(x->attrs, name);
    uint32_t line = 0, col = 0;
    if (n) gdi_doc_line_col(x->doc, n, &line, &col);
    return line;
}

static void test_resources(void)
{
    gd_ctx *ctx;
    gd_ctx_new(&ctx, NULL);
    gdi_hcl_result *r = NULL;
    const char *paths[] = {DATA "res"};
    gd_status st = gdi_hcl_load(ctx, paths, 1, NULL, &r);
    CHECK_INTEQ(st, GD_OK);
    CHECK(r != NULL);
    if (!r) return;
    CHECK_INTEQ(r->nres, 10);
    const gdi_resource *w1 = find_res(r, "aws_instance.web[1]");
    CHECK(w1 != NULL);
    if (w1) {
        CHECK(gd_str_eqc(w1->type, "aws_instance") && gd_str_eqc(w1->name, "web"));
        CHECK(gd_str_eqc(w1->provider, "aws"));
        CHECK_INTEQ(w1->line, 20);
        CHECK_INTEQ(attr_line(w1, "instance_type"), 23);
        CHECK_INTEQ(attr_line(w1, "root_block_device"), 29);
        const gdi_node *tags = gdi_obj_getc(w1->attrs, "tags");
        const gdi_node *name = gdi_obj_getc(tags, "Name");
        CHECK(name && gd_str_eqc(gdi_node_str(name), "web-1"));
        CHECK(gdi_obj_getc(w1->attrs, "ami")->type == GDI_UNKNOWN);
        CHECK(gdi_obj_getc(w1->attrs, "subnet_id")->type == GDI_UNKNOWN);
        CHECK(gdi_obj_getc(w1->attrs, "count") == NULL);     /* meta-arguments dropped */
        CHECK(gdi_obj_getc(w1->attrs, "lifecycle") == NULL);
        const gdi_node *rbd = gdi_obj_getc(w1->attrs, "root_block_device");
        CHECK(rbd && rbd->type == GDI_ARRAY && rbd->len == 1);
        CHECK(gdi_obj_getc(gdi_arr_at(rbd, 0), "encrypted")->type == GDI_TRUE);
    }
    const gdi_resource *ami = find_res(r, "data.aws_ami.ubuntu");
    CHECK(ami && ami->mode == GDI_MODE_DATA);
    const gdi_resource *sg = find_res(r, "aws_security_group.sg");
    CHECK(sg != NULL);
    if (sg) {
        const gdi_node *in = gdi_obj_getc(sg->attrs, "ingress");
        CHECK(in && in->len == 2);
        int64_t port = 0;
        CHECK(gdi_num_i64(gdi_obj_getc(gdi_arr_at(in, 1), "from_port"), &port) && port == 443);
        CHECK_INTEQ(attr_line(sg, "ingress"), 39); /* the dynamic block */
        CHECK(gdi_obj_getc(sg->attrs, "name")->type == GDI_UNKNOWN);
    }
    const gdi_resource *vs = find_res(r, "module.net[\"prod\"].alicloud_vswitch.this[\"b\"]");
    CHECK(vs != NULL);
    if (vs) {
        CHECK(gd_str_eqc(vs->module, "module.net[\"prod\"]"));
        CHECK(strstr(r->files[vs->file], "modules/net/main.tf") != NULL);
        const gdi_node *c = gdi_obj_getc(vs->attrs, "cidr_block");
        CHECK(c && gd_str_eqc(gdi_node_str(c), "10.0.2.0/24"));
        CHECK_INTEQ(attr_line(vs, "cidr_block"), 11);
    }
    const gdi_resource *oss = find_res(r, "alicloud_oss_bucket.logs");
    CHECK(oss && gd_str_eqc(oss->provider, "alicloud") &&
          gd_str_eqc(oss->provider_config, "alicloud.hz"));
    if (oss) CHECK(gdi_obj_getc(oss->attrs, "bucket")->type == GDI_UNKNOWN);
    /* the remote module: a warning naming it and its source */
    bool warned = false;
    for (size_t i = 0; i < gd_ctx_diag_count(ctx); i++) {
        gd_severity_diag k;
        const char *m = gd_ctx_diag(ctx, i, &k);
        if (k == GD_DIAG_WARNING && strstr(m, "main.tf:59:1: module \"remote\"") &&
            strstr(m, "terraform-aws-modules/vpc/aws"))
            warned = true;
    }
    CHECK(warned);
    gdi_hcl_result_free(r);
    gd_ctx_free(ctx);
}

/* count and for_each together: an error, and the resource is not scanned
 * (the fuzzer found it evaluated with for_each's names and count's keys). */
static void test_count_and_for_each(void)
{
    clear_dir(tmpdir);
    write_file(tmpdir, "main.tf",
               "resource \"aws_s3_bucket\" \"b\" {\n  count = 2\n  for_each = toset([\"a\"])\n"
               "  bucket = each.key\n}\nresource \"aws_s3_bucket\" \"ok\" {\n  bucket = \"x\"\n}\n"
               "module \"m\" {\n  source = \"./m\"\n  count = 1\n  for_each = toset([\"a\"])\n}\n");
    char sub[512];
    snprintf(sub, sizeof sub, "%s/m", tmpdir);
    mkdir(sub, 0755);
    write_file(sub, "main.tf", "resource \"aws_s3_bucket\" \"in\" {\n  bucket = \"y\"\n}\n");
    gd_ctx *ctx;
    gd_ctx_new(&ctx, NULL);
    gdi_hcl_result *r = NULL;
    const char *paths[] = {tmpdir};
    CHECK(gdi_hcl_load(ctx, paths, 1, NULL, &r) != GD_OK);
    bool named = false;
    for (size_t i = 0; i < gd_ctx_diag_count(ctx); i++)
        if (strstr(gd_ctx_diag(ctx, i, NULL), "main.tf:1:1: a resource cannot use both count and for_each"))
            named = true;
    CHECK(named);
    CHECK(find_res(r, "aws_s3_bucket.ok") != NULL);
    CHECK(find_res(r, "aws_s3_bucket.b[0]") == NULL && find_res(r, "aws_s3_bucket.b[\"a\"]") == NULL);
    gdi_hcl_result_free(r);
    gd_ctx_free(ctx);
}

/* Override files are merged into the other files' blocks as Terraform does. */
static void test_overrides(void)
{
    clear_dir(tmpdir);
    write_file(tmpdir, "base.tf",
               "locals {\n  env = \"dev\"\n  team = \"a\"\n}\n"
               "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"logs\"\n  acl = \"public-read\"\n"
               "  versioning {\n    enabled = false\n  }\n  logging {\n    target_bucket = \"x\"\n  }\n"
               "  lifecycle {\n    prevent_destroy = true\n    ignore_changes = [tags]\n  }\n}\n"
               "variable \"size\" {\n  default = 1\n}\n");
    /* not an override file: a name that merely ends in override.tf */
    write_file(tmpdir, "myoverride.tf", "output \"own\" {\n  value = \"separate\"\n}\n");
    write_file(tmpdir, "base_override.tf",
               "resource \"aws_s3_bucket\" \"b\" {\n  acl = \"private\"\n"
               "  versioning {\n    enabled = true\n  }\n  lifecycle {\n    prevent_destroy = false\n  }\n}\n"
               "locals {\n  env = \"prod\"\n}\n"
               "variable \"size\" {\n  default = 3\n}\n");
    write_file(tmpdir, "override.tf", "locals {\n  team = \"b\"\n}\n");
    CHECK_STREQ(eval_keep("", "[local.env, local.team, var.size]"), "[\"prod\",\"b\",3]");
    gd_ctx *ctx;
    gd_ctx_new(&ctx, NULL);
    gdi_hcl_result *r = NULL;
    const char *paths[] = {tmpdir};
    CHECK_INTEQ(gdi_hcl_load(ctx, paths, 1, NULL, &r), GD_OK);
    const gdi_resource *b = find_res(r, "aws_s3_bucket.b");
    CHECK(b != NULL);
    if (b) {
        /* arguments replaced one by one, the rest kept */
        CHECK(gd_str_eqc(gdi_node_str(gdi_obj_getc(b->attrs, "acl")), "private"));
        CHECK(gd_str_eqc(gdi_node_str(gdi_obj_getc(b->attrs, "bucket")), "logs"));
        /* a nested block type in the override replaces the original's blocks of that type */
        const gdi_node *v = gdi_obj_getc(b->attrs, "versioning");
        CHECK(v && v->len == 1 && gdi_obj_getc(gdi_arr_at(v, 0), "enabled")->type == GDI_TRUE);
        CHECK(gdi_obj_getc(b->attrs, "logging") != NULL);
        /* positions are in the resource's file: what the override set points at the
         * resource block (line 5), what it kept at its own line */
        uint32_t line = 0, col = 0;
        const gdi_node *acl = gdi_obj_getc(b->attrs, "acl");
        if (acl) gdi_doc_line_col(b->doc, acl, &line, &col);
        CHECK_INTEQ(line, 5);
        const gdi_node *bucket = gdi_obj_getc(b->attrs, "bucket");
        if (bucket) gdi_doc_line_col(b->doc, bucket, &line, &col);
        CHECK_INTEQ(line, 6);
    }
    gdi_hcl_result_free(r);
    r = NULL;
    gd_ctx_clear_diags(ctx);
    /* an override of something no other file declares is an error */
    write_file(tmpdir, "x_override.tf", "resource \"aws_s3_bucket\" \"nope\" {\n  acl = \"private\"\n}\n"
                                        "locals {\n  ghost = 1\n}\n");
    CHECK(gdi_hcl_load(ctx, paths, 1, NULL, &r) != GD_OK);
    bool res_err = false, local_err = false;
    for (size_t i = 0; i < gd_ctx_diag_count(ctx); i++) {
        const char *m = gd_ctx_diag(ctx, i, NULL);
        if (strstr(m, "x_override.tf:1:1: override of a resource block that no other file")) res_err = true;
        if (strstr(m, "x_override.tf:5:3: override of local.ghost")) local_err = true;
    }
    CHECK(res_err);
    CHECK(local_err);
    gdi_hcl_result_free(r);
    gd_ctx_free(ctx);
}

static void test_errors(void)
{
    gd_ctx *ctx;
    gd_ctx_new(&ctx, NULL);
    gdi_hcl_result *r = NULL;
    const char *paths[] = {DATA "errors"};
    gd_status st = gdi_hcl_load(ctx, paths, 1, NULL, &r);
    CHECK_INTEQ(st, GD_SYNTAX);
    CHECK(r && r->nres == 1 && find_res(r, "aws_s3_bucket.ok"));
    CHECK_INTEQ(gd_ctx_diag_count(ctx), 2);
    CHECK_MSG(strstr(gd_ctx_diag(ctx, 0, NULL), "tests/data/hcl/errors/bad.tf:3:1: unexpected '}'"),
              "got %s", gd_ctx_diag(ctx, 0, NULL));
    CHECK_MSG(strstr(gd_ctx_diag(ctx, 1, NULL), "bad.tf:6:9: unexpected '='"), "got %s",
              gd_ctx_diag(ctx, 1, NULL));
    gdi_hcl_result_free(r);
    gd_ctx_clear_diags(ctx);

    /* lexical errors */
    clear_dir(tmpdir);
    write_file(tmpdir, "a.tf", "x = \"unterminated\ny = 1\n");
    write_file(tmpdir, "b.tf", "z = <<EOT\nno end\n");
    write_file(tmpdir, "c.tf", "w = \"\\q\"\n/* open");
    const char *p2[] = {tmpdir};
    st = gdi_hcl_load(ctx, p2, 1, NULL, &r);
    CHECK_INTEQ(st, GD_SYNTAX);
    char all[2048] = "";
    for (size_t i = 0; i < gd_ctx_diag_count(ctx); i++) {
        size_t at = strlen(all);
        snprintf(all + at, sizeof all - at, "%s\n", gd_ctx_diag(ctx, i, NULL));
    }
    CHECK_MSG(strstr(all, "a.tf:1:18: unterminated string"), "got %s", all);
    CHECK_MSG(strstr(all, "b.tf:1:5: heredoc 'EOT' has no closing marker"), "got %s", all);
    CHECK_MSG(strstr(all, "c.tf:1:6: invalid escape sequence '\\q'"), "got %s", all);
    CHECK_MSG(strstr(all, "c.tf:2:1: unterminated comment"), "got %s", all);
    gdi_hcl_result_free(r);
    /* a missing path */
    const char *p3[] = {DATA "no-such-dir"};
    CHECK_INTEQ(gdi_hcl_load(ctx, p3, 1, NULL, &r), GD_IO);
    gdi_hcl_result_free(r);
    gd_ctx_free(ctx);
}

static void test_json(void)
{
    gd_ctx *ctx;
    gd_ctx_new(&ctx, NULL);
    gdi_hcl_result *r = NULL;
    const char *paths[] = {DATA "json"};
    CHECK_INTEQ(gdi_hcl_load(ctx, paths, 1, NULL, &r), GD_OK);
    const gdi_resource *b = find_res(r, "alicloud_oss_bucket.b");
    CHECK(b != NULL);
    if (b) {
        const gdi_node *n = gdi_obj_getc(b->attrs, "bucket");
        CHECK(n && gd_str_eqc(gdi_node_str(n), "app-cn-hangzhou-data"));
        const gdi_node *v = gdi_obj_getc(b->attrs, "versioning");
        CHECK(v && v->type == GDI_ARRAY &&
              gd_str_eqc(gdi_node_str(gdi_obj_getc(gdi_arr_at(v, 0), "status")), "Enabled"));
        CHECK_INTEQ(attr_line(b, "acl"), 8);
    }
    gdi_hcl_result_free(r);
    gd_ctx_free(ctx);
}

static void test_variables(void)
{
    gd_ctx *ctx;
    gd_ctx_new(&ctx, NULL);
    gdi_hcl_result *r = NULL;
    const char *paths[] = {DATA "vars"};
    const char *vf[] = {DATA "vars/extra.tfvars", NULL};
    const char *vars[] = {"d=[1, 2]", "e=cli", NULL};
    gd_scan_opts o = {0};
    o.var_files = vf;
    o.vars = vars;
    setenv("TF_VAR_a", "env", 1);
    setenv("TF_VAR_e", "env", 1);
    CHECK_INTEQ(gdi_hcl_load(ctx, paths, 1, &o, &r), GD_OK);
    gdi_buf b;
    gdi_buf_init(&b, ctx);
    if (r) gdi_node_to_json(&b, gdi_doc_root(r->outputs));
    CHECK_STREQ(gdi_buf_cstr(&b), "{\"all\":[\"tfvars\",\"auto\",\"var-file\",[1,2],\"cli\"]}");
    gdi_buf_free(&b);
    gdi_hcl_result_free(r);
    /* without files and flags the environment wins over defaults */
    clear_dir(tmpdir);
    write_file(tmpdir, "main.tf", "variable \"a\" {}\noutput \"o\" {\n  value = var.a\n}\n");
    const char *p2[] = {tmpdir};
    CHECK_INTEQ(gdi_hcl_load(ctx, p2, 1, NULL, &r), GD_OK);
    const gdi_node *on = r ? gdi_obj_getc(gdi_doc_root(r->outputs), "o") : NULL;
    CHECK(on && gd_str_eqc(gdi_node_str(on), "env"));
    gdi_hcl_result_free(r);
    unsetenv("TF_VAR_a");
    unsetenv("TF_VAR_e");
    gd_ctx_free(ctx);
}

static void test_limits(void)
{
    gd_ctx *ctx;
    gd_ctx_new(&ctx, NULL);
    gdi_hcl_result *r = NULL;
    const char *p[] = {tmpdir};
    /* count/for_each instances */
    clear_dir(tmpdir);
    write_file(tmpdir, "main.tf", "resource \"a_b\" \"c\" {\n  count = 5\n}\n");
    gd_ctx_set_limit(ctx, GD_LIMIT_HCL_EXPAND, 3);
    CHECK_INTEQ(gdi_hcl_load(ctx, p, 1, NULL, &r), GD_LIMIT);
    CHECK(strstr(gd_ctx_diag(ctx, 0, NULL), "main.tf:2:11: more than 3 count/for_each instances"));
    gdi_hcl_result_free(r);
    gd_ctx_set_limit(ctx, GD_LIMIT_HCL_EXPAND, 0);
    gd_ctx_clear_diags(ctx);
    /* parser nesting */
    char deep[2100] = "x = ";
    size_t dn = strlen(deep);
    memset(deep + dn, '[', 1000);
    deep[dn + 1000] = '\n';
    deep[dn + 1001] = '\0';
    write_file(tmpdir, "main.tf", deep);
    gd_ctx_set_limit(ctx, GD_LIMIT_DEPTH, 100);
    CHECK_INTEQ(gdi_hcl_load(ctx, p, 1, NULL, &r), GD_LIMIT);
    CHECK(strstr(gd_ctx_diag(ctx, 0, NULL), "nesting deeper than 100 levels"));
    gdi_hcl_result_free(r);
    gd_ctx_set_limit(ctx, GD_LIMIT_DEPTH, 0);
    gd_ctx_clear_diags(ctx);
    /* a module that calls itself */
    clear_dir(tmpdir);
    write_file(tmpdir, "main.tf", "module \"me\" {\n  source = \"./\"\n}\n");
    gd_ctx_set_limit(ctx, GD_LIMIT_HCL_DEPTH, 10);
    CHECK_INTEQ(gdi_hcl_load(ctx, p, 1, NULL, &r), GD_LIMIT);
    CHECK(gd_ctx_diag_count(ctx) >= 1 &&
          strstr(gd_ctx_diag(ctx, 0, NULL), "nested deeper than 10 levels"));
    gdi_hcl_result_free(r);
    gd_ctx_free(ctx);
}

/* Fault injection: fail the k-th allocation for every k; the loader must
 * return GD_NOMEM (or succeed) and release everything. */
static long live;
static long fail_at, count_alloc;
static void *fi_realloc(void *ud, void *ptr, size_t n)
{
    (void)ud;
    if (++count_alloc == fail_at) return NULL;
    void *q = realloc(ptr, n);
    if (q && !ptr) live++;
    return q;
}
static void fi_free(void *ud, void *ptr)
{
    (void)ud;
    if (ptr) live--;
    free(ptr);
}

static void test_oom(void)
{
    gd_allocator al = {fi_realloc, fi_free, NULL};
    const char *p[] = {DATA "res"};
    int nomem = 0, ok = 0;
    for (fail_at = 1; fail_at < 100000; fail_at += (fail_at < 300 ? 1 : 7)) {
        gd_ctx *ctx;
        count_alloc = 0;
        live = 0;
        long f = fail_at;
        fail_at = 0;
        if (gd_ctx_new(&ctx, &al) != GD_OK) break;
        fail_at = f;
        gdi_hcl_result *r = NULL;
        gd_status st = gdi_hcl_load(ctx, p, 1, NULL, &r);
        if (st == GD_NOMEM) {
            nomem++;
            CHECK(r == NULL);
        } else {
            CHECK_MSG(r != NULL, "status %d without result at %ld", (int)st, fail_at);
        }
        gdi_hcl_result_free(r);
        fail_at = 0;
        gd_ctx_free(ctx);
        if (live != 0) {
            CHECK_MSG(live == 0, "%ld blocks leaked when allocation %ld failed", live, f);
            break;
        }
        fail_at = f;
        if (count_alloc < fail_at) {
            ok++;
            break;
        }
    }
    CHECK(nomem > 10);
    CHECK(ok == 1);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/gd_hcl_test_XXXXXX");
    if (!mkdtemp(tmpdir)) return 1;
    test_expressions();
    test_functions();
    test_regex();
    test_ipv6();
    test_files();
    test_unknowns();
    test_resources();
    test_overrides();
    test_count_and_for_each();
    test_errors();
    test_json();
    test_variables();
    test_limits();
    test_oom();
    clear_dir(tmpdir);
    rmdir(tmpdir);
    return tap_done();
}
