// The fetch CLI's -r/--range and -C/--continue-at against the in-process files server (which
// answers Range with 206 or 416) and scripted servers: exact output bytes, the Range header
// sent, appending to the -o file, and curl's exit codes (33 when the server ignores the range).
#include "cli/cli_fixture.h"

namespace clitest {
namespace {

TEST_F(CliTest, RangeWritesThoseBytes) {
  write_file(dir_ / "files" / "digits", "0123456789");
  start_files_server();
  RunResult r = run({"-r", "2-5", url("/digits")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "2345");
  ASSERT_TRUE(server_.wait_for_requests(1));
  EXPECT_EQ(server_.requests()[0].header("Range"), "bytes=2-5");
}

TEST_F(CliTest, LongRangeOptionAndSuffixRange) {
  write_file(dir_ / "files" / "digits", "0123456789");
  start_files_server();
  RunResult r = run({"--range", "-3", url("/digits")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "789");
}

TEST_F(CliTest, RangeWithCrLfIsRefusedBeforeSending) {
  start_files_server();
  RunResult r = run({"-r", "1-2\r\nX-Evil: 1", url("/digits")});
  EXPECT_EQ(r.code, 43) << r.err;
  EXPECT_EQ(r.err.rfind("fetch: (43) ", 0), 0u) << r.err;
  EXPECT_EQ(server_.requests().size(), 0u);
}

TEST_F(CliTest, ContinueAtDashAppendsToTheOutputFile) {
  const std::string data = random_bytes(100000, 9);
  write_file(dir_ / "files" / "data.bin", data);
  write_file(work() / "part.bin", data.substr(0, 30000));
  start_files_server();
  RunResult r = run({"-C", "-", "-o", "part.bin", url("/data.bin")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(read_file(work() / "part.bin") == data) << "the file is completed, not replaced";
  ASSERT_TRUE(server_.wait_for_requests(1));
  EXPECT_EQ(server_.requests()[0].header("Range"), "bytes=30000-");
}

TEST_F(CliTest, ContinueAtDashWithoutAFileFetchesEverything) {
  write_file(dir_ / "files" / "data.bin", "whole file");
  start_files_server();
  RunResult r = run({"--continue-at", "-", "-o", "new.bin", url("/data.bin")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_file(work() / "new.bin"), "whole file");
  ASSERT_TRUE(server_.wait_for_requests(1));
  EXPECT_FALSE(server_.requests()[0].has_header("Range"));
}

TEST_F(CliTest, ContinueAtAnOffsetToStdout) {
  write_file(dir_ / "files" / "digits", "0123456789");
  start_files_server();
  RunResult r = run({"-C", "7", url("/digits")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "789");
}

TEST_F(CliTest, ContinueAtAFinishedFileKeepsIt) {
  write_file(dir_ / "files" / "digits", "0123456789");
  write_file(work() / "done", "0123456789");
  start_files_server();
  // The files server answers 416 past the end; curl treats that as "nothing left".
  RunResult r = run({"-C", "-", "-o", "done", url("/digits")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_file(work() / "done"), "0123456789");
}

TEST_F(CliTest, ContinueAtAgainstAServerIgnoringRangesFails33) {
  server_.on("/norange", Script().send(http_response(200, {}, "0123456789")));
  start_server();
  write_file(work() / "part", "0123");
  RunResult r = run({"-C", "-", "-o", "part", url("/norange")});
  EXPECT_EQ(r.code, 33);
  EXPECT_NE(r.err.find("fetch: (33) HTTP server does not seem to support byte ranges"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(read_file(work() / "part"), "0123") << "nothing is appended";
}

TEST_F(CliTest, ContinueAtRejectsANegativeOffset) {
  start_files_server();
  RunResult r = run({"-C", "-5", url("/digits")});
  EXPECT_NE(r.code, 0);
  EXPECT_EQ(server_.requests().size(), 0u);
}

}  // namespace
}  // namespace clitest
