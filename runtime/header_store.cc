#include "runtime/header_store.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>

#include "protocols/http1/tokens.h"

namespace fetch {

namespace {

// The first arena block holds a usual response head; each later one doubles. Every easy handle
// keeps its arena, so with thousands of concurrent transfers this is per-connection memory.
constexpr size_t kFirstBlockBytes = 1024;
// What an arena keeps across transfers.
constexpr size_t kKeptBytes = 64 * 1024;
// A reserved origin bit set on every exported header, as libcurl does, so that applications
// test origins with `&` and never with `==` (curl_easy_header(3): the other bits are reserved).
constexpr unsigned kReservedOriginBit = 1u << 27;

}  // namespace

char *HeaderStore::Arena::allocate(size_t n) {
  // Blocks left over from an earlier transfer are reused in order; one too small for this
  // request is skipped (its room comes back at the next reset).
  while (current_ < blocks_.size() && blocks_[current_].size - blocks_[current_].used < n) {
    ++current_;
  }
  if (current_ == blocks_.size()) {
    size_t size = std::max(blocks_.empty() ? kFirstBlockBytes : 2 * blocks_.back().size, n);
    blocks_.push_back(Block{std::make_unique_for_overwrite<char[]>(size), size, 0});
  }
  Block &b = blocks_[current_];
  char *p = b.data.get() + b.used;
  b.used += n;
  return p;
}

void HeaderStore::Arena::reset() {
  // Keep what a usual transfer needs; memory a huge one grew (a long redirect chain, 100 KiB
  // headers) goes back, so an idle handle does not hold it.
  size_t kept = 0;
  size_t keep_blocks = 0;
  while (keep_blocks < blocks_.size() && kept + blocks_[keep_blocks].size <= kKeptBytes) {
    kept += blocks_[keep_blocks].size;
    ++keep_blocks;
  }
  blocks_.resize(keep_blocks);
  for (Block &b : blocks_) b.used = 0;
  current_ = 0;
}

void HeaderStore::clear() {
  entries_.clear();
  arena_.reset();
  requests_ = -1;
  found_ = fetch_header{};
  iterated_ = fetch_header{};
}

FETCHcode HeaderStore::add(std::string_view name, std::string_view value, unsigned origin) {
  const int request = requests_ < 0 ? 0 : requests_;
  try {
    // "name\0value\0" in one piece.
    char *p = arena_.allocate(name.size() + value.size() + 2);
    memcpy(p, name.data(), name.size());
    p[name.size()] = '\0';
    char *v = p + name.size() + 1;
    memcpy(v, value.data(), value.size());
    v[value.size()] = '\0';
    entries_.push_back(Entry{p, v, name.size(), origin, request});
  } catch (const std::bad_alloc &) {
    return FETCHE_OUT_OF_MEMORY;
  }
  return FETCHE_OK;
}

void HeaderStore::export_entry(size_t at, size_t index, size_t amount, fetch_header &out) {
  const Entry &e = entries_[at];
  out.name = e.name;
  out.value = e.value;
  out.amount = amount;
  out.index = index;
  out.origin = e.origin | kReservedOriginBit;
  out.anchor = reinterpret_cast<void *>(static_cast<uintptr_t>(at) + 1);  // rule 4
}

template <typename Visit>
size_t HeaderStore::visit_named(std::string_view name, unsigned origin, int request,
                                Visit &&visit) const {
  size_t amount = 0;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry &e = entries_[i];
    if (!in_scope(e, origin, request) ||
        !http1::iequals(std::string_view(e.name, e.name_len), name))
      continue;
    visit(i, amount);
    ++amount;
  }
  return amount;
}

FETCHHcode HeaderStore::find(std::string_view name, size_t index, unsigned origin, int request,
                             fetch_header **out) {
  if (entries_.empty()) return FETCHHE_NOHEADERS;
  if (request > requests_) return FETCHHE_NOREQUEST;
  if (request == -1) request = requests_;
  size_t picked = entries_.size();
  const size_t amount = visit_named(name, origin, request, [&](size_t at, size_t ordinal) {
    if (ordinal == index) picked = at;
  });
  if (amount == 0) return FETCHHE_MISSING;
  if (index >= amount) return FETCHHE_BADINDEX;
  export_entry(picked, index, amount, found_);
  *out = &found_;
  return FETCHHE_OK;
}

fetch_header *HeaderStore::next(unsigned origin, int request, const fetch_header *prev) {
  if (request > requests_ || request < -1) return nullptr;
  if (request == -1) request = requests_;
  size_t at = 0;
  if (prev != nullptr) {
    auto anchor = reinterpret_cast<uintptr_t>(prev->anchor);
    if (anchor == 0 || anchor > entries_.size()) return nullptr;  // not one of ours (rule 4)
    at = static_cast<size_t>(anchor);                             // the one after prev
  }
  while (at < entries_.size() && !in_scope(entries_[at], origin, request)) ++at;
  if (at == entries_.size()) return nullptr;
  // Its index and amount among the headers of the same name in the same scope.
  const Entry &picked = entries_[at];
  std::string_view name(picked.name, picked.name_len);
  size_t index = 0;
  const size_t amount = visit_named(name, origin, request, [&](size_t position, size_t ordinal) {
    if (position == at) index = ordinal;
  });
  export_entry(at, index, amount, iterated_);
  return &iterated_;
}

}  // namespace fetch
