// ScriptRunner: plays a Script's actions on one HttpSocket, one after the other.
#pragma once

#include <uv.h>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "http_socket.h"
#include "http_timer.h"
#include "script.h"

namespace fetchtest {

class ScriptRunner {
 public:
  enum class Outcome {
    kDone,     // every action ran; the connection stays open
    kEnded,    // a close or reset action ended the connection
    kStalled,  // a stall action: nothing more will be sent
  };
  using DoneCallback = std::function<void(Outcome)>;

  ScriptRunner(uv_loop_t &loop, HttpSocket &socket);

  // Starts playing `actions`; `done` runs once at the end (possibly before run() returns, for a
  // script that needs no waiting). Never runs if the socket closes first. `done` may call run().
  void run(std::vector<ScriptAction> actions, DoneCallback done);
  bool running() const { return running_; }

 private:
  void next();
  void trickle_next();
  void end(Outcome outcome);

  HttpSocket &socket_;
  HttpTimer timer_;
  std::vector<ScriptAction> actions_;
  std::size_t next_action_ = 0;
  std::string trickle_;
  std::size_t trickle_pos_ = 0;
  std::chrono::milliseconds trickle_every_{0};
  DoneCallback done_;
  bool running_ = false;
};

}  // namespace fetchtest
