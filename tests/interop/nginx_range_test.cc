// Interop with a real nginx (tests/interop/nginx_fixture.h) for the request options: RANGE and
// RESUME_FROM against nginx's 206 and 416, FILETIME from its Last-Modified, and TIMECONDITION
// against its If-Modified-Since handling (nginx's default "if_modified_since exact" answers 304
// only for the exact date; an older document otherwise comes as a 200 that libfetch turns into
// a simulated 304, as libcurl does).
#include <fetch/fetch.h>
#include <gtest/gtest.h>
#include <utime.h>

#include <iostream>
#include <memory>
#include <string>

#include "interop/nginx_fixture.h"

namespace {

using fetchtest::NginxServer;

// Sun, 06 Nov 1994 08:49:37 GMT: the document's modification time.
constexpr long kDocumentTime = 784111777L;

std::string document() {
  std::string out;
  for (int i = 0; i < 2000; ++i) out += "line " + std::to_string(i) + "\n";
  return out;
}

size_t append_to_string(char *data, size_t size, size_t count, void *user) {
  static_cast<std::string *>(user)->append(data, size * count);
  return size * count;
}

struct EasyDeleter {
  void operator()(FETCH *easy) const { fetch_easy_cleanup(easy); }
};
using Easy = std::unique_ptr<FETCH, EasyDeleter>;

class NginxRangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(nginx_.prepare(), "");
    ASSERT_TRUE(nginx_.add_file("doc.txt", document()));
    const std::string path = nginx_.dir() + "/html/doc.txt";
    utimbuf times{static_cast<time_t>(kDocumentTime), static_cast<time_t>(kDocumentTime)};
    ASSERT_EQ(utime(path.c_str(), &times), 0);
    const std::string error = nginx_.start("");
    ASSERT_EQ(error, "") << "nginx failed to start; config:\n" << nginx_.config();
    easy_.reset(fetch_easy_init());
    ASSERT_NE(easy_, nullptr);
    ASSERT_EQ(fetch_easy_setopt(easy_.get(), FETCHOPT_URL, nginx_.url("/doc.txt").c_str()),
              FETCHE_OK);
    ASSERT_EQ(fetch_easy_setopt(easy_.get(), FETCHOPT_WRITEFUNCTION, append_to_string), FETCHE_OK);
    ASSERT_EQ(fetch_easy_setopt(easy_.get(), FETCHOPT_WRITEDATA, &body_), FETCHE_OK);
    ASSERT_EQ(fetch_easy_setopt(easy_.get(), FETCHOPT_ERRORBUFFER, errbuf_), FETCHE_OK);
    ASSERT_EQ(fetch_easy_setopt(easy_.get(), FETCHOPT_TIMEOUT_MS, 10000L), FETCHE_OK);
  }

  void TearDown() override {
    easy_.reset();
    nginx_.stop();
    if (HasFailure()) std::cerr << "nginx error log:\n" << nginx_.error_log() << "\n";
    nginx_.cleanup(/*keep=*/false);
  }

  FETCHcode perform() {
    body_.clear();
    errbuf_[0] = '\0';
    return fetch_easy_perform(easy_.get());
  }
  long response_code() {
    long code = 0;
    EXPECT_EQ(fetch_easy_getinfo(easy_.get(), FETCHINFO_RESPONSE_CODE, &code), FETCHE_OK);
    return code;
  }
  long condition_unmet() {
    long unmet = -1;
    EXPECT_EQ(fetch_easy_getinfo(easy_.get(), FETCHINFO_CONDITION_UNMET, &unmet), FETCHE_OK);
    return unmet;
  }

  NginxServer nginx_;
  Easy easy_;
  std::string body_;
  char errbuf_[FETCH_ERROR_SIZE] = {};
};

