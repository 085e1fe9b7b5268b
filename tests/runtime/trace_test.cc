// VERBOSE tracing (runtime/trace.h): lines tagged "[<transfer-id>/<connection-id or ->] " go to
// FETCHOPT_DEBUGFUNCTION as FETCHINFO_TEXT, or to FETCHOPT_STDERR without one; state
// transitions and pool decisions are traced; nothing is traced without VERBOSE.
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "runtime/handles.h"
#include "server/echo_server.h"

namespace {

struct Collected {
  std::vector<std::string> text;
  int other_types = 0;
};

int collect(FETCH *, fetch_infotype type, char *data, size_t size, void *userp) {
  auto *c = static_cast<Collected *>(userp);
  if (type == FETCHINFO_TEXT) {
    c->text.emplace_back(data, size);
  } else {
    ++c->other_types;
  }
  return 0;
}

// Sends what `e` traces (with VERBOSE `verbose`) to `c`.
void collect_trace(FETCH *e, Collected *c, long verbose = 1L) {
  fetch_easy_setopt(e, FETCHOPT_VERBOSE, verbose);
  fetch_easy_setopt(e, FETCHOPT_DEBUGFUNCTION, &collect);
  fetch_easy_setopt(e, FETCHOPT_DEBUGDATA, c);
}

bool any_contains(const std::vector<std::string> &lines, const std::string &needle) {
  for (const std::string &l : lines) {
    if (l.find(needle) != std::string::npos) return true;
  }
  return false;
}

std::string joined(const std::vector<std::string> &lines) {
  std::string out;
  for (const std::string &l : lines) out += l;
  return out;
}

std::vector<std::string> split_lines(const std::string &text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size() - 1;
    out.push_back(text.substr(start, nl - start + 1));
    start = nl + 1;
  }
  return out;
}

const std::regex kTagged(R"(^\[(\d+)/(\d+|-)\] [^\n]+\n$)");

class TraceTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(server_.start(), 0); }

  FETCH *connect_only_easy() { return fetchtest::connect_only_easy(server_.port()); }

  fetchtest::EchoServer server_;
};

TEST_F(TraceTest, DebugFunctionGetsTaggedLinesWithTransitionsAndPoolDecision) {
  FETCH *e = connect_only_easy();
  Collected c;
  collect_trace(e, &c);
  ASSERT_EQ(fetch_easy_perform(e), FETCHE_OK);
  ASSERT_FALSE(c.text.empty());
  for (const std::string &line : c.text) {
    EXPECT_TRUE(std::regex_match(line, kTagged)) << "untagged line: " << line;
  }
  const std::string all = joined(c.text);
  EXPECT_TRUE(any_contains(c.text, "INIT -> RESOLVE")) << all;
  EXPECT_TRUE(any_contains(c.text, "RESOLVE -> CONNECT")) << all;
  EXPECT_TRUE(any_contains(c.text, "CONNECT -> PROTOCOL")) << all;
  EXPECT_TRUE(any_contains(c.text, "-> DONE")) << all;
  EXPECT_TRUE(any_contains(c.text, "not reusing")) << all;
  // In that order.
  auto at = [&](const char *needle) {
    for (size_t i = 0; i < c.text.size(); ++i) {
      if (c.text[i].find(needle) != std::string::npos) return i;
    }
    return c.text.size();
  };
  EXPECT_LT(at("INIT -> RESOLVE"), at("RESOLVE -> CONNECT"));
  EXPECT_LT(at("RESOLVE -> CONNECT"), at("CONNECT -> PROTOCOL"));
  EXPECT_LT(at("CONNECT -> PROTOCOL"), at("-> DONE"));
  fetch_easy_cleanup(e);
}

