// fetch_easy_setopt and the option introspection functions against the option table's facts
// (tests/data/easy-options.tsv) and libcurl's documented validation.
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <climits>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "easy/easy_handle.h"
#include "easy_fixture.h"
#include "options/reset_dup.h"

namespace {

struct TsvOption {
  std::string name;  // without FETCHOPT_
  long number = 0;
  std::string easy_type;  // FETCHOT_*
  std::string kind;       // option, alias, obsolete-define, sentinel
  std::string alias_of;   // without FETCHOPT_
};

std::vector<TsvOption> read_options_tsv() {
  std::ifstream in(FETCH_TEST_DATA_DIR "/easy-options.tsv");
  std::vector<TsvOption> out;
  std::string line;
  std::map<std::string, size_t> column;
  auto split = [](const std::string &text) {
    std::vector<std::string> cells;
    std::stringstream stream(text);
    std::string cell;
    while (std::getline(stream, cell, '\t')) cells.push_back(cell);
    if (!text.empty() && text.back() == '\t') cells.emplace_back();
    return cells;
  };
  if (!std::getline(in, line)) return out;
  const auto header = split(line);
  for (size_t i = 0; i < header.size(); ++i) column[header[i]] = i;
  while (std::getline(in, line)) {
    auto cells = split(line);
    cells.resize(header.size());
    auto strip = [](const std::string &name) {
      return name.rfind("FETCHOPT_", 0) == 0 ? name.substr(9) : name;
    };
    TsvOption option;
    option.name = strip(cells[column["name_renamed"]]);
    option.number = std::stol(cells[column["number"]]);
    option.easy_type = cells[column["easy_option_type"]];
    option.kind = cells[column["kind"]];
    option.alias_of = strip(cells[column["alias_of"]]);
    out.push_back(option);
  }
  return out;
}

// The options this libfetch implements (mirrors IMPLEMENTED_OPTIONS in api/gen/gen_options.py).
const std::set<std::string> kImplemented = {
    "URL",
    "CONNECT_ONLY",
    "PORT",
    "CONNECTTIMEOUT",
    "CONNECTTIMEOUT_MS",
    "TIMEOUT",
    "TIMEOUT_MS",
    "RESOLVE",
    "CONNECT_TO",
    "IPRESOLVE",
    "DNS_CACHE_TIMEOUT",
    "LOCALPORT",
    "LOCALPORTRANGE",
    "INTERFACE",
    "TCP_NODELAY",
    "TCP_KEEPALIVE",
    "TCP_KEEPIDLE",
    "TCP_KEEPINTVL",
    "OPENSOCKETFUNCTION",
    "OPENSOCKETDATA",
    "CLOSESOCKETFUNCTION",
    "CLOSESOCKETDATA",
    "SOCKOPTFUNCTION",
    "SOCKOPTDATA",
    "RESOLVER_START_FUNCTION",
    "RESOLVER_START_DATA",
    "VERBOSE",
    "DEBUGFUNCTION",
    "DEBUGDATA",
    "STDERR",
    "ERRORBUFFER",
    "PRIVATE",
    "NOSIGNAL",
    "PROTOCOLS_STR",
    "DEFAULT_PROTOCOL",
    "FRESH_CONNECT",
    "FORBID_REUSE",
    "WRITEFUNCTION",
    "WRITEDATA",
    "HEADERFUNCTION",
    "HEADERDATA",
    "HEADER",
    "NOBODY",
    "POST",
    "HTTPGET",
    "POSTFIELDS",
    "COPYPOSTFIELDS",
    "POSTFIELDSIZE",
    "POSTFIELDSIZE_LARGE",
    "CUSTOMREQUEST",
    "USERAGENT",
    "REFERER",
    "HTTPHEADER",
    "HTTP_VERSION",
    "FAILONERROR",
    "ACCEPT_ENCODING",
    "HTTP_CONTENT_DECODING",
    // redirects
    "FOLLOWLOCATION",
    "MAXREDIRS",
    "POSTREDIR",
    "REDIR_PROTOCOLS_STR",
    "AUTOREFERER",
    "UNRESTRICTED_AUTH",
    // uploads
    "UPLOAD",
    "READFUNCTION",
    "READDATA",
    "INFILESIZE",
    "INFILESIZE_LARGE",
    "EXPECT_100_TIMEOUT_MS",
    // limits (set_limits.cc)
    "MAXFILESIZE",
    "MAXFILESIZE_LARGE",
    "MAXAGE_CONN",
    "MAXCONNECTS",
    "MAXLIFETIME_CONN",
    // request options (set_request.cc)
    "RANGE",
    "RESUME_FROM",
    "RESUME_FROM_LARGE",
    "TIMECONDITION",
    "TIMEVALUE",
    "TIMEVALUE_LARGE",
    "FILETIME",
    "REQUEST_TARGET",
    "PATH_AS_IS",
    // progress (set_progress.cc)
    "NOPROGRESS",
    "XFERINFOFUNCTION",
    "PROGRESSFUNCTION",
    "XFERINFODATA",
    "LOW_SPEED_LIMIT",
    "LOW_SPEED_TIME",
    // speed limits (set_speed.cc)
    "MAX_RECV_SPEED_LARGE",
    "MAX_SEND_SPEED_LARGE",
    "BUFFERSIZE",
};

// Passes the type-appropriate "zero" for option number `id`.
FETCHcode set_zero(FETCH *h, long id) {
  const auto option = static_cast<FETCHoption>(id);
  if (id < 10000) return fetch_easy_setopt(h, option, 0L);
  if (id < 20000) return fetch_easy_setopt(h, option, static_cast<void *>(nullptr));
  if (id < 30000) return fetch_easy_setopt(h, option, static_cast<void (*)(void)>(nullptr));
  if (id < 40000) return fetch_easy_setopt(h, option, static_cast<fetch_off_t>(0));
  return fetch_easy_setopt(h, option, static_cast<void *>(nullptr));
}

class Options : public fetchtest::EasyFixture {};

// ---- the table against easy-options.tsv ----

TEST(OptionTable, EveryTsvOptionIsFoundByNameWithItsNumberTypeAndAliasFlag) {
  const auto rows = read_options_tsv();
  ASSERT_GT(rows.size(), 300u);
  for (const auto &row : rows) {
    if (row.kind != "option" && row.kind != "alias") continue;
    SCOPED_TRACE(row.name);
    const fetch_easyoption *found = fetch_easy_option_by_name(row.name.c_str());
    ASSERT_NE(found, nullptr);
    EXPECT_STREQ(found->name, row.name.c_str());
    EXPECT_EQ(static_cast<long>(found->id), row.number);
    static const std::map<std::string, int> kTypes = {
        {"FETCHOT_LONG", FETCHOT_LONG},        {"FETCHOT_VALUES", FETCHOT_VALUES},
        {"FETCHOT_OFF_T", FETCHOT_OFF_T},      {"FETCHOT_OBJECT", FETCHOT_OBJECT},
        {"FETCHOT_STRING", FETCHOT_STRING},    {"FETCHOT_SLIST", FETCHOT_SLIST},
        {"FETCHOT_CBPTR", FETCHOT_CBPTR},      {"FETCHOT_BLOB", FETCHOT_BLOB},
        {"FETCHOT_FUNCTION", FETCHOT_FUNCTION}};
    EXPECT_EQ(static_cast<int>(found->type), kTypes.at(row.easy_type));
    EXPECT_EQ(found->flags, row.kind == "alias" ? FETCHOT_FLAG_ALIAS : 0u);
  }
}

TEST(OptionTable, ByNameIsCaseInsensitiveAndWantsNoPrefix) {
  const fetch_easyoption *lower = fetch_easy_option_by_name("connecttimeout_ms");
  ASSERT_NE(lower, nullptr);
  EXPECT_EQ(lower->id, FETCHOPT_CONNECTTIMEOUT_MS);
  EXPECT_EQ(fetch_easy_option_by_name("Url"), fetch_easy_option_by_name("URL"));
  EXPECT_EQ(fetch_easy_option_by_name("FETCHOPT_URL"), nullptr);
  EXPECT_EQ(fetch_easy_option_by_name("NO_SUCH_OPTION"), nullptr);
  EXPECT_EQ(fetch_easy_option_by_name(""), nullptr);
  EXPECT_EQ(fetch_easy_option_by_name(nullptr), nullptr);
  EXPECT_EQ(fetch_easy_option_by_name("LASTENTRY"), nullptr);
  EXPECT_EQ(fetch_easy_option_by_name("OBSOLETE40"), nullptr);
  EXPECT_EQ(fetch_easy_option_by_name("WRITEINFO"), nullptr);
}

TEST(OptionTable, AliasesAreFlaggedAndByIdGivesTheirTarget) {
  const auto rows = read_options_tsv();
  int aliases = 0;
  for (const auto &row : rows) {
    if (row.kind != "alias") continue;
    ++aliases;
    SCOPED_TRACE(row.name);
    const fetch_easyoption *alias = fetch_easy_option_by_name(row.name.c_str());
    ASSERT_NE(alias, nullptr);
    EXPECT_EQ(alias->flags, FETCHOT_FLAG_ALIAS);
    const fetch_easyoption *target = fetch_easy_option_by_id(alias->id);
    ASSERT_NE(target, nullptr);
    EXPECT_STREQ(target->name, row.alias_of.c_str());
    EXPECT_EQ(target->flags, 0u);
  }
  EXPECT_EQ(aliases, 15);
  const fetch_easyoption *file = fetch_easy_option_by_name("file");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->id, FETCHOPT_WRITEDATA);
}

