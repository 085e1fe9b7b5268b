// The fetch command-line tool, run as a separate program (FETCH_CLI_BIN) against the in-process
// HTTP test server: outputs byte for byte, headers, -w, exit codes, request options, --parallel.
#include "cli/cli_fixture.h"

namespace clitest {
namespace {

TEST_F(CliTest, BodyToStdout) {
  write_file(dir_ / "files" / "hello.txt", "hello, world\n");
  start_files_server();
  RunResult r = run({url("/hello.txt")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "hello, world\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(CliTest, OutputFileIsByteExact) {
  const std::string data = random_bytes(300000, 1);
  write_file(dir_ / "files" / "data.bin", data);
  start_files_server();
  RunResult r = run({"-o", "copy.bin", url("/data.bin")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(read_file(work() / "copy.bin"), data);
}

TEST_F(CliTest, RemoteNameUsesTheUrlsFileName) {
  const std::string data = random_bytes(70000, 2);
  write_file(dir_ / "files" / "remote.bin", data);
  start_files_server();
  RunResult r = run({"-O", url("/remote.bin?x=1")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_file(work() / "remote.bin"), data);
}

TEST_F(CliTest, RemoteNameWithoutFileNameFails23) {
  start_files_server();
  RunResult r = run({"-O", url("/")});
  EXPECT_EQ(r.code, 23);
  EXPECT_NE(r.err.find("fetch: (23) "), std::string::npos) << r.err;
}

TEST_F(CliTest, EmptyBodyStillCreatesTheFile) {
  write_file(dir_ / "files" / "empty", "");
  start_files_server();
  RunResult r = run({"-o", "empty.out", url("/empty")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(work() / "empty.out"));
  EXPECT_EQ(fs::file_size(work() / "empty.out"), 0u);
}

TEST_F(CliTest, IncludeWritesHeadersThenBody) {
  server_.on("/page", Script().send(http_response(200, {{"X-Thing", "1"}}, "body!")));
  start_server();
  RunResult r = run({"-i", url("/page")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "HTTP/1.1 200 OK\r\nX-Thing: 1\r\nContent-Length: 5\r\n\r\nbody!");
}

TEST_F(CliTest, HeadSendsHeadAndShowsOnlyHeaders) {
  write_file(dir_ / "files" / "f.txt", "0123456789");
  start_files_server();
  RunResult r = run({"-I", url("/f.txt")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("Content-Length: 10\r\n"), std::string::npos);
  EXPECT_EQ(r.out.substr(r.out.size() - 4), "\r\n\r\n");
  ASSERT_TRUE(server_.wait_for_requests(1));
  EXPECT_EQ(server_.requests()[0].method, "HEAD");
}

TEST_F(CliTest, WriteOutVariables) {
  server_.on("/w", Script().send(http_response(201, {{"Content-Type", "text/plain"}}, "abc")));
  start_server();
  RunResult r = run({"-s", "-o", "/dev/null", "-w",
                     "%{http_code}|%{response_code}|%{method}|%{size_download}|%{content_type}|"
                     "%{exitcode}|%{url_effective}|%{num_connects}|%{errormsg}|%%\\n",
                     url("/w")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "201|201|GET|3|text/plain|0|" + url("/w") + "|1||%\n");
}

TEST_F(CliTest, WriteOutTimesHaveSixDecimals) {
  server_.on("/t", Script().send(http_response(200, {}, "x")));
  start_server();
  RunResult r = run({"-s", "-o", "/dev/null", "-w",
                     "%{time_namelookup} %{time_connect} %{time_starttransfer} %{time_total} "
                     "%{speed_download} %{size_upload}",
                     url("/t")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(std::regex_match(r.out, std::regex(R"((\d+\.\d{6} ){4}\d+ 0)"))) << r.out;
}

TEST_F(CliTest, WriteOutOnFailureAndToStderr) {
  const int port = fetchtest::closed_port();
  ASSERT_NE(port, 0);
  RunResult r = run({"-s", "-w", "%{stderr}%{exitcode} %{http_code}",
                     "http://127.0.0.1:" + std::to_string(port) + "/"});
  EXPECT_EQ(r.code, 7);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "7 000");
}

TEST_F(CliTest, FailOnHttpErrorExits22AndWritesNoFile) {
  start_files_server();
  RunResult r = run({"-f", "-o", "missing.out", url("/missing")});
  EXPECT_EQ(r.code, 22);
  EXPECT_NE(r.err.find("fetch: (22) "), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(work() / "missing.out"));
}

TEST_F(CliTest, HttpErrorWithoutFailIsSuccess) {
  server_.on("/gone", Script().send(http_response(404, {}, "not here")));
  start_server();
  RunResult r = run({url("/gone")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "not here");
}

TEST_F(CliTest, DataIsPostedJoinedWithAmpersand) {
  server_.on("/post", Script().send(http_response(200, {}, "ok")));
  start_server();
  RunResult r = run({"-d", "a=1", "--data", "b=2", url("/post")});
  EXPECT_EQ(r.code, 0) << r.err;
  ASSERT_TRUE(server_.wait_for_requests(1));
  const RecordedRequest req = server_.requests()[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.body, "a=1&b=2");
  EXPECT_EQ(req.header("Content-Type"), "application/x-www-form-urlencoded");
}

TEST_F(CliTest, DataFromFilesAndUrlEncoding) {
  write_file(work() / "lines.txt", "one\ntwo\r\n");
  server_.on("/post", Script().send(http_response(200, {}, "ok")));
  start_server();
  RunResult r1 = run({"-d", "@lines.txt", url("/post")});
  RunResult r2 = run({"--data-binary", "@lines.txt", url("/post")});
  RunResult r3 = run({"--data-urlencode", "msg=hello world&x", "--data-raw", "@raw", url("/post")});
  EXPECT_EQ(r1.code + r2.code + r3.code, 0) << r1.err << r2.err << r3.err;
  ASSERT_TRUE(server_.wait_for_requests(3));
  const auto reqs = server_.requests();
  EXPECT_EQ(reqs[0].body, "onetwo");
  EXPECT_EQ(reqs[1].body, "one\ntwo\r\n");
  EXPECT_EQ(reqs[2].body, "msg=hello%20world%26x&@raw");
}

TEST_F(CliTest, MissingDataFileWarnsAndPostsNothing) {
  server_.on("/post", Script().send(http_response(200, {}, "ok")));
  start_server();
  RunResult r = run({"-d", "@does-not-exist", url("/post")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.rfind("Warning: Couldn't read data from file \"does-not-exist\"", 0), 0u)
      << r.err;
  ASSERT_TRUE(server_.wait_for_requests(1));
  EXPECT_EQ(server_.requests()[0].method, "POST");
  EXPECT_EQ(server_.requests()[0].body, "");
}

TEST_F(CliTest, HeadersAgentRefererAndMethod) {
  server_.on("/h", Script().send(http_response(200, {}, "ok")));
  start_server();
  RunResult r = run({"-H", "X-Test: yes", "-A", "agent/1.0", "-e", "http://ref.example/", "-X",
                     "DELETE", "--compressed", url("/h")});
  EXPECT_EQ(r.code, 0) << r.err;
  ASSERT_TRUE(server_.wait_for_requests(1));
  const RecordedRequest req = server_.requests()[0];
  EXPECT_EQ(req.method, "DELETE");
  EXPECT_EQ(req.header("X-Test"), "yes");
  EXPECT_EQ(req.header("User-Agent"), "agent/1.0");
  EXPECT_EQ(req.header("Referer"), "http://ref.example/");
  EXPECT_NE(req.header("Accept-Encoding"), "");
}

TEST_F(CliTest, DefaultUserAgentIsFetch) {
  server_.on("/h", Script().send(http_response(200, {}, "ok")));
  start_server();
  RunResult r = run({url("/h")});
  EXPECT_EQ(r.code, 0) << r.err;
  ASSERT_TRUE(server_.wait_for_requests(1));
  EXPECT_EQ(server_.requests()[0].header("User-Agent").rfind("fetch/", 0), 0u);
}

TEST_F(CliTest, ResolvePinsAHostName) {
  server_.on("/r", Script().send(http_response(200, {}, "resolved")));
  start_server();
  const std::string port = std::to_string(server_.port());
  RunResult r =
      run({"--resolve", "cli.example:" + port + ":127.0.0.1", "http://cli.example:" + port + "/r"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "resolved");
  ASSERT_TRUE(server_.wait_for_requests(1));
  EXPECT_EQ(server_.requests()[0].header("Host"), "cli.example:" + port);
}

TEST_F(CliTest, ConnectToRedirectsTheConnection) {
  server_.on("/c", Script().send(http_response(200, {}, "connected")));
  start_server();
  const std::string port = std::to_string(server_.port());
  RunResult r = run({"--connect-to", "cli.example:80:127.0.0.1:" + port, "http://cli.example/c"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "connected");
  ASSERT_TRUE(server_.wait_for_requests(1));
  EXPECT_EQ(server_.requests()[0].header("Host"), "cli.example");
}

TEST_F(CliTest, ParallelTwentyFilesByteExact) {
  std::vector<std::string> args = {"-Z", "--parallel-max", "7", "--remote-name-all"};
  std::vector<std::string> expected;
  std::size_t total = 0;
  for (int i = 0; i < 20; ++i) {
    expected.push_back(random_bytes(1000 + 37000 * i, 100 + i));
    total += expected.back().size();
    write_file(dir_ / "files" / ("p" + std::to_string(i) + ".bin"), expected.back());
  }
  start_files_server();
  for (int i = 0; i < 20; ++i) args.push_back(url("/p" + std::to_string(i) + ".bin"));
  RunResult r = run(args);
  EXPECT_EQ(r.code, 0) << r.err;
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(read_file(work() / ("p" + std::to_string(i) + ".bin")), expected[i]) << i;
  }
  EXPECT_NE(r.err.find("20 transfers, " + std::to_string(total) + " bytes in "), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(", 0 failed\n"), std::string::npos) << r.err;
}

TEST_F(CliTest, ParallelPerUrlOutputsAndFailures) {
  write_file(dir_ / "files" / "a", "AAA");
  write_file(dir_ / "files" / "b", "BBBB");
  start_files_server();
  RunResult r = run({"-Z", "-f", "-o", "a.out", url("/a"), "-o", "b.out", url("/b"), "-o", "c.out",
                     url("/nope")});
  EXPECT_EQ(r.code, 22);
  EXPECT_EQ(read_file(work() / "a.out"), "AAA");
  EXPECT_EQ(read_file(work() / "b.out"), "BBBB");
  EXPECT_FALSE(fs::exists(work() / "c.out"));
  EXPECT_NE(r.err.find("3 transfers, 7 bytes in "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(", 1 failed\n"), std::string::npos) << r.err;
}

TEST_F(CliTest, SerialTransfersReuseTheConnection) {
  write_file(dir_ / "files" / "a", "A");
  start_files_server();
  RunResult r =
      run({"-w", "%{num_connects}\\n", "-o", "/dev/null", "-o", "/dev/null", url("/a"), url("/a")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "1\n0\n");
}

TEST_F(CliTest, ClosedPortExits7) {
  const int port = fetchtest::closed_port();
  ASSERT_NE(port, 0);
  RunResult r = run({"http://127.0.0.1:" + std::to_string(port) + "/"});
  EXPECT_EQ(r.code, 7);
  EXPECT_EQ(r.err.rfind("fetch: (7) ", 0), 0u) << r.err;
}

TEST_F(CliTest, UnresolvableHostExits6) {
  RunResult r = run({"http://no-such-host.invalid/"});
  EXPECT_EQ(r.code, 6);
  EXPECT_EQ(r.err.rfind("fetch: (6) ", 0), 0u) << r.err;
}

TEST_F(CliTest, SilentHidesErrorsShowErrorBringsThemBack) {
  const std::string u = "http://127.0.0.1:" + std::to_string(fetchtest::closed_port()) + "/";
  RunResult quiet = run({"-s", u});
  RunResult shown = run({"-sS", u});
  EXPECT_EQ(quiet.code, 7);
  EXPECT_EQ(quiet.err, "");
  EXPECT_EQ(shown.code, 7);
  EXPECT_EQ(shown.err.rfind("fetch: (7) ", 0), 0u) << shown.err;
}

TEST_F(CliTest, LastFailureIsTheExitCode) {
  write_file(dir_ / "files" / "ok", "fine");
  start_files_server();
  const std::string closed = "http://127.0.0.1:" + std::to_string(fetchtest::closed_port()) + "/";
  RunResult r = run({url("/ok"), closed});
  EXPECT_EQ(r.code, 7);
  EXPECT_EQ(r.out, "fine");
}

TEST_F(CliTest, MaxTimeExits28) {
  server_.on("/slow", Script().stall());
  start_server();
  const auto t0 = std::chrono::steady_clock::now();
  RunResult r = run({"-m", "0.3", url("/slow")});
  EXPECT_EQ(r.code, 28) << r.err;
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
}

TEST_F(CliTest, RetryOnServiceUnavailable) {
  std::atomic<int> calls{0};
  server_.on("/flaky", [&calls](const RecordedRequest &) {
    return ++calls <= 2 ? Script().send(http_response(503, {}, "busy"))
                        : Script().send(http_response(200, {}, "done"));
  });
  start_server();
  RunResult r = run({"--retry", "3", "--retry-delay", "0.05", "-o", "out", url("/flaky")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(calls.load(), 3);
  EXPECT_EQ(read_file(work() / "out"), "done");
  EXPECT_NE(r.err.find("Warning: Problem: HTTP error. Will retry in 0.05 seconds. 3 retries left."),
            std::string::npos)
      << r.err;
}

TEST_F(CliTest, RetryIsBounded) {
  std::atomic<int> calls{0};
  server_.on("/down", [&calls](const RecordedRequest &) {
    ++calls;
    return Script().send(http_response(500, {}, "down"));
  });
  start_server();
  RunResult r = run({"-f", "-s", "--retry", "2", "--retry-delay", "0.01", url("/down")});
  EXPECT_EQ(r.code, 22);
  EXPECT_EQ(calls.load(), 3);
  EXPECT_EQ(r.err, "");
}

TEST_F(CliTest, NoRetryOnNotFound) {
  start_files_server();
  RunResult r = run({"-f", "--retry", "3", "--retry-delay", "0.01", url("/nothing")});
  EXPECT_EQ(r.code, 22);
  ASSERT_TRUE(server_.wait_for_requests(1));
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(CliTest, RetryConnRefused) {
  const std::string u = "http://127.0.0.1:" + std::to_string(fetchtest::closed_port()) + "/";
  RunResult plain = run({"--retry", "2", "--retry-delay", "0.01", u});
  RunResult refused = run({"--retry", "2", "--retry-delay", "0.01", "--retry-connrefused", u});
  EXPECT_EQ(plain.code, 7);
  EXPECT_EQ(plain.err.find("Warning"), std::string::npos) << plain.err;
  EXPECT_EQ(refused.code, 7);
  EXPECT_NE(refused.err.find("1 retry left"), std::string::npos) << refused.err;
}

// Options whose library feature may not be built yet: either they work, or the CLI reports the
// library's "not built in" error (4) the way curl reports any FETCHcode.
// -v: the request and response headers on stderr, "> " and "< " as curl, the body on stdout.
TEST_F(CliTest, VerboseShowsRequestAndResponseHeaders) {
  write_file(dir_ / "files" / "v.txt", "verbose body");
  start_files_server();
  RunResult r = run({"-v", url("/v.txt")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "verbose body");
  EXPECT_NE(r.err.find("> GET /v.txt HTTP/1.1\r\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("< HTTP/1.1 200 OK\r\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("< Content-Length: 12\r\n"), std::string::npos) << r.err;
}

TEST_F(CliTest, LocationIsFollowed) {
  server_.on("/from", Script().send(fetchtest::redirect_response(302, "/to")));
  server_.on("/to", Script().send(http_response(200, {}, "arrived")));
  start_server();
  RunResult r = run({"-L", url("/from")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "arrived");
}

TEST_F(CliTest, UploadPutsTheFile) {
  const std::string data = random_bytes(5000, 7);
  write_file(work() / "up.bin", data);
  server_.on("/dir/up.bin", Script().send(http_response(201, {}, "stored")));
  start_server();
  RunResult r = run({"-T", "up.bin", url("/dir/")});
  EXPECT_EQ(r.code, 0) << r.err;
  ASSERT_TRUE(server_.wait_for_requests(1));
  EXPECT_EQ(server_.requests()[0].method, "PUT");
  EXPECT_EQ(server_.requests()[0].target, "/dir/up.bin");
  EXPECT_EQ(server_.requests()[0].body, data);
  EXPECT_EQ(r.out, "stored");
}

TEST_F(CliTest, UploadOfMissingFileExits26) {
  RunResult r = run({"-T", "no-such-file", "http://127.0.0.1:1/"});
  EXPECT_EQ(r.code, 26);
  EXPECT_EQ(r.err.rfind("fetch: (26) ", 0), 0u) << r.err;
}

TEST_F(CliTest, BadCommandLinesExit2) {
  RunResult unknown = run({"--bogus", "http://x/"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_EQ(unknown.err.rfind("fetch: option --bogus: is unknown\n", 0), 0u) << unknown.err;
  RunResult missing = run({"http://x/", "-o"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("requires parameter"), std::string::npos) << missing.err;
  RunResult no_url = run({"-s"});
  EXPECT_EQ(no_url.code, 2);
  RunResult both = run({"-I", "-d", "x", "http://x/"});
  EXPECT_EQ(both.code, 2);
}

TEST_F(CliTest, HelpAndVersion) {
  RunResult help = run({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("--parallel-max"), std::string::npos);
  RunResult version = run({"-V"});
  EXPECT_EQ(version.code, 0);
  EXPECT_EQ(version.out.rfind("fetch ", 0), 0u) << version.out;
}

}  // namespace
}  // namespace clitest
