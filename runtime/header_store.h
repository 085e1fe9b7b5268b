// The response headers of an easy handle's last transfer, behind fetch_easy_header and
// fetch_easy_nextheader (follows curl_easy_header(3), curl_easy_nextheader(3) and libcurl's
// "header API").
//
// What is kept: every "name: value" of every response the transfer read, in arrival order, with
// its origin (FETCHH_HEADER, FETCHH_1XX, FETCHH_TRAILER; FETCHH_CONNECT and FETCHH_PSEUDO once
// proxies and HTTP/2 exist) and its request number. Requests are counted as libcurl counts them
// (its state.requests): 0 for the first request of the transfer, +1 for every further request
// sent, i.e. each redirect followed and each retry (a reused connection that died, a 417 to
// "Expect: 100-continue"); a 1xx belongs to the request its final response answers. Every
// HttpExchange is one request: it calls begin_request() when it starts. Status lines are not
// headers. Names keep the case they arrived in; values are
// trimmed of leading and trailing blanks by the HTTP/1 reader. Duplicates are all kept: `amount`
// and `index` tell them apart. Known difference: an obs-fold value keeps the fold's blanks as the
// reader joins them ("a  folded"), where libcurl puts a single space.
//
// Lifetime rules:
//  1. The store is cleared when a new transfer starts on the handle and by fetch_easy_reset;
//     clear() keeps up to 64 KiB of arena (and the entry table), so steady state allocates
//     nothing and one huge transfer does not leave the handle holding megabytes.
//  2. Name and value bytes live in arena blocks that never move: a name or value pointer stays
//     valid until the next clear() (even while later headers of the same transfer arrive).
//  3. The struct fetch_header returned is owned by the store: one for find() and one for next(),
//     as libcurl keeps one per function, each overwritten by that function's next call.
//  4. `anchor` is the stored header's position plus one (never NULL); a stale or foreign anchor
//     makes next() return NULL instead of reading out of bounds.
#pragma once

#include <fetch/fetch.h>
#include <fetch/header.h>

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace fetch {

class HeaderStore {
 public:
  // Every origin bit the API defines; a wider mask is FETCHHE_BAD_ARGUMENT.
  static constexpr unsigned kAllOrigins =
      FETCHH_HEADER | FETCHH_TRAILER | FETCHH_CONNECT | FETCHH_1XX | FETCHH_PSEUDO;

  HeaderStore() = default;
  HeaderStore(const HeaderStore &) = delete;
  HeaderStore &operator=(const HeaderStore &) = delete;

  // Forgets every header and request and keeps the memory (rule 1).
  void clear();
  // A request of the transfer is about to be sent: the headers stored next belong to it.
  void begin_request() { ++requests_; }
  // The number of the last request begun (-1 before the first).
  int last_request() const { return requests_; }
  // Stores one header of the last request begun; FETCHE_OUT_OF_MEMORY when its copy cannot be
  // allocated.
  FETCHcode add(std::string_view name, std::string_view value, unsigned origin);
  size_t size() const { return entries_.size(); }

  // fetch_easy_header after the argument checks: header `name` (case-insensitive), instance
  // `index`, among the origins in `origin`, of request `request` (-1 = the last one).
  // FETCHHE_NOHEADERS when nothing is stored at all, FETCHHE_NOREQUEST when `request` is
  // beyond `requests`, FETCHHE_MISSING when no such header, FETCHHE_BADINDEX when `index` is too
  // large.
  FETCHHcode find(std::string_view name, size_t index, unsigned origin, int request,
                  fetch_header **out);
  // fetch_easy_nextheader: the first header in scope after `prev` (NULL: the first one), or
  // nullptr when there is none.
  fetch_header *next(unsigned origin, int request, const fetch_header *prev);

 private:
  struct Entry {
    char *name;  // NUL-terminated, in the arena
    char *value;
    size_t name_len;
    unsigned origin;
    int request;
  };

  // Bump allocator over blocks that never move (rule 2).
  class Arena {
   public:
    char *allocate(size_t n);
    void reset();

   private:
    struct Block {
      std::unique_ptr<char[]> data;
      size_t size;
      size_t used;
    };
    std::vector<Block> blocks_;
    size_t current_ = 0;
  };

  bool in_scope(const Entry &e, unsigned origin, int request) const {
    return (e.origin & origin) != 0 && e.request == request;
  }
  void export_entry(size_t at, size_t index, size_t amount, fetch_header &out);
  // Calls visit(position, ordinal) for every entry in scope named `name` (case-insensitive), in
  // store order, `ordinal` counting from 0; returns how many there are (libcurl's `amount`).
  template <typename Visit>
  size_t visit_named(std::string_view name, unsigned origin, int request, Visit &&visit) const;

  std::vector<Entry> entries_;
  Arena arena_;
  int requests_ = -1;
  fetch_header found_{};     // returned by find()
  fetch_header iterated_{};  // returned by next()
};

}  // namespace fetch