TEST(OptionTable, ByIdFindsEveryOptionAndNothingElse) {
  for (const auto &row : read_options_tsv()) {
    if (row.kind != "option") continue;
    const fetch_easyoption *found = fetch_easy_option_by_id(static_cast<FETCHoption>(row.number));
    ASSERT_NE(found, nullptr) << row.name;
    EXPECT_STREQ(found->name, row.name.c_str());
  }
  for (long id : {0L, 8L, 9999L, 10333L, 334L, 20002L, 30002L, 50002L, -1L, -10002L, 1000000L}) {
    EXPECT_EQ(fetch_easy_option_by_id(static_cast<FETCHoption>(id)), nullptr) << id;
  }
}

TEST(OptionTable, NextWalksTheTableInTsvOrder) {
  std::vector<std::string> expected;
  for (const auto &row : read_options_tsv()) {
    if (row.kind == "option" || row.kind == "alias") expected.push_back(row.name);
  }
  std::vector<std::string> walked;
  for (const fetch_easyoption *o = fetch_easy_option_next(nullptr); o != nullptr;
       o = fetch_easy_option_next(o)) {
    walked.emplace_back(o->name);
    ASSERT_LE(walked.size(), expected.size() + 1);
  }
  EXPECT_EQ(walked, expected);
  // The walk hands out the same entries the lookups do.
  EXPECT_EQ(fetch_easy_option_next(nullptr), fetch_easy_option_by_name(expected.front().c_str()));
  // A pointer that is not from the table ends the walk.
  const fetch_easyoption foreign{"URL", FETCHOPT_URL, FETCHOT_STRING, 0};
  EXPECT_EQ(fetch_easy_option_next(&foreign), nullptr);
}

