#!/usr/bin/env python3
"""Generates libfetch's easy option table and the option/info tables of docs/STATUS.md.

Facts come from tests/data/easy-options.tsv and tests/data/info.tsv. What libfetch implements is
listed once, here (IMPLEMENTED_OPTIONS, IMPLEMENTED_INFOS); an implemented option NAME is set by
the C++ function fetch::options::set_<name lower case>, declared in api/src/options/setters.h.

Outputs (committed, so building never needs Python):
  api/src/options/option_table_data.inc   the rows of the option table and the index from an
                                          option's number to its row
  api/src/options/info_table_data.inc     the numbers of every known FETCHINFO_ item
  docs/STATUS.md                          the text between the "easy-options" and "infos"
                                          markers (the file is created when missing)

Run from anywhere:  python3 api/gen/gen_options.py   (idempotent)
"""
import csv
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "tests", "data")
TABLE_INC = os.path.join(ROOT, "api", "src", "options", "option_table_data.inc")
INFO_INC = os.path.join(ROOT, "api", "src", "options", "info_table_data.inc")
STATUS = os.path.join(ROOT, "docs", "STATUS.md")

# Options fetch_easy_setopt stores (with libcurl's validation); every other known option
# returns FETCHE_NOT_BUILT_IN.
IMPLEMENTED_OPTIONS = [
    "URL", "CONNECT_ONLY", "PORT", "CONNECTTIMEOUT", "CONNECTTIMEOUT_MS", "TIMEOUT", "TIMEOUT_MS",
    "RESOLVE", "CONNECT_TO", "IPRESOLVE", "DNS_CACHE_TIMEOUT", "LOCALPORT", "LOCALPORTRANGE",
    "INTERFACE", "TCP_NODELAY", "TCP_KEEPALIVE", "TCP_KEEPIDLE", "TCP_KEEPINTVL",
    "OPENSOCKETFUNCTION", "OPENSOCKETDATA", "CLOSESOCKETFUNCTION", "CLOSESOCKETDATA",
    "SOCKOPTFUNCTION", "SOCKOPTDATA", "RESOLVER_START_FUNCTION", "RESOLVER_START_DATA",
    "VERBOSE", "DEBUGFUNCTION", "DEBUGDATA", "STDERR", "ERRORBUFFER", "PRIVATE", "NOSIGNAL",
    "PROTOCOLS_STR", "DEFAULT_PROTOCOL", "FRESH_CONNECT", "FORBID_REUSE",
    "WRITEFUNCTION", "WRITEDATA", "HEADERFUNCTION", "HEADERDATA", "HEADER", "NOBODY", "POST",
    "HTTPGET", "POSTFIELDS", "COPYPOSTFIELDS", "POSTFIELDSIZE", "POSTFIELDSIZE_LARGE",
    "CUSTOMREQUEST", "USERAGENT", "REFERER", "HTTPHEADER", "HTTP_VERSION", "FAILONERROR",
    "ACCEPT_ENCODING", "HTTP_CONTENT_DECODING",
    "UPLOAD", "READFUNCTION", "READDATA", "INFILESIZE", "INFILESIZE_LARGE", "EXPECT_100_TIMEOUT_MS",
    "FOLLOWLOCATION", "MAXREDIRS", "POSTREDIR", "REDIR_PROTOCOLS_STR", "AUTOREFERER",
    "UNRESTRICTED_AUTH",
    "MAX_RECV_SPEED_LARGE", "MAX_SEND_SPEED_LARGE", "BUFFERSIZE",
    "MAXFILESIZE", "MAXFILESIZE_LARGE", "MAXAGE_CONN", "MAXCONNECTS", "MAXLIFETIME_CONN",
    "NOPROGRESS", "XFERINFOFUNCTION", "PROGRESSFUNCTION", "XFERINFODATA", "LOW_SPEED_LIMIT",
    "LOW_SPEED_TIME",
    "RANGE", "RESUME_FROM", "RESUME_FROM_LARGE", "TIMECONDITION", "TIMEVALUE", "TIMEVALUE_LARGE",
    "FILETIME", "REQUEST_TARGET", "PATH_AS_IS",
]

