#!/usr/bin/env python3
"""Regenerates the table-driven parts of libfetch's public headers and the API surface test.

The names and numbers of the public API are facts kept in tests/data/*.tsv (libcurl's API with
curl renamed to fetch). Writing 1,200 enum values by hand invites typos, so the enum and #define
blocks of api/include/fetch/*.h are produced from those tables. Each header keeps its prose,
types and prototypes by hand; this script only rewrites the text between the markers

    /* @generated-begin BLOCK */ ... /* @generated-end BLOCK */

It also writes tests/api/surface_table.inc, which the surface test compiles: a header that lacks
a name, or gives it another number, then fails to build or fails the test.

Run from the repository root:  python3 api/gen/gen_api.py   (idempotent; the output is committed,
so building never needs Python).
"""
import csv
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "tests", "data")
INCLUDE = os.path.join(ROOT, "api", "include")


def rows(name):
    with open(os.path.join(DATA, name), newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def num_literal(value):
    """A define's value as a C literal of type long (or unsigned long when it does not fit).

    libcurl's option values travel through setopt's varargs as long, so every numeric define
    is written as a long literal to keep va_arg(ap, long) well-defined."""
    v = int(value)
    if v < 0:
        return "(%dL)" % v
    if v > 0x7FFFFFFFFFFFFFFF:
        return "%dUL" % v
    return "%dL" % v


def enum_block(members, typedef_name, indent="  "):
    """members: list of (name, value-expression, deprecated-attribute or '')."""
    lines = []
    if typedef_name.startswith("enum "):
        lines.append("%s {" % typedef_name)
    else:
        lines.append("typedef enum {")
    for i, (name, value, attr) in enumerate(members):
        sep = "," if i + 1 < len(members) else ""
        attr_text = " " + attr if attr else ""
        lines.append("%s%s%s = %s%s" % (indent, name, attr_text, value, sep))
    if typedef_name.startswith("enum "):
        lines.append("};")
    else:
        lines.append("} %s;" % typedef_name)
    return lines


def guarded(lines, legacy):
    if not legacy:
        return lines
    return ["#ifndef FETCH_NO_OLDIES"] + lines + ["#endif"]


def deprecated_attr(row):
    if row.get("deprecated") != "yes":
        return ""
    since = row.get("deprecated_since") or "0"
    note = (row.get("note") or "deprecated").replace('"', "'")
    return 'FETCH_DEPRECATED(%s, "%s")' % (since, note)


# ---------------------------------------------------------------------------------------------
# Blocks


def block_constants(header):
    """Every enum and #define of constants.tsv that lives in `header`, in table order."""
    out = []
    enums = {}
    order = []
    for r in rows("constants.tsv"):
        if r["header"] != header:
            continue
        if r["kind"] == "enum":
            key = r["c_enum"]
            if key not in enums:
                enums[key] = []
                order.append(("enum", key))
            enums[key].append(r)
        elif r["kind"] == "define":
            if r["group"] == "LIBFETCH":
                continue  # fetchver.h: our own version values, written by hand
            order.append(("define", r))
    emitted = set()
    for kind, item in order:
        if kind == "enum":
            if item in emitted:
                continue
            emitted.add(item)
            members = [(m["name_renamed"], m["value"], "") for m in enums[item]]
            out += enum_block(members, item)
            out.append("")
        else:
            r = item
            value = r["value"]
            note = r.get("note") or ""
            alias = re.match(r"same value as ([A-Za-z_][A-Za-z0-9_]*)", note)
            if alias:
                # An alias keeps its target's type (an enum member stays an enum in C++).
                text = "#define %s %s" % (r["name_renamed"], alias.group(1))
            else:
                text = "#define %s %s" % (r["name_renamed"], num_literal(value))
            cond = r["condition"]
            lines = [text]
            if cond.startswith("!defined(") and cond.endswith(")"):
                lines = ["#ifndef %s" % cond[len("!defined("):-1]] + lines + ["#endif"]
            out += guarded(lines, r["legacy_compat"] == "yes")
    return out


def block_codes(c_enum, header_filter=None):
    out = []
    members = []
    aliases = []
    for r in rows("error-codes.tsv"):
        if r["c_enum"] != c_enum:
            continue
        if r["kind"] in ("code", "unused", "sentinel"):
            members.append((r["name_renamed"], r["number"], ""))
        elif r["kind"] == "alias":
            aliases.append(r)
        elif r["kind"] == "legacy-define":
            aliases.append(r)
    out += enum_block(members, c_enum)
    alias_lines = []
    legacy_lines = []
    for r in aliases:
        target = r["alias_of"] if r["alias_of"] else r["number"]
        line = "#define %s %s" % (r["name_renamed"], target)
        (legacy_lines if r["legacy_compat"] == "yes" else alias_lines).append(line)
    out += alias_lines
    if legacy_lines:
        out += guarded(legacy_lines, True)
    return out


def block_easy_options():
    out = []
    members = []
    aliases = []
    for r in rows("easy-options.tsv"):
        if r["kind"] == "option":
            name = r["name_renamed"]
            attr = deprecated_attr(r)
            if attr:
                members.append("  FETCHOPTDEPRECATED(%s, FETCHOPTTYPE_%s, %s, %s)," % (
                    name, r["type"], r["index"], attr[len("FETCH_DEPRECATED("):-1]))
            else:
                members.append("  FETCHOPT(%s, FETCHOPTTYPE_%s, %s)," % (name, r["type"], r["index"]))
        elif r["name_renamed"] == "FETCHOPT_LASTENTRY":
            members.append("  FETCHOPT_LASTENTRY /* the last unused */")
        else:
            aliases.append(r)
    out.append("typedef enum {")
    out += members
    out.append("} FETCHoption;")
    out.append("")
    plain = []
    legacy = []
    for r in aliases:
        target = r["alias_of"] if r["alias_of"] else r["number"]
        line = "#define %s %s" % (r["name_renamed"], target)
        (legacy if r["legacy_compat"] == "yes" else plain).append(line)
    # Obsolete placeholders must be defined before the names that point at them.
    legacy.sort(key=lambda l: 0 if re.match(r"#define FETCHOPT_OBSOLETE\d+ ", l) else 1)
    out += plain
    out += guarded(legacy, True)
    return out


def block_info():
    out = []
    members = []
    for r in rows("info.tsv"):
        k = r["kind"]
        if k in ("type-base", "mask"):
            out.append("#define %s 0x%X" % (r["name_renamed"], int(r["number"])))
        elif k in ("info", "sentinel"):
            members.append((r["name_renamed"], r["hex"] if r["hex"] else r["number"],
                            deprecated_attr(r)))
        elif k == "alias":
            pass
    out.append("")
    out += enum_block(members, "FETCHINFO")
    for r in rows("info.tsv"):
        if r["kind"] == "alias":
            out.append("#define %s %s" % (r["name_renamed"], r["alias_of"]))
    return out


def block_multi_options():
    out = []
    opts = []
    infos = []
    for r in rows("multi-options.tsv"):
        if r["name_renamed"].startswith("FETCHMOPT_"):
            opts.append((r["name_renamed"], r["number"], deprecated_attr(r)))
        elif r["name_renamed"].startswith("FETCHMINFO_"):
            infos.append((r["name_renamed"], r["number"], ""))
    out += enum_block(opts, "FETCHMoption")
    out.append("")
    out += enum_block(infos, "FETCHMinfo_offt")
    return out


def block_share():
    out = []
    groups = {}
    order = []
    for r in rows("share-options.tsv"):
        key = r["c_enum"]
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append((r["name_renamed"], r["number"], ""))
    for key in order:
        out += enum_block(groups[key], key)
        out.append("")
    return out


def block_url():
    out = block_codes("FETCHUcode")
    out.append("")
    parts = []
    flags = []
    for r in rows("url-parts.tsv"):
        if r["kind"] == "part":
            parts.append((r["name_renamed"], r["number"], ""))
        else:
            flags.append("#define %s (1U << %d)" % (r["name_renamed"], int(r["number"]).bit_length() - 1))
    out += enum_block(parts, "FETCHUPart")
    out.append("")
    out += flags
    return out


BLOCKS = {
    "fetch/fetch.h": {
        "constants": lambda: block_constants("fetch/fetch.h"),
        "fetchcode": lambda: block_codes("FETCHcode"),
        "proxycode": lambda: block_codes("FETCHproxycode"),
        "easy-options": block_easy_options,
        "info": block_info,
        "share": lambda: block_codes("FETCHSHcode") + [""] + block_share(),
    },
    "fetch/easy.h": {"constants": lambda: block_constants("fetch/easy.h")},
    "fetch/multi.h": {
        "constants": lambda: block_constants("fetch/multi.h"),
        "multicode": lambda: block_codes("FETCHMcode"),
        "multi-options": block_multi_options,
    },
    "fetch/header.h": {
        "constants": lambda: block_constants("fetch/header.h"),
        "headercode": lambda: block_codes("FETCHHcode"),
    },
    "fetch/options.h": {"constants": lambda: block_constants("fetch/options.h")},
    "fetch/websockets.h": {"constants": lambda: block_constants("fetch/websockets.h")},
    "fetch/urlapi.h": {"url": block_url},
}


def rewrite(header, blocks):
    path = os.path.join(INCLUDE, header)
    with open(path) as f:
        text = f.read()
    for name, make in blocks.items():
        begin = "/* @generated-begin %s */" % name
        end = "/* @generated-end %s */" % name
        if begin not in text:
            continue  # the header's owner has not asked for this block
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        body = "\n".join(make())
        text = head + begin + "\n" + body + "\n" + end + tail
    with open(path, "w") as f:
        f.write(text)


# ---------------------------------------------------------------------------------------------
# Surface test table


def c_type_of_callback(detail):
    m = re.match(r"returns (.*); params: (.*)", detail)
    ret, params = m.group(1), m.group(2)
    return "%s (*)(%s)" % (ret, params)


def surface_table():
    out = ["// Generated by api/gen/gen_api.py from tests/data/*.tsv. Do not edit.", ""]
    out.append("const NamedValue kNamedValues[] = {")

    def add(name, table, own_value=False, numeric=True):
        # A string-valued define (LIBFETCH_VERSION, ...) has no number to compare: its entry
        # only makes the name required, by evaluating it and discarding it.
        value = ("static_cast<long long>(%s)" % name if numeric
                 else "(static_cast<void>(%s), 0LL)" % name)
        out.append('    {"%s", "%s", %s, %s},' % (
            name, table, value, "true" if own_value else "false"))

    for r in rows("easy-options.tsv"):
        add(r["name_renamed"], "easy-options.tsv")
    for r in rows("info.tsv"):
        add(r["name_renamed"], "info.tsv")
    for r in rows("multi-options.tsv"):
        add(r["name_renamed"], "multi-options.tsv")
    for r in rows("share-options.tsv"):
        add(r["name_renamed"], "share-options.tsv")
    for r in rows("url-parts.tsv"):
        add(r["name_renamed"], "url-parts.tsv")
    for r in rows("error-codes.tsv"):
        add(r["name_renamed"], "error-codes.tsv")
    for r in rows("constants.tsv"):
        # csv strips the quotes of a string value ("8.22.0-DEV" arrives as 8.22.0-DEV), so a
        # value is told apart by whether it is a number.
        if r["kind"] in ("enum", "define"):
            add(r["name_renamed"], "constants.tsv",
                "libfetch defines its own value" in (r["note"] or ""),
                numeric=re.fullmatch(r"-?[0-9]+", r["value"]) is not None)
    out.append("};")
    out.append("")
    out.append("const NamedFunction kNamedFunctions[] = {")
    for r in rows("functions.tsv"):
        out.append('    {"%s", reinterpret_cast<void (*)()>(&%s)},' % (r["name_renamed"],
                                                                      r["name_renamed"]))
    out.append("};")
    out.append("")
    out.append("// Types: each typedef, callback signature and struct field must exist with its type.")
    for r in rows("types.tsv"):
        k = r["kind"]
        n = r["name_renamed"]
        if k in ("callback-typedef", "function-typedef"):
            sig = c_type_of_callback(r["detail_renamed"])
            if k == "function-typedef":
                sig = sig.replace("(*)", "")
            out.append("static_assert(std::is_same_v<%s, %s>, \"%s\");" % (n, sig, n))
        elif k == "struct-field":
            ftype = r["field_type_renamed"]
            field = r["detail_renamed"]
            if ftype in ("struct", "union") or "bitfield" in ftype:
                out.append("static_assert(sizeof(decltype(std::declval<%s &>().%s)) > 0, \"%s.%s\");"
                           % (n, field, n, field))
            else:
                out.append("static_assert(std::is_same_v<decltype(std::declval<%s &>().%s), %s>, "
                           "\"%s.%s\");" % (n, field, ftype, n, field))
        elif k in ("typedef", "enum-typedef"):
            if n in ("FETCH", "FETCHSH", "FETCHM"):
                out.append("static_assert(std::is_same_v<%s, void>, \"%s\");" % (n, n))
            elif n in ("fetch_mime", "fetch_mimepart", "FETCHU"):
                out.append("static_assert(sizeof(%s *) > 0, \"%s\");" % (n, n))
            else:
                out.append("static_assert(sizeof(%s) > 0, \"%s\");" % (n, n))
        elif k == "enum-tag":
            out.append("static_assert(sizeof(%s) > 0, \"%s\");" % (n, n))
        elif k == "opaque-struct":
            out.append("static_assert(sizeof(%s *) > 0, \"%s\");" % (n, n))
    out.append("")
    return "\n".join(out)


def main():
    for header, blocks in BLOCKS.items():
        if os.path.exists(os.path.join(INCLUDE, header)):
            rewrite(header, blocks)
    with open(os.path.join(ROOT, "tests", "api", "surface_table.inc"), "w") as f:
        f.write(surface_table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
