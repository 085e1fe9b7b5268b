// write_request_head's request-option headers (protocols/http1/request_writer.h): Content-Range
// in the Range slot, the time condition after Transfer-Encoding and before the application's
// headers, a custom header of the same name replacing or removing each, and CR/LF refused.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocols/http1/request_writer.h"
#include "request_head.h"

namespace fetch::http1 {
namespace {

using testing::Slist;
using testing::write;

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

// A GET to host "h" with the time condition header `name` (dated Sun, 06 Nov 1994 08:49:37 GMT)
// and the application's `custom` headers, which must outlive the head.
RequestHead conditional_get(const char *name, const Slist &custom) {
  RequestHead r;
  r.host = "h";
  r.time_condition_name = name;
  r.time_condition_value = "Sun, 06 Nov 1994 08:49:37 GMT";
  r.custom_headers = custom.get();
  return r;
}

TEST(Http1RequestOptions, ContentRangeGoesWhereRangeGoes) {
  RequestHead r = put_head();
  r.content_range = "bytes 4-9/10";
  EXPECT_EQ(write(r),
            "PUT /f HTTP/1.1\r\nHost: h\r\nContent-Range: bytes 4-9/10\r\nUser-Agent: ua\r\n"
            "Accept: */*\r\nContent-Length: 6\r\n\r\n");
}

TEST(Http1RequestOptions, TimeConditionBeforeCustomHeaders) {
  Slist custom{"X-A: 1"};
  EXPECT_EQ(write(conditional_get("If-Modified-Since", custom)),
            "GET / HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n"
            "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\nX-A: 1\r\n\r\n");
}

TEST(Http1RequestOptions, CustomHeadersReplaceOrRemoveThem) {
  RequestHead r = put_head();
  r.content_range = "bytes 4-9/10";
  r.time_condition_name = "If-Unmodified-Since";
  r.time_condition_value = "Sun, 06 Nov 1994 08:49:37 GMT";
  Slist custom{"content-range: bytes 0-5/6", "If-Unmodified-Since:"};
  r.custom_headers = custom.get();
  EXPECT_EQ(write(r),
            "PUT /f HTTP/1.1\r\nHost: h\r\nUser-Agent: ua\r\nAccept: */*\r\n"
            "content-range: bytes 0-5/6\r\nContent-Length: 6\r\n\r\n");
}

TEST(Http1RequestOptions, AnotherConditionHeaderDoesNotReplaceOurs) {
  Slist custom{"If-Modified-Since: x"};
  EXPECT_EQ(write(conditional_get("Last-Modified", custom)),
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