# Infos fetch_easy_getinfo answers (api/src/options/getinfo.cc); others give FETCHE_NOT_BUILT_IN.
IMPLEMENTED_INFOS = [
    "EFFECTIVE_URL", "SCHEME", "PRIMARY_IP", "PRIMARY_PORT", "LOCAL_IP", "LOCAL_PORT",
    "NAMELOOKUP_TIME", "NAMELOOKUP_TIME_T", "CONNECT_TIME", "CONNECT_TIME_T", "TOTAL_TIME",
    "TOTAL_TIME_T", "OS_ERRNO", "PRIVATE", "NUM_CONNECTS", "CONN_ID", "XFER_ID", "ACTIVESOCKET",
    "LASTSOCKET", "RESPONSE_CODE", "HTTP_VERSION", "CONTENT_TYPE", "CONTENT_LENGTH_DOWNLOAD_T",
    "CONTENT_LENGTH_UPLOAD_T", "SIZE_DOWNLOAD_T", "SIZE_DELIVERED", "SIZE_UPLOAD_T", "HEADER_SIZE", "REQUEST_SIZE",
    "EFFECTIVE_METHOD", "PRETRANSFER_TIME", "PRETRANSFER_TIME_T", "STARTTRANSFER_TIME",
    "STARTTRANSFER_TIME_T", "SPEED_DOWNLOAD_T", "SPEED_UPLOAD_T", "SIZE_DOWNLOAD", "SIZE_UPLOAD",
    "SPEED_DOWNLOAD", "SPEED_UPLOAD", "CONTENT_LENGTH_DOWNLOAD", "CONTENT_LENGTH_UPLOAD",
    "REDIRECT_COUNT", "REDIRECT_URL", "REDIRECT_TIME", "REDIRECT_TIME_T", "REFERER",
    "FILETIME", "FILETIME_T", "CONDITION_UNMET", "RETRY_AFTER", "HTTP_CONNECTCODE",
]

PREFIX = "FETCHOPT_"


