// Following HTTP redirects: the pure decisions (sans-I/O), after CURLOPT_FOLLOWLOCATION(3),
// CURLOPT_MAXREDIRS(3), CURLOPT_POSTREDIR(3), CURLOPT_REDIR_PROTOCOLS_STR(3),
// CURLOPT_AUTOREFERER(3) and CURLOPT_UNRESTRICTED_AUTH(3).
//
// decide_redirect() looks at one final response (status, Location) and says whether the
// transfer goes on to another URL, with which method, or fails. The scheduler
// (runtime/scheduler_http.cc) restarts the transfer on the answer; the HTTP exchange applies
// the per-request changes (FollowedRequest) over the handle's Settings.
#pragma once

#include <fetch/fetch.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "url/url.h"

namespace fetch {

// The request kind the redirect rules look at (UPLOAD makes a PUT).
enum class RequestMethod : uint8_t { kGet, kHead, kPost, kPut };

// What the redirect rules need about the response and the request that got it.
struct RedirectInput {
  int status = 0;
  std::string_view location;          // the Location value ("" = none)
  const url::Url *current = nullptr;  // the URL of the request that got the response
  RequestMethod method = RequestMethod::kGet;
  bool custom = false;         // CUSTOMREQUEST was on this request's line
  long follow = 0;             // FETCHOPT_FOLLOWLOCATION: 0, 1 (ALL), 2 (OBEYCODE), 3 (FIRSTONLY)
  long postredir = 0;          // FETCHOPT_POSTREDIR bits
  long max_redirs = 30;        // FETCHOPT_MAXREDIRS: -1 = unlimited
  long followed = 0;           // redirects followed so far
  std::string_view protocols;  // REDIR_PROTOCOLS_STR, normalized ("" = all)
};

struct RedirectDecision {
  enum class Kind : uint8_t {
    kNone,    // not a redirect to follow: the response is the result
    kFollow,  // request `target` next
    kFail,    // the transfer fails with `code` and `message`
  };
  Kind kind = Kind::kNone;
  FETCHcode code = FETCHE_OK;
  std::string message;
  std::string url;  // absolute Location (FETCHINFO_REDIRECT_URL), "" when none or unusable
  url::Url target;  // with kFollow
  RequestMethod method = RequestMethod::kGet;  // with kFollow
  bool custom = false;  // with kFollow: CUSTOMREQUEST stays on the request line
};

// True for a status whose Location is a redirect (3xx except 304 Not Modified).
bool is_redirect_status(int status);

RedirectDecision decide_redirect(const RedirectInput &in);

// True when `scheme` is in the normalized comma list `protocols` ("" = every protocol).
bool protocol_allowed(std::string_view scheme, std::string_view protocols);

// "scheme host port" equality, as UNRESTRICTED_AUTH compares hosts (host case-insensitive).
bool same_origin(const url::Url &a, const url::Url &b);

// The previous URL as AUTOREFERER sends it: without user, password and fragment.
std::string referer_for(const url::Url &previous);

// True for a FETCHOPT_HTTPHEADER entry that carries credentials ("Authorization" or "Cookie",
// in any of the "Name: v", "Name:" and "Name;" forms).
bool is_credential_header(std::string_view entry);

// The application's HTTPHEADER list without its credential entries, as nodes that point at the
// application's strings (nothing is copied). `out` is the storage; the result is its first
// node, or nullptr when nothing is left.
const fetch_slist *without_credentials(const fetch_slist *list, std::vector<fetch_slist> &out);

// What a transfer carries from one hop of a redirect chain to the next.
struct FollowState {
  long count = 0;        // redirects followed
  std::string next_url;  // the URL of the next request ("" = Settings::url)
  // The URL of the request in flight (set by setup). Behind a pointer so that a recycled
  // transfer keeps it whole (Scheduler::recycle): assigning the next request's URL then
  // reuses its strings' buffers instead of allocating every part again.
  std::unique_ptr<url::Url> current;
  // The transfer's first URL (UNRESTRICTED_AUTH compares to it), copied from `current` when
  // the first redirect is followed; until then `current` is the first URL.
  url::Url first;
  RequestMethod method = RequestMethod::kGet;  // of the request in flight
  bool custom = false;                         // CUSTOMREQUEST on the request in flight
};

// How a request that follows a redirect differs from the one the Settings describe. The HTTP
// exchange applies it over the Settings when it builds the request head.
struct FollowedRequest {
  bool active = false;       // this request follows a redirect
  bool as_get = false;       // the method was switched to GET: no request body
  bool drop_custom = false;  // CUSTOMREQUEST is not used on this request
  bool set_referer = false;  // AUTOREFERER: send `referer` instead of Settings::referer
  std::string referer;
  bool filter_headers = false;  // send `headers` instead of Settings::httpheader
  const fetch_slist *headers = nullptr;
  std::vector<fetch_slist> header_nodes;  // storage behind `headers`
};

}  // namespace fetch
