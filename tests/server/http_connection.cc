#include "http_connection.h"

#include <strings.h>

#include <utility>

#include "script_responses.h"

namespace fetchtest {

HttpConnection::HttpConnection(uv_loop_t &loop, std::size_t id, HttpRoutes &routes,
                               HttpRecorder &recorder, ClosedCallback closed)
    : id_(id),
      routes_(routes),
      recorder_(recorder),
      closed_(std::move(closed)),
      socket_(loop,
              [this] {
                ClosedCallback closed = std::move(closed_);  // may destroy *this
                closed(*this);
              }),
      runner_(loop, socket_),
      body_timer_(loop) {}

HttpConnection::~HttpConnection() { record_cut_short(); }

// Records the current request as cut short if the connection ends before it is complete.
void HttpConnection::record_cut_short() {
  RecordedRequest &m = parser_.message();
  if (!parser_.started() || m.complete || !m.parse_error.empty() || m.cut_short) return;
  m.cut_short = true;
  publish();
}

void HttpConnection::start() {
  socket_.set_callbacks([this](std::span<const char> bytes) { on_data(bytes); },
                        [this] { on_eof(); });
  update_reading();
}

void HttpConnection::update_reading() {
  bool want = false;
  switch (state_) {
    case State::kReading:
    case State::kStalled:
      want = true;
      break;
    case State::kResponding:
      // An early answer (before the body) leaves the body unread; otherwise keep reading the
      // next pipelined requests, within bounds.
      want = parser_.message().complete && input_.size() < kMaxBufferedInput;
      break;
    case State::kBodyPaused:
    case State::kEnded:
      break;
  }
  socket_.want_reading(want);
}

void HttpConnection::on_data(std::span<const char> bytes) {
  if (state_ == State::kStalled || state_ == State::kEnded) return;
  input_.append(bytes.data(), bytes.size());
  drive();
}

void HttpConnection::on_eof() {
  peer_eof_ = true;
  end_if_peer_gone();
}

// Feeds buffered input to the parser while requests can be read. Each pass consumes input or
// reports an event, so the loop ends within input_.size() + 2 passes per request.
void HttpConnection::drive() {
  if (driving_) return;
  driving_ = true;
  while (state_ == State::kReading && !socket_.closing() && (!input_.empty() || after_head_)) {
    HttpRequestParser::Step step = parser_.feed(input_);
    input_.erase(0, step.consumed);
    after_head_ = step.event == HttpRequestParser::Event::kHead;
    if (step.event == HttpRequestParser::Event::kHead) {
      on_head();
    } else if (step.event == HttpRequestParser::Event::kComplete) {
      on_complete();
    } else if (step.event == HttpRequestParser::Event::kError) {
      on_parse_error();
    } else if (step.consumed == 0) {
      break;
    }
  }
  driving_ = false;
  update_reading();
  end_if_peer_gone();
}

void HttpConnection::publish() {
  RecordedRequest &m = parser_.message();
  m.connection_id = id_;
  m.index = index_;
  if (slot_) {
    recorder_.update(*slot_, m);
  } else {
    slot_ = recorder_.add(m);
  }
}

void HttpConnection::on_head() {
  publish();
  const RecordedRequest &request = parser_.message();
  HttpHandler handler = routes_.find(request.target);
  script_ = handler ? handler(request) : Script();
  script_started_ = false;
  bool early = script_.start_mode() == ScriptStart::kAfterHeaders;
  if (!early && strcasecmp(request.header("Expect").c_str(), "100-continue") == 0) {
    if (script_.expect_mode() == ExpectMode::kContinue) {
      socket_.write(informational_response(100));
    } else if (script_.expect_mode() == ExpectMode::kReject) {
      socket_.write(http_response(417, {{"Connection", "close"}}));
      record_cut_short();
      end_gracefully();
      return;
    }
  }
  if (early) {
    start_script();
  } else if (script_.body_read_pause().count() > 0 && parser_.expects_body()) {
    state_ = State::kBodyPaused;
    body_timer_.start(script_.body_read_pause(), [this] {
      state_ = State::kReading;
      drive();
    });
  }
}

void HttpConnection::on_complete() {
  publish();
  if (script_started_) {
    finish_exchange();  // the early answer has been sent already
  } else {
    start_script();
  }
}

void HttpConnection::on_parse_error() {
  publish();
  socket_.write(http_response(400, {{"Connection", "close"}}));
  end_gracefully();
}

void HttpConnection::start_script() {
  state_ = State::kResponding;
  script_started_ = true;
  update_reading();
  std::vector<ScriptAction> actions = script_.actions();
  for (ScriptAction &action : actions) {
    if (action.kind == ScriptAction::Kind::kEchoBody) {
      action.bytes = http_response(200, {{"Content-Type", action.bytes}}, parser_.message().body);
    }
  }
  runner_.run(std::move(actions), [this](ScriptRunner::Outcome outcome) { after_script(outcome); });
}

void HttpConnection::after_script(ScriptRunner::Outcome outcome) {
  if (outcome == ScriptRunner::Outcome::kEnded) {
    state_ = State::kEnded;
    record_cut_short();
  } else if (outcome == ScriptRunner::Outcome::kStalled) {
    state_ = State::kStalled;
    input_.clear();
  } else if (parser_.message().complete) {
    finish_exchange();
  } else {
    state_ = State::kReading;  // early answer sent: now read the rest of the request
  }
  if (state_ == State::kReading) {
    drive();
  } else {
    update_reading();
  }
}

// The current request has been read and answered: keep-alive or FIN.
void HttpConnection::finish_exchange() {
  bool keep_alive = parser_.keep_alive();
  parser_.next_message();
  slot_.reset();
  script_started_ = false;
  ++index_;
  if (!keep_alive) {
    end_gracefully();
  } else {
    state_ = State::kReading;
  }
}

// The peer sent FIN and every buffered byte has been parsed: record what was cut short, then FIN.
void HttpConnection::end_if_peer_gone() {
  if (!peer_eof_ || driving_ || state_ != State::kReading || !input_.empty()) return;
  record_cut_short();  // a request never ends at EOF, so a started one is cut short
  end_gracefully();
}

void HttpConnection::end_gracefully() {
  state_ = State::kEnded;
  socket_.finish();
}

}  // namespace fetchtest