TEST_F(NginxRangeTest, RangeGets206WithThoseBytes) {
  ASSERT_EQ(fetch_easy_setopt(easy_.get(), FETCHOPT_RANGE, "100-199"), FETCHE_OK);
  ASSERT_EQ(perform(), FETCHE_OK) << errbuf_;
  EXPECT_EQ(response_code(), 206);
  EXPECT_EQ(body_, document().substr(100, 100));
}

TEST_F(NginxRangeTest, ResumeGetsTheRest) {
  ASSERT_EQ(fetch_easy_setopt(easy_.get(), FETCHOPT_RESUME_FROM_LARGE, fetch_off_t{1000}),
            FETCHE_OK);
  ASSERT_EQ(perform(), FETCHE_OK) << errbuf_;
  EXPECT_EQ(response_code(), 206);
  EXPECT_EQ(body_, document().substr(1000));
}

TEST_F(NginxRangeTest, ResumeAtTheEndIs416AndNoError) {
  const auto size = static_cast<fetch_off_t>(document().size());
  ASSERT_EQ(fetch_easy_setopt(easy_.get(), FETCHOPT_RESUME_FROM_LARGE, size), FETCHE_OK);
  ASSERT_EQ(perform(), FETCHE_OK) << errbuf_;
  EXPECT_EQ(response_code(), 416);
  EXPECT_EQ(body_, "");
}

TEST_F(NginxRangeTest, FileTimeIsTheDocumentsModificationTime) {
  ASSERT_EQ(fetch_easy_setopt(easy_.get(), FETCHOPT_FILETIME, 1L), FETCHE_OK);
  ASSERT_EQ(perform(), FETCHE_OK) << errbuf_;
  fetch_off_t filetime = 0;
  ASSERT_EQ(fetch_easy_getinfo(easy_.get(), FETCHINFO_FILETIME_T, &filetime), FETCHE_OK);
  EXPECT_EQ(filetime, kDocumentTime);
  EXPECT_EQ(body_, document());
}

TEST_F(NginxRangeTest, IfModifiedSinceTheDocumentsTimeGets304) {
  ASSERT_EQ(fetch_easy_setopt(easy_.get(), FETCHOPT_TIMECONDITION, FETCH_TIMECOND_IFMODSINCE),
            FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(easy_.get(), FETCHOPT_TIMEVALUE, kDocumentTime), FETCHE_OK);
  ASSERT_EQ(perform(), FETCHE_OK) << errbuf_;
  EXPECT_EQ(response_code(), 304) << "a real 304 from nginx";
  EXPECT_EQ(condition_unmet(), 1);
  EXPECT_EQ(body_, "");
}

TEST_F(NginxRangeTest, IfModifiedSinceLaterIsUnmetWithoutA304FromNginx) {
  // nginx ("if_modified_since exact") sends the 200 with the old Last-Modified; libfetch drops it.
  ASSERT_EQ(fetch_easy_setopt(easy_.get(), FETCHOPT_TIMECONDITION, FETCH_TIMECOND_IFMODSINCE),
            FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(easy_.get(), FETCHOPT_TIMEVALUE, kDocumentTime + 3600), FETCHE_OK);
  ASSERT_EQ(perform(), FETCHE_OK) << errbuf_;
  EXPECT_EQ(response_code(), 304);
  EXPECT_EQ(condition_unmet(), 1);
  EXPECT_EQ(body_, "");
}

TEST_F(NginxRangeTest, IfModifiedSinceEarlierDeliversTheDocument) {
  ASSERT_EQ(fetch_easy_setopt(easy_.get(), FETCHOPT_TIMECONDITION, FETCH_TIMECOND_IFMODSINCE),
            FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(easy_.get(), FETCHOPT_TIMEVALUE, kDocumentTime - 3600), FETCHE_OK);
  ASSERT_EQ(perform(), FETCHE_OK) << errbuf_;
  EXPECT_EQ(response_code(), 200);
  EXPECT_EQ(condition_unmet(), 0);
  EXPECT_EQ(body_, document());
}

}  // namespace
