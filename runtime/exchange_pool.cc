#include "runtime/exchange_pool.h"

#include <utility>

namespace fetch {

std::unique_ptr<HttpExchange> ExchangePool::make(EasyHandle &easy, Connection &conn,
                                                 ReceiveBuffer &recv, bool reused, int64_t start_us,
                                                 std::function<bool()> alive) {
  if (spare_.empty()) {
    return std::make_unique<HttpExchange>(easy, conn, recv, reused, start_us, std::move(alive),
                                          HttpExchange::Buffers{});
  }
  std::unique_ptr<HttpExchange> kept = std::move(spare_.back());
  spare_.pop_back();
  HttpExchange::Buffers buffers = kept->release_buffers();
  // The old exchange ends and a new one begins in the same storage. The constructor is
  // noexcept, so the storage never sits without an object inside the unique_ptr.
  HttpExchange *storage = kept.release();
  std::destroy_at(storage);
  kept.reset(std::construct_at(storage, easy, conn, recv, reused, start_us, std::move(alive),
                               std::move(buffers)));
  return kept;
}

void ExchangePool::recycle(std::unique_ptr<HttpExchange> exchange) {
  if (exchange == nullptr || spare_.size() >= kMaxSpare) return;
  exchange->shed(kMaxKeptBufferBytes);  // a kept exchange holds at most this per buffer
  spare_.push_back(std::move(exchange));
}

}  // namespace fetch