def rows(name):
    with open(os.path.join(DATA, name), newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def options():
    """The option rows libfetch lists: easy-options.tsv order, without the obsolete defines and
    the LASTENTRY sentinel (as curl_easy_option_next(3) lists libcurl's)."""
    out = []
    for r in rows("easy-options.tsv"):
        if r["kind"] not in ("option", "alias"):
            continue
        out.append({
            "name": r["name_renamed"][len(PREFIX):],
            "number": int(r["number"]),
            "type": r["easy_option_type"],
            "alias": r["kind"] == "alias",
            "alias_of": r["alias_of"][len(PREFIX):] if r["alias_of"] else "",
            "deprecated": r["deprecated"] == "yes",
        })
    return out


def check(opts):
    names = {o["name"] for o in opts}
    for name in IMPLEMENTED_OPTIONS:
        if name not in names:
            raise SystemExit("unknown implemented option %s" % name)
    seen = {}
    for o in opts:
        if o["alias"]:
            continue
        if o["number"] in seen:
            raise SystemExit("two options numbered %d" % o["number"])
        seen[o["number"]] = o["name"]
    for o in opts:
        if o["alias"] and seen.get(o["number"]) != o["alias_of"]:
            raise SystemExit("alias %s does not share its target's number" % o["name"])


def table_inc(opts):
    implemented = set(IMPLEMENTED_OPTIONS)
    lines = [
        "// @generated by api/gen/gen_options.py from tests/data/easy-options.tsv; do not edit.",
        "// Included by option_table.cc only.",
        "",
        "// Rows in easy-options.tsv order (what fetch_easy_option_next walks), then a NULL row.",
        "constexpr OptionRow kRows[] = {",
    ]
    for o in opts:
        flags = "FETCHOT_FLAG_ALIAS" if o["alias"] else "0"
        setter = "nullptr"
        if not o["alias"] and o["name"] in implemented:
            setter = "&set_" + o["name"].lower()
        lines.append('    {{"%s", Id(%d), %s, %s}, %s},' %
                     (o["name"], o["number"], o["type"], flags, setter))
    lines.append("    {{nullptr, Id(0), FETCHOT_LONG, 0}, nullptr},")
    lines.append("};")
    lines.append("")
    # An option's number is its type base (a multiple of 10000) plus a small index that no two
    # options share; kRowByIndex maps that index to the option's (non-alias) row, or -1.
    by_index = {}
    for i, o in enumerate(opts):
        if not o["alias"]:
            by_index[o["number"] % 10000] = i
    size = max(by_index) + 1
    lines.append("constexpr int kIndexCount = %d;" % size)
    lines.append("// Row of the option whose number % 10000 is the position, -1 for none.")
    lines.append("// clang-format off")
    lines.append("constexpr short kRowByIndex[kIndexCount] = {")
    values = [str(by_index.get(i, -1)) for i in range(size)]
    for start in range(0, size, 16):
        lines.append("    " + ", ".join(values[start:start + 16]) + ",")
    lines.append("};")
    lines.append("// clang-format on")
    return "\n".join(lines) + "\n"


# What docs/STATUS.md says about each implemented option (libcurl's rules, checked at setopt).
OPTION_NOTES = {
    "MAXCONNECTS": "pool size of fetch_easy_perform (default 5; a multi uses FETCHMOPT_MAXCONNECTS);"
                   " < 0 gives 43",
    "VERBOSE": "tagged text lines; HTTP request/response headers and body bytes to DEBUGFUNCTION"
               " (HEADER_OUT/IN, DATA_OUT/IN), header lines to STDERR as \"> \" / \"< \" without one",
    "RANGE": "copied; CR or LF gives 43; a Range header in HTTPHEADER wins",
    "RESUME_FROM": "< -1 gives 43; a resumed download answered without the range gives 33;"
                   " uploads send Content-Range and skip the first bytes",
    "RESUME_FROM_LARGE": "as RESUME_FROM",
    "TIMECONDITION": "0-3 (NONE, IFMODSINCE, IFUNMODSINCE, LASTMOD), else 43",
    "TIMEVALUE": "seconds since 1970; a date out of calendar range fails the transfer with 43",
    "TIMEVALUE_LARGE": "as TIMEVALUE",
    "FILETIME": "Last-Modified into FETCHINFO_FILETIME(_T)",
    "REQUEST_TARGET": "copied; CR, LF, space or tab gives 43",
    "PATH_AS_IS": "keeps \"/../\" and \"/./\" in the URL's path",
    "MAX_RECV_SPEED_LARGE": "bytes/s, 0 = no limit, < 0 gives 43; a throttled transfer waits"
                            " on a deadline, not a loop",
    "MAX_SEND_SPEED_LARGE": "bytes/s of request body, 0 = no limit, < 0 gives 43",
    "BUFFERSIZE": "bytes per write callback call, default 16384; clamped to 1024..10 MiB,"
                  " < 1 means the default; one receive buffer per multi handle",
    "NOPROGRESS": "default 1; 0 calls the progress callback, or draws a meter on STDERR",
    "XFERINFOFUNCTION": "wins over PROGRESSFUNCTION; non-zero aborts with 42,"
                        " FETCH_PROGRESSFUNC_CONTINUE draws the meter",
    "PROGRESSFUNCTION": "deprecated; doubles; used when XFERINFOFUNCTION is not set",
    "XFERINFODATA": "alias PROGRESSDATA; default NULL",
    "LOW_SPEED_LIMIT": "bytes/s, < 0 gives 43; with LOW_SPEED_TIME, too slow gives 28",
    "LOW_SPEED_TIME": "seconds, < 0 gives 43, clamped at INT_MAX; 0 = off",
    "MAXFILESIZE": "bytes, 0 = none, < 0 gives 43; a larger Content-Length, or more body bytes"
                   " received or decoded, gives 63",
    "MAXFILESIZE_LARGE": "as MAXFILESIZE",
    "MAXAGE_CONN": "seconds idle before a pooled connection is not reused; < 0 gives 43;"
                   " default 118",
    "MAXLIFETIME_CONN": "seconds since connect after which a connection is not reused;"
                        " 0 = no limit; < 0 gives 43",
    "FOLLOWLOCATION": "0-3 (ALL, OBEYCODE, FIRSTONLY), else 43",
    "MAXREDIRS": "-1 = unlimited, < -1 gives 43, clamped at 32767; default 30",
    "POSTREDIR": "FETCH_REDIR_POST_* bits; < 0 gives 43",
    "REDIR_PROTOCOLS_STR": "unknown name gives 1, empty list 43, NULL = http,https,ftp,ftps",
    "URL": "copied; parsed at perform",
    "CONNECT_ONLY": "0, 1 or 2 (WebSocket), else 43",
    "PORT": "0-65535, else 43",
    "CONNECTTIMEOUT": "seconds, < 0 gives 43, large values saturate",
    "CONNECTTIMEOUT_MS": "< 0 gives 43",
    "TIMEOUT": "seconds, < 0 gives 43, large values saturate",
    "TIMEOUT_MS": "< 0 gives 43",
    "RESOLVE": "entries copied; NULL clears; a malformed entry fails the transfer with 49",
    "CONNECT_TO": "entries copied; NULL clears; a malformed entry fails the transfer with 49",
    "IPRESOLVE": "0-2, else 43",
    "DNS_CACHE_TIMEOUT": "-1 = forever, < -1 gives 43",
    "LOCALPORT": "0-65535, else 43",
    "LOCALPORTRANGE": "0-65535, else 43; 0 counts as 1",
    "INTERFACE": "copied",
    "TCP_KEEPIDLE": "seconds, < 0 gives 43, capped at INT_MAX",
    "TCP_KEEPINTVL": "seconds, < 0 gives 43, capped at INT_MAX",
    "PROTOCOLS_STR": "unknown name gives 1, empty list 43, NULL = all",
    "DEFAULT_PROTOCOL": "copied; checked at perform",
    "WRITEFUNCTION": "NULL = fwrite to WRITEDATA (alias FILE)",
    "WRITEDATA": "NULL = stdout",
    "HEADERFUNCTION": "NULL = headers go to HEADERDATA through the write function, if set",
    "HEADER": "headers also go to the write function",
    "FAILONERROR": "a response code >= 400 fails the transfer with 22",
    "HTTP_CONTENT_DECODING": "0 = deliver the body still encoded",
    "HEADERDATA": "alias WRITEHEADER; without HEADERFUNCTION the write function gets the headers",
    "NOBODY": "1 = HEAD (forgets POST); 0 = GET again",
    "POST": "1 = POST (clears NOBODY); 0 = GET",
    "HTTPGET": "1 = GET (clears POST and NOBODY); 0 has no effect",
    "POSTFIELDS": "not copied; makes a POST",
    "COPYPOSTFIELDS": "copies POSTFIELDSIZE bytes if set before, else the C string; NULL drops"
                      " the data (still a POST)",
    "POSTFIELDSIZE": "-1 = strlen, < -1 gives 43; growing past a COPYPOSTFIELDS copy drops it",
    "POSTFIELDSIZE_LARGE": "as POSTFIELDSIZE",
    "CUSTOMREQUEST": "copied; CR or LF gives 43; NULL = the method's own name",
    "USERAGENT": "copied; CR or LF gives 43",
    "REFERER": "copied; CR or LF gives 43",
    "HTTPHEADER": "not copied (alias RTSPHEADER); CR/LF/NUL fails the transfer with 43",
    "HTTP_VERSION": "NONE, 1_0, 1_1; < 0 gives 43; 2 and 3 (not built) give 1",
    "ACCEPT_ENCODING": "copied (alias ENCODING); \"\" = every coding built; NULL = none;"
                       " CR or LF gives 43",
}


def test_files():
    """Every test source under tests/, as (path relative to tests/, text)."""
    out = []
    for base, _dirs, files in os.walk(os.path.join(ROOT, "tests")):
        for name in files:
            if name.endswith("test.cc"):  # the suites themselves, not fixtures or headers
                path = os.path.join(base, name)
                with open(path, errors="replace") as f:
                    out.append((os.path.relpath(path, os.path.join(ROOT, "tests")), f.read()))
    return sorted(out)


def tests_of(symbol, sources):
    """The test files that use `symbol` (most uses first, at most three), for the tests column:
    found by scanning, so the column cannot claim a test that does not exist."""
    pattern = re.compile(r"\b%s\b" % re.escape(symbol))
    hits = []
    for path, text in sources:
        n = len(pattern.findall(text))
        if n:
            hits.append((-n, path))
    hits.sort()
    if not hits:
        return "**none**"
    return ", ".join("`%s`" % p for _n, p in hits[:3])


def status_options(opts):
    sources = test_files()
    implemented = set(IMPLEMENTED_OPTIONS)
    real = [o for o in opts if not o["alias"]]
    done = sorted((o for o in real if o["name"] in implemented), key=lambda o: o["name"])
    rest = sorted((o for o in real if o["name"] not in implemented), key=lambda o: o["name"])
    lines = [
        "%d of %d options are implemented; every other known option makes `fetch_easy_setopt`"
        " return `FETCHE_NOT_BUILT_IN` (4) with a message in the error buffer, and an unknown"
        " number returns `FETCHE_UNKNOWN_OPTION` (48). The %d aliases behave as their target."
        " Strings are copied (longer than 8,000,000 bytes: 43); a NULL string restores the"
        " default; boolean longs take any non-zero value as true." %
        (len(done), len(real), len(opts) - len(real)),
        "",
        "The tests column names the test files (under `tests/`) that set the option, found by"
        " scanning them.",
        "",
        "| option | type | checks | tests |",
        "|---|---|---|---|",
    ]
    for o in done:
        lines.append("| `FETCHOPT_%s` | %s | %s | %s |" %
                     (o["name"], o["type"][len("FETCHOT_"):], OPTION_NOTES.get(o["name"], ""),
                      tests_of("FETCHOPT_" + o["name"], sources)))
    lines.append("")
    lines.append("Not built yet: " + ", ".join("`%s`" % o["name"] for o in rest) + ".")
    return lines


def status_infos():
    implemented = set(IMPLEMENTED_INFOS)
    infos = [r for r in rows("info.tsv") if r["kind"] == "info"]
    for name in IMPLEMENTED_INFOS:
        if not any(r["name_renamed"] == "FETCHINFO_" + name for r in infos):
            raise SystemExit("unknown implemented info %s" % name)
    done = [r for r in infos if r["name_renamed"][len("FETCHINFO_"):] in implemented]
    lines = [
        "%d of %d infos are implemented; every other known info makes `fetch_easy_getinfo`"
        " return `FETCHE_NOT_BUILT_IN` (4), an unknown one `FETCHE_UNKNOWN_OPTION` (48)." %
        (len(done), len(infos)),
        "",
        "| info | argument | status | tests |",
        "|---|---|---|---|",
    ]
    sources = test_files()
    for r in sorted(infos, key=lambda r: r["name_renamed"]):
        name = r["name_renamed"][len("FETCHINFO_"):]
        state = "implemented" if name in implemented else "not built"
        if r["deprecated"] == "yes":
            state += " (deprecated)"
        tests = tests_of(r["name_renamed"], sources) if name in implemented else ""
        lines.append("| `%s` | `%s` | %s | %s |" % (r["name_renamed"], r["c_type"], state, tests))
    return lines


def info_inc():
    infos = [r for r in rows("info.tsv") if r["kind"] in ("info", "alias")]
    numbers = sorted({int(r["number"]) for r in infos})
    names = {}
    for r in infos:
        names.setdefault(int(r["number"]), []).append(r["name_renamed"])
    lines = [
        "// @generated by api/gen/gen_options.py from tests/data/info.tsv; do not edit.",
        "// Included by getinfo.cc only: every known FETCHINFO_ number, ascending.",
        "constexpr long kKnownInfos[] = {",
    ]
    for n in numbers:
        lines.append("    0x%x,  // %s" % (n, ", ".join(names[n])))
    lines.append("};")
    return "\n".join(lines) + "\n"


def replace_block(text, block, lines):
    begin = "<!-- @generated-begin %s (api/gen/gen_options.py) -->" % block
    end = "<!-- @generated-end %s -->" % block
    body = begin + "\n" + "\n".join(lines) + "\n" + end
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
    if pattern.search(text):
        return pattern.sub(lambda _m: body, text)
    heading = {"easy-options": "## Easy options", "infos": "## Infos"}[block]
    if heading in text:
        return text.replace(heading, heading + "\n\n" + body, 1)
    return text.rstrip("\n") + "\n\n" + heading + "\n\n" + body + "\n"


def write(path, text):
    old = None
    if os.path.exists(path):
        with open(path) as f:
            old = f.read()
    if old != text:
        with open(path, "w") as f:
            f.write(text)


def main():
    opts = options()
    check(opts)
    write(TABLE_INC, table_inc(opts))
    write(INFO_INC, info_inc())
    text = "# Status\n"
    if os.path.exists(STATUS):
        with open(STATUS) as f:
            text = f.read()
    text = replace_block(text, "easy-options", status_options(opts))
    text = replace_block(text, "infos", status_infos())
    write(STATUS, text)


if __name__ == "__main__":
    main()