TEST_F(TraceTest, TagsNameTheTransferAndConnectionThatGetinfoReports) {
  FETCH *e = connect_only_easy();
  Collected c;
  collect_trace(e, &c);
  ASSERT_EQ(fetch_easy_perform(e), FETCHE_OK);
  fetch_off_t xfer_id = -1;
  fetch_off_t conn_id = -1;
  ASSERT_EQ(fetch_easy_getinfo(e, FETCHINFO_XFER_ID, &xfer_id), FETCHE_OK);
  ASSERT_EQ(fetch_easy_getinfo(e, FETCHINFO_CONN_ID, &conn_id), FETCHE_OK);
  bool saw_connection = false;
  std::string wrong_xfer, wrong_conn;  // lines whose tag disagrees with getinfo
  for (const std::string &line : c.text) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, kTagged)) << line;
    if (m[1].str() != std::to_string(xfer_id)) wrong_xfer += line;
    if (m[2].str() != "-") {
      if (m[2].str() != std::to_string(conn_id)) wrong_conn += line;
      saw_connection = true;
    }
  }
  EXPECT_TRUE(saw_connection) << joined(c.text);
  EXPECT_EQ(wrong_xfer, "") << "FETCHINFO_XFER_ID is " << xfer_id;
  EXPECT_EQ(wrong_conn, "") << "FETCHINFO_CONN_ID is " << conn_id;
  fetch_easy_cleanup(e);
}

TEST_F(TraceTest, ParallelTransfersHaveTheirOwnTags) {
  FETCHM *m = fetch_multi_init();
  Collected ca, cb;
  FETCH *a = connect_only_easy();
  FETCH *b = connect_only_easy();
  for (auto [e, c] : {std::pair{a, &ca}, std::pair{b, &cb}}) {
    collect_trace(e, c);
    ASSERT_EQ(fetch_multi_add_handle(m, e), FETCHM_OK);
  }
  int running = 0;
  ASSERT_NO_FATAL_FAILURE(fetchtest::perform_until_running_at_most(m, 0, &running));
  ASSERT_EQ(running, 0);
  auto tags = [](const Collected &c) {
    std::set<std::string> out;
    for (const std::string &line : c.text) {
      std::smatch m;
      if (std::regex_match(line, m, kTagged)) out.insert(m[1].str());
    }
    return out;
  };
  std::set<std::string> ta = tags(ca), tb = tags(cb);
  ASSERT_EQ(ta.size(), 1u) << joined(ca.text);
  ASSERT_EQ(tb.size(), 1u) << joined(cb.text);
  EXPECT_NE(*ta.begin(), *tb.begin());
  fetch_easy_cleanup(a);
  fetch_easy_cleanup(b);
  EXPECT_EQ(fetch_multi_cleanup(m), FETCHM_OK);
}

TEST_F(TraceTest, NothingWithoutVerbose) {
  FETCH *e = connect_only_easy();
  Collected c;
  collect_trace(e, &c, 0L);
  FILE *err = tmpfile();
  ASSERT_NE(err, nullptr);
  fetch_easy_setopt(e, FETCHOPT_STDERR, err);
  ASSERT_EQ(fetch_easy_perform(e), FETCHE_OK);
  EXPECT_TRUE(c.text.empty()) << joined(c.text);
  EXPECT_EQ(c.other_types, 0);
  fflush(err);
  EXPECT_EQ(ftell(err), 0);
  fetch_easy_cleanup(e);
  fclose(err);
}

TEST_F(TraceTest, VerboseWithoutDebugFunctionWritesToStderrOption) {
  FETCH *e = connect_only_easy();
  FILE *err = tmpfile();
  ASSERT_NE(err, nullptr);
  fetch_easy_setopt(e, FETCHOPT_VERBOSE, 1L);
  fetch_easy_setopt(e, FETCHOPT_STDERR, err);
  ASSERT_EQ(fetch_easy_perform(e), FETCHE_OK);
  fflush(err);
  long size = ftell(err);
  ASSERT_GT(size, 0);
  rewind(err);
  std::string text(static_cast<size_t>(size), '\0');
  ASSERT_EQ(fread(text.data(), 1, text.size(), err), text.size());
  std::vector<std::string> lines = split_lines(text);
  ASSERT_FALSE(lines.empty());
  for (const std::string &line : lines) {
    EXPECT_TRUE(std::regex_match(line, kTagged)) << "untagged line: " << line;
  }
  EXPECT_TRUE(any_contains(lines, "INIT -> RESOLVE")) << text;
  EXPECT_TRUE(any_contains(lines, "-> DONE")) << text;
  EXPECT_TRUE(any_contains(lines, "not reusing")) << text;
  fetch_easy_cleanup(e);
  fclose(err);
}

}  // namespace
