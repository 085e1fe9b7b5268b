// A libcurl program renamed to fetch gives the same bytes, codes and infos with libfetch as with
// libcurl: examples/http_get_post.c built twice — against libfetch, and against Debian's libcurl
// through the generated rename header (tests/compat) — run against the same server, by
// fetch_easy_perform and by a multi handle. Only the timings may differ.
#include <regex>

#include "cli/cli_fixture.h"

#ifndef FETCH_NO_EXAMPLES
#if !defined(FETCH_EXAMPLE_HTTP_GET_POST_BIN) || !defined(FETCH_LIBCURL_HTTP_GET_POST_BIN)
#error "both builds of examples/http_get_post must be named"
#endif

namespace clitest {
namespace {

class LibcurlCompatTest : public CliTest {
 protected:
  // The program's report with the times (" 0.123 ms ") taken out.
  static std::string without_times(const std::string &out) {
    return std::regex_replace(out, std::regex(" [0-9]+\\.[0-9]+ ms "), " <time> ");
  }
};

TEST_F(LibcurlCompatTest, HttpGetPostGivesTheSameReport) {
  write_file(dir_ / "files" / "page.bin", random_bytes(100000, 7));
  start_files_server();
  for (bool multi : {false, true}) {
    SCOPED_TRACE(multi ? "multi" : "easy");
    std::vector<std::string> args = {server_.origin(), "page.bin"};
    if (multi) args.insert(args.begin(), "--multi");
    RunResult theirs = run_program(FETCH_LIBCURL_HTTP_GET_POST_BIN, args);
    RunResult ours = run_program(FETCH_EXAMPLE_HTTP_GET_POST_BIN, args);
    EXPECT_EQ(theirs.code, 0) << theirs.err;
    EXPECT_EQ(ours.code, theirs.code) << ours.err;
    EXPECT_EQ(without_times(ours.out), without_times(theirs.out));
    EXPECT_NE(ours.out.find("GET  200  100000 bytes  1 redirect(s)"), std::string::npos)
        << ours.out;
  }
  // Both sent the same requests: method, target and body, on one connection per run.
  ASSERT_TRUE(server_.wait_for_requests(12));
  std::vector<RecordedRequest> r = server_.requests();
  ASSERT_EQ(r.size(), 12u);
  for (size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(r[i].method, r[i + 3].method);
    EXPECT_EQ(r[i].target, r[i + 3].target);
    EXPECT_EQ(r[i].body, r[i + 3].body);
  }
  EXPECT_EQ(server_.accepted(), 4u);
}

TEST_F(LibcurlCompatTest, AFailedConnectGivesTheSameCode) {
  RunResult theirs = run_program(FETCH_LIBCURL_HTTP_GET_POST_BIN, {"http://127.0.0.1:1", "x"});
  RunResult ours = run_program(FETCH_EXAMPLE_HTTP_GET_POST_BIN, {"http://127.0.0.1:1", "x"});
  EXPECT_EQ(theirs.code, 7);  // CURLE_COULDNT_CONNECT
  EXPECT_EQ(ours.code, theirs.code) << ours.err;
  EXPECT_EQ(ours.out, theirs.out);
}

}  // namespace
}  // namespace clitest

#endif  // FETCH_NO_EXAMPLES