// ---- setopt: handles and option numbers ----

TEST(Setopt, NullOrForeignHandleIsABadArgument) {
  EXPECT_EQ(fetch_easy_setopt(nullptr, FETCHOPT_URL, "http://x/"), FETCHE_BAD_FUNCTION_ARGUMENT);
  long not_a_handle[16] = {};
  EXPECT_EQ(fetch_easy_setopt(static_cast<FETCH *>(not_a_handle), FETCHOPT_VERBOSE, 1L),
            FETCHE_BAD_FUNCTION_ARGUMENT);
}

TEST_F(Options, EveryKnownOptionIsImplementedOrNotBuiltIn) {
  int not_built = 0;
  std::set<std::string> implemented;
  for (const auto &row : read_options_tsv()) {
    if (row.kind != "option" && row.kind != "alias") continue;
    SCOPED_TRACE(row.name);
    errbuf_[0] = '\0';
    const FETCHcode code = set_zero(handle_, row.number);
    const std::string &target = row.kind == "alias" ? row.alias_of : row.name;
    if (kImplemented.count(target) != 0) {
      EXPECT_EQ(code, FETCHE_OK);
      if (row.kind == "option") implemented.insert(row.name);
      if (row.name == "ERRORBUFFER") {  // set_zero cleared it; restore
        ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_ERRORBUFFER, errbuf_), FETCHE_OK);
      }
    } else {
      EXPECT_EQ(code, FETCHE_NOT_BUILT_IN);
      EXPECT_EQ(std::string(errbuf_), "FETCHOPT_" + target + " is not built in this libfetch");
      ++not_built;
    }
  }
  EXPECT_EQ(implemented, kImplemented);
  EXPECT_GT(not_built, 200);  // most of libcurl's options are still to come
}

