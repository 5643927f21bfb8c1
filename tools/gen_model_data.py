#!/usr/bin/env python3
"""gen_model_data.py -- documentation of how data/models/*.yaml, data/providers/*.yaml and
tests/data/model/*.tsv were produced from the checked reference extract.

Run once by a developer (needs Python 3 with PyYAML and ../shared/reference); the outputs are
committed and the build never runs this script. English text is the reference's paraphrase;
Chinese option texts are our own short paraphrases; `zh` titles are the source terms.

    python3 tools/gen_model_data.py ../shared/reference .
"""
import os
import sys

import yaml

REF, OUT = sys.argv[1], sys.argv[2]
model = yaml.safe_load(open(os.path.join(REF, "responsibility-model.yaml"), encoding="utf-8"))
positions = yaml.safe_load(open(os.path.join(REF, "provider-positions.yaml"), encoding="utf-8"))

SM = ["iaas", "paas", "saas"]

# Group labels shown in front of a leaf title where the leaf title alone is ambiguous.
GROUP_SHORT = {
    "os.image.public": ("Public image", "公共镜像"),
    "os.image.marketplace": ("Marketplace image", "服务市场镜像"),
    "os.image.other_source": ("Other-source image", "其它来源镜像"),
    "os.image.provider_host": ("Provider-host image", "提供者主机镜像"),
    "data.customer_data": ("Customer data", "客户数据"),
    "data.derived_data": ("Derived data", "衍生数据"),
    "data.provider_data": ("Provider data", "提供者数据"),
    "data.personal_information": ("Personal information", "个人隐私信息"),
    "iam.console": ("Console", "云控制台"),
    "iam.cloud_service": ("Cloud service", "云服务"),
    "iam.provider_internal": ("Provider internal platform", "提供者内部平台"),
}

# Machine reading of each reference option: (provider role, customer role), and our own
# short Chinese paraphrase of the option (provider text, customer text).
OPTION_READING = {
    ("table_2", 1, "a"): ("required", "required", "向已在使用该版本镜像的客户通报漏洞", "关注漏洞公告，及时处置镜像风险"),
    ("table_2", 1, "b"): ("required", "no", "主动修复客户存在漏洞的镜像", ""),
    ("table_2", 2, "a"): ("no", "required", "", "在云主机内自行部署安全工具，监测并处置入侵"),
    ("table_2", 2, "b"): ("provides_capability", "required", "向客户提供云主机安全产品", "部署并运营该安全产品（原表空白，按与 a 合并理解）"),
    ("table_2", 2, "c"): ("required", "no", "购买云主机时默认内置安全监测", ""),
    ("table_2", 3, "a"): ("provides_capability", "required", "提供云主机备份功能", "合理使用备份功能"),
    ("table_2", 3, "b"): ("required", "no", "购买云主机时默认开启备份", ""),
    ("table_2", 4, "a"): ("no", "required", "", "自行完成数据迁移"),
    ("table_2", 4, "b"): ("required", "no", "提供数据迁移服务", ""),
    ("table_2", 5, "a"): ("provides_capability", "required", "提供行为日志功能", "分析和审计行为日志"),
    ("table_2", 5, "b"): ("required", "no", "提供行为日志及日志分析、审计服务", ""),
    ("table_2", 6, "a"): ("no", "required", "", "自行设定合理的密码安全策略"),
    ("table_2", 6, "b"): ("required", "no", "强制执行合理的密码策略（如制作主机镜像时预置）", ""),
    ("table_2", 7, "a"): ("provides_capability", "required", "提供行为日志功能", "分析和审计行为日志"),
    ("table_2", 7, "b"): ("required", "no", "提供行为日志及日志分析、审计服务", ""),
    ("table_5", 1, "a"): ("provides_capability", "required", "提供行为日志功能", "分析和审计行为日志"),
    ("table_5", 1, "b"): ("required", "no", "提供行为日志及日志分析、审计服务", ""),
}

