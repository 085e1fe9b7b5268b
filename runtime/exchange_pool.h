// Finished HTTP/1 exchanges of one scheduler, kept to serve the next requests: a keep-alive
// request in steady state then allocates nothing (DESIGN "Performance habits"). The object's
// storage is reused, and so are its request head, header line and parser buffers, with their
// capacity (HttpExchange::Buffers).
//
// An exchange given back must not be running: the scheduler recycles one only after its
// progress() has returned, or from a transfer buried after every callback has unwound.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "runtime/http_exchange.h"

namespace fetch {

class ExchangePool {
 public:
  // At most this many exchanges are kept (the peak of concurrent requests, up to here).
  static constexpr size_t kMaxSpare = 1024;
  // A buffer that grew past this is freed when the exchange is kept (recycle), not kept.
  static constexpr size_t kMaxKeptBufferBytes = 16 * 1024;

  ExchangePool() = default;
  ExchangePool(const ExchangePool &) = delete;
  ExchangePool &operator=(const ExchangePool &) = delete;

  // A new exchange, built in a kept one's storage when there is one (arguments as
  // HttpExchange's constructor).
  std::unique_ptr<HttpExchange> make(EasyHandle &easy, Connection &conn, ReceiveBuffer &recv,
                                     bool reused, int64_t start_us, std::function<bool()> alive);
  // Takes a finished exchange back (nullptr is ignored).
  void recycle(std::unique_ptr<HttpExchange> exchange);

 private:
  std::vector<std::unique_ptr<HttpExchange>> spare_;
};

}  // namespace fetch