TEST_F(Options, UnknownNumbersAreUnknownOptions) {
  for (long id : {0L, 8L, 9999L, 10333L, 333L, 334L, 20002L, 30002L, 40002L, 50001L, -1L}) {
    SCOPED_TRACE(id);
    EXPECT_EQ(set_zero(handle_, id), FETCHE_UNKNOWN_OPTION);
  }
}

TEST_F(Options, AliasesActAsTheirTarget) {
  EXPECT_EQ(fetch_easy_setopt(handle_, static_cast<FETCHoption>(10026), nullptr),  // SSLKEYPASSWD
            FETCHE_NOT_BUILT_IN);
  EXPECT_STREQ(errbuf_, "FETCHOPT_KEYPASSWD is not built in this libfetch");
  int stream = 0;
  EXPECT_EQ(fetch_easy_setopt(handle_, static_cast<FETCHoption>(10009), &stream),  // INFILE
            FETCHE_OK);
  EXPECT_EQ(settings().read_data, &stream);
  EXPECT_EQ(fetch_easy_setopt(handle_, static_cast<FETCHoption>(10102), "gzip"),  // ENCODING
            FETCHE_OK);
  EXPECT_EQ(settings().accept_encoding, "gzip");
  EXPECT_TRUE(settings().accept_encoding_set);
}

// ---- setopt: each implemented option ----

TEST_F(Options, DefaultsMatchLibcurl) {
  EXPECT_EQ(settings().url, "");
  EXPECT_EQ(settings().connect_timeout_ms, 0);
  EXPECT_EQ(settings().dns_cache_timeout_s, 60);
  EXPECT_EQ(settings().localportrange, 1);
  EXPECT_TRUE(settings().tcp_nodelay);
  EXPECT_EQ(settings().tcp_keepidle_s, 60);
  EXPECT_EQ(settings().tcp_keepintvl_s, 60);
  EXPECT_EQ(settings().ipresolve, FETCH_IPRESOLVE_WHATEVER);
}

TEST_F(Options, UrlIsCopiedAndNullClearsIt) {
  char url[] = "http://example.com/a";
  ASSERT_EQ(set_str(FETCHOPT_URL, url), FETCHE_OK);
  url[7] = 'X';
  EXPECT_EQ(settings().url, "http://example.com/a");
  ASSERT_EQ(set_str(FETCHOPT_URL, nullptr), FETCHE_OK);
  EXPECT_EQ(settings().url, "");
}

