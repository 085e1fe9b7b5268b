#include "script_runner.h"

#include <utility>

namespace fetchtest {

ScriptRunner::ScriptRunner(uv_loop_t &loop, HttpSocket &socket) : socket_(socket), timer_(loop) {}

void ScriptRunner::run(std::vector<ScriptAction> actions, DoneCallback done) {
  actions_ = std::move(actions);
  next_action_ = 0;
  done_ = std::move(done);
  running_ = true;
  next();
}

// Starts the next action. Every wait (write completion, timer) comes back here asynchronously,
// so the recursion depth stays at one action.
void ScriptRunner::next() {
  if (socket_.closing()) return;
  if (next_action_ == actions_.size()) {
    end(Outcome::kDone);
    return;
  }
  ScriptAction &action = actions_[next_action_++];
  switch (action.kind) {
    case ScriptAction::Kind::kSend:
    case ScriptAction::Kind::kEchoBody:  // HttpConnection made it the response bytes
      socket_.write(std::move(action.bytes), [this] { next(); });
      return;
    case ScriptAction::Kind::kDelay:
      timer_.start(action.interval, [this] { next(); });
      return;
    case ScriptAction::Kind::kTrickle:
      trickle_ = std::move(action.bytes);
      trickle_pos_ = 0;
      trickle_every_ = action.interval;
      trickle_next();
      return;
    case ScriptAction::Kind::kClose:
      socket_.finish();
      end(Outcome::kEnded);
      return;
    case ScriptAction::Kind::kReset:
      socket_.reset();
      end(Outcome::kEnded);
      return;
    case ScriptAction::Kind::kStall:
      end(Outcome::kStalled);
      return;
  }
}

// One byte now; the next one `trickle_every_` after the kernel took it.
void ScriptRunner::trickle_next() {
  if (trickle_pos_ == trickle_.size()) {
    next();
    return;
  }
  std::string byte(1, trickle_[trickle_pos_++]);
  socket_.write(std::move(byte), [this] {
    if (trickle_pos_ == trickle_.size()) {
      next();
    } else {
      timer_.start(trickle_every_, [this] { trickle_next(); });
    }
  });
}

void ScriptRunner::end(Outcome outcome) {
  running_ = false;
  actions_.clear();
  DoneCallback done = std::move(done_);
  done_ = nullptr;
  if (done) done(outcome);
}

}  // namespace fetchtest
