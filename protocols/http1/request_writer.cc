// See request_writer.h for the header order and the FETCHOPT_HTTPHEADER rules.
#include "protocols/http1/request_writer.h"

#include <charconv>
#include <cstring>

#include "protocols/http1/tokens.h"

namespace fetch::http1 {
namespace {

constexpr const char *kBadMethod = "CR, LF or NUL in the request method";
constexpr const char *kBadTarget = "CR, LF or NUL in the request target";
constexpr const char *kBadHost = "CR, LF or NUL in the Host header";
constexpr const char *kBadUserAgent = "CR, LF or NUL in the user agent";
constexpr const char *kBadReferer = "CR, LF or NUL in the referer";
constexpr const char *kBadRange = "CR, LF or NUL in the range";
constexpr const char *kBadContentRange = "CR, LF or NUL in the content range";
constexpr const char *kBadTimeCondition = "CR, LF or NUL in the time condition";
constexpr const char *kBadAcceptEncoding = "CR, LF or NUL in the accepted encodings";
constexpr const char *kBadContentType = "CR, LF or NUL in the content type";
constexpr const char *kBadCustom = "CR, LF or NUL in a custom header (HTTPHEADER)";
constexpr const char *kEmptyMethod = "empty request method";
constexpr const char *kEmptyTarget = "empty request target";
constexpr const char *kChunked10 = "Chunky upload is not supported by HTTP 1.0";

bool has_ctl(std::string_view s) { return has_cr_lf_nul(s); }

bool is_space(char c) { return c == ' ' || c == '\t'; }

// One FETCHOPT_HTTPHEADER entry, classified as CURLOPT_HTTPHEADER(3) describes.
struct Custom {
  enum Kind { kIgnored, kRemove, kEmpty, kSend } kind = kIgnored;
  std::string_view name;   // without the separator
  std::string_view value;  // after the colon and leading blanks (kSend)
  std::string_view line;   // the entry as given (kSend)
};

Custom classify(std::string_view line) {
  Custom c;
  size_t colon = line.find(':');
  if (colon == line.npos) {
    // "Name;" (the semicolon last, nothing after it) sends "Name:".
    size_t semi = line.find(';');
    if (semi == line.npos || semi == 0 || semi + 1 != line.size()) return c;
    c.kind = Custom::kEmpty;
    c.name = line.substr(0, semi);
    return c;
  }
  if (colon == 0) return c;
  c.name = line.substr(0, colon);
  size_t v = colon + 1;
  while (v < line.size() && is_space(line[v])) ++v;
  c.kind = v == line.size() ? Custom::kRemove : Custom::kSend;
  c.value = line.substr(v);
  c.line = line;
  return c;
}

// Built-in headers a custom entry of the same name replaces or removes.
enum Builtin : unsigned {
  kHost = 1u << 0,
  kRange = 1u << 1,
  kUserAgent = 1u << 2,
  kAccept = 1u << 3,
  kAcceptEncoding = 1u << 4,
  kReferer = 1u << 5,
  kTransferEncoding = 1u << 6,
  kContentLength = 1u << 7,
  kContentType = 1u << 8,
  kExpect = 1u << 9,
  kContentRange = 1u << 10,
  kIfModifiedSince = 1u << 11,
  kIfUnmodifiedSince = 1u << 12,
  kLastModified = 1u << 13,
};

unsigned builtin_bit(std::string_view name) {
  static constexpr struct {
    std::string_view name;
    Builtin bit;
  } kTable[] = {
      {"Host", kHost},
      {"Range", kRange},
      {"User-Agent", kUserAgent},
      {"Accept", kAccept},
      {"Accept-Encoding", kAcceptEncoding},
      {"Referer", kReferer},
      {"Transfer-Encoding", kTransferEncoding},
      {"Content-Length", kContentLength},
      {"Content-Type", kContentType},
      {"Expect", kExpect},
      {"Content-Range", kContentRange},
      {"If-Modified-Since", kIfModifiedSince},
      {"If-Unmodified-Since", kIfUnmodifiedSince},
      {"Last-Modified", kLastModified},
  };
  for (const auto &e : kTable)
    if (iequals(e.name, name)) return e.bit;
  return 0;
}

void add_header(std::string &out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

WriteResult fail(std::string &out, FETCHcode code, const char *reason) {
  out.clear();
  return WriteResult{code, reason, false};
}

}  // namespace

WriteResult write_request_head(const RequestHead &req, std::string &out) {
  out.clear();
  if (req.method.empty()) return fail(out, FETCHE_BAD_FUNCTION_ARGUMENT, kEmptyMethod);
  if (req.target.empty()) return fail(out, FETCHE_BAD_FUNCTION_ARGUMENT, kEmptyTarget);
  const struct {
    std::string_view text;
    const char *reason;
  } fields[] = {
      {req.method, kBadMethod},
      {req.target, kBadTarget},
      {req.host, kBadHost},
      {req.user_agent, kBadUserAgent},
      {req.referer, kBadReferer},
      {req.range, kBadRange},
      {req.content_range, kBadContentRange},
      {req.time_condition_name, kBadTimeCondition},
      {req.time_condition_value, kBadTimeCondition},
      {req.accept_encoding, kBadAcceptEncoding},
      {req.content_type, kBadContentType},
  };
  for (const auto &f : fields)
    if (has_ctl(f.text)) return fail(out, FETCHE_BAD_FUNCTION_ARGUMENT, f.reason);
  if (req.body == BodyKind::kChunked && req.version == Version::kHttp10)
    return fail(out, FETCHE_UPLOAD_FAILED, kChunked10);

  // Pass 1: validate the custom lines and note which built-ins they replace.
  unsigned replaced = 0;
  std::string_view custom_host;  // what follows "Host:" in the first custom Host entry
  bool send_custom_host = false;
  std::string_view custom_expect;
  for (const fetch_slist *l = req.custom_headers; l; l = l->next) {
    if (!l->data) continue;
    std::string_view line(l->data);
    if (has_ctl(line)) return fail(out, FETCHE_BAD_FUNCTION_ARGUMENT, kBadCustom);
    Custom c = classify(line);
    if (c.kind == Custom::kIgnored) continue;
    unsigned bit = builtin_bit(c.name);
    if (bit == kHost && !(replaced & kHost)) {
      // libcurl keeps the entry's own spacing after "Host:" ("Host;" sends "Host:").
      send_custom_host = c.kind != Custom::kRemove;
      if (c.kind == Custom::kSend) custom_host = c.line.substr(c.name.size() + 1);
    }
    if (bit == kExpect && !(replaced & kExpect)) custom_expect = c.value;
    replaced |= bit;
  }

  bool has_body = req.body != BodyKind::kNone;
  WriteResult result;
  result.expects_continue = (replaced & kExpect) ? iequals(custom_expect, "100-continue")
                                                 : (req.expect_continue && has_body);

  out.append(req.method);
  out.push_back(' ');
  out.append(req.target);
  out.append(req.version == Version::kHttp10 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
  if (replaced & kHost) {
    if (send_custom_host) {
      out.append("Host:");
      out.append(custom_host);
      out.append("\r\n");
    }
  } else if (!req.host.empty()) {
    add_header(out, "Host", req.host);
  }
  if (!req.range.empty() && !(replaced & kRange)) {
    out.append("Range: bytes=");
    out.append(req.range);
    out.append("\r\n");
  }
  if (!req.content_range.empty() && !(replaced & kContentRange))
    add_header(out, "Content-Range", req.content_range);
  if (!req.user_agent.empty() && !(replaced & kUserAgent))
    add_header(out, "User-Agent", req.user_agent);
  if (!(replaced & kAccept)) out.append("Accept: */*\r\n");
  if (!req.accept_encoding.empty() && !(replaced & kAcceptEncoding))
    add_header(out, "Accept-Encoding", req.accept_encoding);
  if (!req.referer.empty() && !(replaced & kReferer)) add_header(out, "Referer", req.referer);
  if (req.body == BodyKind::kChunked && !(replaced & kTransferEncoding))
    out.append("Transfer-Encoding: chunked\r\n");
  if (!req.time_condition_name.empty() && !(replaced & builtin_bit(req.time_condition_name)))
    add_header(out, req.time_condition_name, req.time_condition_value);

  // Pass 2: the application's lines, in their order (Host was placed first).
  for (const fetch_slist *l = req.custom_headers; l; l = l->next) {
    if (!l->data) continue;
    Custom c = classify(std::string_view(l->data));
    if (builtin_bit(c.name) == kHost) continue;
    if (c.kind == Custom::kSend) {
      out.append(c.line);
      out.append("\r\n");
    } else if (c.kind == Custom::kEmpty) {
      out.append(c.name);
      out.append(":\r\n");
    }
  }

  if (req.body == BodyKind::kLength && !(replaced & kContentLength)) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, req.content_length);
    (void)ec;  // 24 bytes always hold a uint64_t
    add_header(out, "Content-Length", std::string_view(digits, static_cast<size_t>(end - digits)));
  }
  if (!req.content_type.empty() && !(replaced & kContentType))
    add_header(out, "Content-Type", req.content_type);
  if (req.expect_continue && has_body && !(replaced & kExpect))
    out.append("Expect: 100-continue\r\n");
  out.append("\r\n");
  return result;
}

}  // namespace fetch::http1