TEST_F(Options, OverlongStringsAreRefused) {
  std::string huge(8000001, 'a');
  ASSERT_EQ(set_str(FETCHOPT_URL, "http://kept/"), FETCHE_OK);
  EXPECT_EQ(set_str(FETCHOPT_URL, huge.c_str()), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(settings().url, "http://kept/");
  huge.pop_back();
  EXPECT_EQ(set_str(FETCHOPT_URL, huge.c_str()), FETCHE_OK);
  EXPECT_EQ(settings().url.size(), 8000000u);
}

TEST_F(Options, RangedLongs) {
  struct Case {
    FETCHoption option;
    long lo, hi;
    const long fetch::Settings::*field;
  };
  const Case cases[] = {
      {FETCHOPT_CONNECT_ONLY, 0, 2, &fetch::Settings::connect_only},
      {FETCHOPT_PORT, 0, 65535, &fetch::Settings::port},
      {FETCHOPT_LOCALPORT, 0, 65535, &fetch::Settings::localport},
      {FETCHOPT_IPRESOLVE, 0, 2, &fetch::Settings::ipresolve},
      {FETCHOPT_DNS_CACHE_TIMEOUT, -1, INT_MAX, &fetch::Settings::dns_cache_timeout_s},
      {FETCHOPT_TCP_KEEPIDLE, 0, INT_MAX, &fetch::Settings::tcp_keepidle_s},
      {FETCHOPT_TCP_KEEPINTVL, 0, INT_MAX, &fetch::Settings::tcp_keepintvl_s},
      {FETCHOPT_CONNECTTIMEOUT_MS, 0, LONG_MAX, &fetch::Settings::connect_timeout_ms},
      {FETCHOPT_TIMEOUT_MS, 0, LONG_MAX, &fetch::Settings::timeout_ms},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(fetch_easy_option_by_id(c.option)->name);
    EXPECT_EQ(set_long(c.option, c.lo), FETCHE_OK);
    EXPECT_EQ(settings().*c.field, c.lo);
    EXPECT_EQ(set_long(c.option, c.hi), FETCHE_OK);
    EXPECT_EQ(settings().*c.field, c.hi);
    EXPECT_EQ(set_long(c.option, c.lo - 1), FETCHE_BAD_FUNCTION_ARGUMENT);
    EXPECT_EQ(settings().*c.field, c.hi) << "a refused value changes nothing";
    EXPECT_NE(std::strstr(errbuf_, "outside"), nullptr) << errbuf_;
    if (c.hi < LONG_MAX && c.hi != INT_MAX) {
      EXPECT_EQ(set_long(c.option, c.hi + 1), FETCHE_BAD_FUNCTION_ARGUMENT);
    }
  }
}

TEST_F(Options, LargeSecondsAreCapped) {
  EXPECT_EQ(set_long(FETCHOPT_DNS_CACHE_TIMEOUT, LONG_MAX), FETCHE_OK);
  EXPECT_EQ(settings().dns_cache_timeout_s, INT_MAX);
  EXPECT_EQ(set_long(FETCHOPT_TCP_KEEPIDLE, LONG_MAX), FETCHE_OK);
  EXPECT_EQ(settings().tcp_keepidle_s, INT_MAX);
  EXPECT_EQ(set_long(FETCHOPT_TCP_KEEPINTVL, LONG_MAX), FETCHE_OK);
  EXPECT_EQ(settings().tcp_keepintvl_s, INT_MAX);
  EXPECT_EQ(set_long(FETCHOPT_DNS_CACHE_TIMEOUT, -2), FETCHE_BAD_FUNCTION_ARGUMENT);
}

TEST_F(Options, LocalPortRangeZeroCountsAsOneTry) {
  EXPECT_EQ(set_long(FETCHOPT_LOCALPORTRANGE, 20), FETCHE_OK);
  EXPECT_EQ(settings().localportrange, 20);
  EXPECT_EQ(set_long(FETCHOPT_LOCALPORTRANGE, 0), FETCHE_OK);
  EXPECT_EQ(settings().localportrange, 1);
  EXPECT_EQ(set_long(FETCHOPT_LOCALPORTRANGE, 65535), FETCHE_OK);
  EXPECT_EQ(set_long(FETCHOPT_LOCALPORTRANGE, 65536), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(set_long(FETCHOPT_LOCALPORTRANGE, -1), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(settings().localportrange, 65535);
}

TEST_F(Options, SecondTimeoutsBecomeMillisecondsAndSaturate) {
  EXPECT_EQ(set_long(FETCHOPT_CONNECTTIMEOUT, 7), FETCHE_OK);
  EXPECT_EQ(settings().connect_timeout_ms, 7000);
  EXPECT_EQ(set_long(FETCHOPT_TIMEOUT, 3), FETCHE_OK);
  EXPECT_EQ(settings().timeout_ms, 3000);
  EXPECT_EQ(set_long(FETCHOPT_CONNECTTIMEOUT, LONG_MAX), FETCHE_OK);
  EXPECT_EQ(settings().connect_timeout_ms, LONG_MAX / 1000 * 1000);
  EXPECT_EQ(set_long(FETCHOPT_TIMEOUT, LONG_MAX / 1000 + 1), FETCHE_OK);
  EXPECT_EQ(settings().timeout_ms, LONG_MAX / 1000 * 1000);
  EXPECT_EQ(set_long(FETCHOPT_CONNECTTIMEOUT, -1), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(set_long(FETCHOPT_TIMEOUT, -1), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(set_long(FETCHOPT_TIMEOUT_MS, -1), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(set_long(FETCHOPT_CONNECTTIMEOUT_MS, -5), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(settings().timeout_ms, LONG_MAX / 1000 * 1000);
  EXPECT_EQ(set_long(FETCHOPT_TIMEOUT_MS, 1500), FETCHE_OK);
  EXPECT_EQ(settings().timeout_ms, 1500);
  EXPECT_EQ(set_long(FETCHOPT_CONNECTTIMEOUT_MS, 250), FETCHE_OK);
  EXPECT_EQ(settings().connect_timeout_ms, 250);
}

TEST_F(Options, BooleansTakeAnyNonZeroAsTrue) {
  struct Case {
    FETCHoption option;
    const bool fetch::Settings::*field;
  };
  const Case cases[] = {
      {FETCHOPT_TCP_NODELAY, &fetch::Settings::tcp_nodelay},
      {FETCHOPT_TCP_KEEPALIVE, &fetch::Settings::tcp_keepalive},
      {FETCHOPT_VERBOSE, &fetch::Settings::verbose},
      {FETCHOPT_NOSIGNAL, &fetch::Settings::nosignal},
      {FETCHOPT_FRESH_CONNECT, &fetch::Settings::fresh_connect},
      {FETCHOPT_FORBID_REUSE, &fetch::Settings::forbid_reuse},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(fetch_easy_option_by_id(c.option)->name);
    for (long value : {2L, -1L, LONG_MAX, 1L}) {
      EXPECT_EQ(set_long(c.option, 0), FETCHE_OK);
      EXPECT_FALSE(settings().*c.field);
      EXPECT_EQ(set_long(c.option, value), FETCHE_OK);
      EXPECT_TRUE(settings().*c.field) << value;
    }
  }
}

TEST_F(Options, ResolveAndConnectToAreCopiedAndNullClears) {
  char first[] = "example.com:80:127.0.0.1";
  char second[] = "-example.org:443";
  fetch_slist tail{second, nullptr};
  fetch_slist head{first, &tail};
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_RESOLVE, &head), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_CONNECT_TO, &tail), FETCHE_OK);
  first[0] = 'X';
  second[0] = 'Y';
  EXPECT_EQ(settings().resolve,
            (std::vector<std::string>{"example.com:80:127.0.0.1", "-example.org:443"}));
  EXPECT_EQ(settings().connect_to, (std::vector<std::string>{"-example.org:443"}));
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_RESOLVE, static_cast<fetch_slist *>(nullptr)),
            FETCHE_OK);
  EXPECT_TRUE(settings().resolve.empty());
  EXPECT_EQ(settings().connect_to.size(), 1u);
}

TEST_F(Options, StringOptionsAreCopiedAndNullRestoresTheDefault) {
  char name[] = "eth0";
  ASSERT_EQ(set_str(FETCHOPT_INTERFACE, name), FETCHE_OK);
  char proto[] = "https";
  ASSERT_EQ(set_str(FETCHOPT_DEFAULT_PROTOCOL, proto), FETCHE_OK);
  name[0] = 'X';
  proto[0] = 'X';
  EXPECT_EQ(settings().interface_name, "eth0");
  EXPECT_EQ(settings().default_protocol, "https");
  ASSERT_EQ(set_str(FETCHOPT_INTERFACE, nullptr), FETCHE_OK);
  ASSERT_EQ(set_str(FETCHOPT_DEFAULT_PROTOCOL, nullptr), FETCHE_OK);
  EXPECT_EQ(settings().interface_name, "");
  EXPECT_EQ(settings().default_protocol, "");
}

TEST_F(Options, ProtocolsStr) {
  char spec[] = "HTTP,https";
  ASSERT_EQ(set_str(FETCHOPT_PROTOCOLS_STR, spec), FETCHE_OK);
  spec[0] = 'X';
  EXPECT_EQ(settings().protocols_str, "http,https");
  EXPECT_EQ(set_str(FETCHOPT_PROTOCOLS_STR, ",ws,,WSS,"), FETCHE_OK);
  EXPECT_EQ(settings().protocols_str, "ws,wss");
  // A libcurl protocol libfetch does not build only restricts further: accepted.
  EXPECT_EQ(set_str(FETCHOPT_PROTOCOLS_STR, "http,ftp"), FETCHE_OK);
  EXPECT_EQ(settings().protocols_str, "http,ftp");
  EXPECT_EQ(set_str(FETCHOPT_PROTOCOLS_STR, "All"), FETCHE_OK);
  EXPECT_EQ(settings().protocols_str, "");
  ASSERT_EQ(set_str(FETCHOPT_PROTOCOLS_STR, "https"), FETCHE_OK);
  // An unknown name: FETCHE_UNSUPPORTED_PROTOCOL (libcurl's protocol2num); nothing changes.
  EXPECT_EQ(set_str(FETCHOPT_PROTOCOLS_STR, "http,gopherz"), FETCHE_UNSUPPORTED_PROTOCOL);
  EXPECT_NE(std::strstr(errbuf_, "gopherz"), nullptr) << errbuf_;
  EXPECT_EQ(set_str(FETCHOPT_PROTOCOLS_STR, "http,all"), FETCHE_UNSUPPORTED_PROTOCOL);
  EXPECT_EQ(set_str(FETCHOPT_PROTOCOLS_STR, " http"), FETCHE_UNSUPPORTED_PROTOCOL);
  EXPECT_EQ(settings().protocols_str, "https");
  // A list naming nothing: FETCHE_BAD_FUNCTION_ARGUMENT.
  EXPECT_EQ(set_str(FETCHOPT_PROTOCOLS_STR, ""), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(set_str(FETCHOPT_PROTOCOLS_STR, ",,"), FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(settings().protocols_str, "https");
  // NULL: every protocol again.
  EXPECT_EQ(set_str(FETCHOPT_PROTOCOLS_STR, nullptr), FETCHE_OK);
  EXPECT_EQ(settings().protocols_str, "");
}

fetch_socket_t open_cb(void *, fetchsocktype, fetch_sockaddr *) { return FETCH_SOCKET_BAD; }
int close_cb(void *, fetch_socket_t) { return 0; }
int sockopt_cb(void *, fetch_socket_t, fetchsocktype) { return 0; }
int resolver_cb(void *, void *, void *) { return 0; }
int debug_cb(FETCH *, fetch_infotype, char *, size_t, void *) { return 0; }

TEST_F(Options, CallbacksAndTheirDataAreStored) {
  int a = 0, b = 0, c = 0, d = 0, e = 0;
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_OPENSOCKETFUNCTION, &open_cb), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_OPENSOCKETDATA, &a), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_CLOSESOCKETFUNCTION, &close_cb), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_CLOSESOCKETDATA, &b), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_SOCKOPTFUNCTION, &sockopt_cb), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_SOCKOPTDATA, &c), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_RESOLVER_START_FUNCTION, &resolver_cb), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_RESOLVER_START_DATA, &d), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_DEBUGFUNCTION, &debug_cb), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_DEBUGDATA, &e), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_STDERR, stdout), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_PRIVATE, &a), FETCHE_OK);
  EXPECT_EQ(settings().opensocket, &open_cb);
  EXPECT_EQ(settings().opensocket_data, &a);
  EXPECT_EQ(settings().closesocket, &close_cb);
  EXPECT_EQ(settings().closesocket_data, &b);
  EXPECT_EQ(settings().sockopt, &sockopt_cb);
  EXPECT_EQ(settings().sockopt_data, &c);
  EXPECT_EQ(settings().resolver_start, &resolver_cb);
  EXPECT_EQ(settings().resolver_start_data, &d);
  EXPECT_EQ(settings().debug, &debug_cb);
  EXPECT_EQ(settings().debug_data, &e);
  EXPECT_EQ(settings().stderr_stream, stdout);
  EXPECT_EQ(settings().private_data, &a);
  EXPECT_EQ(settings().error_buffer, errbuf_);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_OPENSOCKETFUNCTION,
                              static_cast<fetch_opensocket_callback>(nullptr)),
            FETCHE_OK);
  EXPECT_EQ(settings().opensocket, nullptr);
}

