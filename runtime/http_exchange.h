// One HTTP/1 request/response exchange of a transfer over its connection: the glue between the
// sans-I/O codec (protocols/http1) and a non-blocking Connection, plus the application's write
// and header callbacks.
//
// A request body goes out after the head: POSTFIELDS from the application's memory (appended to
// the head when no "Expect: 100-continue" holds it back), or the read callback's data streamed
// through one reused buffer (runtime/upload_body.h), as Content-Length or chunked. With
// "Expect: 100-continue" the body waits for the server's 100, or until Progress::deadline_us
// (FETCHOPT_EXPECT_100_TIMEOUT_MS): the exchange owns no timer, the scheduler arms one.
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
#include "runtime/body_limit.h"
#include "runtime/http_response_checks.h"
#include "runtime/rate_limiter.h"
#include "runtime/receive_buffer.h"
#include "runtime/redirect.h"
#include "runtime/transfer_pause.h"
#include "runtime/upload_body.h"

namespace fetch {

struct EasyHandle;
class Connection;

// What the exchange asks of the request (from the URL and the transfer's setup).
struct HttpTarget {
  std::string host_header;  // "host" or "host:port"
  std::string target;       // "/path?query"
  bool no_expect = false;   // a 417 refused "Expect: 100-continue": ask again without it
};

class HttpExchange final : private http1::ResponseSink, private http1::DecodeSink {
 public:
  // kNone: watch nothing (a paused transfer, or one throttled by MAX_*_SPEED until
  // Progress::deadline_us); progress() is called again when unpaused or at the deadline.
  // kReadWrite: the socket takes no more request body; watch for writability and for an
  // early answer, which ends the exchange without the rest of the body (as libcurl).
  enum class Wait : uint8_t { kWrite, kRead, kDone, kNone, kReadWrite };
  struct Progress {
    Wait wait = Wait::kDone;
    FETCHcode code = FETCHE_OK;
    bool keep_connection = false;  // done and the connection may carry another request
    bool retry = false;  // a reused connection failed before any response byte: retry once
    bool gone = false;   // the transfer was removed from inside a callback: touch nothing
    // With Wait::kRead or kNone: call progress() again at this time (now_us() clock) even if
    // the socket stays quiet (the end of the wait for 100 Continue, or of a MAX_*_SPEED
    // throttle). 0: no deadline.
    int64_t deadline_us = 0;
    // Done with retry: the server answered 417 to "Expect: 100-continue" before any body byte
    // was sent; send the request again without it (HttpTarget::no_expect), as libcurl does.
    bool expect_rejected = false;
  };

  // What a finished exchange hands to the next one (runtime/exchange_pool.h): the buffers
  // that grow to a request's size, with their capacity, so that a keep-alive request in steady
  // state allocates nothing.
  struct Buffers {
    std::string request;
    std::string line;
    http1::ResponseReader reader;
  };

  // `recv_buffer`: the scheduler's, shared by every exchange (runtime/receive_buffer.h).
  // `buffers`: a recycled exchange's (emptied here), or new ones. Never throws, so that the
  // pool can build an exchange in the storage of a finished one.
  HttpExchange(EasyHandle &easy, Connection &conn, ReceiveBuffer &recv_buffer, bool reused,
               int64_t start_us, std::function<bool()> alive, Buffers buffers) noexcept;
  HttpExchange(const HttpExchange &) = delete;
  HttpExchange &operator=(const HttpExchange &) = delete;

  // Frees what only this request needed (decoder states, the upload buffer, data held while
  // paused) and any buffer that grew past `max_bytes` (a huge head line, or a POSTFIELDS body
  // sent along with the head), for an exchange kept in the pool until the next request.
  void shed(size_t max_bytes);
  // Takes the buffers out for the next exchange. This exchange is done with.
  Buffers release_buffers();

  // Serializes the request; a bad header or method fails here, before any byte is sent.
  // `followed`: how a request that follows a redirect differs from the Settings (or nullptr).
  FETCHcode start(const HttpTarget &target, const FollowedRequest *followed = nullptr);
  // The Location of the final response when its status redirects ("" = none).
  const std::string &location() const { return location_; }
  Progress progress();
  // The transfer's pause state (runtime/transfer_pause.h), which outlives this exchange; call
  // before start(). Without it the exchange uses its own.
  void attach_pause(TransferPause &pause) { pause_ = &pause; }

 private:
  // http_exchange_send.cc
  Progress send_request();
  Progress send_body();
  Progress send_failed(int os_errno);
  Progress body_would_block();
  FETCHcode read_upload();
  bool can_retry() const { return reused_ && !got_bytes_ && !body_consumed_; }

