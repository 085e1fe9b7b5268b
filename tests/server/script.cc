#include "script.h"

#include <utility>

namespace fetchtest {

Script &Script::send(std::string bytes) {
  actions_.push_back({ScriptAction::Kind::kSend, std::move(bytes), milliseconds(0)});
  return *this;
}

Script &Script::delay(milliseconds interval) {
  actions_.push_back({ScriptAction::Kind::kDelay, {}, interval});
  return *this;
}

Script &Script::trickle(std::string bytes, milliseconds every) {
  actions_.push_back({ScriptAction::Kind::kTrickle, std::move(bytes), every});
  return *this;
}

Script &Script::close() {
  actions_.push_back({ScriptAction::Kind::kClose, {}, milliseconds(0)});
  return *this;
}

Script &Script::reset() {
  actions_.push_back({ScriptAction::Kind::kReset, {}, milliseconds(0)});
  return *this;
}

Script &Script::stall() {
  actions_.push_back({ScriptAction::Kind::kStall, {}, milliseconds(0)});
  return *this;
}

Script &Script::send_then_close(std::string bytes) { return send(std::move(bytes)).close(); }

Script &Script::echo_body(std::string content_type) {
  actions_.push_back({ScriptAction::Kind::kEchoBody, std::move(content_type), milliseconds(0)});
  return *this;
}

Script &Script::start(ScriptStart when) {
  start_ = when;
  return *this;
}

Script &Script::expect(ExpectMode mode) {
  expect_ = mode;
  return *this;
}

Script &Script::read_body_after(milliseconds pause) {
  body_pause_ = pause;
  return *this;
}

}  // namespace fetchtest