TEST_F(Options, ErrorBufferCanBeUnset) {
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_ERRORBUFFER, static_cast<char *>(nullptr)),
            FETCHE_OK);
  EXPECT_EQ(set_long(FETCHOPT_PORT, -1), FETCHE_BAD_FUNCTION_ARGUMENT);  // no buffer: no crash
  EXPECT_STREQ(errbuf_, "");
}

TEST_F(Options, SettingFromInsideACallbackIsAllowed) {
  easy_->callback_depth = 1;
  EXPECT_EQ(set_long(FETCHOPT_VERBOSE, 1), FETCHE_OK);
  easy_->callback_depth = 0;
  EXPECT_TRUE(settings().verbose);
}

// ---- reset and duplicate helpers ----

TEST_F(Options, ResetSettingsRestoresDefaultsAndClearsInfo) {
  ASSERT_EQ(set_str(FETCHOPT_URL, "http://example.com/"), FETCHE_OK);
  ASSERT_EQ(set_long(FETCHOPT_PORT, 8080), FETCHE_OK);
  ASSERT_EQ(set_long(FETCHOPT_TCP_NODELAY, 0), FETCHE_OK);
  easy_->info.effective_url = "http://example.com/";
  easy_->info.xfer_id = 4;
  fetch::options::reset_settings(*easy_);
  EXPECT_EQ(settings().url, "");
  EXPECT_EQ(settings().port, 0);
  EXPECT_TRUE(settings().tcp_nodelay);
  EXPECT_EQ(settings().error_buffer, nullptr);
  EXPECT_EQ(easy_->info.effective_url, "");
  EXPECT_EQ(easy_->info.xfer_id, -1);
}

