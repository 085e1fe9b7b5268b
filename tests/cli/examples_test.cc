// The programs in examples/, written as libcurl programs renamed to fetch, run against the
// bundled server's routes (files, "POST /echo", "/redirect/PATH"): what they print and their
// exit codes.
#include "cli/cli_fixture.h"

// Built without examples (-DFETCH_BUILD_EXAMPLES=OFF), there is nothing to run.
#ifndef FETCH_NO_EXAMPLES
#ifndef FETCH_EXAMPLE_HTTP_GET_POST_BIN
#error "FETCH_EXAMPLE_HTTP_GET_POST_BIN must name examples/http_get_post"
#endif

namespace clitest {
namespace {

class ExamplesTest : public CliTest {};

// GET through a redirect, then POST on the same handle: one connection carries all three
// requests (the pool keeps it across performs), by fetch_easy_perform and by a multi handle.
TEST_F(ExamplesTest, HttpGetPostFollowsAndReusesTheConnection) {
  write_file(dir_ / "files" / "page.txt", std::string(5000, 'p'));
  start_files_server();
  for (bool multi : {false, true}) {
    SCOPED_TRACE(multi ? "multi" : "easy");
    std::vector<std::string> args = {server_.origin(), "page.txt"};
    if (multi) args.insert(args.begin(), "--multi");
    RunResult r = run_program(FETCH_EXAMPLE_HTTP_GET_POST_BIN, args);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("GET  200  5000 bytes  1 redirect(s)  1 new connection(s)"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("POST 200  20 bytes  0 redirect(s)  0 new connection(s)"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find(url("/page.txt")), std::string::npos) << r.out;
  }
  ASSERT_TRUE(server_.wait_for_requests(6));
  std::vector<RecordedRequest> requests = server_.requests();
  ASSERT_EQ(requests.size(), 6u);
  EXPECT_EQ(requests[2].method, "POST");
  EXPECT_EQ(requests[2].body, "name=libfetch&lang=c");
  EXPECT_EQ(requests[2].connection_id, requests[0].connection_id);
  EXPECT_EQ(server_.accepted(), 2u);  // one connection per run
}

TEST_F(ExamplesTest, HttpGetPostReportsAFailedTransfer) {
  start_files_server();
  RunResult r = run_program(FETCH_EXAMPLE_HTTP_GET_POST_BIN, {"http://127.0.0.1:1", "x"});
  EXPECT_EQ(r.code, 7) << r.err;  // FETCHE_COULDNT_CONNECT
  EXPECT_NE(r.err.find("transfer failed"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace clitest

#endif  // FETCH_NO_EXAMPLES
