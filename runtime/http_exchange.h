// One HTTP/1 request/response exchange of a transfer over its connection: the glue between the
// sans-I/O codec (protocols/http1) and a non-blocking Connection, plus the application's write
// and header callbacks.
//
// The scheduler calls progress() whenever the connection may move (at start, and when its fd is
// ready); progress() sends and receives until the socket would block and says what it waits for
// next. It never blocks and never touches the scheduler: whether the transfer still exists after
// an application callback is asked through `alive`.
#pragma once

#include <fetch/fetch.h>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "protocols/http1/content_decoder.h"
#include "protocols/http1/request_writer.h"
#include "protocols/http1/response_reader.h"
#include "protocols/http1/response_sink.h"

namespace fetch {

struct EasyHandle;
class Connection;

// What the exchange asks of the request (from the URL and the transfer's setup).
struct HttpTarget {
  std::string host_header;  // "host" or "host:port"
  std::string target;       // "/path?query"
};

class HttpExchange final : private http1::ResponseSink, private http1::DecodeSink {
 public:
  enum class Wait : uint8_t { kWrite, kRead, kDone };
  struct Progress {
    Wait wait = Wait::kDone;
    FETCHcode code = FETCHE_OK;
    bool keep_connection = false;  // done and the connection may carry another request
    bool retry = false;  // a reused connection failed before any response byte: retry once
    bool gone = false;   // the transfer was removed from inside a callback: touch nothing
  };

  HttpExchange(EasyHandle &easy, Connection &conn, bool reused, int64_t start_us,
               std::function<bool()> alive);
  HttpExchange(const HttpExchange &) = delete;
  HttpExchange &operator=(const HttpExchange &) = delete;

  // Serializes the request; a bad header or method fails here, before any byte is sent.
  FETCHcode start(const HttpTarget &target);
  Progress progress();

 private:
  Progress send_request();
  Progress receive();
  Progress finish_response();
  Progress failed(FETCHcode code);

  // http1::ResponseSink
  FETCHcode on_status(const http1::StatusLine &status) override;
  FETCHcode on_header(std::string_view name, std::string_view value) override;
  FETCHcode on_head_line(std::string_view raw_line) override;
  FETCHcode on_trailer_line(std::string_view raw_line) override;
  FETCHcode on_headers_complete(const http1::ResponseHead &head) override;
  FETCHcode on_body(std::span<const char> data) override;
  // http1::DecodeSink
  FETCHcode on_decoded(std::span<const char> data) override;

  FETCHcode deliver_header_line(std::string &line);
  FETCHcode deliver_body(const char *data, size_t len);
  FETCHcode call_write(fetch_write_callback fn, void *userdata, char *data, size_t len,
                       const char *what);

  EasyHandle &easy_;
  Connection &conn_;
  bool reused_;
  int64_t start_us_;
  std::function<bool()> alive_;

  std::string request_;  // head + body, sent from request_sent_
  size_t request_sent_ = 0;
  size_t body_bytes_ = 0;
  std::vector<char> recv_buffer_;
  http1::ResponseReader reader_;
  http1::ContentDecoder decoder_;
  std::string line_;  // one header line handed to the application (mutable char *)
  bool got_bytes_ = false;
  bool final_status_ = false;
  bool head_request_ = false;
};

}  // namespace fetch
