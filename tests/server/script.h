// Script: what the scripted HTTP server does on one connection in answer to one request — an
// ordered list of actions (send bytes, wait, trickle, FIN, RST, stall) plus a few options that say
// when the answer starts and how the request body is read.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace fetchtest {

struct ScriptAction {
  enum class Kind {
    kSend,      // write `bytes`; the next action starts once the write completed
    kDelay,     // wait `interval`
    kTrickle,   // write `bytes` one byte at a time, `interval` between bytes
    kClose,     // FIN after everything queued; later input is discarded. Ends the connection.
    kReset,     // SO_LINGER 0 + close: the peer sees RST. Ends the connection.
    kStall,     // send nothing more, keep the connection open until the server stops. Ends it.
    kEchoBody,  // answer 200 whose body is the request body (`bytes`: its Content-Type)
  };
  Kind kind = Kind::kSend;
  std::string bytes;
  std::chrono::milliseconds interval{0};
};

// What the server does with "Expect: 100-continue" (only when the script starts after the body).
enum class ExpectMode {
  kContinue,  // send "HTTP/1.1 100 Continue" at once (default)
  kIgnore,    // never answer it: the client must time out and send the body anyway
  kReject,    // send 417 with Connection: close, skip the script, FIN
};

// When the actions start.
enum class ScriptStart {
  kAfterBody,     // once the whole request (body included) arrived (default)
  kAfterHeaders,  // right after the request head; the body is not read while the script runs
};

// Built fluently: Script().send(http_response(200, {}, "hi")).close();
// Without close/reset/stall the connection stays open for the next request (keep-alive), unless
// the request itself asked for "Connection: close". Actions after close/reset/stall are ignored.
class Script {
 public:
  using milliseconds = std::chrono::milliseconds;

  Script &send(std::string bytes);
  Script &delay(milliseconds interval);
  Script &trickle(std::string bytes, milliseconds every);
  Script &close();
  Script &reset();
  Script &stall();
  // send(bytes) then close().
  Script &send_then_close(std::string bytes);
  // A 200 response carrying the request body back (the script starts after the body).
  Script &echo_body(std::string content_type);

  // Options.
  Script &start(ScriptStart when);
  Script &expect(ExpectMode mode);
  // Slow reader: stop reading the socket for `pause` once the head arrived, then read the body.
  Script &read_body_after(milliseconds pause);

  const std::vector<ScriptAction> &actions() const { return actions_; }
  ScriptStart start_mode() const { return start_; }
  ExpectMode expect_mode() const { return expect_; }
  milliseconds body_read_pause() const { return body_pause_; }

 private:
  std::vector<ScriptAction> actions_;
  ScriptStart start_ = ScriptStart::kAfterBody;
  ExpectMode expect_ = ExpectMode::kContinue;
  milliseconds body_pause_{0};
};

}  // namespace fetchtest