# Reference README ambiguity numbers for the flagged (inferred) assignments.
def inferred_number(leaf, sm):
    if leaf == "os.image.marketplace.creation":
        return 1
    if leaf == "iam.console.password_policy":
        return 3
    if leaf == "iam.console.user_and_permission_management":
        return 4
    if leaf.startswith("data.personal_information."):
        return 5
    if leaf == "iam.real_name_registration":
        return 9
    if leaf == "iam.cloud_service.activity_logging" and sm == "saas":
        return 11
    if leaf == "data.customer_data.migration" and sm == "saas":
        return 12
    raise SystemExit("no ambiguity number for inferred %s/%s" % (leaf, sm))

# Readings that are documented but not flagged as inferred.
def readings(leaf, sm, a):
    r = []
    if leaf.endswith(".management") and leaf.startswith("data."):
        r.append(2)
    if leaf.startswith("data.derived_data."):
        r.append(6)
    if sm == "saas" and (leaf.startswith("iam.console.") or leaf.startswith("iam.cloud_service.")):
        r.append(10)
    if sm == "paas" and leaf.startswith("iam.") and a.get("negotiable"):
        r.append(13)
    if a["provider"] == "provides_capability":
        r.append(14)
    if leaf == "resource_abstraction.isolation":
        r.append(15)
    if leaf == "data.customer_data.storage":
        r.append(16)
    return r

# Row indexes of tables 1, 3, 4.
t1 = {r["leaf"]: r["row"] for r in model["source_row_index"]["table_1_iaas"]["rows"]}
t3 = {}
for r in model["source_row_index"]["table_3_paas"]["rows"]:
    for l in r["leaves"]:
        t3[l.split(" ")[0]] = (r["row"], r["explicit"])
t4 = {}
for r in model["source_row_index"]["table_4_saas"]["rows"]:
    for l in r["leaves"]:
        t4[l.split(" ")[0]] = (r["row"], r["explicit"])


def lookup(tab, leaf):
    """Row of a leaf in table 3/4, where rows may name a prefix ("data.*", "os.image.provider_host.*")."""
    if leaf in tab:
        return tab[leaf]
    best = None
    for k, v in tab.items():
        if k.endswith(".*") and leaf.startswith(k[:-1]):
            if best is None or len(k) > len(best[0]):
                best = (k, v)
    if best is None:
        cat = leaf.split(".")[0]
        if cat in tab:
            return tab[cat]
        raise SystemExit("no row for %s" % leaf)
    return best[1]


def cite(leaf, sm):
    """(table, row, via_table, via_row) for an assignment."""
    if sm == "iaas":
        return (1, t1[leaf], 0, 0)
    if sm == "paas":
        row, explicit = lookup(t3, leaf)
        if explicit:
            return (3, row, 0, 0)
        return (3, row, 1, t1[leaf])
    row, explicit = lookup(t4, leaf)
    if explicit:
        return (4, row, 0, 0)
    if leaf.startswith("os."):
        prow, _ = lookup(t3, leaf)
        return (4, row, 3, prow)
    return (4, row, 1, t1[leaf])


