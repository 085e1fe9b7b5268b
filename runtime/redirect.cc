#include "runtime/redirect.h"

#include <cctype>

namespace fetch {

namespace {

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (tolower(static_cast<unsigned char>(a[i])) != tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// The FETCH_REDIR_POST_* bit that keeps a POST a POST on `status` (0 for other codes).
long keep_post_bit(int status) {
  switch (status) {
    case 301:
      return FETCH_REDIR_POST_301;
    case 302:
      return FETCH_REDIR_POST_302;
    case 303:
      return FETCH_REDIR_POST_303;
    default:
      return 0;
  }
}

// The method rules: 301 and 302 turn a POST into a GET, 303 turns anything but a HEAD into a
// GET; a POSTREDIR bit keeps a POST as it is. Other codes keep the method.
void apply_method_rules(const RedirectInput &in, RedirectDecision &d) {
  d.method = in.method;
  d.custom = in.custom && in.follow != FETCHFOLLOW_FIRSTONLY;
  long bit = keep_post_bit(in.status);
  if (bit == 0) return;
  bool keep = in.method == RequestMethod::kPost && (in.postredir & bit) != 0;
  if (keep) return;
  bool to_get =
      in.status == 303 ? in.method != RequestMethod::kHead : in.method == RequestMethod::kPost;
  if (to_get) d.method = RequestMethod::kGet;
  // OBEYCODE: the code decides, so a custom method does not survive 301/302/303.
  if (in.follow == FETCHFOLLOW_OBEYCODE) d.custom = false;
}

}  // namespace

bool is_redirect_status(int status) { return status >= 300 && status < 400 && status != 304; }

bool protocol_allowed(std::string_view scheme, std::string_view protocols) {
  if (protocols.empty()) return true;
  while (!protocols.empty()) {
    size_t comma = protocols.find(',');
    std::string_view name = protocols.substr(0, comma);
    if (iequal(name, scheme)) return true;
    if (comma == std::string_view::npos) break;
    protocols.remove_prefix(comma + 1);
  }
  return false;
}

RedirectDecision decide_redirect(const RedirectInput &in) {
  RedirectDecision d;
  if (in.location.empty() || !is_redirect_status(in.status) || in.current == nullptr) return d;
  url::Url target;
  // As a browser would: a space or a byte above 127 in the Location is percent-encoded.
  FETCHUcode uc =
      url::resolve(*in.current, in.location,
                   FETCHU_NON_SUPPORT_SCHEME | FETCHU_URLENCODE | FETCHU_ALLOW_SPACE, target);
  if (uc != FETCHUE_OK) {
    if (in.follow == 0) return d;  // REDIRECT_URL stays unset
    d.kind = RedirectDecision::Kind::kFail;
    d.code = FETCHE_URL_MALFORMAT;
    d.message = std::string("The redirect target URL could not be parsed: ") + url::strerror(uc);
    return d;
  }
  target.fragment.reset();  // a fragment is never sent
  if (url::to_string(target, 0, d.url) != FETCHUE_OK) d.url.clear();
  if (in.follow == 0) return d;
  if (in.max_redirs >= 0 && in.followed >= in.max_redirs) {
    d.kind = RedirectDecision::Kind::kFail;
    d.code = FETCHE_TOO_MANY_REDIRECTS;
    d.message = "Maximum (" + std::to_string(in.max_redirs) + ") redirects followed";
    return d;
  }
  std::string scheme = target.scheme.value_or("");
  if (!protocol_allowed(scheme, in.protocols)) {
    d.kind = RedirectDecision::Kind::kFail;
    d.code = FETCHE_UNSUPPORTED_PROTOCOL;
    d.message = "Protocol \"" + scheme + "\" not supported or disabled for redirects";
    return d;
  }
  d.kind = RedirectDecision::Kind::kFollow;
  d.target = std::move(target);
  apply_method_rules(in, d);
  return d;
}

bool same_origin(const url::Url &a, const url::Url &b) {
  return a.scheme == b.scheme && iequal(a.host.value_or(""), b.host.value_or("")) &&
         url::effective_port(a) == url::effective_port(b);
}

std::string referer_for(const url::Url &previous) {
  url::Url u = previous;
  u.user.reset();
  u.password.reset();
  u.options.reset();
  u.fragment.reset();
  std::string out;
  if (url::to_string(u, 0, out) != FETCHUE_OK) out.clear();
  return out;
}

bool is_credential_header(std::string_view entry) {
  size_t end = entry.find_first_of(":;");
  if (end == std::string_view::npos) return false;
  std::string_view name = entry.substr(0, end);
  return iequal(name, "authorization") || iequal(name, "cookie");
}

const fetch_slist *without_credentials(const fetch_slist *list, std::vector<fetch_slist> &out) {
  out.clear();
  for (const fetch_slist *n = list; n != nullptr; n = n->next) {
    if (n->data != nullptr && is_credential_header(n->data)) continue;
    out.push_back(fetch_slist{n->data, nullptr});
  }
  // Linked after the vector stopped growing: no node moves any more.
  for (size_t i = 0; i + 1 < out.size(); ++i) out[i].next = &out[i + 1];
  return out.empty() ? nullptr : out.data();
}

}  // namespace fetch