  // At most about this long in one receive() while full reads keep coming (then yield).
  static constexpr int64_t kReceiveTurnUs = 2000;
  Progress receive();
  Progress drained(size_t got);
  void arm_low_water_check(int64_t now, Progress *p);
  Progress connection_ended(FETCHcode rc, int os_errno);
  Progress finish_response();
  Progress failed(FETCHcode code);

  // http1::ResponseSink
  FETCHcode on_status(const http1::StatusLine &status) override;
  FETCHcode on_header(std::string_view name, std::string_view value) override;
  FETCHcode on_trailer(std::string_view name, std::string_view value) override;
  FETCHcode on_head_line(std::string_view raw_line) override;
  FETCHcode on_trailer_line(std::string_view raw_line) override;
  FETCHcode on_headers_complete(const http1::ResponseHead &head) override;
  FETCHcode on_body(std::span<const char> data) override;
  // http1::DecodeSink
  FETCHcode on_decoded(std::span<const char> data) override;

  FETCHcode deliver_header_line(std::string_view raw_line);
  FETCHcode deliver_body(const char *data, size_t len);

  // http_exchange_pause.cc: pausing and MAX_*_SPEED throttling.
  using Target = TransferPause::Target;
  // Hands `len` bytes to the application callback `target`, or holds them while receiving is
  // paused (a FETCH_WRITEFUNC_PAUSE answer pauses it and holds these very bytes).
  FETCHcode call_write(Target target, char *data, size_t len);
  size_t invoke(Target target, char *data, size_t len);
  // Delivers what was held while receiving was paused, oldest first, until done or paused again.
  FETCHcode release_held();
  // Before anything else in progress(): releases held data when unpaused, and ends a response
  // that completed while its data was held. Sets *out and returns true when progress() is done.
  bool resume_paused(Progress *out);
  // What to wait for when nothing can be read now (recv would block, is paused or holds data).
  Progress idle_wait() const;
  // The bytes recv may ask for now under MAX_RECV_SPEED (0: throttled, *wait says until when).
  size_t recv_allowance(size_t want, Progress *wait);
  // The bytes send may take now under MAX_SEND_SPEED (0: throttled, *wait says until when).
  size_t send_allowance(size_t want, Progress *wait);

  EasyHandle &easy_;
  Connection &conn_;
  ReceiveBuffer &recv_buffer_;
  bool reused_;
  int64_t start_us_;
  std::function<bool()> alive_;

  // Where the request stands: head, waiting for 100 Continue, body, then only the response.
  enum class Phase : uint8_t { kHead, kExpectWait, kBody, kResponse };
  Phase phase_ = Phase::kHead;
  std::string request_;  // the head (and a POSTFIELDS body sent along), sent from request_sent_
  size_t request_sent_ = 0;
  size_t body_bytes_ = 0;              // body bytes in request_ (POSTFIELDS sent along)
  const char *memory_body_ = nullptr;  // POSTFIELDS sent after a 100 Continue (not copied)
  size_t memory_body_len_ = 0;
  size_t memory_body_sent_ = 0;
  bool callback_body_ = false;   // the body comes from the read callback through upload_
  bool body_consumed_ = false;   // the read callback was called: the request cannot be replayed
  bool body_done_ = false;       // every body byte was sent
  bool waits_continue_ = false;  // the head asks for 100-continue and there is a body
  bool got_continue_ = false;
  bool retry_without_expect_ = false;  // 417 to our Expect: swallow it and retry
  bool no_expect_ = false;
  int64_t continue_deadline_us_ = 0;
  UploadBody upload_;
  std::string location_;
  bool discard_body_ = false;  // a redirect that is followed: its body is not delivered
  http1::ResponseReader reader_;
  http1::ContentDecoder decoder_;
  ResponseChecks checks_;    // RESUME_FROM, TIMECONDITION, FILETIME, Retry-After (response side)
  int64_t upload_skip_ = 0;  // a resumed upload: read-callback bytes to drop before the body

  BodyLimit body_limit_;  // FETCHOPT_MAXFILESIZE for the response being read

  // Pausing and speed limits (http_exchange_pause.cc).
  TransferPause own_pause_;             // used until attach_pause()
  TransferPause *pause_ = &own_pause_;  // what is paused; held deliveries
  bool finish_held_ = false;            // the response ended while its data was held
  bool finish_held_extra_ = false;      // ... and its connection may not be reused
  RateLimiter recv_limit_;              // FETCHOPT_MAX_RECV_SPEED_LARGE
  RateLimiter send_limit_;              // FETCHOPT_MAX_SEND_SPEED_LARGE (request body)
  std::string line_;  // one header line handed to the application (mutable char *)
  bool got_bytes_ = false;
  bool final_status_ = false;
  bool head_request_ = false;
  int64_t low_water_check_us_ = 0;  // the pending check of a raised low-water mark (drained())
};

}  // namespace fetch