TEST_F(Options, CopySettingsCopiesOptionsButNotInfo) {
  char url[] = "http://example.com/";
  ASSERT_EQ(set_str(FETCHOPT_URL, url), FETCHE_OK);
  ASSERT_EQ(set_long(FETCHOPT_LOCALPORT, 4000), FETCHE_OK);
  fetch_slist entry{const_cast<char *>("h:1:127.0.0.1"), nullptr};
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_RESOLVE, &entry), FETCHE_OK);
  easy_->info.total_us = 5;
  FETCH *other = fetch_easy_init();
  ASSERT_NE(other, nullptr);
  fetch::EasyHandle *copy = fetch::as_easy(other);
  ASSERT_EQ(fetch::options::copy_settings(*easy_, *copy), FETCHE_OK);
  EXPECT_EQ(copy->settings.url, "http://example.com/");
  EXPECT_EQ(copy->settings.localport, 4000);
  EXPECT_EQ(copy->settings.resolve, std::vector<std::string>{"h:1:127.0.0.1"});
  EXPECT_EQ(copy->settings.error_buffer, errbuf_);
  EXPECT_EQ(copy->info.total_us, 0);
  // The copy is independent of the original.
  ASSERT_EQ(set_str(FETCHOPT_URL, "http://changed/"), FETCHE_OK);
  EXPECT_EQ(copy->settings.url, "http://example.com/");
  fetch_easy_cleanup(other);
}

}  // namespace