def q(s):
    """A YAML double-quoted scalar."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


groups = []
duties = []
cats = []


def walk(node, cat, group):
    if "assignments" in node:
        duties.append((node, cat, group))
        return
    if node["id"] != cat["id"] and node.get("children"):
        groups.append(node)
    for c in node.get("children", []):
        walk(c, cat, node["id"] if node["id"] in GROUP_SHORT else group)


for c in model["categories"]:
    cats.append(c)
    walk(c, c, None)

golden = []   # (table, row, leaf, sm, provider, customer)
gopts = []    # (table, row, leaf, sm, option, provider_role, customer_role)
out = []
w = out.append
w("# oscar-2020 -- the OSCAR/CAICT 2020 cloud security shared-responsibility model.")
w("# Generated once by tools/gen_model_data.py from the checked reference extract, then committed;")
w("# the build does not run the generator. English text is paraphrase, zh titles are source terms.")
w("# division.<sm>: provider required|no|provides_capability|negotiable, customer required|no|negotiable;")
w("# table/row cite the division table (1 IaaS, 3 PaaS, 4 SaaS); via_table/via_row the row a")
w("# \"same as IaaS/PaaS\" row points to; options_table/options_row the negotiation table (2 or 5).")
w("# inferred: N = reading of a damaged cell, N is the ambiguity number in the reference README;")
w("# readings: [N...] = documented readings that are not damaged cells.")
w("id: oscar-2020")
w("title: " + q("OSCAR/CAICT cloud security shared-responsibility model (2020)"))
w("title_zh: " + q("云计算安全责任共担模型（OSCAR/中国信通院，2020）"))
w("source: " + q("OSCAR/CAICT whitepaper 云计算安全责任共担白皮书 (2020-07), section 3, tables 1-5"))
w("service_models: [iaas, paas, saas]")
w("categories:")
for c in cats:
    w("  - id: " + c["id"])
    w("    title: " + q(c["title"]))
    w("    title_zh: " + q(c["zh"]))
w("groups:")
for g in groups:
    w("  - id: " + g["id"])
    w("    title: " + q(g["title"]))
    w("    title_zh: " + q(g["zh"]))
w("duties:")
for node, cat, group in duties:
    leaf = node["id"]
    title, title_zh = node["title"], node["zh"]
    if group and group in GROUP_SHORT:
        en, zh = GROUP_SHORT[group]
        if not title.lower().startswith(en.lower().split(" ")[0].lower()):
            title = en + ": " + title[0].lower() + title[1:]
        if not title_zh.startswith(zh):
            title_zh = zh + "·" + title_zh
    w("  - id: " + leaf)
    w("    category: " + cat["id"])
    if group:
        w("    group: " + group)
    w("    title: " + q(title))
    w("    title_zh: " + q(title_zh))
    if node.get("definition"):
        w("    definition: " + q(node["definition"]))
    w("    division:")
    for sm in SM:
        a = node["assignments"].get(sm)
        if not a:
            continue
        tab, row, vt, vr = cite(leaf, sm)
        parts = ["provider: %s" % a["provider"], "customer: %s" % q(a["customer"]) if a["customer"] == "no" else "customer: %s" % a["customer"],
                 "table: %d" % tab, "row: %d" % row]
        if vt:
            parts += ["via_table: %d" % vt, "via_row: %d" % vr]
        w("      %s:" % sm)
        for p in parts:
            w("        " + p)
        golden.append((tab, row, leaf, sm, a["provider"], a["customer"]))
        if a.get("inferred"):
            w("        inferred: %d" % inferred_number(leaf, sm))
        rd = readings(leaf, sm, a)
        if rd:
            w("        readings: [%s]" % ", ".join(str(x) for x in rd))
        if a.get("note"):
            w("        note: " + q(a["note"]))
        neg = a.get("negotiable")
        if neg:
            ot, orow = neg["ref"], neg["row"]
            w("        options_table: %s" % ot.split("_")[1])
            w("        options_row: %d" % orow)
            w("        options:")
            for o in neg["options"]:
                pr, cr, pzh, czh = OPTION_READING[(ot, orow, o["id"])]
                w("          - id: " + o["id"])
                w("            provider: " + pr)
                w("            customer: " + (q(cr) if cr == "no" else cr))
                w("            provider_text: " + q("" if o["provider"] == "none" else o["provider"]))
                w("            customer_text: " + q("" if o["customer"] == "none" else o["customer"]))
                w("            provider_text_zh: " + q(pzh))
                w("            customer_text_zh: " + q(czh))
                if o.get("inferred"):
                    w("            inferred: 8")
                gopts.append((int(ot.split("_")[1]), orow, leaf, sm, o["id"], pr, cr))

open(os.path.join(OUT, "data/models/oscar-2020.yaml"), "w", encoding="utf-8").write("\n".join(out) + "\n")

with open(os.path.join(OUT, "tests/data/model/oscar-2020-cells.tsv"), "w", encoding="utf-8") as f:
    f.write("# table\trow\tleaf\tservice_model\tprovider\tcustomer (generated from the reference extract)\n")
    for g in golden:
        f.write("%d\t%d\t%s\t%s\t%s\t%s\n" % g)
with open(os.path.join(OUT, "tests/data/model/oscar-2020-options.tsv"), "w", encoding="utf-8") as f:
    f.write("# table\trow\tleaf\tservice_model\toption\tprovider_role\tcustomer_role\n")
    for g in gopts:
        f.write("%d\t%d\t%s\t%s\t%s\t%s\t%s\n" % g)

assert sum(1 for g in golden if g[3] == "iaas") == 72
assert sum(1 for g in golden if g[3] == "paas") == 65
assert sum(1 for g in golden if g[3] == "saas") == 65
assert len(duties) == 76

# ---------------------------------------------------------------- MLPS model (table 6)
P = {p["id"]: p for p in positions["providers"]}
insp = P["inspur_gov_cloud"]
out = []
w = out.append
w("# mlps-2.0 -- the MLPS 2.0 (GB/T 22239-2019) structured division of the Inspur government-cloud")
w("# case (OSCAR/CAICT 2020 whitepaper, appendix 2, table 6): 10 families, 56 rows.")
w("# Generated once by tools/gen_model_data.py from the checked reference extract, then committed.")
w("# The case is not split by service model (reference README ambiguity 23): division.any applies")
w("# to every service model. table/row cite table 6 in source order; oscar links the OSCAR leaves.")
w("id: mlps-2.0")
w("title: " + q("MLPS 2.0 structured division (Inspur government-cloud case, OSCAR 2020 appendix 2)"))
w("title_zh: " + q("等保2.0结构的责任划分（浪潮政务云案例，OSCAR 2020 附录2 表6）"))
w("source: " + q("OSCAR/CAICT whitepaper 云计算安全责任共担白皮书 (2020-07), appendix 2, table 6"))
w("service_models: [iaas, paas, saas]")
w("categories:")
for fam in insp["families"]:
    w("  - id: " + fam["id"])
    w("    title: " + q(fam["title"]))
    w("    title_zh: " + q(fam["zh"]))
w("duties:")
mg = []
for i, r in enumerate(insp["table_6"], 1):
    w("  - id: " + r["id"])
    w("    category: " + r["family"])
    w("    title: " + q(r["title"]))
    w("    title_zh: " + q(r["zh"]))
    if r.get("narrative"):
        w("    definition: " + q(r["narrative"]))
    if r.get("oscar_nodes"):
        w("    oscar: [%s]" % ", ".join(r["oscar_nodes"]))
    w("    division:")
    w("      any:")
    pv = "required" if r["provider"] else "no"
    cv = "required" if r["customer"] else "no"
    w("        provider: " + (q(pv) if pv == "no" else pv))
    w("        customer: " + (q(cv) if cv == "no" else cv))
    w("        table: 6")
    w("        row: %d" % i)
    rd = []
    if r["id"] == "computing_environment.personal_information_protection":
        rd.append(19)
    if r["id"] == "computing_environment.identity_authentication":
        rd.append(21)
    if r.get("label_note"):
        rd.append(22)
    if r.get("inferred_customer"):
        w("        inferred: 20")
    if rd:
        w("        readings: [%s]" % ", ".join(str(x) for x in rd))
    if r.get("conflict"):
        w("        note: " + q(r["conflict"]))
    mg.append((6, i, r["id"], "any", pv, cv))
assert len(mg) == 56
open(os.path.join(OUT, "data/models/mlps-2.0.yaml"), "w", encoding="utf-8").write("\n".join(out) + "\n")
with open(os.path.join(OUT, "tests/data/model/mlps-2.0-cells.tsv"), "w", encoding="utf-8") as f:
    f.write("# table\trow\tduty\tservice_model\tprovider\tcustomer\n")
    for g in mg:
        f.write("%d\t%d\t%s\t%s\t%s\t%s\n" % g)

# ---------------------------------------------------------------- provider profiles
SECTION_ZH = {"alibaba_cloud": "附录1（一）", "huawei_cloud": "附录1（二）", "tencent_cloud": "附录1（三）"}


def provider_file(p):
    out = []
    w = out.append
    w("# %s -- built-in provider profile (positions against the OSCAR model)." % p["id"])
    w("# Generated once by tools/gen_model_data.py from the checked reference extract, then committed.")
    w("# defaults: the option the provider takes on a negotiable duty, with confidence")
    w("# explicit|inferred|not_stated (reference README ambiguity 17: the cases never name a letter).")
    w("id: " + p["id"])
    w("name: " + q(p["name"]))
    w("name_zh: " + q(p["zh"]))
    w("kind: " + p["kind"])
    src = p["source"]
    sect = src.get("section", "")
    seed = os.path.basename(src["shared_copy"])
    w("source: " + q("%s%s" % (seed, (", " + sect) if sect else "")))
    sms = p.get("service_models") or ["iaas"]
    w("service_models: [%s]" % ", ".join(sms))
    if p.get("hosting"):
        w("hosting: " + q(p["hosting"]))
    if p["id"] == "zego_rtc":
        w("runs_on_hint: " + q("third-party IaaS from several international providers, not named in the seed; name them in the deployment profile's runs_on"))
    if p["id"] == "feishu_suite":
        w("runs_on_hint: " + q("company-owned data centres: no runs_on needed"))
    ch = p.get("negotiable_choices") or p.get("negotiable_equivalents") or []
    if ch:
        w("defaults:")
        for c in ch:
            w("  - duty: " + c["leaf"])
            w("    service_model: " + c["model"])
            if c["option"] != "not_stated":
                w("    option: " + c["option"])
            w("    confidence: " + c["confidence"])
            if p["id"] == "inspur_gov_cloud":
                w("    readings: [23]")
            w("    basis: " + q(c["basis"]))
    if p["id"] in SECTION_ZH:
        w("positions:")
        w("  - duty: data.customer_data.storage")
        w("    service_models: [iaas, paas, saas]")
        w("    provider: provides_capability")
        w("    customer: required")
        w("    readings: [16]")
        w("    basis: " + q("The appendix case claims only a partial share of customer-data storage security: it supplies encryption and isolation capabilities and the customer configures them (table 1 gives the duty to the provider alone)."))
    if p.get("stated_positions"):
        w("statements:")
        for s in p["stated_positions"]:
            w("  - " + q(s))
    if p.get("stated_split"):
        ss = p["stated_split"]
        w("statements:")
        w("  - " + q(ss["model_statement"]))
        for s in ss.get("customer_duties", []):
            w("  - " + q("Customer: " + s))
    ctl = []
    if isinstance(p.get("controls"), dict):
        for cat, lst in p["controls"].items():
            for c in lst:
                ctl.append((cat, c.get("oscar_node"), c.get("models") or sms, c["control"], None))
    if isinstance(p.get("controls_by_oscar_category"), dict):
        for cat, lst in p["controls_by_oscar_category"].items():
            for c in lst:
                ctl.append((cat, None, sms, c["control"], c.get("ref")))
    if p["id"] == "inspur_gov_cloud":
        for r in p["table_6"]:
            if r.get("narrative") and r["provider"]:
                ctl.append((r["family"], r["id"], ["iaas"], r["narrative"], "mlps-2.0"))
    if ctl:
        w("controls:")
        for cat, node, models, text, ref in ctl:
            w("  - category: " + cat)
            if node:
                w("    duty: " + node)
            w("    service_models: [%s]" % ", ".join(models))
            if ref == "mlps-2.0":
                w("    model: mlps-2.0")
            elif ref:
                w("    ref: " + q(ref))
            w("    text: " + q(text))
    return "\n".join(out) + "\n"


for pid in ["alibaba_cloud", "huawei_cloud", "tencent_cloud", "inspur_gov_cloud", "zego_rtc", "feishu_suite"]:
    open(os.path.join(OUT, "data/providers/%s.yaml" % pid), "w", encoding="utf-8").write(provider_file(P[pid]))
print("ok: %d duties, %d cells, %d options, %d mlps rows" % (len(duties), len(golden), len(gopts), len(mg)))
