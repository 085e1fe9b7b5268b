// HttpConnection: one connection of the scripted HTTP server. Parses requests one at a time,
// records each one, asks the route table for its Script and plays it, then reads the next request
// (keep-alive) unless the script or the request ended the connection.
#pragma once

#include <uv.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "http_recorder.h"
#include "http_request_parser.h"
#include "http_routes.h"
#include "http_socket.h"
#include "http_timer.h"
#include "script.h"
#include "script_runner.h"

namespace fetchtest {

// Lifetime rules: as HttpSocket's. The owner (HttpListener) destroys the object only from the
// `closed` callback. Everything runs on the loop thread.
class HttpConnection {
 public:
  using ClosedCallback = std::function<void(HttpConnection &)>;

  HttpConnection(uv_loop_t &loop, std::size_t id, HttpRoutes &routes, HttpRecorder &recorder,
                 ClosedCallback closed);
  ~HttpConnection();  // records a request cut short by the close
  HttpConnection(const HttpConnection &) = delete;
  HttpConnection &operator=(const HttpConnection &) = delete;

  int accept_from(uv_stream_t &server) { return socket_.accept_from(server); }
  void start();
  void close() { socket_.close(); }

  // Buffered input above which reading pauses while a response is being sent.
  static constexpr std::size_t kMaxBufferedInput = 1 << 20;

 private:
  enum class State {
    kReading,     // parsing requests
    kBodyPaused,  // slow reader: waiting before reading the request body
    kResponding,  // a script is playing
    kStalled,     // a stall action ran: input is read and dropped, nothing is sent
    kEnded,       // FIN or RST sent (or being sent): nothing more happens
  };

  void on_data(std::span<const char> bytes);
  void on_eof();
  void drive();
  void on_head();
  void on_complete();
  void on_parse_error();
  void start_script();
  void after_script(ScriptRunner::Outcome outcome);
  void finish_exchange();
  void end_if_peer_gone();
  void end_gracefully();
  void publish();
  void record_cut_short();
  void update_reading();

  std::size_t id_;
  HttpRoutes &routes_;
  HttpRecorder &recorder_;
  ClosedCallback closed_;
  HttpSocket socket_;
  HttpRequestParser parser_;
  ScriptRunner runner_;
  HttpTimer body_timer_;
  std::string input_;
  Script script_;
  State state_ = State::kReading;
  std::size_t index_ = 0;            // requests finished on this connection
  std::optional<std::size_t> slot_;  // the recorder slot of the current request
  bool after_head_ = false;          // the parser has more to report without new input
  bool script_started_ = false;      // for the current request
  bool peer_eof_ = false;
  bool driving_ = false;
};

}  // namespace fetchtest
