// write_request_head's request-option headers (protocols/http1/request_writer.h): Content-Range
// in the Range slot, the time condition after Transfer-Encoding and before the application's
// headers, a custom header of the same name replacing or removing each, and CR/LF refused.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocols/http1/request_writer.h"

namespace fetch::http1 {
namespace {

// One fetch_slist node per line, on the stack (the writer never frees it).
class Lines {
 public:
  Lines(std::initializer_list<const char *> lines) : texts_(lines.begin(), lines.end()) {
    nodes_.resize(texts_.size());
    for (size_t i = 0; i < nodes_.size(); ++i) {
      nodes_[i].data = texts_[i].data();
      nodes_[i].next = i + 1 < nodes_.size() ? &nodes_[i + 1] : nullptr;
    }
  }
  const fetch_slist *get() const { return nodes_.empty() ? nullptr : &nodes_[0]; }

 private:
  std::vector<std::string> texts_;
  std::vector<fetch_slist> nodes_;
};

RequestHead put_head() {
  RequestHead r;
  r.method = "PUT";
  r.target = "/f";
  r.host = "h";
  r.user_agent = "ua";
  r.body = BodyKind::kLength;
  r.content_length = 6;
  return r;
}

std::string write(const RequestHead &r) {
  std::string out;
  WriteResult w = write_request_head(r, out);
  EXPECT_EQ(w.code, FETCHE_OK) << (w.reason ? w.reason : "");
  return out;
}

TEST(Http1RequestOptions, ContentRangeGoesWhereRangeGoes) {
  RequestHead r = put_head();
  r.content_range = "bytes 4-9/10";
  EXPECT_EQ(write(r),
            "PUT /f HTTP/1.1\r\nHost: h\r\nContent-Range: bytes 4-9/10\r\nUser-Agent: ua\r\n"
            "Accept: */*\r\nContent-Length: 6\r\n\r\n");
}

TEST(Http1RequestOptions, TimeConditionBeforeCustomHeaders) {
  RequestHead r;
  r.host = "h";
  r.time_condition_name = "If-Modified-Since";
  r.time_condition_value = "Sun, 06 Nov 1994 08:49:37 GMT";
  Lines custom{"X-A: 1"};
  r.custom_headers = custom.get();
  EXPECT_EQ(write(r),
            "GET / HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n"
            "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\nX-A: 1\r\n\r\n");
}

TEST(Http1RequestOptions, CustomHeadersReplaceOrRemoveThem) {
  RequestHead r = put_head();
  r.content_range = "bytes 4-9/10";
  r.time_condition_name = "If-Unmodified-Since";
  r.time_condition_value = "Sun, 06 Nov 1994 08:49:37 GMT";
  Lines custom{"content-range: bytes 0-5/6", "If-Unmodified-Since:"};
  r.custom_headers = custom.get();
  EXPECT_EQ(write(r),
            "PUT /f HTTP/1.1\r\nHost: h\r\nUser-Agent: ua\r\nAccept: */*\r\n"
            "content-range: bytes 0-5/6\r\nContent-Length: 6\r\n\r\n");
}

TEST(Http1RequestOptions, AnotherConditionHeaderDoesNotReplaceOurs) {
  RequestHead r;
  r.host = "h";
  r.time_condition_name = "Last-Modified";
  r.time_condition_value = "Sun, 06 Nov 1994 08:49:37 GMT";
  Lines custom{"If-Modified-Since: x"};
  r.custom_headers = custom.get();
  EXPECT_EQ(write(r),
            "GET / HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n"
            "Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\nIf-Modified-Since: x\r\n\r\n");
}

TEST(Http1RequestOptions, CrOrLfIsRefused) {
  const struct {
    std::string_view RequestHead::*field;
    const char *reason;
  } cases[] = {
      {&RequestHead::content_range, "CR, LF or NUL in the content range"},
      {&RequestHead::time_condition_value, "CR, LF or NUL in the time condition"},
  };
  for (const auto &c : cases) {
    SCOPED_TRACE(c.reason);
    RequestHead r = put_head();
    r.time_condition_name = "If-Modified-Since";
    r.time_condition_value = "x";
    r.*c.field = "a\r\nX-Evil: 1";
    std::string out = "left over";
    WriteResult w = write_request_head(r, out);
    EXPECT_EQ(w.code, FETCHE_BAD_FUNCTION_ARGUMENT);
    EXPECT_STREQ(w.reason, c.reason);
    EXPECT_EQ(out, "");
  }
}

}  // namespace
}  // namespace fetch::http1
